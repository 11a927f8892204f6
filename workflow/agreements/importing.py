"""The agreement register of the region, and loading the agreements a bureau already has.

``import_agreements`` reads a CSV or JSON list of existing agreements (one row each, dates as a day,
a month or a year) and creates each case directly in its state with an ``imported`` event that
records the source and the precision of every date. A row that is impossible or conflicts with
another is reported with its line, and nothing of the file is written.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner
from workflow import eligibility
from workflow.bureau import Bureau
from workflow.deadlines import due_date
from workflow.engine import next_ref, writing, load_region
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import DEADLINE_RULE_BY_KIND, EVENT_BY_NAME, IN_FORCE, SIGNS_OF_LIFE
from workflow.seal import seal

STATUSES = ("active", "dormant", "expired", "terminated", "loi_only")
STATE_OF_STATUS = {"active": "in_force", "dormant": "dormant", "expired": "expired", "terminated": "terminated",
                   "loi_only": "loi_signed"}
COLUMNS = ("ref", "title", "partner", "country", "partner_type", "fields", "loi_signed", "mou_signed", "term_years",
           "status", "last_activity", "ended", "renews", "level_justification", "source")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and the like; tab and line breaks are text
MAX_TERM_YEARS = next(f.maximum for f in EVENT_BY_NAME["agreement_signed"].data if f.name == "term_years")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year; ``day`` is the first day of what is known."""

    day: date
    precision: str  # day, month or year

    def shown(self) -> str:
        return {"day": self.day.isoformat(), "month": self.day.isoformat()[:7], "year": str(self.day.year)}[
            self.precision]


def in_indonesian(text: str | None) -> str:
    """A partial date for people: ``3 November 2012``, ``November 2012`` or ``2012``."""
    from babel.dates import format_date

    found = partial_date(text or "")
    if found is None:
        return ""
    pattern = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}[found.precision]
    return format_date(found.day, pattern, locale="id")


def partial_date(text: str) -> PartialDate | None:
    """``2009-04-17``, ``2009-04`` or ``2009``; an empty text is None.

    :raises ValueError: anything else, or a day that does not exist.
    """
    text = (text or "").strip()
    if not text:
        return None
    found = PARTIAL_DATE.match(text)
    if not found:
        raise ValueError(text)
    year, month, day = found.groups()
    try:
        first = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(text) from None
    return PartialDate(first, "day" if day else "month" if month else "year")


# --- the register --------------------------------------------------------------------------------------------

def register(bureau: Bureau, status: str | None = None, country: str | None = None) -> list[dict]:
    """Every agreement and LoI of the region, oldest first, with its status and last sign of life."""
    if status and status not in STATUSES:
        raise InvalidInput(_("Unknown status {status}; statuses: {allowed}.").format(status=status,
                                                                                     allowed=", ".join(STATUSES)))
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
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["ref"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return out.getvalue()


# --- loading existing agreements -------------------------------------------------------------------------------

def import_file(bureau: Bureau, path: Path, *, actor: str, dry_run: bool = False) -> dict:
    """``kerjasama import``: a kerjasama export (a JSON object) is restored whole; a list of agreements is loaded."""
    text = _read(path)
    document = _json(path, text) if path.suffix.lower() == ".json" else None
    if isinstance(document, dict):
        if dry_run:
            raise InvalidInput(_("--dry-run checks agreement lists; an export is restored whole."))
        from workflow.agreements.backup import import_all

        return {"restored": import_all(bureau, document)}
    return import_agreements(bureau, path, actor=actor, dry_run=dry_run, rows=read_rows(path, text, document))


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")  # "CSV UTF-8" from a spreadsheet starts with a byte-order mark
    except UnicodeDecodeError:
        raise InvalidInput(_("{path} is not UTF-8 text; save it from the spreadsheet as \"CSV UTF-8\".")
                           .format(path=path)) from None
    except OSError as err:
        raise InvalidInput(_("Cannot read {path}: {error}").format(path=path, error=err)) from None
    if not text.strip():
        raise InvalidInput(_("{path} is empty; an agreement list starts with a line of column names: {columns}.")
                           .format(path=path, columns=", ".join(COLUMNS)))
    return text


def _json(path: Path, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInput(_("{path}: not JSON ({error}).").format(path=path, error=err)) from None


def read_rows(path: Path, text: str | None = None, items=None) -> list[tuple[int, dict]]:
    """The rows of a CSV (line numbers of the file) or JSON list (position from 1)."""
    text = _read(path) if text is None else text
    if path.suffix.lower() == ".json":
        items = _json(path, text) if items is None else items
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InvalidInput(_("{path}: a list of agreements (objects) is expected.").format(path=path))
        rows = [(n, {key: _cell(value) for key, value in item.items()}) for n, item in enumerate(items, start=1)]
        wrong = [_("line {line}: {column} must be text, a number or a list of texts").format(line=n, column=key)
                 for n, row in rows for key, value in row.items() if value is None]
        if wrong:
            raise InvalidInput(_("Nothing imported from {path}: {problems}").format(path=path,
                                                                                    problems="; ".join(wrong)))
        return rows
    header = text.splitlines()[0]
    # A spreadsheet set to Indonesian writes CSV with semicolons, since the comma is its decimal mark.
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if header.count(";") > header.count(",") else ",")
    return [(reader.line_num, row) for row in reader]


def _cell(value) -> str | None:
    """A JSON value as the text a CSV cell would hold; None for one that no column takes."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ";".join(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def check_rows(rows: list[tuple[int, dict]], region, today: date, known_refs: set[str]) -> tuple[list[dict], list[str]]:
    """Each row as the facts to import, and every problem as ``line N: what is wrong``."""
    problems, facts, refs, seen = [], [], set(), {}
    for line, row in rows:
        def bad(message: str) -> None:
            problems.append(_("line {line}: {message}").format(line=line, message=message))

        unknown = sorted(set(row) - set(COLUMNS), key=str)
        if unknown:
            name = unknown[0] if unknown[0] is not None else _("(a value past the last column)")
            bad(_("unknown column {name}; columns: {columns}").format(name=name, columns=", ".join(COLUMNS)))
            continue
        control = next((key for key, value in row.items() if value and CONTROL.search(value)), None)
        if control:
            bad(_("{column} holds a control character").format(column=control))
            continue
        try:
            dates = {key: partial_date(row.get(key, "")) for key in ("loi_signed", "mou_signed", "last_activity",
                                                                     "ended")}
        except ValueError as err:
            bad(_("{value} is not a date; write 2009-04-17, 2009-04 or 2009").format(value=err))
            continue
        status = (row.get("status") or "").strip()
        fields = [f.strip() for f in (row.get("fields") or "").split(";") if f.strip()]
        ref = (row.get("ref") or "").strip().upper()
        term = (row.get("term_years") or "").strip()
        found = eligibility.problems(region.level, (row.get("partner_type") or "").strip(),
                                     (row.get("country") or "").strip().upper(), fields,
                                     (row.get("level_justification") or "").strip() or None) \
            if (row.get("partner_type") or "").strip() in eligibility.PARTNER_TYPES else \
            [_("partner_type must be one of {types}").format(types=", ".join(eligibility.PARTNER_TYPES))]
        term_ok = term.isascii() and term.isdigit() and int(term) <= MAX_TERM_YEARS
        expires = (dates["mou_signed"].day + relativedelta(years=int(term))
                   if dates["mou_signed"] and term_ok and int(term) > 0 else None)
        same = ((row.get("title") or "").strip().casefold(), (row.get("partner") or "").strip().casefold(),
                (row.get("country") or "").strip().upper(), dates["loi_signed"], dates["mou_signed"])
        checks = [
            (not (row.get("title") or "").strip() or not (row.get("partner") or "").strip(),
             _("title and partner are needed")),
            (status not in STATUSES, _("status must be one of {statuses}").format(statuses=", ".join(STATUSES))),
            (status == "loi_only" and not dates["loi_signed"], _("an LoI-only tie needs loi_signed")),
            (status in ("active", "dormant", "expired", "terminated") and not dates["mou_signed"],
             _("an agreement that is {status} needs mou_signed").format(status=status)),
            (dates["mou_signed"] is not None and not term_ok,
             _("an MoU needs term_years (a number up to {most}; 0 when it has no end date)").format(
                 most=MAX_TERM_YEARS)),
            (same in seen, _("it repeats line {line} (same title, partner and dates)").format(line=seen.get(same))),
            (status in ("active", "dormant") and expires is not None and expires < today,
             _("an agreement that is {status} would have expired on {day}; give the date of its last extension "
               "as mou_signed, or term_years 0").format(status=status, day=expires)),
            (dates["loi_signed"] and dates["mou_signed"] and dates["mou_signed"].day < dates["loi_signed"].day
             and dates["mou_signed"].precision == dates["loi_signed"].precision == "day",
             _("the MoU is signed before the LoI")),
            (any(d and d.day > today for d in dates.values()), _("a date lies in the future")),
            (ref and (ref in refs or ref in known_refs), _("ref {ref} is used twice").format(ref=ref)),
        ] + [(True, problem) for problem in found]
        seen.setdefault(same, line)
        failed = [message for condition, message in checks if condition]
        for message in failed:
            bad(message)
        if failed:
            continue
        refs.add(ref)
        facts.append({"line": line, "ref": ref, "title": row["title"].strip(), "partner": row["partner"].strip(),
                      "country": row["country"].strip().upper(), "partner_type": row["partner_type"].strip(),
                      "fields": fields, "dates": dates, "term_years": int(term) if term else None, "status": status,
                      "renews": (row.get("renews") or "").strip().upper() or None,
                      "level_justification": (row.get("level_justification") or "").strip() or None,
                      "source": (row.get("source") or "").strip()})
    all_refs = refs | known_refs
    for fact in facts:
        if fact["renews"] and fact["renews"] not in all_refs:
            problems.append(_("line {line}: renews {ref}, which is neither in the file nor in the database").format(
                line=fact["line"], ref=fact["renews"]))
    return facts, sorted(problems, key=lambda p: int(re.search(r"\d+", p).group()))


def import_agreements(bureau: Bureau, path: Path, *, actor: str, dry_run: bool = False,
                      rows: list[tuple[int, dict]] | None = None) -> dict:
    """Load the agreements of ``path``; all rows or none.

    :param rows: the file's rows when the caller has read them already.
    :raises InvalidInput: with every problem, each naming its line.
    """
    rows = read_rows(path) if rows is None else rows
    with bureau.db.session() as session:
        region = load_region(session)
        today = bureau.today(region)
        known = set(session.exec(select(Case.ref)).all())
    facts, problems = check_rows(rows, region, today, known)
    if problems:
        raise InvalidInput(_("Nothing imported from {path}: {problems}").format(path=path,
                                                                                problems="; ".join(problems)))
    planned = [{"line": f["line"], "ref": f["ref"] or _("(new)"), "partner": f["partner"], "status": f["status"],
                "state": STATE_OF_STATUS[f["status"]]} for f in facts]
    if dry_run:
        return {"imported": 0, "would_import": planned}
    with bureau.db.session() as session, writing(bureau, session):
        for fact in sorted(facts, key=lambda f: not f["ref"]):  # given refs first: new ones number after them
            _create(session, bureau, region, fact, actor, today, path)
    return {"imported": len(facts), "cases": planned}


def _create(session, bureau: Bureau, region, fact: dict, actor: str, today: date, path: Path) -> None:
    dates = fact["dates"]
    first = dates["loi_signed"] or dates["mou_signed"]
    partner = session.exec(select(Partner).where(Partner.name == fact["partner"],
                                                 Partner.country == fact["country"])).first()
    if partner is None:
        partner = Partner(name=fact["partner"], country=fact["country"], partner_type=fact["partner_type"])
        session.add(partner)
        session.flush()
    state = STATE_OF_STATUS[fact["status"]]
    case = Case(ref=fact["ref"] or next_ref(session, first.day.year), title=fact["title"],
                kind=eligibility.kind_of(fact["partner_type"]), partner_id=partner.id, fields=fact["fields"],
                state=state, opened_on=first.day, level_justification=fact["level_justification"])
    session.add(case)
    session.flush()
    fact["ref"] = case.ref
    data = {"source": fact["source"] or str(path.name), "status": fact["status"], "term_years": fact["term_years"],
            "renews": fact["renews"], "precision": {k: d.precision for k, d in dates.items() if d}}
    data |= {k: d.shown() for k, d in dates.items() if d}
    # The event is dated by the last fact the row knows, so what is recorded after it stays in order.
    known = max(d.day for d in dates.values() if d)
    event = Event(case_id=case.id, seq=1, name="imported", actor=actor, occurred_on=known, from_state=None,
                  to_state=state, note=_("Imported from {source}").format(source=data["source"]), data=data)
    event.hash = seal(event, None)
    session.add(event)
    session.flush()
    if state in IN_FORCE and dates["mou_signed"] and fact["term_years"]:  # 0: no end date
        expiry = dates["mou_signed"].day + relativedelta(years=fact["term_years"])
        review = expiry - relativedelta(months=9)
        for kind, due in (("agreement_expiry", expiry), ("extension_review", review)):
            session.add(Deadline(case_id=case.id, kind=kind, starts_on=dates["mou_signed"].day, due=due,
                                 opened_by_event_id=event.id, next_action_on=today))
    if state == "loi_signed":
        for kind, length in (("loi_to_mou_target", 12), ("loi_validity", region.loi_validity_months)):
            session.add(Deadline(case_id=case.id, kind=kind, starts_on=dates["loi_signed"].day,
                                 due=dates["loi_signed"].day + relativedelta(months=length),
                                 opened_by_event_id=event.id, next_action_on=today))
    if state == "in_force":
        alive = (dates["last_activity"] or dates["mou_signed"]).day
        rule = DEADLINE_RULE_BY_KIND["dormancy"]
        session.add(Deadline(case_id=case.id, kind="dormancy", starts_on=alive,
                             due=due_date(rule, alive, region.dormancy_months, bureau.calendar),
                             opened_by_event_id=event.id, next_action_on=today))
