"""apply(): one transaction, deadlines opened and closed, history in order, concurrent changes refused."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import text

from db.models import Deadline, Event
from tests.helpers import (OPENED_ON, advance, case_in, count, deadlines_of, events_of, get_case, last_event,
                           open_deadline, open_test_case)
from workflow.engine import apply
from workflow.errors import CaseNotFound, ConcurrentChange, EventNotAllowed, InvalidInput, UnknownEvent


def test_a_case_opened_in_2013_is_carried_to_implementation(bureau):
    ref = case_in(bureau, "in_force")
    assert ref == "KS-2013-0001"
    events = events_of(bureau, ref)
    assert events[0].name == "case_opened" and events[0].occurred_on == OPENED_ON
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert get_case(bureau, ref).state == events[-1].to_state == "in_force"
    assert get_case(bureau, ref).version == len(events)
    assert all(a.occurred_on <= b.occurred_on for a, b in zip(events, events[1:]))


def test_refs_are_numbered_per_year_of_opening(bureau):
    assert [open_test_case(bureau, on=d, partner_name=f"P{i}") for i, d in
            enumerate([date(2013, 5, 1), date(2013, 6, 1), date(2024, 1, 2)])] == \
        ["KS-2013-0001", "KS-2013-0002", "KS-2024-0001"]


def test_the_ten_thousandth_ref_of_a_year_follows_the_9999th(bureau):
    open_test_case(bureau, on=date(2013, 5, 1))
    with bureau.db.engine.begin() as conn:
        conn.execute(text("UPDATE cases SET ref = 'KS-2013-9999'"))
    open_test_case(bureau, on=date(2012, 5, 1), partner_name="Older")  # another year is not counted
    assert open_test_case(bureau, on=date(2013, 6, 1), partner_name="P1") == "KS-2013-10000"
    assert open_test_case(bureau, on=date(2013, 6, 2), partner_name="P2") == "KS-2013-10001"
    assert open_test_case(bureau, on=date(2012, 6, 2), partner_name="P3") == "KS-2012-0002"


def test_timestamps_come_back_with_their_offset(bureau):
    ref = open_test_case(bureau)
    recorded = last_event(bureau, ref).recorded_at
    assert recorded.tzinfo is not None and recorded.utcoffset() is not None


def test_deadlines_follow_the_case(bureau):
    ref = case_in(bureau, "ready_to_sign")
    kinds = {d.kind: d.status for d in deadlines_of(bureau, ref)}
    assert kinds["dprd_decision"] == "met" and kinds["loi_validity"] == "open"
    outcome = advance(bureau, ref, "agreement_signed", on=date(2014, 3, 3))
    assert sorted((d.kind, d.status) for d in outcome.closed) == [("loi_to_mou_target", "met"),
                                                                  ("loi_validity", "met")]
    due = {d.kind: d.due for d in outcome.opened}
    assert due == {"signing_report": date(2014, 4, 2), "annual_report": date(2015, 3, 3),
                   "agreement_expiry": date(2019, 3, 3), "extension_review": date(2018, 6, 3),
                   "dormancy": date(2015, 3, 3)}  # signed and never planned, it goes dormant in a year


def test_each_annual_report_opens_the_next_from_the_previous_due_date(bureau):
    ref = case_in(bureau, "in_force")
    first = open_deadline(bureau, ref, "annual_report").due
    outcome = advance(bureau, ref, "annual_report_sent", on=first - timedelta(days=10))
    assert ("annual_report", "met") in [(d.kind, d.status) for d in outcome.closed]
    assert ("dormancy", "superseded") in [(d.kind, d.status) for d in outcome.closed]  # a report is a sign of life
    assert open_deadline(bureau, ref, "annual_report").due == first + relativedelta(years=1)


def test_an_extension_moves_the_expiry(bureau):
    ref = case_in(bureau, "in_force")
    expiry = open_deadline(bureau, ref, "agreement_expiry").due
    advance(bureau, ref, "extension_proposed")
    outcome = advance(bureau, ref, "extension_signed", data={"term_years": "3"})
    assert outcome.state == "in_force"
    assert ("agreement_expiry", "superseded") in [(d.kind, d.status) for d in outcome.closed]
    assert open_deadline(bureau, ref, "agreement_expiry").due == expiry + relativedelta(years=3)
    assert open_deadline(bureau, ref, "extension_review").due == expiry + relativedelta(years=3, months=-9)


def test_suspension_keeps_the_legal_timers_and_resuming_returns(bureau):
    ref = case_in(bureau, "dprd_review")
    advance(bureau, ref, "case_suspended")
    assert open_deadline(bureau, ref, "dprd_decision") is not None
    assert advance(bureau, ref, "case_resumed").state == "dprd_review"


def test_a_suspended_amendment_resumes_into_the_amendment_then_returns(bureau):
    ref = case_in(bureau, "action_plan_budgeting")
    advance(bureau, ref, "amendment_proposed")
    advance(bureau, ref, "case_suspended")
    assert advance(bureau, ref, "case_resumed").state == "amendment_in_progress"
    assert advance(bureau, ref, "amendment_signed").state == "action_plan_budgeting"


def test_closing_a_case_cancels_its_open_deadlines(bureau):
    ref = case_in(bureau, "dprd_review")
    outcome = advance(bureau, ref, "case_withdrawn")
    assert outcome.state == "withdrawn"
    assert {(d.kind, d.status) for d in outcome.closed} == {("dprd_decision", "cancelled"),
                                                            ("loi_to_mou_target", "cancelled"),
                                                            ("loi_validity", "cancelled")}
    assert count(bureau, Deadline, status="open") == 0


@pytest.mark.parametrize("on,message", [
    (date(2099, 1, 1), "is in the future"),
    (date(2012, 12, 31), "is before case KS-2013-0001 was opened"),
], ids=["future", "before-opening"])
def test_dates_must_be_possible(bureau, on, message):
    ref = case_in(bureau, "exploring")  # exploration_started was recorded a week after opening
    with pytest.raises(InvalidInput, match=message):
        apply(bureau, ref, "consultation_sent", actor="tester", on=on)
    assert count(bureau, Event) == 2


def test_unknown_case_event_and_illegal_event(bureau):
    ref = open_test_case(bureau)
    with pytest.raises(CaseNotFound, match="No case KS-1999-0001"):
        apply(bureau, "KS-1999-0001", "exploration_started", actor="t", on=OPENED_ON)
    with pytest.raises(UnknownEvent, match="Unknown event explode"):
        apply(bureau, ref, "explode", actor="t", on=OPENED_ON)
    with pytest.raises(EventNotAllowed, match="dprd_approved is not allowed for KS-2013-0001 in state initiated; "
                                              "allowed now: exploration_started, eligibility_failed"):
        apply(bureau, ref, "dprd_approved", actor="t", on=OPENED_ON)


def test_a_stale_version_is_refused_and_nothing_is_written(bureau):
    ref = case_in(bureau, "exploring")
    version = get_case(bureau, ref).version
    advance(bureau, ref, "consultation_sent")
    before = count(bureau, Event)
    with pytest.raises(ConcurrentChange, match="changed since version"):
        apply(bureau, ref, "consultation_cleared", actor="t", on=date(2013, 2, 1), expected_version=version)
    assert count(bureau, Event) == before


def test_concurrent_advances_of_one_case_exactly_one_wins(bureau):
    ref = case_in(bureau, "dprd_review")
    on = last_event(bureau, ref).occurred_on + timedelta(days=7)
    before = count(bureau, Event)
    barrier = threading.Barrier(8)
    results = []

    def officer():
        barrier.wait()
        try:
            apply(bureau, ref, "dprd_approved", actor="officer", on=on)
            results.append("won")
        except (ConcurrentChange, EventNotAllowed) as err:
            results.append(type(err).__name__)

    threads = [threading.Thread(target=officer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1, results
    assert len(results) == 8
    assert count(bureau, Event) == before + 1
    assert get_case(bureau, ref).state == "kemendagri_verification"


def test_a_cases_open_deadlines_are_read_through_the_case_index_on_sqlite(tmp_path):
    # Ordered by due in SQL, SQLite walked the (status, due) index over every open deadline of the register.
    import sqlite3

    from sqlalchemy.dialects import sqlite

    from db.session import Database
    from workflow.store import _OPEN_DEADLINES

    database = Database(str(tmp_path / "plan.db"))
    database.ensure_schema()
    database.dispose()
    statement = _OPEN_DEADLINES.compile(dialect=sqlite.dialect())
    with sqlite3.connect(tmp_path / "plan.db") as conn:
        plan = conn.execute(f"EXPLAIN QUERY PLAN {statement}", (1, "open")).fetchall()
    assert "USING INDEX ix_deadlines_case_id" in plan[0][3], plan


def test_listing_more_deadlines_than_sqlite_takes_variables_works(tmp_path):
    # `deadlines --overdue` on a national register once sent every listed id as a variable of one query:
    # SQLite refuses more than 32,766. Here the limit is 5 and eight cases hold more open deadlines than that.
    import sqlite3

    from sqlalchemy import event

    from tests.conftest import close_bureau, make_bureau
    from workflow.cases import upcoming_deadlines

    bureau = make_bureau(f"sqlite:///{tmp_path / 'limit.db'}")
    for n in range(8):
        case_in(bureau, "loi_signed", partner_name=f"Partner {n}")
    bureau.db.engine.dispose()
    event.listen(bureau.db.engine, "connect",
                 lambda connection, _record: connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 5))
    listed = upcoming_deadlines(bureau, date(2026, 11, 23), overdue=True)["deadlines"]
    assert len(listed) > 5
    close_bureau(bureau)
