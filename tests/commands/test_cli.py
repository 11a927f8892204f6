"""The root group: help for every command, the language, and every failure one line without a traceback (a NUL
in an argument, an unreachable database, a broken config file); random input and processes killed at random moments
leave nothing half-written."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from cli import cli
from db.models import Case, Delivery, Event, Letter, Reminder
from tests.conftest import THOROUGH, close_bureau, make_bureau
from tests.helpers import case_in, error_line, events_of, get_case
from workflow.audit import verify
from workflow.config import Config
from workflow.i18n import set_language
from workflow.reminders import LogChannel, sweep

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("args", [["import", "\x00"], ["case", "show", "KS\x00"],
                                  ["--config", "a\x00b", "case", "list"]])
def test_a_nul_character_in_an_argument_is_one_line(tmp_path, args):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), *args])
    assert result.exit_code == 2 and error_line(result) == "Error: an argument contains a NUL character."


def test_an_unreachable_database_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--db", "postgresql://kerjasama@127.0.0.1:1/none", "case", "list"])
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("Error: Cannot use the database postgresql+psycopg://kerjasama@127.0.0.1:1/none")
    assert "Traceback" not in result.output


def test_a_password_is_never_printed():
    result = CliRunner().invoke(cli, ["--db", "postgresql://u:s3cret@127.0.0.1:1/none", "case", "list"])
    assert result.exit_code == 1 and "s3cret" not in result.output and "***" in result.output


def test_before_init_the_officer_is_told_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "new.db"), "case", "list"])
    assert result.exit_code == 1
    assert error_line(result) == "Error: This database has no region yet; run kerjasama init first."


def test_a_broken_config_file_is_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[calendar\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "--config", str(config), "case", "list"])
    assert result.exit_code == 1 and error_line(result).startswith("Error: Cannot read the config file")


def _commands(group: click.Group, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):  # the root group loads its commands lazily
        command = group.get_command(context, name)
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_is_listed():
    assert len(list(_commands(cli))) == 77


@pytest.mark.parametrize("path,command", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple)
                         else "")
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip()
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_an_officer_with_an_indonesian_locale_reads_indonesian(tmp_path):
    runner = CliRunner(env={"KERJASAMA_LANG": None, "LANG": "id_ID.UTF-8"})
    try:
        help_text = runner.invoke(cli, ["--help"]).output
        assert "Bahasa" in help_text or "kasus" in help_text.lower()
        db = str(tmp_path / "k.db")
        refused = runner.invoke(cli, ["--db", db, "case", "list"])
        assert refused.exit_code == 1 and "kerjasama init" in refused.stderr and "This database" not in refused.stderr
        english = runner.invoke(cli, ["--lang", "en", "--db", db, "case", "list"])
        assert "This database has no region yet" in english.stderr
    finally:
        set_language("en", chosen=True)


WORDS = st.one_of(
    st.sampled_from(["KS-2013-0001", "KS-2013-0002", "ks-2013-0001", "KS-9999-9999", "", " ", "--", "-x",
                     "2013-02-30", "2013-13-01", "0000-00-00", "9999-12-31", "2014-01-06", "yesterday", "1e308",
                     "-1", "99999999999999999999999", "dprd_approved", "exploration_started", "agreement_signed",
                     "term_years=5", "term_years=-3", "term_years=abc", "=", "a=b=c", "DE", "IL", "city",
                     "☃", "Kabupaten Bandung\u0000", "'; DROP TABLE cases; --", "{{ 7*7 }}", "x" * 5000,
                     "2014", "2014-03", "0000", "--on", "--also-dated", "2001-05 (city site)", "1997 ()", "(x)",
                     "--record-past", "--revives", "expires=2030-01-01", "partner_signed=1989-07-21",
                     "fields=culture;x", "end_kind=superseded", "late_loi_signed", "agreement_renewed"]),
    st.text(max_size=30),
)


COMMANDS = st.sampled_from([
    ["case", "show"], ["case", "advance"], ["case", "history"], ["case", "open", "--title"],
    ["case", "list", "--state"],
    ["deadlines", "--within"], ["deadlines", "--on"], ["remind", "--now"], ["action", "add"], ["action", "update"],
    ["evaluate"], ["letter", "issue"], ["letter", "render"], ["register", "--status"], ["case", "revive"],
    ["import"], ["procedure", "--format"], ["init", "--level"], ["case", "open", "--record-past", "--on"],
    ["case", "advance", "KS-2013-0001", "agreement_signed", "--set"], ["case", "open", "--also-dated"],
])


def counts(bureau) -> tuple[int, int, int]:
    with bureau.db.engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(table.__table__)).scalar()
                     for table in (Case, Event, Letter))


def test_the_cli_survives_random_input():
    folder = Path(tempfile.mkdtemp())
    url = f"sqlite:///{folder / 'fuzz.db'}"
    bureau = make_bureau(url)
    case_in(bureau, "plan_drafting")
    runner = CliRunner()

    @settings(max_examples=4000 if THOROUGH else 150, deadline=None,
              derandomize=not THOROUGH,  # the same examples in every CI run
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(command=COMMANDS, words=st.lists(WORDS, max_size=5), flags=st.lists(
        st.sampled_from(["--on", "--note", "--set", "--json", "--as", "--doc-number", "--lang"]), max_size=3))
    def run(command, words, flags):
        before = counts(bureau)
        args = ["--db", url, "--config", os.devnull, *command, *words]
        for flag, word in zip(flags, words or [""] * len(flags)):
            args += [flag, word]
        result = runner.invoke(cli, args)
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-300:])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{args}: {type(result.exception).__name__}: {result.exception}")
        if result.exit_code != 0:
            assert counts(bureau) == before, args  # a refused command writes nothing

    try:
        run()
    finally:
        close_bureau(bureau)


LETTERS = '''[letters]
head_name = "Fadly Amran, B.B.A."
city = "Padang"
'''


def killed(args: list[str], delay: float) -> None:
    process = subprocess.Popen([sys.executable, "-c", "from cli import cli; cli()", *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_killed_officers_and_sweeps_leave_no_partial_write_no_gap_and_no_lost_reminder(db_url, tmp_path):
    bureau = make_bureau(db_url)
    config_path = tmp_path / "config.toml"
    config_path.write_text(LETTERS + f'[reminders]\nchannels = ["log"]\nlog_file = "{tmp_path / "log.jsonl"}"\n')
    try:
        refs = [case_in(bureau, "plan_drafting") for _ in range(3)]
        chance = random.Random(20261123)
        for n in range(12):
            ref = refs[n % 3]
            base = ["--db", db_url, "--config", str(config_path), "--lang", "en"]
            work = [["letter", "issue", ref, "d09_dprd_request.html", "--on", "2014-01-06"],
                    ["case", "advance", ref, "case_suspended", "--note", "election", "--on", "2014-01-06"],
                    ["case", "advance", ref, "case_resumed", "--on", "2014-01-06"],
                    ["remind", "--now", "2014-12-01"]][n % 4]
            killed(base + work, chance.uniform(0.3, 1.6))  # from start-up to the middle of the transaction
        for ref in refs:  # state agrees with the last event; the seals verify
            assert get_case(bureau, ref).state == events_of(bureau, ref)[-1].to_state
        assert verify(bureau)["broken"] == []
        with bureau.db.engine.connect() as conn:
            sequences = sorted(conn.execute(select(Letter.sequence)).scalars())
            assert sequences == list(range(1, len(sequences) + 1))  # no number gap
            orphans = conn.execute(select(func.count()).select_from(Reminder.__table__)
                                   .where(~Reminder.id.in_(select(Delivery.reminder_id)))).scalar()
            assert orphans == 0  # a reminder is recorded with its deliveries or not at all
        config = Config(channels=("log",), log_file=tmp_path / "after.jsonl")
        later = datetime(2014, 12, 1, 9, 0, tzinfo=timezone.utc)  # past any claim of a killed sweep
        sweep(bureau, config, later, {"log": LogChannel(config.log_file)})
        with bureau.db.engine.connect() as conn:
            waiting = conn.execute(select(func.count()).select_from(Delivery.__table__)
                                   .where(Delivery.status != "sent")).scalar()
        assert waiting == 0  # every recorded reminder was delivered in the end
    finally:
        close_bureau(bureau)


def test_h_is_help_and_a_named_config_must_exist(tmp_path):
    assert "Usage:" in CliRunner().invoke(cli, ["case", "-h"]).output
    missing = tmp_path / "konfig.toml"  # a typo for config.toml
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "k.db"), "--config", str(missing), "case", "list"])
    assert result.exit_code == 2 and f"{missing} does not exist" in result.output
    assert not (tmp_path / "k.db").exists()


def test_every_read_command_prints_the_json_envelope(run, tmp_path):
    """Each read command, and the checks, print one JSON document in the one envelope under --json."""
    ref = run("case", "open", "--title", "Sister city", "--partner", "Hildesheim", "--country", "DE",
              "--partner-type", "city", "--field", "culture", "--on", "2023-01-16").stdout.strip()
    for command, extra in (("case show", [ref]), ("case list", []), ("case history", [ref]), ("case owners", []),
                           ("cari", ["hil"]), ("deadlines", []), ("board", []), ("register", []),
                           ("action list", [ref]), ("procedure", []), ("audit verify", []), ("audit anchor", []),
                           ("letter templates", []), ("letter list", []), ("letter lint", []),
                           ("letter vars", ["d09_dprd_request.html"]), ("config check", [str(tmp_path / "c.toml")])):
        document = json.loads(run(*command.split(), *extra, "--json").stdout)
        assert (document["format"], document["command"], document["ok"]) == (1, command, True)
        assert "data" in document


def test_a_refusal_under_json_is_the_envelope_with_the_error(run):
    result = run("case", "show", "KS-2099-0001", "--json", ok=False)
    document = json.loads(result.stdout)
    assert result.exit_code == 1 and document["ok"] is False and document["command"] == "case show"
    assert document["error"] == {"message": "No case KS-2099-0001; kerjasama case list shows the cases.",
                                 "exit_code": 1}
    usage = run("case", "open", "--title", "x", "--json", ok=False)
    assert usage.exit_code == 2 and json.loads(usage.stdout)["error"]["exit_code"] == 2
