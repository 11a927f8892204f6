"""Every transition of the procedure table, on a case brought to its source state through the engine."""
from __future__ import annotations

import pytest

from tests.helpers import advance, case_in, events_of, last_event, open_deadlines
from workflow.machine import return_state
from workflow.describe import mermaid, procedure_rows
from workflow.machine import GUARD_FUNCTIONS, machine
from workflow.procedure import (DEADLINE_RULE_BY_KIND, EVENT_BY_NAME, EVENTS, GUARDS, REOPENING_EVENTS, RETURN,
                                STAGES, STATES, TERMINAL_STATES, check_table, stage_of)

OWNER_STAGES = ["initiation", "mofa_mediation", "council_approval", "signing", "action_plan", "evaluation"]

# Where a RETURN event leads from the state that test cases are put in before it.
RETURN_FROM = {"case_resumed": "in_force", "amendment_signed": "in_force", "extension_signed": "in_force",
               "amendment_abandoned": "in_force"}

# Rows whose guard needs a history the plain path to the source state does not give.
SETUP = {"revised_plan_resubmitted": ("kemendagri_verification", ["kemendagri_requested_revision"]),
         "action_plan_adopted": ("action_plan_drafting", ["activity_planned"]),
         "case_resumed": ("in_force", ["case_suspended"])}

ROWS = [(event.name, source) for event in EVENTS for source in event.sources if event.listed]


def expected_state(event, source: str) -> str:
    if event.dest is None:
        return source
    if event.dest == RETURN:
        return RETURN_FROM[event.name]
    return event.dest


def test_table_is_consistent():
    assert check_table() == []


def test_the_owners_six_stages_come_first_in_order():
    assert [s.name for s in STAGES][:6] == OWNER_STAGES
    assert [stage_of(s) for s in ("initiated", "exploring", "plan_drafting", "kemendagri_verification",
                                  "action_plan_drafting", "in_force")] == OWNER_STAGES


def test_every_row_names_its_legal_basis():
    assert all(row.basis for row in STATES + EVENTS + GUARDS + STAGES)


def test_every_state_is_reachable_and_every_non_terminal_state_has_a_way_out():
    reachable = {"initiated"}
    for _ in STATES:
        for event in EVENTS:
            if reachable & set(event.sources) and event.dest not in (None, RETURN):
                reachable.add(event.dest)
    assert reachable == {s.name for s in STATES}
    for state in STATES:
        outgoing = [e for e in EVENTS if state.name in e.sources and e.dest is not None
                    and e.name not in REOPENING_EVENTS]
        assert bool(outgoing) != state.terminal, state.name


def test_every_guard_of_the_table_has_its_function():
    assert set(GUARD_FUNCTIONS) == {g.name for g in GUARDS}


def test_machine_is_built_once_without_auto_transitions():
    m = machine()
    assert m is machine()
    assert not any(name.startswith("to_") for name in m.events)


@pytest.mark.parametrize("event_name,source", ROWS, ids=[f"{s}-{e}" for e, s in ROWS])
def test_transition(shared_bureau, event_name, source):
    event = next(e for e in EVENTS if e.name == event_name)
    start, extra = SETUP.get(event_name, (source, []))
    if source == "suspended" and event_name not in SETUP:
        start, extra = "in_force", ["case_suspended"]
    ref = case_in(shared_bureau, start)
    for step in extra:
        advance(shared_bureau, ref, step)
    outcome = advance(shared_bureau, ref, event_name)
    assert (outcome.from_state, outcome.state) == (source, expected_state(event, source))
    recorded = last_event(shared_bureau, ref)
    assert (recorded.name, recorded.from_state, recorded.to_state) == (event_name, source, outcome.state)
    owner = return_state(events_of(shared_bureau, ref), outcome.state) if outcome.state == "suspended" \
        else outcome.state
    for deadline in open_deadlines(shared_bureau, ref):
        assert owner in DEADLINE_RULE_BY_KIND[deadline.kind].owners, deadline.kind


def test_terminal_states_allow_nothing_but_a_renewal():
    # Voiding a letter keeps the letter register, archiving a paper keeps the archive, and an indicator's figures are
    # kept, in any state (an ended agreement's papers are still archived, its figures still counted); none moves
    # the case.
    kept_in_any_state = ("letter_voided", "document_added", "document_published", "document_withdrawn",
                         "indicator_added", "indicator_targets_set", "indicator_measured")
    assert all(not any(state in e.sources for e in EVENTS if e.name not in REOPENING_EVENTS + kept_in_any_state)
               for state in TERMINAL_STATES)
    assert all(EVENT_BY_NAME[name].dest is None for name in kept_in_any_state)
    assert [e.sources for e in EVENTS if e.name in REOPENING_EVENTS] == [("expired",)]


def test_listing_and_diagram_come_from_the_table():
    rows = procedure_rows()
    assert [e["event"] for e in rows["events"]] == ["case_opened", "imported", "event_corrected"] + [
        e.name for e in EVENTS]
    diagram = mermaid()
    assert diagram.startswith("stateDiagram-v2")
    for stage in OWNER_STAGES:
        assert f"state {stage} {{" in diagram
    assert "dprd_review --> kemendagri_verification: dprd_deemed_approved" in diagram
