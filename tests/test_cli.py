"""The CLI as an officer uses it: a case carried through every stage, JSON output, and bad input."""
from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from cli import cli
from tests.helpers import HAPPY_PATH, SAMPLE_DATA
from workflow.procedure import EVENT_BY_NAME


@pytest.fixture
def run(db_url, tmp_path):
    """Invoke kerjasama on the test database; returns the click Result."""
    runner = CliRunner()
    config = tmp_path / "config.toml"

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db_url, "--config", str(config), *args], catch_exceptions=not ok)
        if ok:
            assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result

    invoke("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    return invoke


def open_case(run, *extra) -> str:
    result = run("case", "open", "--title", "Sister city Padang - Hildesheim", "--partner", "Hildesheim",
                 "--country", "de", "--partner-type", "city", "--field", "culture", "--field", "education",
                 "--on", "2013-01-07", *extra)
    return result.stdout.strip()


def args_for(event: str) -> list[str]:
    spec = EVENT_BY_NAME[event]
    args = [f"--set={k}={v}" for k, v in SAMPLE_DATA.get(event, {}).items()]
    if spec.needs_note:
        args += ["--note", f"note for {event}"]
    if spec.needs_doc_number:
        args += ["--doc-number", f"B-{event}/2014"]
    return args


def carry(run, ref: str, events: list[str], start_day: int = 1) -> None:
    for n, event in enumerate(events):
        on = f"2014-{1 + n // 28:02d}-{1 + n % 28:02d}"
        if event == "activity_planned":
            run("action", "add", ref, "--title", "Teacher exchange", "--lead-opd", "Dinas Pendidikan", "--field",
                "education", "--layer", "multidimensional", "--year", "2015", "--cost", "350000000", "--source",
                "apbd_opd", "--output", "10 teachers", "--indicator", "teachers exchanged", "--on", on, "--as", "siti")
        else:
            run("case", "advance", ref, event, "--on", on, "--as", "siti", *args_for(event))


def error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_case_goes_from_opening_to_evaluation(run):
    ref = open_case(run)
    assert ref == "KS-2013-0001"
    carry(run, ref, [event for event, _ in HAPPY_PATH])
    shown = json.loads(run("case", "show", ref, "--json").stdout)
    assert (shown["ref"], shown["stage"], shown["state"]) == (ref, "evaluation", "in_force")
    assert {d["kind"] for d in shown["deadlines"]} >= {"agreement_expiry", "extension_review", "annual_report"}
    assert all({"kind", "due", "status"} <= set(d) for d in shown["deadlines"])
    assert "evaluation_recorded" in [e["event"] for e in shown["allowed_events"]]
    history = json.loads(run("case", "history", ref, "--json").stdout)
    assert [e["event"] for e in history["events"]] == ["case_opened"] + [e for e, _ in HAPPY_PATH]
    assert {e["actor"] for e in history["events"][1:]} == {"siti"}
    text = run("case", "show", ref).stdout
    assert "Stage:    evaluation" in text and "agreement_expiry" in text


@pytest.mark.parametrize("detour,final", [
    (["dprd_returned", "dprd_request_received", "dprd_rejected"], "rejected"),
    (["case_suspended", "case_resumed", "case_withdrawn"], "withdrawn"),
    (["eligibility_failed"], "rejected"),
])
def test_return_reject_withdraw_and_suspend_paths(run, detour, final):
    ref = open_case(run)
    to_review = [e for e, _ in HAPPY_PATH[:HAPPY_PATH.index(("dprd_request_received", "dprd_review")) + 1]]
    carry(run, ref, to_review + detour)
    shown = json.loads(run("case", "show", ref, "--json").stdout)
    assert (shown["state"], shown["stage"], shown["allowed_events"]) == (final, "closed", [])


def test_lists_and_deadlines(run):
    ref = open_case(run)
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # up to the DPRD
    cases = json.loads(run("case", "list", "--stage", "council_approval", "--json").stdout)
    assert [(c["ref"], c["state"]) for c in cases] == [(ref, "dprd_review")]
    assert json.loads(run("case", "list", "--state", "initiated", "--json").stdout) == []
    report = json.loads(run("deadlines", "--on", "2014-01-10", "--json").stdout)
    dprd = next(d for d in report["deadlines"] if d["kind"] == "dprd_decision")
    assert (dprd["ref"], dprd["day_unit"], dprd["status"]) == (ref, "working", "open")
    overdue = json.loads(run("deadlines", "--overdue", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" in [d["kind"] for d in overdue["deadlines"]]
    soon = json.loads(run("deadlines", "--within", "90", "--on", "2014-01-10", "--json").stdout)
    assert [d["kind"] for d in soon["deadlines"]] == ["dprd_decision"]  # not the LoI's, years away
    late = json.loads(run("deadlines", "--within", "60", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" not in [d["kind"] for d in late["deadlines"]]  # overdue by then, not "within"
    both = json.loads(run("deadlines", "--within", "60", "--overdue", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" in [d["kind"] for d in both["deadlines"]]


def test_init_is_idempotent(run):
    again = run("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    assert "nothing changed" in again.stdout
    changed = run("init", "--council-silence", "escalate", "--json")
    assert json.loads(changed.stdout)["changed"] == ["council_silence"]


@pytest.mark.parametrize("args,message", [
    (["case", "show", "KS-2099-0001"], "Error: No case KS-2099-0001; kerjasama case list shows the cases."),
    (["case", "advance", "{ref}", "teleport", "--on", "2013-02-01"],
     "Error: Unknown event teleport; kerjasama procedure lists the events."),
    (["case", "advance", "{ref}", "agreement_signed", "--on", "2013-02-01"],
     ("Error: agreement_signed is not allowed for KS-2013-0001 in state initiated; allowed now: exploration_started, "
      "eligibility_failed, case_withdrawn, case_suspended, partner_ineligible.")),
    (["case", "advance", "{ref}", "exploration_started", "--on", "2099-01-01"], "is in the future"),
    (["case", "advance", "{ref}", "exploration_started", "--on", "2012-01-01"],
     "Error: --on 2012-01-01 is before case KS-2013-0001 was opened (2013-01-07)."),
    (["case", "open", "--title", "x", "--partner", "Haifa", "--country", "IL", "--partner-type", "city",
      "--field", "culture", "--on", "2013-01-07"], "Pasal 27 ayat (1) huruf a"),
    (["case", "list", "--stage", "heaven"], "Error: Unknown stage heaven; stages: initiation, mofa_mediation"),
])
def test_refusals_are_one_line_with_exit_code_1_and_write_nothing(run, args, message):
    ref = open_case(run)
    before = run("case", "history", ref, "--json").stdout
    result = run(*[a.replace("{ref}", ref) for a in args], ok=False)
    assert result.exit_code == 1
    assert error_line(result).startswith("Error: ") and message in error_line(result)
    assert result.stdout == ""
    assert run("case", "history", ref, "--json").stdout == before
    assert len(json.loads(run("case", "list", "--json").stdout)) == 1


@pytest.mark.parametrize("args,message", [
    (["case", "advance", "KS-2013-0001", "exploration_started", "--on", "2013-13-01"], "'--on'"),
    (["case", "advance", "KS-2013-0001", "agreement_signed", "--set", "term_years"], "KEY=VALUE"),
    (["case", "open", "--title", "x"], "Missing option"),
])
def test_usage_errors_exit_2(run, args, message):
    result = run(*args, ok=False)
    assert result.exit_code == 2 and message in result.stderr


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


def test_procedure_listing_diagram_countries_and_fields():
    runner = CliRunner()
    assert "dprd_decision" in runner.invoke(cli, ["procedure"]).stdout
    assert runner.invoke(cli, ["procedure", "--format", "mermaid"]).stdout.startswith("stateDiagram-v2")
    table = json.loads(runner.invoke(cli, ["procedure", "--format", "json"]).stdout)
    assert {"stages", "states", "events", "deadlines"} <= set(table)
    assert "Israel" in runner.invoke(cli, ["procedure", "--countries"]).stdout
    assert json.loads(runner.invoke(cli, ["procedure", "--json"]).stdout)["events"][0]["event"] == "case_opened"
    assert "EXCLUDED" in runner.invoke(cli, ["procedure", "--fields"]).stdout


def _commands(group: click.Group, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):  # the root group loads its commands lazily
        command = group.get_command(context, name)
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_is_listed():
    assert len(list(_commands(cli))) == 37


@pytest.mark.parametrize("path,command", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple)
                         else "")
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip()
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_remind_from_the_cli(run, tmp_path):
    ref = open_case(run)
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # DPRD received 2014-01-06
    dry = run("remind", "--now", "2014-02-27", "--dry-run")
    assert f"would remind: {ref} dprd_decision before:10wd" in dry.stdout
    report = json.loads(run("remind", "--now", "2014-02-27", "--json").stdout)
    assert [r["step"] for r in report["recorded"]] == ["before:10wd"] and report["pending"] == 0
    text = run("remind", "--now", "2014-03-20")
    assert f"[{ref}] DPRD decision on the cooperation plan" in text.stdout
    assert "Next: kerjasama case advance" in text.stdout and "Sweep at 2014-03-20T00:00+07:00" in text.stderr
    calendar = run("deadlines", "--ics").stdout
    assert calendar.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{ref}: " in calendar
    assert json.loads(run("deadlines", "recompute", "--json").stdout) == {"applied": False, "moves": []}


def test_a_bad_now_is_one_line(run):
    result = run("remind", "--now", "yesterday", ok=False)
    assert result.exit_code == 1 and "--now yesterday is not a date or time" in error_line(result)
