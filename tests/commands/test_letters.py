"""The letter register on the CLI: numbers unique as printed, a warning before issuing a letter twice, void letters,
and an output path checked before a number is taken."""
from __future__ import annotations

import os

from click.testing import CliRunner

from cli import cli
from tests.commands.test_cli import LETTERS
from tests.conftest import make_url
from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, carry, open_case


def test_the_default_config_numbers_d09_d07_and_d08_apart_and_a_void_keeps_its_number(run, tmp_path):
    (tmp_path / "config.toml").write_text(LETTERS + 'sekda_name = "Andree Algamar, S.STP., M.Si."\n')
    ref = open_case(run)
    carry(run, ref, [event for event, _state in HAPPY_PATH[:5]])  # plan_started on 5 January 2014
    numbers = [run("letter", "issue", ref, template, "--on", "2014-01-06").stdout.strip()
               for template in ("d09_dprd_request.html", "d07_cooperation_plan.html", "d08_nota_dinas_opd.html")]
    assert len(set(numbers)) == 3, numbers

    again = run("letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-07")
    assert f"Warning: d09_dprd_request.html was already issued for {ref} as {numbers[0]}" in again.stderr
    assert again.stdout.strip() not in numbers
    run("letter", "void", numbers[0], "--note", "sent before the plan was signed")
    listed = json_of(run("letter", "list", ref, "--json").stdout)
    assert {r["number"]: r["void"] for r in listed}[numbers[0]] is True
    assert f"{numbers[0]} (void)" in run("letter", "list", ref).stdout
    refused = run("letter", "void", numbers[0], "--note", "twice", ok=False)
    assert (refused.exit_code, refused.output.strip()) == (1, f"Error: Letter {numbers[0]} is already void.")


def test_an_output_path_that_cannot_be_written_is_refused_before_a_number_is_taken(run, tmp_path):
    (tmp_path / "config.toml").write_text(LETTERS)
    ref = open_case(run)
    carry(run, ref, [event for event, _state in HAPPY_PATH[:5]])
    for bad in (tmp_path / "missing" / "x.html", tmp_path):
        result = run("letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-06", "-o", str(bad), ok=False)
        assert result.exit_code == 2 and "Traceback" not in result.output
    assert json_of(run("letter", "list", ref, "--json").stdout) == []  # no number taken
    first = run("letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-06", "-o",
                str(tmp_path / "d09.html")).stdout.strip()
    assert first.startswith("000.3/1/") or first.split("/")[1] == "1"
    assert (tmp_path / "d09.html").read_text().count(first) >= 1
    assert CliRunner().invoke(cli, ["report", "-o", str(tmp_path / "none" / "r.html")]).exit_code == 2


def test_control_characters_symlinks_and_formulas_do_not_escape(run, tmp_path):
    refused = run("case", "open", "--title", "Sister city\x1b[2J", "--partner", "Hildesheim", "--country", "de",
                  "--partner-type", "city", "--field", "culture", "--on", "2013-01-07", ok=False)
    assert refused.exit_code == 1 and "--title holds a control or text-direction character" in refused.output
    ref = open_case(run)
    carry(run, ref, [event for event, _state in HAPPY_PATH[:4]])  # an LoI: on the register and the public site
    site = tmp_path / "site"
    site.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("keep")
    (site / f"{ref}.html").symlink_to(secret)
    planted = run("publish", str(site), ok=False)
    assert planted.exit_code == 1 and secret.read_text() == "keep"
    run("case", "advance", ref, "partner_council_approved", "--note", "=cmd|' /C calc'!A0", "--on", "2014-02-01")
    from workflow.agreements.listing import as_csv
    assert as_csv([{"ref": ref, "title": "=1+2"}]).splitlines()[1] == f"{ref},'=1+2"


def test_preview_shows_the_region_of_the_database_and_says_so(kerjasama, db_url, tmp_path):
    real = kerjasama("letter", "preview", "d09_dprd_request.html", "--format", "txt")
    assert real.exit_code == 0, real.output
    assert real.stderr.splitlines() == [
        "Preview: the region of the database, Kota Surabaya, with the config's letter settings, and the sample case "
        "with Hildesheim. Not set in the config: [letters] head_name."]
    assert "WALI KOTA SURABAYA" in real.stdout and "Padang" not in real.stdout and "Fadly" not in real.stdout

    fresh, drop = make_url("postgresql" if db_url.startswith("postgresql") else "sqlite", tmp_path)  # no init
    sample = CliRunner().invoke(cli, ["--db", fresh, "--config", os.devnull, "letter", "preview",
                                      "d09_dprd_request.html", "--format", "txt"])
    drop()
    assert sample.exit_code == 0, sample.output
    assert sample.stderr.splitlines() == [
        "Preview: the sample region Kota Padang (the database has none) and the sample case with Hildesheim."]
    assert "WALI KOTA PADANG" in sample.stdout and "Fadly Amran, B.B.A." in sample.stdout
    assert not fresh.startswith("sqlite") or not os.path.exists(fresh.removeprefix("sqlite:///"))  # none created


def test_lint_refuses_a_wrong_header_and_reports_a_filter_misuse_as_file_and_line(run, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "wrong.html").write_text('{#\ndocument = "X"\nsigner = "kabag"\nstages = ["in_forc"]\n#}\n<p>x</p>\n')
    (folder / "misuse.html").write_text('{#\ndocument = "Y"\n#}\n<p>\n{{ 5 | tanggal }}</p>\n')
    result = run("letter", "lint", str(folder), ok=False)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if str(folder) in line]
    assert lines[0] == f"{folder / 'misuse.html'}:5: tanggal prints a date; it was given 5 (int) (with the sample " \
                       "case in in_force)"
    assert lines[1] == f"{folder / 'wrong.html'}:3: signer = 'kabag' is not allowed; use one of head, sekda, " \
                       "bureau_head"
    assert lines[2].startswith(f"{folder / 'wrong.html'}:4: stages: 'in_forc' is not allowed; use one of ")
    assert len(lines) == 3


def test_a_missing_emblem_is_one_warning_when_the_letter_is_made(run, tmp_path):
    (tmp_path / "config.toml").write_text(LETTERS + f'emblem_national = "{tmp_path / "garuda.png"}"\n')
    ref = open_case(run)
    carry(run, ref, [event for event, _state in HAPPY_PATH[:5]])
    drafted = run("letter", "render", ref, "d09_dprd_request.html", "--on", "2014-01-06", "-o",
                  str(tmp_path / "d09.html"))
    assert drafted.stderr.splitlines()[0] == (
        f"Warning: the image {tmp_path / 'garuda.png'} ([letters] emblem_national) does not exist; the letter shows "
        "no image there.")
    issued = run("letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-06")
    assert issued.stderr.count("does not exist") == 1
    checked = run("config", "check", ok=False)
    assert checked.exit_code == 1 and "[letters] emblem_national: the image" in checked.stdout
