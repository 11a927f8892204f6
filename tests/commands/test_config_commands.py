"""kerjasama config init writes a file that changes nothing and passes config check; config check lists every
problem of a file at once, one line each naming its key, and the letter settings still to set."""
from __future__ import annotations

import tomllib

from tests.commands.test_cli import LETTERS


def test_config_init_writes_a_file_that_parses_and_passes_config_check(run, tmp_path):
    path = tmp_path / "etc" / "kerjasama.toml"
    written = run("config", "init", str(path))
    assert f"Wrote {path}" in written.stderr
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {}  # every key commented out: the defaults
    checked = run("config", "check", str(path))
    assert f"{path}: no problems" in checked.stderr
    unset = checked.stdout.splitlines()  # what letters still need, listed at once, without failing the check
    assert [line.split(" is not set")[0] for line in unset] == [
        "[letters] head_name", "[letters] sekda_name", "[letters] bureau_head_name", "[letters] bureau_head_rank",
        "[letters] bureau_head_nip"]
    assert "d09_dprd_request.html" in unset[0] and "d22_evaluation_report.html" in unset[2]

    again = run("config", "init", str(path), ok=False)
    assert again.exit_code == 1 and "exists" in again.stderr
    run("config", "init", str(path), "--force")


def test_config_check_lists_several_problems_at_once_each_naming_its_key(run, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(LETTERS + 'paper = "B5"\nhead_acting = "Ketua"\nsignr = "x"\nemblem_national = "'
                    f'{tmp_path / "garuda.png"}"\n[smtp]\nport = "x"\n[reminders]\nchannels = ["fax"]\n',
                    encoding="utf-8")
    result = run("config", "check", ok=False)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    keys = ["[letters] paper", "[letters] head_acting", "[letters] signr", "[letters] emblem_national",
            "[smtp] needs host", "[smtp] port", "[reminders] channels"]
    assert len([line for line in lines if line.startswith(f"{path}:")]) == len(keys), lines
    for key in keys:
        assert any(line.startswith(f"{path}:") and key in line for line in lines), (key, lines)
    assert "Traceback" not in result.output


def test_a_config_with_its_letter_settings_has_nothing_left_to_set(run, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(LETTERS + 'sekda_name = "Andree Algamar"\nbureau_head_name = "Yenni Yuliza"\n'
                    'bureau_head_rank = "Pembina (IV/a)"\nbureau_head_nip = "19790515 200501 2 004"\n',
                    encoding="utf-8")
    result = run("config", "check")
    assert result.stdout == "" and f"{path}: no problems." in result.stderr


def test_config_init_writes_the_config_named_with_config_which_need_not_exist_yet(db_url, tmp_path):
    from click.testing import CliRunner

    from cli import cli

    path = tmp_path / "new.toml"
    written = CliRunner().invoke(cli, ["--db", db_url, "--config", str(path), "config", "init"])
    assert written.exit_code == 0 and path.exists(), written.output
    missing = CliRunner().invoke(cli, ["--db", db_url, "--config", str(tmp_path / "typo.toml"), "case", "list"])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr  # any other command still refuses it


def test_config_init_writes_its_explanations_in_the_language_spoken(tmp_path):
    from click.testing import CliRunner

    from cli import cli

    for language, words in (("id", "Setiap kunci yang dibaca kerjasama"), ("en", "Every key kerjasama reads")):
        path = tmp_path / f"{language}.toml"
        written = CliRunner().invoke(cli, ["--lang", language, "--config", str(path), "config", "init"])
        assert written.exit_code == 0, written.output
        assert words in path.read_text(encoding="utf-8")
        assert tomllib.loads(path.read_text(encoding="utf-8")) == {}
