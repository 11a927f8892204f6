"""The sealed history: an edit, a deletion or a reorder behind the system's back is found."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import Event, RegionChange, Seal
from tests import system
from tests.helpers import advance, case_in, get_case, last_event
from tests.test_agreements import surabaya
from workflow.audit import verify
from workflow.chain import current_anchor, parse_anchor
from workflow.seal import link, seal


def test_an_untouched_history_verifies(bureau):
    surabaya(bureau)
    case_in(bureau, "in_force")
    report = verify(bureau)
    assert report["broken"] == [] and report["events"] > 60


def test_an_edited_note_and_a_deleted_event_are_named(bureau):
    edited, deleted = case_in(bureau, "dprd_review"), case_in(bureau, "dprd_review")
    with bureau.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET note = 'changed later' WHERE case_id = :id AND seq = 4"),
                     {"id": get_case(bureau, edited).id})
        gone = "(SELECT id FROM events WHERE case_id = :id AND seq = 2)"
        conn.execute(text(f"DELETE FROM seals WHERE event_id = {gone}"), {"id": get_case(bureau, deleted).id})
        conn.execute(text("DELETE FROM events WHERE case_id = :id AND seq = 2"), {"id": get_case(bureau, deleted).id})
    broken = {b["ref"]: b for b in verify(bureau)["broken"]}
    assert (broken[edited]["seq"], broken[edited]["event"]) == (4, "consultation_cleared")
    assert broken[deleted]["seq"] == 3 and "missing event" in broken[deleted]["problem"]
    assert verify(bureau, edited)["broken"][0]["seq"] == 4


def test_the_chronology_annex_shows_every_event_and_the_seal_check(bureau):
    from workflow.reports import chronology_html
    ref = case_in(bureau, "dprd_review")
    html = chronology_html(bureau, ref)
    assert "All 7 seals of the history match" in html and "dprd_request_received" in html
    with bureau.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET note = 'rewritten' WHERE case_id = :id AND seq = 5"),
                     {"id": get_case(bureau, ref).id})
    assert "BROKEN from event 5" in chronology_html(bureau, ref)


def test_the_chronology_shows_a_late_entry_and_a_corrected_event_beside_the_correction(bureau):
    from workflow.engine import correct
    from workflow.reports import chronology_html
    ref = case_in(bureau, "awaiting_full_powers")
    issued = advance(bureau, ref, "full_powers_issued")
    advance(bureau, ref, "full_powers_requested", on=issued.on - timedelta(days=3))
    correct(bureau, ref, last_event(bureau, ref).seq, actor="siti", note="the request was never sent")
    html = chronology_html(bureau, ref)
    assert "late entry" in html and 'class="corrected"' in html and "corrected by event " in html
    assert "event_corrected" in html and "All" in html and "BROKEN" not in html


# What an administrator with the database's password, or a copy of its file, could do behind the system's back.

def tamper(bureau, *statements: str, **params) -> None:
    with bureau.db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def findings(bureau, *anchors: str) -> list[str]:
    report = verify(bureau, anchors=tuple(parse_anchor(a) for a in anchors))
    return [f"{b['ref']} #{b['seq']}: {b['problem']}" for b in report["broken"]] + [
        f"{p['where']}: {p['problem']}" for p in report["problems"]]


def test_a_case_deleted_with_its_events_deadlines_and_seals_is_found(bureau):
    gone = case_in(bureau, "dprd_review")
    case_in(bureau, "in_force")
    assert findings(bureau) == []
    tamper(bureau, "DELETE FROM seals WHERE event_id IN (SELECT id FROM events WHERE case_id = :id)",
           "DELETE FROM deadlines WHERE case_id = :id", "DELETE FROM events WHERE case_id = :id",
           "DELETE FROM cases WHERE id = :id", id=get_case(bureau, gone).id)
    assert any("region chain: position" in f and "is missing" in f for f in findings(bureau))


def test_a_deleted_last_event_is_found_by_the_state_it_leaves_or_by_an_anchor(bureau):
    sloppy, careful = case_in(bureau, "dprd_review"), case_in(bureau, "dprd_review")
    anchor = current_anchor(bureau)["anchor"]
    for ref in (sloppy, careful):
        last = last_event(bureau, ref)
        statements = ["DELETE FROM deadlines WHERE opened_by_event_id = :event",
                      "DELETE FROM seals WHERE event_id = :event", "DELETE FROM events WHERE id = :event"]
        if ref == careful:  # and everything the event changed, as it was before it
            statements = ["UPDATE deadlines SET status = 'open', closed_by_event_id = NULL, closed_on = NULL "
                          "WHERE closed_by_event_id = :event",
                          f"UPDATE cases SET state = '{last.from_state}' WHERE id = :case"] + statements
        tamper(bureau, *statements, event=last.id, case=last.case_id)
        found = findings(bureau)
        if ref == sloppy:
            assert any(f.startswith(f"{sloppy}: it is in state dprd_review, but its events lead to") for f in found)
    assert not any(careful in f for f in found)  # the careful deletion leaves a record that holds together...
    assert any(f.startswith(f"anchor {anchor}: the chain has") for f in findings(bureau, anchor))  # ...but short


def test_an_edited_state_deadline_letter_and_setting_are_each_found(bureau):
    from workflow.letters import issue
    from tests.test_letters import CONFIG

    ref = case_in(bureau, "plan_drafting")
    letter = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={})
    other, third = case_in(bureau, "dprd_review"), case_in(bureau, "dprd_review")
    assert findings(bureau) == []
    tamper(bureau, "UPDATE cases SET state = 'terminated' WHERE ref = :ref", ref=other)
    tamper(bureau, "UPDATE deadlines SET due = '2031-01-01' WHERE case_id = :id AND status = 'open'",
           id=get_case(bureau, third).id)
    tamper(bureau, "UPDATE letters SET text = 'Nomor : 000.3/99/Kerja Sama' WHERE id = :id", id=letter.id)
    tamper(bureau, "UPDATE region SET council_silence = 'escalate'")
    found = findings(bureau)
    assert f"{other}: it is in state terminated, but its events lead to dprd_review" in found
    assert any(f.startswith(f"{other}: its state or a deadline row was changed") for f in found)
    assert any(f.startswith(f"{third}: its state or a deadline row was changed") for f in found)
    assert f"{ref}: letter {letter.number} is not the one its event #{letter_event_seq(bureau, letter)} sealed " \
           "when it was issued" in found
    assert "region: council_silence is escalate, but its newest recorded change made it deemed_approval" in found


def letter_event_seq(bureau, letter) -> int:
    with bureau.db.session() as session:
        return session.get(Event, letter.event_id).seq


def test_an_event_written_behind_the_systems_back_is_in_no_place_of_the_chain(bureau):
    ref = case_in(bureau, "exploring")
    last = last_event(bureau, ref)
    forged = Event(case_id=last.case_id, seq=last.seq + 1, name="exploration_started", actor="siti",
                   occurred_on=last.occurred_on, recorded_at=last.recorded_at, from_state=last.to_state,
                   to_state=last.to_state, note="added by hand", data={})
    forged.hash = seal(forged, last.hash)  # a seal anyone can compute: the case's own chain holds
    with bureau.db.session() as session:
        session.add(forged)
        session.commit()
    assert any("is in no place of the chain" in f for f in findings(bureau))


def test_a_rewritten_and_rehashed_history_passes_its_own_seals_but_not_an_anchor(bureau):
    case_in(bureau, "in_force")
    anchor = current_anchor(bureau)["anchor"]
    with bureau.db.session() as session:  # rewrite a note, then recompute every hash as the code would
        events = session.exec(select(Event).order_by(Event.case_id, Event.seq)).all()
        events[2].note = "a note written years later"
        previous = {}
        for event in events:
            event.hash = previous[event.case_id] = seal(event, previous.get(event.case_id))
        last_link = None
        for entry in session.exec(select(Seal).order_by(Seal.position)).all():
            if entry.event_id:
                entry.digest = session.get(Event, entry.event_id).hash
            entry.link = last_link = link(last_link, "event" if entry.event_id else "region",
                                          entry.event_id or entry.region_change_id, entry.digest, entry.case_digest)
        session.commit()
    assert findings(bureau) == []  # without an anchor nothing can tell
    assert findings(bureau, anchor) == [f"anchor {anchor}: the chain no longer leads to it: what was recorded up to "
                                        "it was rewritten"]


def test_settings_changes_are_recorded_with_who_made_them(bureau):
    from workflow.region import init_region

    init_region(bureau, actor="kabag", council_silence="escalate")
    with bureau.db.session() as session:
        changes = session.exec(select(RegionChange).order_by(RegionChange.id)).all()
    assert [c.actor for c in changes] == ["kerjasama init", "kabag"]
    assert changes[-1].changed == {"council_silence": ["deemed_approval", "escalate"]}
    assert changes[-1].settings["council_silence"] == "escalate" and findings(bureau) == []


def test_a_restored_export_verifies_and_keeps_the_anchors_given_before(bureau, tmp_path):
    from tests.conftest import make_bureau, make_url, close_bureau
    from workflow.agreements.backup import export_all, import_all

    case_in(bureau, "in_force")
    case_in(bureau, "dprd_review")
    anchor = current_anchor(bureau)["anchor"]
    document = export_all(bureau)
    assert document["anchor"] == anchor
    url, drop = make_url("sqlite", tmp_path)
    restored = make_bureau(url)
    try:
        import_all(restored, document)
        assert findings(restored, anchor) == []
    finally:
        close_bureau(restored)
        drop()


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_an_issued_letter_prints_the_anchor_of_the_record_it_follows(bureau, tmp_path):
    from tests.test_letters import CONFIG, pdf_text
    from workflow.letters import issue

    ref = case_in(bureau, "plan_drafting")
    before = current_anchor(bureau)["anchor"]
    letter = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={},
                   pdf=True)
    assert before in pdf_text(letter.pdf, tmp_path)
    assert findings(bureau, before) == []


def test_the_report_export_and_public_pages_print_the_current_anchor(bureau, tmp_path):
    from workflow.agreements.backup import export_all
    from workflow.reports import publish, report_html

    case_in(bureau, "in_force")
    anchor = current_anchor(bureau)["anchor"]
    assert anchor in report_html(bureau) and export_all(bureau)["anchor"] == anchor
    publish(bureau, tmp_path / "site")
    assert anchor in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_a_deadline_reopened_behind_the_systems_back_is_found(bureau):
    ref = case_in(bureau, "kemendagri_verification")  # the DPRD's decision closed dprd_decision
    tamper(bureau, "UPDATE deadlines SET status = 'open', closed_by_event_id = NULL, closed_on = NULL "
                   "WHERE case_id = :id AND kind = 'dprd_decision'", id=get_case(bureau, ref).id)
    assert f"{ref}: deadline dprd_decision is open, but no event of its timeline leaves it open" in findings(bureau)
