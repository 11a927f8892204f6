"""Action plans, evaluations, dormancy and the board."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from db.models import Activity, Evaluation
from tests.helpers import SAMPLE_ACTIVITY, advance, case_in, count, events_of, get_case, last_event, open_deadline
from workflow.actions import activities_of, add_activity, earliest_fundable, record_evaluation, update_activity
from workflow.board import board
from workflow.config import Config
from workflow.errors import EventNotAllowed, InvalidInput


@pytest.mark.parametrize("added,year,route,regular", [
    ("2026-01-01", 2026, "APBD-P", 2027),
    ("2026-05-31", 2026, "APBD-P", 2027),  # the last day of Renja/RKPD drafting for 2027
    ("2026-06-01", 2026, "APBD-P", 2028),
    ("2026-08-07", 2026, "APBD-P", 2028),  # the KUA-PPAS change, first week of August (PP 12/2019 Pasal 169)
    ("2026-08-08", 2028, "APBD", 2028),   # past both the KUA-PPAS change and the Renja/RKPD: waits for year N+2
    ("2026-12-31", 2028, "APBD", 2028),
])
def test_earliest_fundable_year_across_the_budget_calendar(added, year, route, regular):
    found = earliest_fundable(date.fromisoformat(added), Config())
    assert (found["year"], found["route"], found["regular_year"]) == (year, route, regular)


def test_a_region_may_move_its_budget_windows():
    moved = Config(budget_windows={"kua_ppas_change_submission": "07-31"})
    assert earliest_fundable(date(2026, 8, 1), moved)["year"] == 2028


def test_adopting_a_plan_needs_an_activity_and_cancelled_ones_do_not_count(bureau):
    ref = case_in(bureau, "action_plan_drafting")
    with pytest.raises(EventNotAllowed, match="action add"):
        advance(bureau, ref, "action_plan_adopted")
    advance(bureau, ref, "activity_planned")
    update_activity(bureau, ref, 1, actor="siti", on=last_event(bureau, ref).occurred_on, status="cancelled")
    with pytest.raises(EventNotAllowed, match="action add"):
        advance(bureau, ref, "action_plan_adopted")
    advance(bureau, ref, "activity_planned", title="Culture festival", field="culture")
    assert advance(bureau, ref, "action_plan_adopted").state == "action_plan_budgeting"


def test_an_activity_moves_from_planned_to_done_with_dates(bureau):
    ref = case_in(bureau, "action_plan_budgeting")
    on = last_event(bureau, ref).occurred_on
    update_activity(bureau, ref, 1, actor="siti", on=on + timedelta(days=1), status="proposed")
    update_activity(bureau, ref, 1, actor="siti", on=on + timedelta(days=2), status="budgeted", cost=400_000_000)
    advance(bureau, ref, "action_plan_budgeted", on=on + timedelta(days=3))
    outcome = update_activity(bureau, ref, 1, actor="siti", on=on + timedelta(days=30), status="done")
    assert outcome.event == "activity_recorded"
    [row] = activities_of(bureau, Config(), ref)
    assert (row["status"], row["cost"], row["done_on"]) == ("done", 400_000_000, on + timedelta(days=30))
    with pytest.raises(InvalidInput, match="is done; it can become: nothing"):
        update_activity(bureau, ref, 1, actor="siti", on=on + timedelta(days=31), status="proposed")
    with pytest.raises(InvalidInput, match="has no activity 7"):
        update_activity(bureau, ref, 7, actor="siti", status="proposed")
    with pytest.raises(InvalidInput, match="field must be one of"):
        add_activity(bureau, ref, actor="siti", **(SAMPLE_ACTIVITY | {"field": "defence"}))
    assert [e.name for e in events_of(bureau, ref)].count("activity_updated") == 2


def test_dormancy_is_detected_and_an_activity_or_a_revival_wakes_the_agreement(bureau):
    ref = case_in(bureau, "in_force")
    dormant_on = open_deadline(bureau, ref, "dormancy").due
    assert advance(bureau, ref, "dormancy_detected", on=dormant_on).state == "dormant"
    assert [c["ref"] for s in board(bureau, dormant_on)["stages"] for c in s["cases"] if c["dormant"]] == [ref]
    assert advance(bureau, ref, "activity_recorded").state == "in_force"  # recording an activity revives it
    assert open_deadline(bureau, ref, "dormancy").due == last_event(bureau, ref).occurred_on + relativedelta(months=12)

    sleeping = case_in(bureau, "dormant")
    with pytest.raises(Exception, match="needs --note"):
        advance(bureau, sleeping, "case_revived", note="")
    revived = advance(bureau, sleeping, "case_revived", note="Wali Kota decided to revive the tie")
    assert revived.state == "action_plan_drafting"


@pytest.mark.parametrize("recommendation,deadline,step", [
    ("continue", None, None),
    ("amend", "recommended_amendment", "amendment_proposed"),
    ("extend", "recommended_extension", "extension_proposed"),
    ("terminate", "recommended_termination", "termination_notice_recorded"),
])
def test_each_recommendation_opens_its_next_step(bureau, recommendation, deadline, step):
    ref = case_in(bureau, "in_force")
    on = last_event(bureau, ref).occurred_on
    update_activity(bureau, ref, 1, actor="siti", on=on + timedelta(days=5), status="done")
    outcome = record_evaluation(bureau, ref, actor="siti", on=on + timedelta(days=10), kind="annual",
                                recommendation=recommendation, period_from=on - timedelta(days=300),
                                period_to=on + timedelta(days=10), problems="Budget cut in APBD-P")
    assert (outcome.data["planned"], outcome.data["done"]) == (1, 1)
    assert count(bureau, Evaluation) == 1
    opened = [d.kind for d in outcome.opened if d.kind.startswith("recommended")]
    assert opened == ([deadline] if deadline else [])
    if step:
        met = advance(bureau, ref, step)
        assert (deadline, "met") in [(d.kind, d.status) for d in met.closed]


def test_the_board_shows_stage_days_and_whom_a_case_waits_on(bureau):
    ref = case_in(bureau, "dprd_review")
    received = last_event(bureau, ref).occurred_on
    report = board(bureau, received + timedelta(days=100))
    [stage] = [s for s in report["stages"] if s["stage"] == "council_approval"]
    [row] = stage["cases"]
    entered = next(e.occurred_on for e in events_of(bureau, ref) if e.to_state == "plan_drafting")
    assert (row["ref"], row["waiting_on"], row["days_in_stage"]) == (ref, "DPRD", (received + timedelta(days=100)
                                                                                   - entered).days)
    assert row["overdue"] == ["dprd_decision"]
    assert count(bureau, Activity) == 0
    assert get_case(bureau, ref).state == "dprd_review"
