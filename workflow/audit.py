"""A history that cannot be edited quietly: each event is sealed with a hash over its content and the
hash of the case's previous event, so changing, removing or reordering a recorded event breaks the
chain from there on. ``kerjasama audit verify`` recomputes the chains and names the first break.
"""
from __future__ import annotations

from sqlmodel import select

from db.models import Case, Event
from workflow.bureau import Bureau
from workflow.engine import load_case, load_region
from workflow.i18n import _
from workflow.seal import seal


def verify(bureau: Bureau, ref: str | None = None) -> dict:
    """Recompute every case's chain (or one case's); report the first event of each case that does not match."""
    with bureau.db.session() as session:
        load_region(session)
        cases = [load_case(session, ref)] if ref else session.exec(select(Case).order_by(Case.id)).all()
        broken, checked = [], 0
        for case in cases:
            previous, expected_seq = None, 1
            for event in session.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq)):
                checked += 1
                problem = None
                if event.seq != expected_seq:
                    problem = _("missing event before this one (sequence {seq} where {expected} was due)")
                elif event.hash != seal(event, previous):
                    problem = _("content or order changed since it was recorded")
                if problem:
                    broken.append({"ref": case.ref, "seq": event.seq, "event": event.name,
                                   "on": event.occurred_on.isoformat(), "problem": problem.format(
                                       seq=event.seq, expected=expected_seq)})
                    break
                previous, expected_seq = event.hash, expected_seq + 1
    return {"cases": len(cases), "events": checked, "broken": broken}


def chronology_html(bureau: Bureau, ref: str) -> str:
    """The case's full, verified timeline as an HTML annex (``case chronology``)."""
    from zoneinfo import ZoneInfo

    from db.models import Partner
    from workflow.report import reports_environment

    broken = verify(bureau, ref)["broken"]
    with bureau.db.session() as session:
        region = load_region(session)
        case = load_case(session, ref)
        partner = session.get(Partner, case.partner_id)
        events = session.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq)).all()
    zone = ZoneInfo(region.timezone)
    rows = [{"seq": e.seq, "occurred_on": e.occurred_on, "name": e.name, "from_state": e.from_state,
             "to_state": e.to_state, "actor": e.actor, "doc_number": e.doc_number, "note": e.note, "data": e.data,
             "recorded_at": e.recorded_at.astimezone(zone).isoformat(timespec="seconds"), "hash": e.hash}
            for e in events]
    return reports_environment().get_template("chronology.html").render(
        region=region, case=case, partner=f"{partner.name} ({partner.country})", events=rows,
        broken=broken[0] if broken else None, today=bureau.today(region))
