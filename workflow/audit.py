"""A history that cannot be edited quietly: each event is sealed with a hash over its content and the
hash of the case's previous event, so changing, removing or reordering a recorded event breaks the
chain from there on. ``kerjasama audit verify`` recomputes the chains and names the first break; the auditor's
annex of one case (workflow/reports/chronology.py) shows the same check.
"""
from __future__ import annotations

from sqlmodel import select

from db.models import Case, Event
from workflow.bureau import Bureau
from workflow.store import load_case, load_region
from workflow.i18n import _
from workflow.seal import seal


def verify(bureau: Bureau, ref: str | None = None) -> dict:
    """Recompute every case's chain (or one case's); report the first event of each case that does not match."""
    with bureau.db.session() as session:
        load_region(session)
        cases = [load_case(session, ref)] if ref else session.exec(select(Case).order_by(Case.id)).all()
        broken, checked = [], 0
        for case in cases:
            events = session.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq)).all()
            checked += len(events)
            found = chain_break(events)
            if found:
                event, problem = found
                broken.append({"ref": case.ref, "seq": event.seq, "event": event.name,
                               "on": event.occurred_on.isoformat(), "problem": problem})
    return {"cases": len(cases), "events": checked, "broken": broken}


def chain_break(events: list) -> tuple[object, str] | None:
    """The first event of one case's ``events`` (by seq) whose seal does not match, with what is wrong; None."""
    previous = None
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event, _("missing event before this one (sequence {seq} where {expected} was due)").format(
                seq=event.seq, expected=expected_seq)
        if event.hash != seal(event, previous):
            return event, _("content or order changed since it was recorded")
        previous = event.hash
    return None
