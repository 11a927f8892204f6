"""The register of the region's agreements and LoIs (``kerjasama register``): each with its status, the day it
was signed, its expiry and its last sign of life, as rows or as CSV for a spreadsheet.

An agreement's facts come from its events: those recorded since it was signed, or the ``imported`` event of one
loaded from the bureau's old register, whose dates may be known only to the month or the year.
"""
from __future__ import annotations

import csv
import io
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner
from workflow.agreements.indicator_table import COLUMNS as INDICATOR_COLUMNS, WORKBOOK_COLUMNS as INDICATOR_SHEET
from workflow.agreements.indicator_table import indicator_rows
from workflow.agreements.rows import COLUMNS, DATES
from workflow.agreements.spreadsheet import Column, Sheet, workbook
from workflow.partial_dates import PartialDate, partial_date
from workflow.bureau import Bureau
from workflow.store import load_region
from workflow.timeline import CORRECTION, timeline
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import AGREEMENT_STATUSES, IN_FORCE, SIGNS_OF_LIFE

# The events the register reads its facts from, beside the signs of life.
FACTS = ("case_opened", "loi_signed", "agreement_signed", "imported", "extension_signed", "agreement_ended",
         "term_expired", "agreement_terminated", CORRECTION)

# Links between agreements, as recorded on the later one, and how the earlier one shows them.
BACK_LINKS = {"renews": "renewed_by", "revives": "revived_by", "implements": "implemented_by",
              "supersedes": "superseded_by"}
INSTRUMENT_NAMES = {"loi": "LoI", "mou": "MoU", "poa": "PoA", "moa": "MoA", "pks": "PKS", "charter": "Charter",
                    "other": "Other"}


def register(bureau: Bureau, status: str | None = None, country: str | None = None,
             on: date | None = None) -> list[dict]:
    """Every agreement and LoI of the region, oldest first, with its status and last sign of life.

    :param on: the register as it stood on that day: only what the events dated up to it say.
    """
    if status and status not in AGREEMENT_STATUSES:
        raise InvalidInput(_("Unknown status {status}; statuses: {allowed}.").format(
            status=status, allowed=", ".join(AGREEMENT_STATUSES)))
    with bureau.db.session() as session:
        region = load_region(session)
        today = on or bureau.today(region)
        rows = session.exec(select(Case, Partner).join(Partner, Partner.id == Case.partner_id)
                            .where(Case.opened_on <= today).order_by(Case.opened_on, Case.ref)).all()
        # The facts and the corrections that undo some (dated later than ``on``, too: what is known now of then);
        # as of a day, every event, since the state then is read from them.
        query = select(Event).order_by(Event.case_id, Event.seq)
        events = session.exec(query if on else query.where(Event.name.in_(FACTS + SIGNS_OF_LIFE))).all()
        expiries = session.exec(select(Deadline.case_id, Deadline.due, Deadline.opened_by_event_id).join(
            Event, Event.id == Deadline.opened_by_event_id).where(
            Deadline.kind == "agreement_expiry", Event.occurred_on <= today,
            Deadline.status.in_(("open", "lapsed")) if on is None else
            or_(Deadline.closed_on.is_(None), Deadline.closed_on > on, Deadline.status == "lapsed"))).all()
    by_case: dict[int, list] = {}
    for event in events:
        by_case.setdefault(event.case_id, []).append(event)
    standing = {case_id: [e for e in timeline(record) if e.occurred_on <= today] for case_id, record in by_case.items()}
    # Each case's state: as stored, or as the events dated up to ``on`` leave it.
    states = ({case.id: case.state for case, _partner in rows} if on is None else
              {case_id: entries[-1].to_state for case_id, entries in standing.items()
               if entries and entries[0].occurred_on <= on})
    kept = {e.id for entries in standing.values() for e in entries}
    expiry = {case_id: due for case_id, due, opened_by in expiries if opened_by in kept}
    facts = {case.ref: _facts([e for e in standing.get(case.id, []) if e.name in FACTS + SIGNS_OF_LIFE])
             for case, _partner in rows}
    linked_from = {}  # the other end of each link: "renewed_by" for "renews", and so on
    for ref, known in facts.items():
        for link, back in BACK_LINKS.items():
            if known.get(link):
                linked_from.setdefault(known[link], {}).setdefault(back, []).append(ref)
    result = []
    for case, partner in rows:
        known = facts[case.ref]
        if not known["instrument"] or case.id not in states:
            continue  # not yet an LoI: a case, not an agreement
        row = {"ref": case.ref, "title": case.title, "partner": partner.name, "country": partner.country,
               "levels": f"{region.level} - {partner.partner_type}", "instrument": known["instrument"],
               "fields": None if known.get("fields_unknown") else list(case.fields),
               "signed_on": known["signed_on"], "term_years": known["term_years"],
               "term": _term(known), "expiry": _expiry(known.get("expiry"), expiry.get(case.id)),
               "status": "unknown" if known.get("status_unknown") else _status(states[case.id], known["instrument"]),
               "state": states[case.id],
               "ended": known.get("ended"), "end_kind": known.get("end_kind"),
               "last_activity": known["last_activity"]}
        row |= {link: known.get(link) for link in BACK_LINKS} | {
            back: sorted(linked_from.get(case.ref, {}).get(back, [])) for back in BACK_LINKS.values()}
        row |= {"alternatives": known.get("alternatives", {}), "flags": known.get("flags", []),
                "renewal_every": known.get("renewal_every"),
                "renewals": _renewal_points(known, _chain(case.ref, linked_from, facts), today)}
        if (not status or row["status"] == status) and (not country or partner.country == country.upper()):
            result.append(row)
    return result


def _chain(ref: str, linked_from: dict, facts: dict) -> list[tuple[str, PartialDate]]:
    """The renewals that follow ``ref``, and theirs in turn, with the day each was signed."""
    found, pending = [], list(linked_from.get(ref, {}).get("renewed_by", []))
    while pending:
        later = pending.pop()
        if facts[later]["signed_on"]:
            found.append((later, partial_date(facts[later]["signed_on"])))
        pending += linked_from.get(later, {}).get("renewed_by", [])
    return found


def _renewal_points(known: dict, renewals: list[tuple[str, PartialDate]], today) -> list[dict]:
    """For a tie renewed every N years ("renewable every 5 years unless..."): each renewal expected so far, with
    the renewal on record within a year of it, or None where none is documented."""
    if not known.get("renewal_every") or not known.get("signed_on"):
        return []
    signed, points = partial_date(known["signed_on"]), []
    for step in range(1, 100):
        due = signed.day + relativedelta(years=step * known["renewal_every"])
        if due > today:
            break
        near = [ref for ref, day in renewals if abs((day.day - due).days) <= 366]
        points.append({"due": PartialDate(due, signed.precision).shown(), "documented_by": near[0] if near else None})
    return points


def _expiry(recorded: str | None, running: date | None) -> str | None:
    """The expiry running then (a renewal moves it), as precisely as the record knows it."""
    if running is None or (recorded and partial_date(recorded).day == running):
        return recorded
    return running.isoformat()


def _term(known: dict) -> str:
    """``5 years``, ``open-ended`` or ``unknown``, as the record has it."""
    if known["term_years"] is None:
        return "unknown"
    return "open-ended" if known["term_years"] == 0 else f"{known['term_years']} years"


def _facts(events: list) -> dict:
    facts = {"instrument": None, "signed_on": None, "term_years": None, "last_activity": None}
    for event in events:
        facts["status_unknown"] = False  # until the imported event says so, and once anything is recorded after it
        if event.name == "imported":
            data = event.data
            facts |= {key: data[key] for key in ("term_years", "renewal_every", "last_activity", "ended", "end_kind",
                                                 "alternatives",
                                                 "flags", "fields_unknown", *BACK_LINKS) if key in data}
            facts["instrument"] = INSTRUMENT_NAMES.get(data.get("instrument")) or (
                "LoI" if data.get("status") == "loi_only" else "MoU")
            facts["signed_on"] = data.get("mou_signed") or data.get("loi_signed")
            facts["status_unknown"] = data.get("status") == "unknown"
            facts["expiry"] = data.get("expires")  # as precise as the file gave it, or as the signing date
            if not data.get("expires") and data.get("mou_signed") and data.get("term_years"):  # an earlier release's
                signed = partial_date(data["mou_signed"])
                facts["expiry"] = PartialDate(signed.day + relativedelta(years=data["term_years"]),
                                              signed.precision).shown()
        elif event.name == "case_opened":
            facts |= {key: event.data[key] for key in (*BACK_LINKS, "fields_unknown", "flags") if event.data.get(key)}
        elif event.name == "agreement_ended":
            facts |= {"ended": event.occurred_on.isoformat(), "end_kind": event.data.get("end_kind")}
        elif event.name in ("term_expired", "agreement_terminated"):
            facts |= {"ended": event.occurred_on.isoformat(),
                      "end_kind": "expired" if event.name == "term_expired" else "terminated"}
        elif event.name == "loi_signed" and facts["instrument"] != "MoU":
            facts["instrument"], facts["signed_on"] = "LoI", event.occurred_on.isoformat()
        elif event.name == "agreement_signed":
            facts["instrument"], facts["signed_on"] = "MoU", event.occurred_on.isoformat()
            facts["term_years"] = event.data.get("term_years")
            facts["renewal_every"] = event.data.get("renewal_every")
        if event.name in SIGNS_OF_LIFE:
            facts["last_activity"] = event.occurred_on.isoformat()
    return facts


def _status(state: str, instrument: str) -> str:
    if state in ("expired", "terminated", "ended", "dormant"):
        return state
    if instrument == "LoI" and state in ("rejected", "withdrawn"):  # the LoI's tie ended with the initiative
        return "ended"
    if instrument == "LoI":
        return "loi_only"
    return "active" if state in IN_FORCE else state


def as_csv(rows: list[dict], excel: bool = False, columns: list[str] | None = None) -> str:
    """The register's rows as CSV, a list (the fields) in one cell with ``;`` between its items.

    :param excel: as Excel set to Indonesian opens it by a double click: separated by ``;`` (its list separator, the
        comma being its decimal mark), a byte-order mark (without one it reads the file as ANSI and garbles every
        accent) and Windows line ends. No ``sep=`` line: with one, Excel ignores the byte-order mark.
    :param columns: the header, when it is not the first row's keys (a table that may be empty).
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or (list(rows[0]) if rows else ["ref"]),
                            delimiter=";" if excel else ",",
                            lineterminator="\r\n" if excel else "\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _inert(";".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    return ("\ufeff" if excel else "") + out.getvalue()


def _inert(value):
    """A cell a spreadsheet shows as text: one that starts like a formula gets a leading apostrophe (OWASP's advice
    on CSV injection), which Excel and LibreOffice hide."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# The columns of an agreement list (workflow/agreements/rows.py) the register fills; dates and numbers typed.
WORKBOOK_COLUMNS = [Column(name, "date" if name in DATES else "number" if name in ("term_years", "renewal_every")
                           else "text") for name in COLUMNS]
INSTRUMENT_CODES = {name: code for code, name in INSTRUMENT_NAMES.items()}


def register_workbook(bureau: Bureau, status: str | None = None, country: str | None = None,
                      on: date | None = None) -> bytes:
    """``kerjasama register --xlsx``: the register in the columns ``kerjasama import`` reads, so a workbook can be
    corrected and loaded into another database; a second sheet lists each agreement's flags, a third their indicators
    (workflow/agreements/indicator_table.py), which import reads back too."""
    rows = register(bureau, status=status, country=country, on=on)
    flags = [{"ref": row["ref"], "flag": flag} for row in rows for flag in row["flags"]]
    return workbook([Sheet(_("Agreements"), WORKBOOK_COLUMNS, agreement_list(bureau, rows)),
                     Sheet(_("Flags"), [Column("ref"), Column("flag")], flags),
                     Sheet(_("Indicators"), INDICATOR_SHEET, indicator_rows(bureau, [r["ref"] for r in rows], on))])


def indicator_csv(bureau: Bureau, status: str | None = None, country: str | None = None, on: date | None = None,
                  excel: bool = False) -> str:
    """``kerjasama register --indicators --csv``: the indicators of the register's agreements, one row per baseline,
    target and figure, in the columns of the workbook's indicator sheet, which ``kerjasama import`` reads back."""
    refs = [row["ref"] for row in register(bureau, status=status, country=country, on=on)]
    return as_csv(indicator_rows(bureau, refs, on), excel=excel, columns=list(INDICATOR_COLUMNS))


def agreement_list(bureau: Bureau, rows: list[dict]) -> list[dict]:
    """The register's rows as an agreement list: what the register shows, and what an imported agreement's row gave
    beside it (its other dates with their sources, source, note), so that importing the list gives the same
    register."""
    with bureau.db.session() as session:
        cases = {case.ref: (case, partner) for case, partner in
                 session.exec(select(Case, Partner).join(Partner, Partner.id == Case.partner_id)).all()}
        imported = {event.case_id: event.data for event in session.exec(select(Event).where(Event.name == "imported"))}
    listed = []
    for row in rows:
        case, partner = cases[row["ref"]]
        given = imported.get(case.id, {"first_contact": case.opened_on.isoformat()})
        dates = {column: given.get(column) for column in DATES}
        dates["loi_signed" if row["instrument"] == "LoI" else "mou_signed"] = row["signed_on"]
        dates |= {"expires": row["expiry"], "last_activity": row["last_activity"], "ended": row["ended"]}
        for column, alternatives in row["alternatives"].items():
            if dates.get(column) == alternatives[0]["date"]:  # the cell import read them from
                dates[column] = "; ".join(f"{a['date']} ({a['source']})" if a["source"] else a["date"]
                                          for a in alternatives)
        listed.append(dates | {
            "ref": row["ref"], "title": row["title"], "partner": row["partner"], "country": row["country"],
            "partner_type": partner.partner_type, "fields": row["fields"],
            "instrument": INSTRUMENT_CODES.get(row["instrument"]), "term_years": row["term_years"],
            "renewal_every": row["renewal_every"], "status": row["status"], "end_kind": row["end_kind"],
            "level_justification": case.level_justification, "source": given.get("source"), "note": given.get("note")}
            | {link: row[link] for link in BACK_LINKS})
    return listed
