"""Who carries a case (workflow/owners.py): the owner named at the opening, hand-overs recorded as events, a
corrected hand-over falling back, the board of one officer, the workload of every officer, and the seals."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import select

from db.models import Case, Deadline
from tests.helpers import advance, case_in, events_of, get_case, last_event, open_test_case
from workflow import engine
from workflow.agreements import import_agreements
from workflow.audit import verify
from workflow.board import board
from workflow.errors import InvalidInput, StaleVersion
from workflow.inputs import officer_name
from workflow.owners import assign, owner_of, owners, reassign, workload


def owner(bureau, ref: str) -> str:
    return owner_of(events_of(bureau, ref))


def register_owners(bureau) -> dict[str, str]:
    with bureau.db.session() as session:
        refs = dict(session.exec(select(Case.id, Case.ref)).all())
        return {refs[case_id]: name for case_id, name in owners(session).items()}


def test_the_opening_names_the_owner_or_whoever_opened_it(bureau):
    default = open_test_case(bureau)
    named = open_test_case(bureau, owner="  Siti   Rahma ")
    assert events_of(bureau, default)[0].data["owner"] == "tester"  # the name given (a library caller's actor)
    assert events_of(bureau, named)[0].data["owner"] == "Siti Rahma"
    assert (owner(bureau, default), owner(bureau, named)) == ("tester", "Siti Rahma")
    assert register_owners(bureau) == {default: "tester", named: "Siti Rahma"}


def test_identified_the_default_owner_is_the_name_given_with_as_else_the_login(bureau):
    bureau.identify, bureau._login = True, "kerjasama_siti"
    for_head = open_test_case(bureau, actor="Wali Kota")
    own = open_test_case(bureau, actor=None)
    assert {"owner": "Wali Kota", "on_behalf_of": "Wali Kota"}.items() <= events_of(bureau, for_head)[0].data.items()
    assert events_of(bureau, for_head)[0].actor == "kerjasama_siti"
    assert owner(bureau, own) == "kerjasama_siti"


def test_cases_recorded_before_owners_are_carried_by_whoever_opened_or_imported_them(bureau):
    def opening(name, data, actor="siti"):
        return SimpleNamespace(seq=1, name=name, occurred_on=date(2013, 1, 7), actor=actor, data=data)

    assert owner_of([opening("case_opened", {"on_behalf_of": "Wali Kota"})]) == "Wali Kota"
    assert owner_of([opening("case_opened", {})]) == "siti"
    assert owner_of([opening("imported", {"source": "register 2019"}, actor="budi")]) == "budi"
    assert owner_of([opening("case_opened", {"owner": "ana", "on_behalf_of": "Wali Kota"})]) == "ana"
    import_agreements(bureau, Path(__file__).parent / "data" / "surabaya-agreements.csv", actor="budi")
    assert set(register_owners(bureau).values()) == {"budi"}


def test_a_case_is_handed_on_by_an_event_that_keeps_the_owner_before(bureau):
    ref = case_in(bureau, "dprd_review")
    before = get_case(bureau, ref)
    outcome = assign(bureau, ref, "budi", actor="kabag", note="Siti moves to protocol", on=date(2026, 11, 20))
    assert (outcome.event, outcome.from_state, outcome.state) == ("case_assigned", "dprd_review", "dprd_review")
    event = last_event(bureau, ref)
    assert (event.name, event.actor, event.note, event.occurred_on) == (
        "case_assigned", "kabag", "Siti moves to protocol", date(2026, 11, 20))
    assert event.data == {"owner": "budi", "previous_owner": "tester"}
    after = get_case(bureau, ref)
    assert (after.state, after.version) == (before.state, before.version + 1)
    assert owner(bureau, ref) == register_owners(bureau)[ref] == "budi"
    assert verify(bureau)["broken"] == [] and verify(bureau)["problems"] == []


@pytest.mark.parametrize("name,what", [("", "empty"), ("siti;drop", "semicolon"), ("x" * 81, "too long"),
                                       ("siti\x1b[2J", "control"), ("Kepala (Plt.)", "parentheses")])
def test_only_a_plain_name_is_given_an_owner(bureau, name, what):
    ref = open_test_case(bureau)
    with pytest.raises(InvalidInput, match="not an officer's name|control or text-direction"):
        assign(bureau, ref, name, actor="kabag")
    with pytest.raises(InvalidInput, match="not an officer's name|control or text-direction"):
        open_test_case(bureau, owner=name) if name else officer_name(name, "--owner")
    assert len(events_of(bureau, ref)) == 1
    assert officer_name(" Siti_R. Rahmawati-Putri 2 ", "OFFICER") == "Siti_R. Rahmawati-Putri 2"
    assert officer_name("Ñoño Wijayakusumā", "OFFICER") == "Ñoño Wijayakusumā"


def test_a_hand_over_is_refused_when_it_would_change_nothing_or_not_count(bureau):
    ref = case_in(bureau, "exploring")
    with pytest.raises(InvalidInput, match="already carried by tester"):
        assign(bureau, ref, "tester", actor="kabag")
    with pytest.raises(InvalidInput, match=r"--on 2012-01-01 is before case .* was opened"):
        assign(bureau, ref, "budi", actor="kabag", on=date(2012, 1, 1))
    assign(bureau, ref, "budi", actor="kabag", on=date(2020, 5, 4))
    with pytest.raises(InvalidInput, match="was handed to budi on 2020-05-04, after 2019-01-01"):
        assign(bureau, ref, "ana", actor="kabag", on=date(2019, 1, 1))
    closed = case_in(bureau, "exploring")
    advance(bureau, closed, "case_withdrawn")
    with pytest.raises(InvalidInput, match=r"is closed \(withdrawn\)"):
        assign(bureau, closed, "budi", actor="kabag")


def test_a_hand_over_dated_before_later_events_takes_its_place_by_its_day(bureau):
    ref = case_in(bureau, "loi_signed")
    early = events_of(bureau, ref)[2].occurred_on  # between the consultation and the LoI
    assign(bureau, ref, "budi", actor="kabag", on=early)
    assert last_event(bureau, ref).data["late_entry"] is True
    assert owner(bureau, ref) == "budi"
    assert get_case(bureau, ref).state == "loi_signed"
    assert verify(bureau)["broken"] == [] and verify(bureau)["problems"] == []


def test_a_corrected_hand_over_falls_back_to_the_owner_before(bureau):
    ref = case_in(bureau, "exploring")
    assign(bureau, ref, "budi", actor="kabag", on=date(2020, 1, 6))
    assign(bureau, ref, "ana", actor="kabag", on=date(2020, 2, 3))
    seqs = [e.seq for e in events_of(bureau, ref) if e.name == "case_assigned"]
    engine.correct(bureau, ref, seqs[1], actor="kabag", note="Ana was never given this case")
    assert owner(bureau, ref) == register_owners(bureau)[ref] == "budi"
    engine.correct(bureau, ref, seqs[0], actor="kabag", note="Budi neither")
    assert owner(bureau, ref) == register_owners(bureau)[ref] == "tester"
    assert get_case(bureau, ref).state == "exploring"
    assert verify(bureau)["broken"] == [] and verify(bureau)["problems"] == []


def test_an_officer_who_leaves_hands_on_every_open_case_at_once(bureau):
    first, second = case_in(bureau, "exploring", owner="siti"), case_in(bureau, "in_force", owner="siti")
    closed = case_in(bureau, "exploring", owner="siti")
    advance(bureau, closed, "case_withdrawn")
    others = case_in(bureau, "exploring", owner="budi")
    report = reassign(bureau, "siti", "ana", actor="kabag", note="Siti retired")
    assert (report["from"], report["to"], [c["ref"] for c in report["cases"]], report["left"]) == (
        "siti", "ana", sorted([first, second]), [])
    assert register_owners(bureau) == {first: "ana", second: "ana", closed: "siti", others: "budi"}
    assert last_event(bureau, first).data == {"owner": "ana", "previous_owner": "siti"}
    assert last_event(bureau, first).note == "Siti retired"
    with pytest.raises(InvalidInput, match=r"^siti carries no open case; nothing to hand on. Owners of open cases: "
                                           r"ana, budi\.$"):
        reassign(bureau, "siti", "ana", actor="kabag")
    with pytest.raises(InvalidInput, match="both name ana"):
        reassign(bureau, "ana", "ana", actor="kabag")
    with pytest.raises(InvalidInput, match="not an officer's name"):
        reassign(bureau, "ana", "budi & co", actor="kabag")
    assert verify(bureau)["broken"] == [] and verify(bureau)["problems"] == []


def test_a_bulk_hand_over_is_checked_whole_before_anything_is_recorded(bureau):
    old = case_in(bureau, "exploring", owner="siti")
    assign(bureau, old, "budi", actor="kabag", on=date(2021, 3, 1))
    assign(bureau, old, "siti", actor="kabag", on=date(2021, 6, 1))
    other = case_in(bureau, "exploring", owner="siti")
    with pytest.raises(InvalidInput, match="was handed to siti on 2021-06-01, after 2021-04-01"):
        reassign(bureau, "siti", "ana", actor="kabag", on=date(2021, 4, 1))
    assert register_owners(bureau) == {old: "siti", other: "siti"}


def test_a_hand_over_refuses_a_case_changed_since_it_was_read(bureau, monkeypatch):
    ref = case_in(bureau, "exploring")
    real = engine.apply

    def meanwhile(*args, **kwargs):  # another officer records an event between the read and the write
        advance(bureau, ref, "consultation_sent")
        return real(*args, **kwargs)

    monkeypatch.setattr("workflow.owners.apply", meanwhile)
    with pytest.raises(StaleVersion):
        assign(bureau, ref, "budi", actor="kabag")
    assert owner(bureau, ref) == "tester"


def test_a_bulk_hand_over_reads_again_a_case_changed_meanwhile(bureau, monkeypatch):
    ref = case_in(bureau, "exploring", owner="siti")
    real, calls = engine.apply, []

    def meanwhile(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 1:  # another officer records an event between the read and the write
            advance(bureau, ref, "consultation_sent")
        return real(*args, **kwargs)

    monkeypatch.setattr("workflow.owners.apply", meanwhile)
    assert [c["ref"] for c in reassign(bureau, "siti", "ana", actor="kabag")["cases"]] == [ref]
    assert calls == [ref, ref] and owner(bureau, ref) == "ana"
    assert last_event(bureau, ref).data == {"owner": "ana", "previous_owner": "siti"}


def test_the_board_of_one_officer_and_as_of_a_day(bureau):
    mine, theirs = case_in(bureau, "dprd_review", owner="siti"), case_in(bureau, "exploring", owner="budi")
    assign(bureau, theirs, "siti", actor="kabag", on=date(2026, 11, 2))
    every = [c for s in board(bureau)["stages"] for c in s["cases"]]
    assert {c["ref"]: c["owner"] for c in every} == {mine: "siti", theirs: "siti"}
    assert sorted(c["ref"] for s in board(bureau, owner=" siti ")["stages"] for c in s["cases"]) == [mine, theirs]
    assert board(bureau, owner="budi")["stages"] == []
    before = board(bureau, date(2026, 11, 1), owner="budi")
    assert [c["ref"] for s in before["stages"] for c in s["cases"]] == [theirs]
    with pytest.raises(InvalidInput, match="--owner needs the name of an officer"):
        board(bureau, owner="  ")


def test_the_workload_counts_each_officers_cases_and_deadlines(bureau):
    review, in_force = case_in(bureau, "dprd_review", owner="siti"), case_in(bureau, "in_force", owner="siti")
    exploring = case_in(bureau, "exploring", owner="budi")
    closed = case_in(bureau, "exploring", owner="ana")
    advance(bureau, closed, "case_withdrawn")
    today = date(2026, 11, 23)
    ids = {get_case(bureau, ref).id: ref for ref in (review, in_force)}
    with bureau.db.session() as session:
        due = sorted((d.due, ids[d.case_id], d.kind) for d in session.exec(select(Deadline).where(
            Deadline.status == "open")) if d.case_id in ids)
    report = workload(bureau)
    assert report["today"] == today.isoformat()
    assert [(r["owner"], r["cases"], r["refs"]) for r in report["owners"]] == [
        ("siti", 2, sorted([review, in_force])), ("budi", 1, [exploring])]
    siti, budi = report["owners"]
    assert (siti["deadlines"], siti["overdue"]) == (len(due), sum(d < today for d, _r, _k in due))
    assert siti["nearest"] == {"due": due[0][0].isoformat(), "ref": due[0][1], "kind": due[0][2],
                               "days": (due[0][0] - today).days}
    assert (budi["deadlines"], budi["overdue"], budi["nearest"]) == (0, 0, None)
    json.dumps(report)  # --json prints it as it is
