"""Loading the agreements a bureau already has: ``kerjasama import``.

``import_agreements`` reads a CSV or JSON list of existing agreements (workflow/agreements/rows.py reads and
checks each row), and has the engine create each case directly in its state with an ``imported`` event that keeps
every fact of the row: dates with their precision and their alternatives, what is unknown, links to other
agreements, and the flags of what today's rules would refuse. A file with a row that cannot be a fact is refused
whole, every problem grouped by the column to correct. A kerjasama export given to ``import_file`` is restored
whole (workflow/agreements/backup.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Case, Deadline, Event, Partner, Region
from workflow import eligibility
from workflow.agreements.backup import import_all
from workflow.agreements.indicator_import import Agreement, IndicatorsRefused, import_indicators, prepare, record
from workflow.agreements.indicator_table import is_indicator_table
from workflow.agreements.rows import (COLUMNS, DATES, LINKS, Row, check_rows, expiry_of, from_json, grouped,
                                      header_of, read_rows)
from workflow.agreements.spreadsheet import Table, sheet_rows, sheets
from workflow.bureau import Bureau
from workflow.deadlines import due_date, rule_length
from workflow.engine import next_ref, writing
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import DEADLINE_RULE_BY_KIND, TERMINAL_STATES
from workflow.seal import seal
from workflow.store import load_region

# An agreement whose status no source states is recorded as signed and in force, which is what signing makes
# it, with its status shown as unknown and no deadline of its own until an officer records what became of it.
STATE_OF_STATUS = {"active": "in_force", "dormant": "dormant", "expired": "expired", "terminated": "terminated",
                   "ended": "ended", "loi_only": "loi_signed", "unknown": "in_force"}


class ImportRefused(InvalidInput):
    """Rows that cannot be recorded; ``groups`` has them by the column to correct (``--dry-run`` lists them)."""

    def __init__(self, path: Path, groups: list[dict]):
        problems = [p for group in groups for p in group["problems"]]
        columns = ", ".join(f"{g['column']} ({g['count']})" for g in groups)
        super().__init__(_("Nothing imported from {path}: {n} problem(s); correct the columns {columns}: "
                           "{problems}").format(path=path, n=len(problems), columns=columns,
                                                problems="; ".join(problems)))
        self.groups = groups


def import_file(bureau: Bureau, path: Path, *, actor: str, dry_run: bool = False,
                indicators_only: bool = False) -> dict:
    """``kerjasama import``: a kerjasama export (a JSON object) is restored whole; a list of agreements (CSV, JSON or
    the first sheet of an Excel workbook) is loaded, with the workbook's indicator sheet after it; an indicator table
    (CSV, or a workbook whose first sheet is one), recognised by its columns, is loaded on its own.

    :param indicators_only: load only the workbook's indicator sheet, its agreements being in the database already.
    """
    if _is_workbook(path):
        tables = sheets(path)
        table = next((t for t in tables if is_indicator_table(t.header)), None)
        if indicators_only or table is tables[0]:
            return _indicators_alone(bureau, path, table, actor=actor, dry_run=dry_run)
        if not tables[0].header:
            sheet_rows(path)  # refused as an empty agreement list
        return import_agreements(bureau, path, actor=actor, dry_run=dry_run, rows=tables[0].rows,
                                 indicators=table if table and table.rows else None)  # an empty sheet: no noise
    text = _read(path)
    document = from_json(path, text) if path.suffix.lower() == ".json" else None
    if isinstance(document, dict) and not indicators_only:
        if dry_run:
            raise InvalidInput(_("--dry-run checks agreement lists; an export is restored whole."))
        return {"restored": import_all(bureau, document)}
    header = header_of(text) if document is None else []
    if indicators_only or is_indicator_table(header):
        table = Table(path.name, header, read_rows(path, text)) if is_indicator_table(header) else None
        return _indicators_alone(bureau, path, table, actor=actor, dry_run=dry_run)
    return import_agreements(bureau, path, actor=actor, dry_run=dry_run, rows=read_rows(path, text, document))


def _indicators_alone(bureau: Bureau, path: Path, table: Table | None, *, actor: str, dry_run: bool) -> dict:
    if table is None:
        raise InvalidInput(_("{path} holds no indicator table: a sheet or file whose first row names the columns "
                             "ref, indicator, kind and the others of kerjasama register --indicators --csv.")
                           .format(path=path))
    where = str(path) if path.suffix.lower() != ".xlsx" else f"{path}:{table.title}"
    return {"indicators": import_indicators(bureau, table.header, table.rows, where, actor=actor, dry_run=dry_run)}


def _is_workbook(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx"


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


def import_agreements(bureau: Bureau, path: Path, *, actor: str, dry_run: bool = False,
                      rows: list[tuple[int, dict]] | None = None, indicators: Table | None = None) -> dict:
    """Load the agreements of ``path``; all rows or none, and with them the indicators of ``indicators``.

    :param rows: the file's rows when the caller has read them already.
    :param indicators: the workbook's indicator sheet: checked with the agreements, and recorded after them.
    :raises ImportRefused: with every problem, each naming its line and column.
    :raises IndicatorsRefused: with every problem of the indicator sheet, each naming its row.
    """
    if rows is None and _is_workbook(path):
        rows = sheet_rows(path)
    elif rows is None:
        text = _read(path)
        rows = read_rows(path, text, from_json(path, text) if path.suffix.lower() == ".json" else None)
    with bureau.db.session() as session:
        region = load_region(session)
        today = bureau.today(region)
        known = set(session.exec(select(Case.ref)).all())
    checked = check_rows(rows, region, today, known)
    groups = grouped(checked)
    coming = {case.ref: Agreement(case.ref, began_on(case, today), [(True, today, case.state)])
              for case in (_existing(row, path) for row in checked if not row.problems) if case.ref}
    table = prepare(bureau, indicators.header, indicators.rows, f"{path}:{indicators.title}",
                    coming) if indicators else None
    if groups and indicators and all(row.text("ref").upper() in known for row in checked):
        raise InvalidInput(_("The agreements of {path} are in the database already; to load its indicator sheet "
                             "alone: kerjasama import {path} --indicators").format(path=path))
    if groups and not dry_run:
        raise ImportRefused(path, groups)
    if table and table.problems and not dry_run:
        raise IndicatorsRefused(table.problems)
    planned = [{"line": row.line, "ref": row.text("ref").upper() or _("(new)"), "partner": row.text("partner"),
                "status": row.status(), "state": STATE_OF_STATUS.get(row.status()), "flags": row.flags}
               for row in checked if not row.problems]
    if dry_run:
        return {"imported": 0, "would_import": planned, "unknown": _unknowns([r for r in checked if not r.problems]),
                "problems": groups} | ({"indicators": table.summary(True)} if table else {})
    refs = import_cases(bureau, [_existing(row, path) for row in checked], actor=actor)
    return {"imported": len(checked), "cases": [plan | {"ref": ref} for plan, ref in zip(planned, refs)]} | (
        {"indicators": record(table, actor)} if table else {})


def _unknowns(rows: list[Row]) -> dict[str, int]:
    """How many rows leave each fact unknown: what the import will record as unknown, for the bureau to see."""
    counts = {"term_years": sum(1 for r in rows if r.status() != "loi_only" and not r.text("term_years")
                                and "expires" not in r.dates),
              "fields": sum(1 for r in rows if not r.text("fields")),
              "status": sum(1 for r in rows if r.status() == "unknown"),
              "dates": sum(1 for r in rows if not r.dates)}
    return {column: n for column, n in counts.items() if n}


def _existing(row: Row, path: Path) -> ExistingCase:
    """A checked row as the engine records it; the event's data keeps every fact as the row gives it."""
    term = row.text("term_years")
    expiry = expiry_of(row)
    data = {"source": row.text("source") or str(path.name), "status": row.status(),
            "instrument": row.text("instrument") or ("loi" if row.status() == "loi_only" else "mou"),
            "term_years": int(term) if term else None,
            "renewal_every": int(row.text("renewal_every")) if row.text("renewal_every") else None,
            "precision": {column: found.precision for column, found in row.dates.items()}}
    data |= {column: found.shown() for column, found in row.dates.items()}
    data |= {column: row.text(column).upper() for column in LINKS if row.text(column)}
    if row.status() in ("expired", "terminated", "ended"):
        data["end_kind"] = row.text("end_kind") or (row.status() if row.status() != "ended" else None)
    if not row.text("fields"):
        data["fields_unknown"] = True
    if expiry and "expires" not in row.dates:
        data["expires"] = expiry.shown()  # signing + term, as precise as the signing
        data["precision"]["expires"] = expiry.precision
    for key, value in (("alternatives", row.alternatives), ("flags", row.flags), ("note", row.text("note"))):
        if value:
            data[key] = value
    days = {column: found.day for column, found in row.dates.items() if column in DATES}
    if expiry:
        days["expires"] = expiry.day
    return ExistingCase(ref=row.text("ref").upper() or None, title=row.text("title"), partner=row.text("partner"),
                        country=row.text("country").upper(), partner_type=row.text("partner_type"),
                        fields=[f.strip() for f in row.text("fields").split(";") if f.strip()],
                        level_justification=row.text("level_justification") or None,
                        state=STATE_OF_STATUS[row.status()], days=days, term_years=data["term_years"],
                        data=data, with_deadlines=row.status() != "unknown")


def began_on(existing: ExistingCase, today: date) -> date:
    """The day an imported case was opened: the earliest fact known of the tie; with none, the import day."""
    # The facts of the tie date it; the day a source described its status does only when nothing else is known.
    days = {key: day for key, day in existing.days.items() if key != "status_as_of"} or existing.days
    return min(days.values(), default=today)


@dataclass(frozen=True)
class ExistingCase:
    """An agreement or LoI the bureau already has, as :func:`import_cases` records it."""

    ref: str | None  # None: the next ref of the year it began
    title: str
    partner: str
    country: str
    partner_type: str
    fields: list[str]
    level_justification: str | None
    state: str
    days: dict[str, date]  # the first day of each date known (workflow.agreements.rows.DATES), and the expiry
    term_years: int | None  # None: no source states it; 0: no end date
    data: dict  # the imported event's data: the row's source, status and dates as given
    with_deadlines: bool = True  # False while its status is unknown: nothing to remind of until it is known


def import_cases(bureau: Bureau, cases: list[ExistingCase], *, actor: str) -> list[str]:
    """Record agreements the bureau already has, each in its state with one ``imported`` event; all or none.

    Cases with a given ref are written first, so that the refs numbered here come after them.
    Returns the refs, in the order of ``cases``.
    :raises ConcurrentChange: a case was opened at the same moment; nothing is written.
    """
    refs: dict[int, str] = {}
    actor, behalf = bureau.recorder(actor)
    with bureau.db.session() as session, writing(bureau, session):
        region = load_region(session)
        today = bureau.today(region)
        for index in sorted(range(len(cases)), key=lambda i: not cases[i].ref):
            refs[index] = _import_case(session, bureau, region, today, cases[index], actor, behalf)
    return [refs[index] for index in range(len(cases))]


def _import_case(session, bureau: Bureau, region: Region, today: date, existing: ExistingCase, actor: str,
                 behalf: dict) -> str:
    days = {key: day for key, day in existing.days.items() if key != "status_as_of"} or existing.days
    began = began_on(existing, today)
    partner = session.exec(select(Partner).where(Partner.name == existing.partner,
                                                 Partner.country == existing.country)).first()
    if partner is None:
        partner = Partner(name=existing.partner, country=existing.country, partner_type=existing.partner_type)
        session.add(partner)
        session.flush()
    case = Case(ref=existing.ref or next_ref(session, began.year), title=existing.title,
                kind=eligibility.kind_of(existing.partner_type), partner_id=partner.id, fields=existing.fields,
                state=existing.state, opened_on=began, level_justification=existing.level_justification)
    session.add(case)
    session.flush()
    # The event is dated by the last fact the row knows; an expiry is one only when the row says the tie ended (for
    # a live one it is a deadline, which the reminder job applies on its day).
    ended = existing.state in TERMINAL_STATES
    event = Event(case_id=case.id, seq=1, name="imported", actor=actor,
                  occurred_on=max([d for key, d in days.items() if d <= today and (ended or key != "expires")]
                                  or [began]),
                  from_state=None, to_state=existing.state,
                  note=_("Imported from {source}").format(source=existing.data["source"]), data=existing.data | behalf)
    deadlines = _imported_deadlines(bureau, region, today, case.id, existing) if existing.with_deadlines else []
    if deadlines:  # sealed with the event: the deadlines an import opens follow from no earlier event
        event.data = event.data | {"deadlines": {d.kind: d.due.isoformat() for d in deadlines}}
    event.hash = seal(event, None)
    session.add(event)
    session.flush()
    for deadline in deadlines:
        deadline.opened_by_event_id = event.id
    session.add_all(deadlines)
    return case.ref


def _imported_deadlines(bureau: Bureau, region: Region, today: date, case_id: int,
                        existing: ExistingCase) -> list[Deadline]:
    """The deadlines an imported case has open, as the procedure table's ``imported_in``/``imported_from`` say.

    Each starts on the day the row gives; one anchored on the expiry (the extension review) is counted from the
    expiry's due date. The reminder sweep looks at each from today, or from its due date when that has passed:
    a timer whose day has come is then applied at the next sweep, dated by its own day (the dormancy on the day
    it lapsed, the expiry on the expiry date).
    """
    deadlines, due = [], {}
    known_to = existing.data.get("precision", {})  # how precisely each of the row's dates is known
    for rule in DEADLINE_RULE_BY_KIND.values():  # table order: the expiry before what counts from it
        if rule.imported_instruments and existing.data.get("instrument") not in rule.imported_instruments:
            continue  # a Plan of Action's validity is its own, not an agreement's term
        column = next((d for d in rule.imported_from if existing.days.get(d)), None)
        starts_on = existing.days.get(column)
        if rule.due_given_by and existing.days.get(rule.due_given_by):  # the file gives the due date itself
            if existing.state not in rule.imported_in:
                continue
            due[rule.kind], column = existing.days[rule.due_given_by], rule.due_given_by
        else:
            counted_from = due.get("agreement_expiry") if rule.anchor == "expiry" else starts_on
            if existing.state not in rule.imported_in or counted_from is None or rule.due_given_by:
                continue
            length = rule_length(rule, region, {"term_years": existing.term_years})
            if not length:
                continue
            due[rule.kind] = due_date(rule, counted_from, length, bureau.calendar)
            column = "expires" if rule.anchor == "expiry" else column
        precision = known_to.get(column)
        deadlines.append(Deadline(case_id=case_id, kind=rule.kind, starts_on=starts_on or due[rule.kind],
                                  due=due[rule.kind],
                                  next_action_on=min(today, due[rule.kind]),
                                  precision=precision if precision != "day" else None))
    return deadlines
