"""The register's indicators as a table a bureau keeps beside its agreements: one row per baseline, target and figure.

``kerjasama register --xlsx`` writes it as the workbook's indicator sheet and ``kerjasama register --indicators --csv``
as CSV; ``kerjasama import`` reads either back (workflow/agreements/indicator_import.py). Its columns:

- ``ref``, ``indicator`` (its number within the agreement), ``code`` (of the catalogue, or ``own``), ``name`` (the
  bureau's own indicator's), ``unit``, ``activity`` (the action-plan activity it measures; empty: the agreement);
- ``kind``: ``baseline`` (one per indicator, first: the row that adds it, its year and value empty when no baseline
  is recorded), ``target`` (one per year) or ``figure`` (each recorded, oldest first);
- ``year``, ``value``: the figure as officers write it and ``--value`` reads it, whatever the language: digits, a
  comma before the decimals, no thousands separator (``1500``, ``12,50``), so decimals are kept as written and a
  spreadsheet never turns it into a float;
- ``on``: the day it was agreed (baseline, target) or established (figure), ``2026-11-20``, or ``2026-11`` or ``2026``
  for a figure known to its month or year, as the register writes dates; ``precision``: day, month or year (figures);
- ``source`` and ``document_sha256``: where a figure comes from, and the archived document that proves it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import select

from db.indicators import Indicator, IndicatorValue
from db.models import Case, Event
from workflow.agreements.spreadsheet import Column
from workflow.bureau import Bureau
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.indicator_catalogue import catalogue
from workflow.indicators import OWN
from workflow.inputs import UNSAFE, valid_ref
from workflow.money import parse_figure
from workflow.partial_dates import PartialDate, partial_date

COLUMNS = ("ref", "indicator", "code", "name", "unit", "activity", "kind", "year", "value", "on", "precision",
           "source", "document_sha256")
KINDS = ("baseline", "target", "figure")
PRECISIONS = ("day", "month", "year")
NUMBERS = ("indicator", "activity", "year")
WORKBOOK_COLUMNS = [Column(name, "number" if name in NUMBERS else "date" if name == "on" else "text")
                    for name in COLUMNS]
SETTING_EVENTS = ("indicator_added", "indicator_targets_set")
SHA256 = re.compile(r"[0-9a-f]{64}")
FORMULA = ("'=", "'+", "'-", "'@")  # a cell the register's CSV made inert (listing._inert): read as it was


def is_indicator_table(header) -> bool:
    """Whether a file's or sheet's first row names an indicator table rather than an agreement list."""
    names = {str(name).strip() for name in header if name is not None}
    return {"indicator", "kind"} <= names


def indicator_rows(bureau: Bureau, refs: list[str], on: date | None = None) -> list[dict]:
    """The table of the indicators of ``refs``, in that order, each indicator by its number.

    :param on: as it stood that day: the indicators added, the targets set and the figures established up to it.
    """
    with bureau.db.session() as session:
        cases = {case.ref: case for case in session.exec(select(Case).where(Case.ref.in_(refs)))}
        ids = [case.id for case in cases.values()]
        refs_of = {case.id: ref for ref, case in cases.items()}
        indicators = session.exec(select(Indicator).where(Indicator.case_id.in_(ids))
                                  .order_by(Indicator.case_id, Indicator.number)).all()
        values = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(
            [i.id for i in indicators])).order_by(IndicatorValue.measured_on, IndicatorValue.id)).all()
        settings = session.exec(select(Event).where(Event.case_id.in_(ids), Event.name.in_(SETTING_EVENTS))
                                .order_by(Event.case_id, Event.seq)).all()
    targets: dict[tuple[int, int], dict[str, tuple[str, date]]] = {}
    for event in settings:  # in the order they were recorded: a year set again takes the later target
        if on is None or event.occurred_on <= on:
            known = targets.setdefault((event.case_id, event.data["indicator"]), {})
            known |= {year: (value, event.occurred_on) for year, value in event.data.get("targets", {}).items()}
    figures: dict[int, list[IndicatorValue]] = {}
    for value in values:
        if on is None or value.measured_on <= on:
            figures.setdefault(value.indicator_id, []).append(value)
    by_case: dict[int, list[dict]] = {}
    for indicator in indicators:
        if on is not None and indicator.added_on > on:
            continue
        common = {"ref": refs_of[indicator.case_id], "indicator": indicator.number, "code": indicator.code,
                  "name": indicator.name, "unit": indicator.unit, "activity": indicator.activity_number}
        rows = [common | {"kind": "baseline", "year": indicator.baseline_year, "value": _written(indicator.baseline),
                          "on": indicator.added_on.isoformat()}]
        set_for = targets.get((indicator.case_id, indicator.number), {})
        rows += [common | {"kind": "target", "year": int(year), "value": _written(value), "on": day.isoformat()}
                 for year, (value, day) in sorted(set_for.items(), key=lambda t: int(t[0]))]
        rows += [common | {"kind": "figure", "year": v.year, "value": _written(v.value),
                           "on": PartialDate(v.measured_on, v.precision).shown(), "precision": v.precision,
                           "source": v.source, "document_sha256": v.document_sha256}
                 for v in figures.get(indicator.id, [])]
        by_case.setdefault(indicator.case_id, []).extend(rows)
    return [{column: row.get(column) for column in COLUMNS}
            for ref in refs if ref in cases for row in by_case.get(cases[ref].id, [])]


def _written(value: str | None) -> str | None:
    """A figure as kept (``12.50``) as officers write it and ``--value`` reads it back (``12,50``)."""
    return value.replace(".", ",") if value else value


@dataclass
class Line:
    """One row of an indicator table, read and checked on its own; ``where`` names it (``file.csv:3``)."""

    where: str
    ref: str
    number: int | None
    kind: str
    code: str | None  # None: not given (a target's or figure's row may leave it to the indicator's)
    name: str | None
    unit: str | None
    activity: int | None
    year: int | None
    value: str | None  # as kerjasama keeps it: 12.50
    on: PartialDate | None
    source: str
    document: str | None
    problems: list[str] = field(default_factory=list)

    def refuse(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")


def read_lines(rows: list[tuple[int, dict]], header: list[str], where: str, today: date) -> list[Line]:
    """Each row of the table as a :class:`Line`; what cannot be one is in its ``problems``.

    :param where: the file (and sheet) the rows come from, as problems name it.
    :raises InvalidInput: a header that does not name the indicator table's columns.
    """
    names = {str(name).strip() for name in header if name}
    unknown = sorted(names - set(COLUMNS))
    if unknown or not {"ref", "indicator", "kind"} <= names:
        raise InvalidInput(_("{where}: an indicator table has the columns {columns}; {found} is not one of them.")
                           .format(where=where, columns=", ".join(COLUMNS),
                                   found=unknown[0] if unknown else "ref, indicator, kind"))
    return [_line(f"{where}:{line}", values, today) for line, values in rows]


def _line(where: str, values: dict, today: date) -> Line:
    cells = {name: _cell(values.get(name)) for name in COLUMNS}
    row = Line(where, cells["ref"].upper(), None, cells["kind"], None, cells["name"] or None, cells["unit"] or None,
               None, None, None, None, cells["source"], cells["document_sha256"].lower() or None)
    control = next((name for name, text in cells.items() if UNSAFE.search(text)), None)
    if values.get(None):
        row.refuse(_("unknown column {name}; columns: {columns}").format(
            name=_("(a value past the last column)"), columns=", ".join(COLUMNS)))
    elif control:
        row.refuse(_("{column} holds a control or text-direction character").format(column=control))
    elif row.kind not in KINDS:
        row.refuse(_("kind must be one of {kinds}").format(kinds=", ".join(KINDS)))
    else:
        _check(row, cells, today)
    return row


def _check(row: Line, cells: dict[str, str], today: date) -> None:
    if not valid_ref(row.ref):
        row.refuse(_("ref {ref} is not letters and digits with - or . between them").format(ref=row.ref[:60]))
    row.number = _number(row, cells["indicator"], "indicator", 1, 100000, required=True)
    row.activity = _number(row, cells["activity"], "activity", 1, 100000)
    row.year = _number(row, cells["year"], "year", 1900, 2200, required=row.kind != "baseline")
    row.code = _code(row, cells["code"])
    if cells["value"]:
        try:
            row.value = parse_figure(cells["value"])
        except ValueError as reason:
            row.refuse(_("value {value} is not a figure: {reason}; write it as 1500 or 12,50").format(
                value=cells["value"][:40], reason=reason))
    elif row.kind != "baseline":
        row.refuse(_("a {kind} needs its value").format(kind=row.kind))
    if row.kind == "baseline" and (cells["year"] == "") != (cells["value"] == ""):
        row.refuse(_("a baseline needs its year and a year its baseline: give both, or neither"))
    _dates(row, cells["on"], cells["precision"], today)
    if row.kind != "figure" and (row.source or row.document):
        row.refuse(_("only a figure has a source and a document"))
    if row.kind == "figure" and not row.source:
        row.refuse(_("a figure needs its source: where it comes from (a report, an OPD's data, a survey)"))
    if row.document and not SHA256.fullmatch(row.document):
        row.refuse(_("document_sha256 must be the 64 hexadecimal digits of an archived document's SHA-256"))


def _cell(value) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith(FORMULA) else text


def _number(row: Line, text: str, column: str, least: int, most: int, required: bool = False) -> int | None:
    if not text:
        if required:
            row.refuse(_("{column} is needed").format(column=column))
        return None
    if not (text.isascii() and text.isdigit() and least <= int(text) <= most):
        row.refuse(_("{column} must be a whole number from {least} to {most}").format(
            column=column, least=least, most=most))
        return None
    return int(text)


def _code(row: Line, text: str) -> str | None:
    """The indicator's code: of the catalogue (by its code or its name), ``own`` for the bureau's own."""
    from workflow.vocabulary import NotAWord, resolve

    if not text:
        return None
    if text == OWN or text in catalogue():
        return text
    try:
        return resolve("indicator", text)
    except NotAWord as reason:
        row.refuse(_("code: {reason} Or {own}, for the bureau's own indicator").format(reason=reason, own=OWN))
        return None


def _dates(row: Line, on: str, precision: str, today: date) -> None:
    """``on`` as the register writes dates (2026-11-20, 2026-11, 2026), its precision as the column says."""
    if precision and precision not in PRECISIONS:
        return row.refuse(_("{column} must be one of {allowed}, or empty").format(column="precision",
                                                                                  allowed=", ".join(PRECISIONS)))
    try:
        day = partial_date(on)
    except ValueError:
        return row.refuse(_("on {value} is not a date; write 2026-11-20, or 2026-11 or 2026 for a figure known to "
                            "its month or year").format(value=on[:40]))
    if day is None:
        if row.kind == "figure":
            row.refuse(_("a figure needs the day it was established (on)"))
        return None
    if precision and precision != day.precision:
        first = partial_date(day.day.isoformat()[:{"month": 7, "year": 4}.get(precision, 10)])
        if day.precision != "day" or first.day != day.day:
            return row.refuse(_("on {on} is not of precision {precision}: write 2026-11 for a month, 2026 for a year")
                              .format(on=on, precision=precision))
        day = PartialDate(day.day, precision)
    if day.precision != "day" and row.kind != "figure":
        return row.refuse(_("a baseline or a target is dated by the day it was agreed"))
    if day.day > today:
        return row.refuse(_("a date lies in the future"))
    row.on = day
