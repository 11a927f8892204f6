"""Duties an agreement's clauses set: recorded with their cadence, reminded like the procedure's deadlines, and due
again a cadence after the due date each one met."""
from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from dateutil.relativedelta import relativedelta

from cli import cli
from tests.helpers import (advance, at, deadlines_of, events_of, last_event, log_config, open_deadline, open_test_case,
                           path_to, run)
from workflow.config import Config
from workflow.errors import InvalidInput
from workflow.letters import BUILTIN_DIR, issue, lint, sample_config, void
from workflow.obligations import add_obligation, cadences, meet_obligation, take_up_obligations
from workflow.steps import advance as record_step

LETTERS = sample_config(Config())


def case_in(bureau, state: str) -> str:
    """A case carried to ``state`` whose agreement has no end date (the reminder job lets it run)."""
    ref = open_test_case(bureau)
    for event in path_to(state):
        advance(bureau, ref, event, **({"data": {"term_years": 0}} if event == "agreement_signed" else {}))
    return ref


def test_a_yearly_meeting_falls_due_again_a_year_after_the_due_date_it_met(bureau):
    ref = case_in(bureau, "in_force")
    add_obligation(bureau, ref, "jwg_meeting", every_months=12, first_due=date(2026, 5, 8), actor="tester",
                   on=date(2026, 1, 5), note="MoU Pasal 6 ayat (3)")
    assert open_deadline(bureau, ref, "jwg_meeting").due == date(2026, 5, 8)
    meet_obligation(bureau, ref, "jwg_meeting", actor="tester", on=date(2026, 6, 2), doc_number="12/JWG/2026")
    assert open_deadline(bureau, ref, "jwg_meeting").due == date(2027, 5, 8)  # late, yet the cycle keeps its day
    met = [d for d in deadlines_of(bureau, ref) if d.kind == "jwg_meeting" and d.status == "met"]
    assert [d.due for d in met] == [date(2026, 5, 8)]
    assert cadences(bureau, ref) == {"jwg_meeting": 12}


def test_each_duty_has_its_own_cycle_and_a_new_cadence_replaces_the_old(bureau):
    ref = case_in(bureau, "in_force")
    add_obligation(bureau, ref, "joint_report", every_months=6, first_due=date(2026, 6, 30), actor="tester",
                   on=date(2026, 1, 5))
    add_obligation(bureau, ref, "poa_review", every_months=12, first_due=date(2026, 12, 31), actor="tester",
                   on=date(2026, 1, 5))
    meet_obligation(bureau, ref, "joint_report", actor="tester", on=date(2026, 6, 20))
    assert open_deadline(bureau, ref, "joint_report").due == date(2026, 12, 30)
    assert open_deadline(bureau, ref, "poa_review").due == date(2026, 12, 31)  # untouched by the report
    add_obligation(bureau, ref, "joint_report", every_months=12, first_due=date(2027, 1, 31), actor="tester",
                   on=date(2026, 7, 1))
    assert open_deadline(bureau, ref, "joint_report").due == date(2027, 1, 31)
    assert cadences(bureau, ref) == {"joint_report": 12, "poa_review": 12}


def test_a_duty_not_on_record_cannot_be_met(bureau):
    ref = case_in(bureau, "in_force")
    with pytest.raises(InvalidInput) as refused:
        meet_obligation(bureau, ref, "poa_review", actor="tester", on=date(2026, 1, 5))
    assert "has no poa_review on record" in str(refused.value)


def test_the_reminder_job_reminds_of_a_duty_on_its_days(bureau, tmp_path):
    config = log_config(tmp_path)
    ref = case_in(bureau, "in_force")
    add_obligation(bureau, ref, "jwg_meeting", every_months=12, first_due=date(2026, 5, 8), actor="tester",
                   on=date(2026, 1, 5))

    def reminded(day: str) -> list[tuple[str, str]]:
        return [(r["kind"], r["step"]) for r in run(bureau, config, at(day)).recorded if r["kind"] == "jwg_meeting"]

    assert reminded("2026-04-07") == []
    assert reminded("2026-04-08") == [("jwg_meeting", "before:1m")]
    assert reminded("2026-05-01") == [("jwg_meeting", "before:7d")]
    assert reminded("2026-05-08") == [("jwg_meeting", "due")]
    meet_obligation(bureau, ref, "jwg_meeting", actor="tester", on=date(2026, 5, 9))
    assert reminded("2026-05-22") == []  # met: nothing overdue


def test_the_commands_take_indonesian_names(bureau, db_url):
    ref = case_in(bureau, "in_force")

    def kerjasama(*args):
        return CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, *args])

    added = kerjasama("obligation", "add", ref, "pertemuan_kelompok_kerja", "--every", "12", "--first-due",
                      "8 Mei 2026", "--on", "2026-01-05", "--json")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["data"]["opened"] == [{"kind": "jwg_meeting", "due": "2026-05-08"}]
    met = kerjasama("obligation", "met", ref, "jwg", "--on", "2026-05-20", "--doc-number", "12/JWG/2026")
    assert met.exit_code == 0 and "jwg_meeting_held" in met.stdout
    refused = kerjasama("obligation", "met", ref, "laporan_bersama", "--on", "2026-05-20")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1


def test_a_duty_begins_on_the_signing_day_unless_told_and_cannot_be_met_before_it(bureau):
    ref = case_in(bureau, "in_force")
    signed = next(e.occurred_on for e in events_of(bureau, ref) if e.name == "agreement_signed")
    add_obligation(bureau, ref, "jwg_meeting", every_months=12, first_due=date(2015, 6, 1), actor="tester")
    assert events_of(bureau, ref)[-1].occurred_on == signed  # typed in today, placed on the day the text set it
    meet_obligation(bureau, ref, "jwg_meeting", actor="tester", on=date(2015, 6, 3))  # a meeting of the past
    assert open_deadline(bureau, ref, "jwg_meeting").due == date(2016, 6, 1)
    with pytest.raises(InvalidInput) as refused:
        meet_obligation(bureau, ref, "jwg_meeting", actor="tester", on=signed.replace(year=signed.year - 1))
    assert "on record from" in str(refused.value)


def mou_ready_to_sign(bureau, **options) -> tuple[str, str]:
    """A case ready to sign whose MoU text (D13) has been issued with ``options``; its ref and the letter's number."""
    ref = case_in(bureau, "ready_to_sign")
    on = last_event(bureau, ref).occurred_on + timedelta(days=1)
    return ref, issue(bureau, LETTERS, ref, "d13_mou.html", actor="tester", on=on, options=options).number


def sign(bureau, ref: str, on: date):
    return record_step(bureau, ref, "agreement_signed", actor="tester", on=on, data={"term_years": "5"})


def test_signing_the_mou_text_takes_up_its_yearly_joint_working_group_meeting(bureau):
    ref, number = mou_ready_to_sign(bureau)  # the text's Joint Working Group "meets at least once a year"
    signed_on = last_event(bureau, ref).occurred_on + timedelta(days=3)
    outcome = sign(bureau, ref, signed_on)
    due = signed_on + relativedelta(months=12)
    assert {(d.kind, d.due) for d in outcome.opened} >= {("jwg_meeting", due)}
    assert open_deadline(bureau, ref, "jwg_meeting").due == due
    taken = events_of(bureau, ref)[-1]
    assert (taken.name, taken.occurred_on, taken.data["every_months"]) == ("jwg_meeting_set", signed_on, 12)
    assert number in taken.note
    assert cadences(bureau, ref) == {"jwg_meeting": 12}


def test_a_text_without_the_clause_or_a_void_text_sets_no_duty(bureau):
    without, _number = mou_ready_to_sign(bureau, joint_working_group="no")
    sign(bureau, without, last_event(bureau, without).occurred_on + timedelta(days=3))
    assert cadences(bureau, without) == {} and open_deadline(bureau, without, "jwg_meeting") is None

    voided, number = mou_ready_to_sign(bureau)
    void(bureau, number, None, actor="tester", note="Issued with the wrong partner signatory",
         on=last_event(bureau, voided).occurred_on)
    sign(bureau, voided, last_event(bureau, voided).occurred_on + timedelta(days=3))
    assert cadences(bureau, voided) == {}


def test_a_duty_already_on_record_is_not_taken_up_twice(bureau):
    ref, _number = mou_ready_to_sign(bureau)
    sign(bureau, ref, last_event(bureau, ref).occurred_on + timedelta(days=3))
    assert take_up_obligations(bureau, ref, actor="tester") == []
    assert [e.name for e in events_of(bureau, ref)].count("jwg_meeting_set") == 1


def test_a_duty_added_without_a_first_due_date_is_due_a_cadence_after_it_began(bureau):
    ref = case_in(bureau, "in_force")
    add_obligation(bureau, ref, "joint_report", every_months=6, actor="tester", on=date(2026, 1, 5))
    assert open_deadline(bureau, ref, "joint_report").due == date(2026, 7, 5)


def test_case_advance_lists_the_duty_the_signing_took_up(bureau, db_url):
    ref, _number = mou_ready_to_sign(bureau)
    signed_on = last_event(bureau, ref).occurred_on + timedelta(days=3)
    signed = CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, "case", "advance", ref,
                                      "naskah_ditandatangani", "--on", signed_on.isoformat(), "--set", "term_years=5",
                                      "--json"])
    assert signed.exit_code == 0, signed.output
    opened = json.loads(signed.stdout)["data"]["opened"]
    assert {"kind": "jwg_meeting", "due": (signed_on + relativedelta(months=12)).isoformat()} in opened


def test_a_template_listing_a_duty_that_is_not_one_is_refused_with_its_line(tmp_path):
    source = (BUILTIN_DIR / "d13_mou.html").read_text(encoding="utf-8")
    (tmp_path / "d13_mou.html").write_text(source.replace("'jwg_meeting 12'", "'jwg_meetings yearly'"),
                                           encoding="utf-8")
    problems = lint(LETTERS, tmp_path)
    assert any("d13_mou.html" in p and "jwg_meetings yearly" in p and "KIND MONTHS" in p for p in problems), problems
