"""The reminder sweep: steps, timers, the outbox and its channels, on SQLite and PostgreSQL."""
from __future__ import annotations

import importlib
import socket
from contextlib import contextmanager
from datetime import date

import pytest

from aiosmtpd.controller import Controller
from sqlalchemy import event
from sqlmodel import select

from db.models import Deadline, Delivery, Reminder
from tests.helpers import (advance, at, case_in, count, dprd_case, events_of, get_case, log_config, logged,
                           open_deadline, run)
from workflow.config import Config, Contacts, Smtp
from workflow.errors import InvalidInput
from workflow.reminders import EmailChannel, steps_between, sweep
from workflow.region import init_region
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar


def test_steps_of_the_dprd_window():
    steps = steps_between("dprd_decision", date(2024, 6, 26), date(2024, 4, 5), date(2024, 7, 10),
                          WorkingCalendar(), Config())
    assert [(s.key, s.on) for s in steps] == [
        ("before:10wd", date(2024, 6, 10)),  # counted back over Idul Adha (17-18 June)
        ("before:3wd", date(2024, 6, 21)),
        ("due", date(2024, 6, 26)),
        ("overdue:1", date(2024, 7, 3)),
        ("overdue:2", date(2024, 7, 10)),
    ]
    assert all(s.escalated for s in steps if s.key.startswith("overdue"))


def test_deemed_approval_on_the_first_working_day_after_the_window(bureau, tmp_path):
    config = log_config(tmp_path)
    ref = dprd_case(bureau)  # Friday before Idul Fitri 2024: due 26 June, deemed on Thursday 27 June
    run(bureau, config, at("2024-06-26", "23:59"))
    assert get_case(bureau, ref).state == "dprd_review"
    report = run(bureau, config, at("2024-06-27"))
    assert [(t["ref"], t["result"], t["event"]) for t in report.timers] == [(ref, "applied", "dprd_deemed_approved")]
    event = events_of(bureau, ref)[-1]
    assert (event.name, event.actor, event.occurred_on) == ("dprd_deemed_approved", "scheduler", date(2024, 6, 27))
    assert event.data["timer"] | {"deadline_id": 0} == {
        "deadline_id": 0, "deadline": "dprd_decision", "started_on": "2024-04-05", "due": "2024-06-26",
        "rule": "45 working_days", "basis": event.data["timer"]["basis"], "policy": "council_silence=deemed_approval"}
    assert "45 working_days from 2024-04-05, was due 2024-06-26" in event.note
    assert get_case(bureau, ref).state == "kemendagri_verification"
    assert "timer" in [line["step"] for line in logged(config)]


def test_an_escalating_region_is_escalated_not_approved(bureau, tmp_path):
    init_region(bureau, council_silence="escalate")
    config = log_config(tmp_path)
    ref = dprd_case(bureau)
    run(bureau, config, at("2024-07-03"))
    assert get_case(bureau, ref).state == "dprd_review"
    assert [e.name for e in events_of(bureau, ref)].count("dprd_deadline_lapsed") == 1
    steps = [line["step"] for line in logged(config)]
    assert steps == ["overdue:1"]  # one message for the deadline: the timer's notice, which stood for the reminder
    assert "stands for 1 earlier one(s) of this deadline not sent" in logged(config)[0]["body"]  # of the due date,
    assert "applied by the reminder job: dprd_deadline_lapsed" in logged(config)[0]["body"]  # is named in it
    assert "head_of_bureau" in logged(config)[-1]["recipients"]
    run(bureau, config, at("2024-07-10"))  # the escalation is not applied twice; reminders go on
    assert [e.name for e in events_of(bureau, ref)].count("dprd_deadline_lapsed") == 1
    assert [line["step"] for line in logged(config)][-1] == "overdue:2"


def test_a_sweep_run_twice_sends_nothing_twice(bureau, tmp_path):
    config = log_config(tmp_path)
    dprd_case(bureau)
    first = run(bureau, config, at("2024-06-21"))
    second = run(bureau, config, at("2024-06-21"))
    assert [r["step"] for r in first.recorded] == ["before:3wd"]  # standing for before:10wd, missed
    assert (second.recorded, second.sent) == ([], [])
    assert len(logged(config)) == 1


def test_after_a_week_off_each_deadline_is_reminded_once_for_the_steps_missed(bureau, tmp_path):
    config = log_config(tmp_path)
    init_region(bureau, council_silence="escalate")
    dprd_case(bureau)
    run(bureau, config, at("2024-06-20"))  # the last day the office PC was on
    report = run(bureau, config, at("2024-07-04"))
    # One reminder for the steps that came while it was off (before:3wd, due), the timer's notice, then overdue:1
    # of the deadline the timer opened.
    assert [r["step"] for r in report.recorded] == ["due", "timer", "overdue:1"]
    sent = logged(config)  # before:10wd on the last day it was on, then one message for all that came since
    assert [line["step"] for line in sent] == ["before:10wd", "overdue:1"]
    assert "applied by the reminder job: dprd_deadline_lapsed" in sent[1]["body"]


def test_timers_of_expiry_dormancy_notice_and_loi(bureau, tmp_path):
    config = log_config(tmp_path)
    signed = case_in(bureau, "in_force")
    dormancy = open_deadline(bureau, signed, "dormancy").due
    run(bureau, config, at(dormancy.isoformat()))
    assert get_case(bureau, signed).state == "dormant"

    ending = case_in(bureau, "in_force")
    advance(bureau, ending, "termination_notice_recorded")
    notice = open_deadline(bureau, ending, "termination_notice").due
    run(bureau, config, at(notice.isoformat()))
    assert get_case(bureau, ending).state == "terminated"

    expiring = case_in(bureau, "in_force")
    advance(bureau, expiring, "activity_recorded", on=date(2018, 1, 8))  # alive, so it expires, not sleeps
    expiry = open_deadline(bureau, expiring, "agreement_expiry").due
    run(bureau, config, at(expiry.isoformat()))
    assert get_case(bureau, expiring).state == "expired"

    loi = case_in(bureau, "loi_signed")
    valid_until = open_deadline(bureau, loi, "loi_validity").due
    run(bureau, config, at(valid_until.isoformat()))
    assert get_case(bureau, loi).state == "loi_signed"  # the region has not turned the LoI lapse on
    init_region(bureau, loi_lapse=True)
    loi2 = case_in(bureau, "loi_signed")
    run(bureau, config, at(open_deadline(bureau, loi2, "loi_validity").due.isoformat()))
    assert get_case(bureau, loi2).state == "expired"


def test_a_dry_run_writes_and_sends_nothing(bureau, tmp_path):
    config = log_config(tmp_path)
    ref = dprd_case(bureau)
    report = run(bureau, config, at("2024-06-28"), dry_run=True)
    assert [r["step"] for r in report.recorded] == ["due"]  # the one reminder a sweep would send for it
    assert report.timers[0]["result"] == "would try"
    assert count(bureau, Reminder) == 0 and logged(config) == []
    assert get_case(bureau, ref).state == "dprd_review"


def test_budget_windows_remind_cases_whose_plan_is_not_budgeted(bureau, tmp_path):
    config = log_config(tmp_path, contacts=Contacts(opd={"Dinas Pariwisata": "dispar@padang.go.id"}))
    budgeting = case_in(bureau, "action_plan_budgeting")
    case_in(bureau, "in_force")  # already budgeted: no reminder
    report = run(bureau, config, at("2013-06-20"))  # 24 days before KUA-PPAS goes to the DPRD (14 July)
    budget = [r for r in report.recorded if r["step"] == "budget"]
    assert [(r["key"], r["recipients"]) for r in budget] == [
        (f"budget:2013:kua_ppas_submission:case:{get_case(bureau, budgeting).id}",
         ["officer:tester", "opd:Dinas Pariwisata"])]
    assert [r for r in run(bureau, config, at("2013-06-21")).recorded if r["step"] == "budget"] == []


class Mailbox:
    """An aiosmtpd handler that refuses while ``refuse`` is set and keeps what it accepts."""

    def __init__(self):
        self.refuse = True
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "451 4.3.0 mailbox busy, try later"
        self.messages.append(envelope)
        return "250 OK"


def test_email_refused_then_delivered_on_a_later_sweep(bureau, tmp_path):
    mailbox = Mailbox()
    with socket.socket() as probe:  # a free port on loopback for the SMTP server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = Smtp(host="127.0.0.1", port=port, security="none",
                    user=None, password=None, sender="kerjasama@padang.go.id")
        contacts = Contacts(head_of_bureau="kabag@padang.go.id", officers={"tester": "siti@padang.go.id"})
        config = Config(channels=("email",), smtp=smtp, contacts=contacts)
        channels = {"email": EmailChannel(smtp, contacts, timeout=10)}
        ref = dprd_case(bureau)
        first = sweep(bureau, config, at("2024-06-10"), channels)
        assert [f["error"] for f in first.failed] == ["451 4.3.0 mailbox busy, try later"] or \
            "451" in first.failed[0]["error"]
        assert first.pending == 1 and mailbox.messages == []
        with bureau.db.session() as s:
            assert s.exec(select(Delivery.status)).all() == ["failed"]
        from workflow.cases import upcoming_deadlines
        row = next(d for d in upcoming_deadlines(bureau, date(2024, 6, 10))["deadlines"] if d["ref"] == ref
                   and d["kind"] == "dprd_decision")
        assert row["undelivered"] == 1
        mailbox.refuse = False
        assert sweep(bureau, config, at("2024-06-10", "07:31"), channels).sent == []  # back-off: not yet
        later = sweep(bureau, config, at("2024-06-10", "08:00"), channels)
        assert [s["channel"] for s in later.sent] == ["email"] and later.pending == 0
        [message] = mailbox.messages
        assert message.rcpt_tos == ["siti@padang.go.id"]
        assert f"[{ref}] DPRD decision on the cooperation plan: due 2024-06-26" in message.content.decode()
    finally:
        controller.stop()


def test_deadlines_as_an_icalendar_file(bureau):
    from icalendar import Calendar

    from workflow.cases import upcoming_deadlines
    from workflow.ics import deadlines_calendar
    ref = dprd_case(bureau)
    calendar = Calendar.from_ical(deadlines_calendar(upcoming_deadlines(bureau, date(2024, 4, 8))))
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    dprd = events[f"{ref}: DPRD decision on the cooperation plan"]
    assert dprd.decoded("dtstart") == date(2024, 6, 26)
    assert f"kerjasama case show {ref}" in str(dprd["description"])
    assert str(dprd["uid"]).startswith("deadline-") and len({str(e["uid"]) for e in events.values()}) == len(events)


def test_a_new_cuti_bersama_decree_moves_the_dprd_window_only_when_applied(db_url, tmp_path):
    from tests.conftest import close_bureau, make_bureau
    from workflow.bureau import Bureau
    from workflow.recompute import recompute_deadlines
    bureau = make_bureau(db_url)
    try:
        ref = dprd_case(bureau)  # due 26 June 2024
        decreed = Bureau(bureau.db, WorkingCalendar({date(2024, 5, 14): "Cuti bersama (new decree)"}),
                         clock=bureau.clock)
        moves = recompute_deadlines(decreed, actor="siti")
        assert moves == [{"ref": ref, "kind": "dprd_decision", "due": "2024-06-26", "new_due": "2024-06-27",
                          "shift_days": 1, "shift_working_days": 1}]
        assert open_deadline(bureau, ref, "dprd_decision").due == date(2024, 6, 26)  # shown, not applied
        recompute_deadlines(decreed, actor="siti", record=True)
        assert open_deadline(bureau, ref, "dprd_decision").due == date(2024, 6, 27)
        event = events_of(bureau, ref)[-1]
        assert (event.name, event.data) == ("deadline_recomputed", {"kind": "dprd_decision", "due": "2024-06-27",
                                                                    "previous_due": "2024-06-26"})
        assert recompute_deadlines(decreed, actor="siti") == []
    finally:
        close_bureau(bureau)


def test_a_holiday_decreed_after_the_due_date_was_computed_moves_the_timer(bureau, tmp_path):
    """A cuti bersama day added later (14 May 2024 here, an example decree) puts the 45th working day on 27 June:
    the sweep of 27 June records the move, with its reason, instead of deeming the plan approved a day early."""
    config = log_config(tmp_path)
    ref = dprd_case(bureau)  # due 26 June 2024 under the calendar of the day it was received
    decreed = Bureau(bureau.db, WorkingCalendar({date(2024, 5, 14): "Cuti bersama (new decree)"}), clock=bureau.clock)
    run(decreed, config, at("2024-06-27"))
    assert get_case(bureau, ref).state == "dprd_review"
    moved = events_of(bureau, ref)[-1]
    assert (moved.name, moved.actor, moved.data) == ("deadline_recomputed", "scheduler", {
        "kind": "dprd_decision", "due": "2024-06-27", "previous_due": "2024-06-26"})
    run(decreed, config, at("2024-06-28"))
    deemed = events_of(bureau, ref)[-1]
    assert (deemed.name, deemed.occurred_on) == ("dprd_deemed_approved", date(2024, 6, 28))


def test_a_sweep_in_the_future_is_refused_and_the_timer_still_fires_on_its_day(bureau, tmp_path):
    config = log_config(tmp_path)
    ref = dprd_case(bureau)
    with pytest.raises(InvalidInput, match="is later than the clock"):  # 2027 typed for 2024
        run(bureau, config, at("2027-06-27"))
    assert count(bureau, Reminder) == 0 and get_case(bureau, ref).state == "dprd_review"
    assert run(bureau, config, at("2027-06-27"), dry_run=True).timers[0]["result"] == "would try"  # a preview may
    run(bureau, config, at("2024-06-28"))
    deemed = [e for e in events_of(bureau, ref) if e.name == "dprd_deemed_approved"]
    assert [(e.occurred_on, e.data["timer"]["due"]) for e in deemed] == [(date(2024, 6, 27), "2024-06-26")]


def test_reminders_speak_the_regions_language_whatever_the_servers_locale(bureau, tmp_path):
    from workflow.i18n import current_language, set_language

    config = log_config(tmp_path)
    dprd_case(bureau)
    set_language("en")  # a server with LANG=en_US.UTF-8 and no language chosen
    try:
        run(bureau, config, at("2024-06-21"))
        assert current_language() == "en"  # only the reminders changed language
    finally:
        set_language("en", chosen=True)
    body = logged(config)[0]["body"]
    assert "Dasar hukum" in body or "Kasus" in body, body


def test_reminders_follow_the_owner_and_an_owner_without_address_is_reported(bureau, tmp_path):
    from datetime import date as day_

    from workflow.owners import assign

    config = Config(channels=("log", "email"), log_file=tmp_path / "log.jsonl",
                    smtp=Smtp(host="127.0.0.1", port=9, security="none", user=None, password=None,
                              sender="kerjasama@padang.go.id"),
                    contacts=Contacts(officers={"tester": "siti@padang.go.id"}))
    ref = dprd_case(bureau)
    assign(bureau, ref, "budi", actor="kabag", on=day_(2024, 6, 3))  # Siti moves on; Budi has no address yet
    report = sweep(bureau, config, at("2024-06-21"), {})  # no channel of this process: recorded, not sent
    assert [r["recipients"] for r in report.recorded] == [["officer:budi"]]
    assert report.unaddressed == [{"key": report.recorded[0]["key"], "ref": ref, "recipients": ["officer:budi"]}]


@contextmanager
def commits_of(bureau):
    """Count the transactions committed on the bureau's database while the block runs."""
    counted = [0]

    def count_one(_conn):
        counted[0] += 1

    event.listen(bureau.db.engine, "commit", count_one)
    try:
        yield counted
    finally:
        event.remove(bureau.db.engine, "commit", count_one)


def test_a_sweep_records_its_reminders_in_one_transaction_and_commits_nothing_when_nothing_is_due(bureau, tmp_path):
    config = log_config(tmp_path)
    for _ in range(12):
        dprd_case(bureau)  # 12 DPRD windows at 3 working days on 21 June 2024, and 24 older deadlines that move on
    with commits_of(bureau) as commits:
        report = run(bureau, config, at("2024-06-21"))
    assert len(report.recorded) == len(report.sent) == 12
    # One for the reminders and the deadlines moved on, one for the claim, one per delivery's result: not the five
    # per reminder of one transaction per deadline and per claim.
    assert commits[0] == 2 + len(report.sent)
    with commits_of(bureau) as commits:
        idle = run(bureau, config, at("2024-06-21", "08:30"))
    assert (idle.recorded, idle.sent, idle.pending) == ([], [], 0)
    assert commits[0] == 0


def test_a_sweep_with_timers_commits_a_round_per_timer_depth_and_one_per_event(bureau, tmp_path):
    init_region(bureau, council_silence="escalate")
    config = log_config(tmp_path)
    for _ in range(6):
        dprd_case(bureau)
    run(bureau, config, at("2024-06-20"))
    with commits_of(bureau) as commits:  # a week later: due, the lapse, then overdue:1 of each window
        report = run(bureau, config, at("2024-07-04"))
    applied = [t for t in report.timers if t["result"] == "applied"]
    assert len(applied) == 6 and len(report.recorded) == 18 and len(report.sent) == 6
    # The reminders before the timers, the events (one transaction each, as the engine requires), the reminders
    # after them, the claim, the results.
    assert commits[0] == 1 + len(applied) + 1 + 1 + len(report.sent)


def test_a_sweep_failing_half_way_records_nothing_and_the_next_records_each_once(bureau, tmp_path, monkeypatch):
    from workflow.reminders import outbox
    sweep_module = importlib.import_module("workflow.reminders.sweep")  # the package's ``sweep`` is the function

    config = log_config(tmp_path)
    for _ in range(4):
        dprd_case(bureau)
    recorded = []

    def record_then_fail(session, reminder, *args):
        if len(recorded) == 2:
            raise OSError("disk full")
        recorded.append(reminder.key)
        outbox.record(session, reminder, *args)

    monkeypatch.setattr(sweep_module, "record", record_then_fail)
    with pytest.raises(OSError, match="disk full"):
        run(bureau, config, at("2024-06-21"))
    assert count(bureau, Reminder) == count(bureau, Delivery) == 0 and logged(config) == []
    with bureau.db.session() as s:  # the deadlines were not moved on either: the next sweep finds them due
        assert len(s.exec(select(Deadline).where(Deadline.next_action_on <= date(2024, 6, 21),
                                                 Deadline.status == "open")).all()) == 12
    monkeypatch.undo()
    report = run(bureau, config, at("2024-06-21", "08:30"))
    assert [r["step"] for r in report.recorded] == ["before:3wd"] * 4 and len(logged(config)) == 4
    assert run(bureau, config, at("2024-06-21", "09:30")).recorded == []
    assert count(bureau, Reminder) == 4


def test_a_sweep_meanwhile_does_not_send_what_the_timers_notice_will_stand_for(bureau, tmp_path, monkeypatch):
    """The reminder recorded before a timer, and the timer's notice before what follows it, wait for what will stand
    for them: another sweep delivering in the meantime (whose own round found the deadlines taken) sends neither."""
    from workflow.reminders import LogChannel, SweepReport, deliver

    sweep_module = importlib.import_module("workflow.reminders.sweep")
    init_region(bureau, council_silence="escalate")
    config = log_config(tmp_path)
    dprd_case(bureau)
    run(bureau, config, at("2024-06-20"))  # before:10wd, sent
    real_apply, meanwhile = sweep_module.apply, SweepReport(at("2024-07-04", "07:31"))

    def another_sweep_delivers():
        deliver(bureau, meanwhile.now, {"log": LogChannel(config.log_file)}, meanwhile)

    def apply_while_another_sweep_delivers(*args, **kwargs):
        another_sweep_delivers()  # the due date's reminder is recorded
        outcome = real_apply(*args, **kwargs)
        another_sweep_delivers()  # the timer's notice is recorded; overdue:1 is not yet
        return outcome

    monkeypatch.setattr(sweep_module, "apply", apply_while_another_sweep_delivers)
    report = run(bureau, config, at("2024-07-04"))
    assert [r["step"] for r in report.recorded] == ["due", "timer", "overdue:1"]
    assert meanwhile.sent == [] and meanwhile.pending == 1  # the notice, waiting, not taken
    assert [line["step"] for line in logged(config)] == ["before:10wd", "overdue:1"]
