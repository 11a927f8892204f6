"""The sealed history: an edit, a deletion or a reorder behind the system's back is found."""
from __future__ import annotations

from sqlalchemy import text

from datetime import timedelta

from tests.helpers import advance, case_in, get_case, last_event
from tests.test_agreements import surabaya
from workflow.audit import verify


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
        conn.execute(text("DELETE FROM events WHERE case_id = :id AND seq = 2"), {"id": get_case(bureau, deleted).id})
    broken = {b["ref"]: b for b in verify(bureau)["broken"]}
    assert (broken[edited]["seq"], broken[edited]["event"]) == (4, "consultation_cleared")
    assert broken[deleted]["seq"] == 3 and "missing event" in broken[deleted]["problem"]
    assert verify(bureau, edited)["broken"][0]["seq"] == 4


def test_the_chronology_annex_shows_every_event_and_the_seal_check(bureau):
    from workflow.reports import chronology_html
    ref = case_in(bureau, "dprd_review")
    html = chronology_html(bureau, ref)
    assert "Seluruh 7 segel riwayat cocok" in html and "dprd_request_received" in html
    with bureau.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET note = 'rewritten' WHERE case_id = :id AND seq = 5"),
                     {"id": get_case(bureau, ref).id})
    assert "RUSAK mulai peristiwa ke-5" in chronology_html(bureau, ref)


def test_the_chronology_shows_a_late_entry_and_a_corrected_event_beside_the_correction(bureau):
    from workflow.engine import correct
    from workflow.reports import chronology_html
    ref = case_in(bureau, "awaiting_full_powers")
    issued = advance(bureau, ref, "full_powers_issued")
    advance(bureau, ref, "full_powers_requested", on=issued.on - timedelta(days=3))
    correct(bureau, ref, last_event(bureau, ref).seq, actor="siti", note="the request was never sent")
    html = chronology_html(bureau, ref)
    assert "catatan susulan" in html and 'class="corrected"' in html and "dikoreksi oleh ke-" in html
    assert "event_corrected" in html and "Seluruh" in html and "RUSAK" not in html
