"""Facts learnt late take their place by their day, and mistakes are undone by recorded corrections: the state, the
deadlines and the chain follow, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers import (add_activity, advance, at, case_in, count, deadlines_of, events_of, get_case,
                           last_event, log_config, run, SAMPLE_ACTIVITY)
from db.models import Event
from workflow.audit import verify
from workflow.engine import correct
from workflow.errors import InvalidInput, LateEntryRefused, LaterEventConflict
from workflow.timeline import timeline


def names(bureau, ref):
    return [e.name for e in timeline(events_of(bureau, ref))]


def test_an_activity_learnt_after_dormancy_was_applied_withdraws_the_dormancy(bureau, tmp_path):
    """The reminder job found no sign of life for twelve months and applied dormancy; then the OPD reports an
    activity carried out three weeks before that day."""
    ref = case_in(bureau, "in_force")
    budgeted = last_event(bureau, ref).occurred_on
    run(bureau, log_config(tmp_path), at((budgeted + timedelta(days=400)).isoformat()))
    dormant = last_event(bureau, ref)
    assert (dormant.name, get_case(bureau, ref).state) == ("dormancy_detected", "dormant")

    activity_day = dormant.occurred_on - timedelta(days=21)
    outcome = advance(bureau, ref, "activity_recorded", on=activity_day, data={})
    assert outcome.state == "in_force" and get_case(bureau, ref).state == "in_force"
    assert [w["event"] for w in outcome.withdrawn] == ["dormancy_detected"]
    late, withdrawal = events_of(bureau, ref)[-2:]
    assert (late.name, late.occurred_on, late.data["late_entry"], late.from_state, late.to_state) == (
        "activity_recorded", activity_day, True, "in_force", "in_force")
    assert (withdrawal.name, withdrawal.data["corrects"], withdrawal.data["withdrawn_after"]) == (
        "event_corrected", dormant.seq, late.seq)
    assert "dormancy period" in withdrawal.note
    assert names(bureau, ref)[-2:] == ["action_plan_budgeted", "activity_recorded"]
    dormancy = [d for d in deadlines_of(bureau, ref) if d.kind == "dormancy"][-2:]  # the budgeting's, the activity's
    assert [(d.status, d.closed_by_event_id) for d in dormancy] == [("superseded", late.id), ("open", None)]
    assert (dormancy[1].starts_on, dormancy[1].due) == (activity_day, activity_day.replace(year=activity_day.year + 1))
    assert verify(bureau)["broken"] == []

    # Twelve months after the activity, the reminder job finds the tie dormant again, on that day.
    run(bureau, log_config(tmp_path), at((activity_day + timedelta(days=380)).isoformat()))
    again = last_event(bureau, ref)
    assert (again.name, again.occurred_on) == ("dormancy_detected", dormancy[1].due)


def test_a_late_entry_takes_its_place_and_the_deadline_it_opened_is_met_by_what_followed(bureau):
    ref = case_in(bureau, "awaiting_full_powers")
    issued = advance(bureau, ref, "full_powers_issued")
    requested_on = issued.on - timedelta(days=3)
    outcome = advance(bureau, ref, "full_powers_requested", on=requested_on)
    assert (outcome.state, outcome.as_dict()["late_entry"]) == ("ready_to_sign", True)
    assert names(bureau, ref)[-2:] == ["full_powers_requested", "full_powers_issued"]
    late = last_event(bureau, ref)
    assert (late.from_state, late.to_state) == ("awaiting_full_powers", "awaiting_full_powers")
    followup = [d for d in deadlines_of(bureau, ref) if d.opened_by_event_id == late.id]
    issued_event = next(e for e in events_of(bureau, ref) if e.name == "full_powers_issued")
    assert [(d.kind, d.status, d.starts_on, d.closed_by_event_id, d.closed_on) for d in followup] == [
        ("ministry_reply_followup", "met", requested_on, issued_event.id, issued.on)]
    assert verify(bureau)["broken"] == []


def test_a_late_entry_the_procedure_did_not_allow_on_its_day_is_refused(bureau):
    ref = case_in(bureau, "dprd_review")
    received = last_event(bureau, ref).occurred_on
    before = count(bureau, Event)
    with pytest.raises(LateEntryRefused, match=r"dprd_approved cannot take its place on .* a case in state "
                                               r"plan_drafting cannot record it"):
        advance(bureau, ref, "dprd_approved", on=received - timedelta(days=2))
    assert count(bureau, Event) == before and get_case(bureau, ref).state == "dprd_review"


def test_a_late_entry_that_contradicts_a_later_event_names_it(bureau):
    ref = case_in(bureau, "in_force")
    report = advance(bureau, ref, "annual_report_sent")
    seq = last_event(bureau, ref).seq
    with pytest.raises(LaterEventConflict, match=rf"would leave #{seq} annual_report_sent of .* out of place: "
                                                 rf"a case in state terminated cannot record it.*kerjasama case "
                                                 rf"correct {ref} {seq}"):
        advance(bureau, ref, "agreement_terminated", on=report.on - timedelta(days=2))
    assert get_case(bureau, ref).state == "in_force" and last_event(bureau, ref).seq == seq


def test_correcting_a_wrong_dprd_event_puts_the_case_back_in_the_council(bureau):
    """The officer recorded the DPRD's approval; the letter said the plan was returned with remarks."""
    ref = case_in(bureau, "dprd_review")
    window = next(d for d in deadlines_of(bureau, ref) if d.kind == "dprd_decision")
    advance(bureau, ref, "dprd_approved")
    wrong = last_event(bureau, ref)
    outcome = correct(bureau, ref, wrong.seq, actor="siti", note="The DPRD returned the plan; approval typed by "
                                                                 "mistake")
    assert (outcome.from_state, outcome.state) == ("kemendagri_verification", "dprd_review")
    reopened = next(d for d in deadlines_of(bureau, ref) if d.id == window.id)
    assert (reopened.status, reopened.closed_by_event_id, reopened.due) == ("open", None, window.due)
    assert advance(bureau, ref, "dprd_returned", on=wrong.occurred_on).state == "plan_drafting"
    recorded = [e.name for e in events_of(bureau, ref)][-3:]
    assert recorded == ["dprd_approved", "event_corrected", "dprd_returned"]  # both stay in the record
    assert "dprd_approved" not in names(bureau, ref)
    assert verify(bureau)["broken"] == []


def test_a_correction_that_would_strand_a_later_event_names_it_and_works_once_that_is_corrected(bureau):
    ref = case_in(bureau, "dprd_review")
    advance(bureau, ref, "dprd_approved")
    approved = last_event(bureau, ref).seq
    advance(bureau, ref, "plan_submitted_to_kemendagri")
    submitted = last_event(bureau, ref).seq
    with pytest.raises(LaterEventConflict, match=rf"Correcting #{approved} would leave #{submitted} "
                                                 rf"plan_submitted_to_kemendagri .* state dprd_review cannot"):
        correct(bureau, ref, approved, actor="siti", note="wrong")
    correct(bureau, ref, submitted, actor="siti", note="sent later than typed")
    assert correct(bureau, ref, approved, actor="siti", note="not approved").state == "dprd_review"
    assert {d.kind for d in deadlines_of(bureau, ref) if d.status == "open"} >= {"dprd_decision"}
    assert not [d for d in deadlines_of(bureau, ref) if d.status == "open" and d.kind == "ministry_reply_followup"]


def test_correcting_the_receipt_withdraws_the_deemed_approval_it_led_to(bureau, tmp_path):
    ref = case_in(bureau, "dprd_review")
    received = last_event(bureau, ref)
    run(bureau, log_config(tmp_path), at((received.occurred_on + timedelta(days=90)).isoformat()))
    assert last_event(bureau, ref).name == "dprd_deemed_approved"
    outcome = correct(bureau, ref, received.seq, actor="siti", note="the letter never reached the DPRD")
    assert outcome.state == "plan_drafting"
    assert [w["event"] for w in outcome.withdrawn] == ["dprd_deemed_approved"]
    assert names(bureau, ref)[-1] == "plan_started"
    assert not [d for d in deadlines_of(bureau, ref) if d.status == "open" and d.kind == "dprd_decision"]
    assert verify(bureau)["broken"] == []


@pytest.mark.parametrize("seq,message", [
    (1, "#1 opened"), (99, "has no event #99"), ("activity", "recorded by kerjasama action add"),
    ("twice", "was already corrected by"), ("correction", "is itself a correction"), ("no note", "needs --note")])
def test_what_cannot_be_corrected_is_refused_with_the_way_out(bureau, seq, message):
    ref = case_in(bureau, "action_plan_drafting")
    add_activity(bureau, ref, actor="tester", on=last_event(bureau, ref).occurred_on, **SAMPLE_ACTIVITY)
    if seq == "activity":
        seq = last_event(bureau, ref).seq
    elif seq in ("twice", "correction"):
        advance(bureau, ref, "signing_report_sent")
        report = last_event(bureau, ref).seq
        correct(bureau, ref, report, actor="siti", note="wrong")
        seq = report if seq == "twice" else last_event(bureau, ref).seq
    elif seq == "no note":
        with pytest.raises(InvalidInput, match=message):
            correct(bureau, ref, 2, actor="siti", note=" ")
        return
    before = count(bureau, Event)
    with pytest.raises(InvalidInput, match=message):
        correct(bureau, ref, seq, actor="siti", note="wrong")
    assert count(bureau, Event) == before


def test_a_timer_is_dated_by_its_day_unless_an_officer_recorded_since_what_only_the_earlier_state_allows(
        bureau, tmp_path):
    ref = case_in(bureau, "in_force")
    expiry = next(d for d in deadlines_of(bureau, ref) if d.kind == "agreement_expiry").due
    exchanged = expiry + timedelta(days=20)
    advance(bureau, ref, "originals_exchanged", on=exchanged)  # only while in force: the timer cannot precede it
    run(bureau, log_config(tmp_path), at((expiry + timedelta(days=30)).isoformat()))
    expired = last_event(bureau, ref)
    assert (expired.name, expired.occurred_on, expired.data["timer"]["due"]) == (
        "term_expired", exchanged, expiry.isoformat())
    assert get_case(bureau, ref).state == "expired"


def test_a_fact_dated_before_an_import_is_read_against_the_imported_state(bureau, tmp_path):
    """Surabaya - Busan (signed 24 August 1994), imported with its last activity in June 2024 (an example date); a
    report from 2023 found later is recorded, and does not move the dormancy counted from 2024."""
    from workflow.agreements import import_agreements
    path = tmp_path / "busan.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,term_years,status,last_activity\n"
                    "KS-1994-0001,Sister city,Busan,KR,city,education,1994-08-24,,active,2024-06\n")
    import_agreements(bureau, path, actor="siti")
    dormancy = next(d for d in deadlines_of(bureau, "KS-1994-0001") if d.kind == "dormancy")
    advance(bureau, "KS-1994-0001", "annual_report_sent", on=date(2023, 3, 1))
    assert next(d for d in deadlines_of(bureau, "KS-1994-0001") if d.kind == "dormancy" and d.status == "open").id \
        == dormancy.id
    with pytest.raises(LateEntryRefused, match="imported as in_force on .* contradicts the import"):
        advance(bureau, "KS-1994-0001", "case_suspended", on=date(2023, 3, 2))
