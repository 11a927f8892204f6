"""The auditor's annex of one case (``kerjasama case chronology``): every event in order, with its seal and the
result of the seal check of :func:`workflow.audit.verify`, as HTML or PDF, in the region's language.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import Event, Partner
from workflow.audit import verify
from workflow.bureau import Bureau
from workflow.i18n import speaking
from workflow.store import load_case, load_region
from workflow.timeline import corrected
from workflow.reports.environment import reports_environment
from workflow.vocabulary import name as term
from workflow.vocabulary import shown_datum


def chronology_html(bureau: Bureau, ref: str) -> str:
    """The case's full, verified timeline as an HTML annex (``case chronology``)."""
    report = verify(bureau, ref)
    broken = report["broken"]
    with bureau.db.session() as session:
        region = load_region(session)
        case = load_case(session, ref)
        partner = session.get(Partner, case.partner_id)
        events = session.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq)).all()
    undone = corrected(events)
    zone = ZoneInfo(region.timezone)  # recorded_at is stored in UTC; auditors read the region's local time
    with speaking(region.language):  # codes as names of that language, like every word of the annex
        rows = [{"seq": e.seq, "occurred_on": e.occurred_on, "name": term("event", e.name),
                 "from_state": e.from_state and term("state", e.from_state), "to_state": term("state", e.to_state),
                 "actor": e.actor, "doc_number": e.doc_number, "note": e.note,
                 "data": {term("datum", key): shown_datum(key, value) for key, value in e.data.items()},
                 "recorded_at": e.recorded_at.astimezone(zone).isoformat(timespec="seconds"), "hash": e.hash,
                 "late_entry": bool(e.data.get("late_entry")),
                 "corrected_by": getattr(undone.get(e.seq), "seq", None)} for e in events]
        return reports_environment().get_template("chronology.html").render(
            region=region, case=case, partner=f"{partner.name} ({partner.country})", events=rows,
            broken=broken[0] if broken else None, problems=report["problems"], anchor=report["chain"]["head"],
            today=bureau.today(region))


def chronology(bureau: Bureau, ref: str, fmt: str) -> bytes:
    """The annex as ``html`` or ``pdf`` bytes."""
    html = chronology_html(bureau, ref)
    if fmt == "pdf":
        from workflow.letters.rendering import render_pdf

        return render_pdf(html)
    return html.encode("utf-8")
