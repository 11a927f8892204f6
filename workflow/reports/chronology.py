"""The auditor's annex of one case (``kerjasama case chronology``): every event in order, with its seal and the
result of the seal check of :func:`workflow.audit.verify`, as HTML or PDF, in the region's language.
"""
from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import Event, Partner
from workflow.audit import verify
from workflow.bureau import Bureau
from workflow.i18n import speaking
from workflow.store import load_case, load_region
from workflow.timeline import corrected
from workflow.reports.environment import reports_environment


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
    rows = [{"seq": e.seq, "occurred_on": e.occurred_on, "name": e.name, "from_state": e.from_state,
             "to_state": e.to_state, "actor": e.actor, "doc_number": e.doc_number, "note": e.note,
             "data": {key: _shown(value) for key, value in e.data.items()},
             "recorded_at": e.recorded_at.astimezone(zone).isoformat(timespec="seconds"), "hash": e.hash,
             "late_entry": bool(e.data.get("late_entry")), "corrected_by": getattr(undone.get(e.seq), "seq", None)}
            for e in events]
    with speaking(region.language):
        return reports_environment().get_template("chronology.html").render(
            region=region, case=case, partner=f"{partner.name} ({partner.country})", events=rows,
            broken=broken[0] if broken else None, problems=report["problems"], anchor=report["chain"]["head"],
            today=bureau.today(region))


def _shown(value) -> str:
    """An event's datum as auditors read it: text and numbers as they are, anything else as JSON (a list of fields,
    the precision of imported dates), never as Python writes it."""
    if isinstance(value, str) or isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def chronology(bureau: Bureau, ref: str, fmt: str) -> bytes:
    """The annex as ``html`` or ``pdf`` bytes."""
    html = chronology_html(bureau, ref)
    if fmt == "pdf":
        from workflow.letters.rendering import render_pdf

        return render_pdf(html)
    return html.encode("utf-8")
