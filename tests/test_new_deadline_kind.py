"""A deadline kind is one row of the procedure table: adding the row gives the deadline, its reminders and what an
imported agreement gets, with no other change."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from tests.helpers import case_in, events_of, open_deadline
from workflow.agreements import import_agreements
from workflow.config import Config
from workflow.procedure import DEADLINE_RULE_BY_KIND, IN_FORCE, DeadlineRule, ReminderSteps, check_table
from workflow.reminders import LogChannel, sweep

VISIT_REPORT = DeadlineRule(
    "partner_visit_report", "Report on the partner's first visit", 4, "months", owners=IN_FORCE,
    opened_by=("agreement_signed",), met_by=("annual_report_sent",), basis="[TEAM] a new kind",
    next_event="annual_report_sent", reminders=ReminderSteps(before=("1m",)),
    imported_in=("in_force",), imported_from=("mou_signed",))


def test_one_row_gives_the_deadline_its_reminders_and_its_import(bureau, tmp_path, monkeypatch):
    monkeypatch.setitem(DEADLINE_RULE_BY_KIND, VISIT_REPORT.kind, VISIT_REPORT)
    assert check_table() == []

    ref = case_in(bureau, "in_force")
    signed = next(e.occurred_on for e in events_of(bureau, ref) if e.name == "agreement_signed")
    deadline = open_deadline(bureau, ref, "partner_visit_report")
    assert (deadline.starts_on, deadline.due) == (signed, signed + relativedelta(months=4))

    config = Config(channels=("log",), log_file=tmp_path / "reminders.jsonl")
    month_before = deadline.due - relativedelta(months=1)
    now = datetime.combine(month_before, datetime.min.time(), ZoneInfo("Asia/Jakarta")).replace(hour=8)
    report = sweep(bureau, config, now, {"log": LogChannel(config.log_file)})
    assert [(r["step"], r["subject"].split("]")[0]) for r in report.recorded if r["kind"] == "partner_visit_report"] \
        == [("before:1m", f"[{ref}")]

    listing = tmp_path / "agreements.csv"
    listing.write_text("title,partner,country,partner_type,fields,mou_signed,term_years,status\n"
                       "Sister city - Hildesheim,Hildesheim,DE,city,culture,2025-03-10,5,active\n")
    [imported] = import_agreements(bureau, listing, actor="siti")["cases"]
    kept = open_deadline(bureau, imported["ref"], "partner_visit_report")
    assert (kept.starts_on, kept.due) == (date(2025, 3, 10), date(2025, 7, 10))


def test_a_row_without_reminder_steps_is_refused_by_the_table_check(monkeypatch):
    silent = DeadlineRule("silent", "no reminders", 1, "months", owners=IN_FORCE, opened_by=("agreement_signed",))
    monkeypatch.setitem(DEADLINE_RULE_BY_KIND, silent.kind, silent)
    assert check_table() == ["silent: no reminder steps"]
