"""The register of the region's agreements and LoIs (``kerjasama register``): each with its status, the day it
was signed, its expiry and its last sign of life, as rows or as CSV for a spreadsheet.

An agreement's facts come from its events: those recorded since it was signed, or the ``imported`` event of one
loaded from the bureau's old register, whose dates may be known only to the month or the year.
"""
from __future__ import annotations

import csv
import io

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner
from workflow.agreements.partial_dates import PartialDate, partial_date
from workflow.bureau import Bureau
from workflow.store import load_region
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import AGREEMENT_STATUSES, IN_FORCE, SIGNS_OF_LIFE


def register(bureau: Bureau, status: str | None = None, country: str | None = None) -> list[dict]:
    """Every agreement and LoI of the region, oldest first, with its status and last sign of life."""
    if status and status not in AGREEMENT_STATUSES:
        raise InvalidInput(_("Unknown status {status}; statuses: {allowed}.").format(
            status=status, allowed=", ".join(AGREEMENT_STATUSES)))
    with bureau.db.session() as session:
        region = load_region(session)
        rows = session.exec(select(Case, Partner).join(Partner, Partner.id == Case.partner_id)
                            .order_by(Case.opened_on, Case.ref)).all()
        events = session.exec(select(Event).where(Event.name.in_(
            ("loi_signed", "agreement_signed", "imported", "extension_signed") + SIGNS_OF_LIFE))
            .order_by(Event.case_id, Event.seq)).all()
        expiries = session.exec(select(Deadline).where(Deadline.kind == "agreement_expiry",
                                                       Deadline.status.in_(("open", "lapsed")))).all()
    by_case: dict[int, list] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    expiry = {d.case_id: d.due for d in expiries}
    result = []
    for case, partner in rows:
        facts = _facts(case, by_case.get(case.id, []))
        if not facts["instrument"]:
            continue  # not yet an LoI: a case, not an agreement
        row = {"ref": case.ref, "title": case.title, "partner": partner.name, "country": partner.country,
               "levels": f"{region.level} - {partner.partner_type}", "instrument": facts["instrument"],
               "fields": list(case.fields), "signed_on": facts["signed_on"], "term_years": facts["term_years"],
               "expiry": facts.get("expiry") or (expiry[case.id].isoformat() if case.id in expiry else None),
               "status": _status(case.state, facts["instrument"]), "state": case.state,
               "last_activity": facts["last_activity"], "renews": facts.get("renews")}
        if (not status or row["status"] == status) and (not country or partner.country == country.upper()):
            result.append(row)
    return result


def _facts(case: Case, events: list) -> dict:
    facts = {"instrument": None, "signed_on": None, "term_years": None, "last_activity": None}
    for event in events:
        if event.name == "imported":
            data = event.data
            facts["instrument"] = "MoU" if data.get("mou_signed") else "LoI" if data.get("loi_signed") else None
            facts["signed_on"] = data.get("mou_signed") or data.get("loi_signed")
            facts["term_years"] = data.get("term_years")
            facts["last_activity"] = data.get("last_activity")
            facts["renews"] = data.get("renews")
            if data.get("mou_signed") and data.get("term_years"):  # as precise as the signing date is known
                signed = partial_date(data["mou_signed"])
                facts["expiry"] = PartialDate(signed.day + relativedelta(years=data["term_years"]),
                                              signed.precision).shown()
        elif event.name == "loi_signed" and facts["instrument"] != "MoU":
            facts["instrument"], facts["signed_on"] = "LoI", event.occurred_on.isoformat()
        elif event.name == "agreement_signed":
            facts["instrument"], facts["signed_on"] = "MoU", event.occurred_on.isoformat()
            facts["term_years"] = event.data.get("term_years")
        if event.name in SIGNS_OF_LIFE:
            facts["last_activity"] = event.occurred_on.isoformat()
    return facts


def _status(state: str, instrument: str) -> str:
    if state in ("expired", "terminated", "dormant"):
        return state
    if instrument == "LoI":
        return "loi_only"
    return "active" if state in IN_FORCE else state


def as_csv(rows: list[dict]) -> str:
    """The register's rows as CSV, a list (the fields) in one cell with ``;`` between its items."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["ref"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()
