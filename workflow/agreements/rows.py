"""The rows of an agreement list (``kerjasama import``), read from CSV or JSON and checked.

A bureau's old register is what it is: a term no source states, fields nobody wrote down, a signing date never
published, an LoI signed after the MoU, a tie of decades ago that today's rules would refuse. Such a row is taken
as it is: what is unknown stays unknown (an empty cell, ``?`` or ``unknown``), and what today's rules would refuse
is recorded with a flag naming the rule and its article. Only what cannot be a fact is refused: a value that is
not a date, a code no list knows, a reference to nothing; each problem names its line and the column to correct.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta

from workflow import eligibility
from workflow.partial_dates import PartialDate, sourced_date
from workflow.errors import InvalidInput
from workflow.inputs import UNSAFE, valid_ref
from workflow.i18n import _
from workflow.procedure import AGREEMENT_STATUSES, END_KINDS, EVENT_BY_NAME, IMPORTED_DATES, INSTRUMENTS

DATES = IMPORTED_DATES
LINKS = ("renews", "revives", "implements", "supersedes")
COLUMNS = ("ref", "title", "partner", "country", "partner_type", "fields", "instrument", *DATES[:4], "term_years",
           "renewal_every", "expires", "status", "status_as_of", "last_activity", "ended", "end_kind", *LINKS,
           "level_justification", "source", "note")
UNKNOWN = {"", "?", "-", "unknown", "tidak diketahui", "n/a"}  # what registers write for "no source says"
MAX_TERM_YEARS = next(f.maximum for f in EVENT_BY_NAME["agreement_signed"].data if f.name == "term_years")


@dataclass
class Row:
    """One checked row: its facts, what is flagged, and what is wrong with it (column, message)."""

    line: int
    values: dict[str, str]
    dates: dict[str, PartialDate] = field(default_factory=dict)
    alternatives: dict[str, list[dict]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    ended_as: str | None = None  # the status a row that gives an end date is recorded with

    def text(self, column: str) -> str:
        value = (self.values.get(column) or "").strip()
        return "" if value.casefold() in UNKNOWN else value

    def status(self) -> str:
        """The status the row gives (none given is unknown), or the end its end date says."""
        return self.ended_as or (self.values.get("status") or "").strip() or "unknown"

    def refuse(self, column: str, message: str) -> None:
        self.problems.append((column, message))


def read_rows(path: Path, text: str, items=None) -> list[tuple[int, dict]]:
    """The rows of a CSV (line numbers of the file) or JSON list (position from 1)."""
    if path.suffix.lower() == ".json":
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InvalidInput(_("{path}: a list of agreements (objects) is expected.").format(path=path))
        rows = [(n, {key: _cell(value) for key, value in item.items()}) for n, item in enumerate(items, start=1)]
        wrong = [_("line {line}: {column} must be text, a number or a list of texts").format(line=n, column=key)
                 for n, row in rows for key, value in row.items() if value is None]
        if wrong:
            raise InvalidInput(_("Nothing imported from {path}: {problems}").format(path=path,
                                                                                    problems="; ".join(wrong)))
        return rows
    reader = csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))
    return [(reader.line_num, row) for row in reader]


def header_of(text: str) -> list[str]:
    """The column names of a CSV text's first line."""
    return [name.strip() for name in next(csv.reader(io.StringIO(text), delimiter=_delimiter(text)), [])]


def _delimiter(text: str) -> str:
    """A spreadsheet set to Indonesian writes CSV with semicolons, since the comma is its decimal mark."""
    header = (text.splitlines() or [""])[0]
    return ";" if header.count(";") > header.count(",") else ","


def _cell(value) -> str | None:
    """A JSON value as the text a CSV cell would hold; None for one that no column takes."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return ";".join(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def check_rows(rows: list[tuple[int, dict]], region, today: date, known_refs: set[str]) -> list[Row]:
    """Every row checked against the others and the database's refs."""
    checked, seen, refs = [], {}, {}
    for line, values in rows:
        row = Row(line, as_codes(values))
        _check(row, region, today)
        if not row.problems:
            same = (row.text("title").casefold(), row.text("partner").casefold(), row.text("country").upper(),
                    row.dates.get("loi_signed"), row.dates.get("mou_signed"))
            if same in seen:
                row.refuse("title", _("it repeats line {line} (same title, partner and dates)").format(line=seen[same]))
            seen.setdefault(same, line)
        ref = row.text("ref").upper()
        if ref and (ref in refs or ref in known_refs):
            row.refuse("ref", _("ref {ref} is used twice").format(ref=ref))
        refs.setdefault(ref, row)
        checked.append(row)
    for row in checked:
        for column in LINKS:
            target = row.text(column).upper()
            if not target or target in known_refs:
                continue
            if target not in refs:
                row.refuse(column, _("{column} {ref}, which is neither in the file nor in the database").format(
                    column=column, ref=target))
            elif refs[target].problems:
                row.refuse(column, _("{column} {ref}, whose line {line} has to be corrected first").format(
                    column=column, ref=target, line=refs[target].line))
            elif row.text("instrument") == "loi":
                _flag_late_loi(row, [refs[target]])
    for row in checked:  # an LoI with a partner the region had already signed with, linked or not
        if row.text("instrument") == "loi" and not any(row.text(column) for column in LINKS):
            _flag_late_loi(row, [other for other in checked if other is not row
                                 and other.text("partner").casefold() == row.text("partner").casefold()
                                 and other.text("country").upper() == row.text("country").upper()])
    return checked


# The columns that hold codes, and the vocabulary (workflow/vocabulary.py) whose Indonesian names they also take.
CODED_COLUMNS = {"partner_type": "partner_type", "status": "agreement_status", "end_kind": "end_kind",
                 "instrument": "instrument", "country": "country"}


def as_codes(values: dict) -> dict:
    """A row's values with each coded column's word as its code (``kota``: city, ``budaya;pendidikan``: culture;
    education, ``Jepang``: JP, ``tidak_aktif``: dormant); a word no vocabulary knows stays as written, for the
    checks to refuse with the allowed values."""
    from workflow.vocabulary import NotAWord, resolve

    def code(vocabulary: str, word: str) -> str:
        try:
            return resolve(vocabulary, word) if word.strip() and word.strip().casefold() not in UNKNOWN else word
        except NotAWord:
            return word

    coded = dict(values)
    for column, vocabulary in CODED_COLUMNS.items():
        if isinstance(coded.get(column), str):
            coded[column] = code(vocabulary, coded[column])
    if isinstance(coded.get("fields"), str):
        coded["fields"] = ";".join(code("field", part) for part in coded["fields"].split(";"))
    return coded


def _check(row: Row, region, today: date) -> None:
    unknown = sorted(set(row.values) - set(COLUMNS), key=str)
    if unknown:
        name = unknown[0] if unknown[0] is not None else _("(a value past the last column)")
        return row.refuse(str(name), _("unknown column {name}; columns: {columns}").format(
            name=name, columns=", ".join(COLUMNS)))
    control = next((key for key, value in row.values.items() if value and UNSAFE.search(value)), None)
    if control:
        return row.refuse(control, _("{column} holds a control or text-direction character").format(column=control))
    if row.text("ref") and not valid_ref(row.text("ref").upper()):
        row.refuse("ref", _("ref {ref} is not letters and digits with - or . between them").format(
            ref=row.text("ref")[:60]))
    for column in DATES:
        _read_date(row, column)
    if not row.text("title") or not row.text("partner"):
        row.refuse("title", _("title and partner are needed"))
    status = row.status()
    if status not in AGREEMENT_STATUSES:
        row.refuse("status", _("status must be one of {statuses}").format(statuses=", ".join(AGREEMENT_STATUSES)))
    for column, allowed in (("end_kind", END_KINDS), ("instrument", INSTRUMENTS)):
        if row.text(column) and row.text(column) not in allowed:
            row.refuse(column, _("{column} must be one of {allowed}, or empty").format(
                column=column, allowed=", ".join(allowed)))
    term = row.text("term_years")
    if term and not (term.isascii() and term.isdigit() and int(term) <= MAX_TERM_YEARS):
        row.refuse("term_years", _("term_years must be a number of years up to {most}, 0 when the agreement has "
                                   "no end date, or empty when no source states it").format(most=MAX_TERM_YEARS))
    every = row.text("renewal_every")
    if every and not (every.isascii() and every.isdigit() and 0 < int(every) <= MAX_TERM_YEARS):
        row.refuse("renewal_every", _("renewal_every must be a number of years from 1 to {most}, or empty").format(
            most=MAX_TERM_YEARS))
    for column, found in row.dates.items():
        if column != "expires" and found.day > today:
            row.refuse(column, _("a date lies in the future"))
    _check_partner(row, region)
    if not row.problems:
        _flag_irregular(row, today)


def _read_date(row: Row, column: str) -> None:
    """The date of ``column``; further dates in the cell (``2001-04-17 (Kemlu); 2001-05 (city site)``) are kept as
    alternatives with their sources."""
    found = []
    for part in (part for part in row.text(column).split(";") if part.strip()):
        dated = sourced_date(part)
        if dated is None:
            return row.refuse(column, _("{value} is not a date; write 2009-04-17, 2009-04 or 2009").format(
                value=part.strip()))
        found.append(dated)
    if found:
        row.dates[column] = found[0][0]
        if len(found) > 1:
            row.alternatives[column] = [{"date": day.shown(), "source": source} for day, source in found]


def _check_partner(row: Row, region) -> None:
    partner_type, country = row.text("partner_type"), row.text("country").upper()
    if partner_type not in eligibility.PARTNER_TYPES:
        return row.refuse("partner_type", _("partner_type must be one of {types}").format(
            types=", ".join(eligibility.PARTNER_TYPES)))
    fields = [f.strip() for f in row.text("fields").split(";") if f.strip()]
    for text, column, rule in eligibility.findings(region.level, partner_type, country, fields,
                                                   row.text("level_justification") or None):
        if not rule:
            row.refuse(column, text)
        elif fields or column != "fields":  # no fields given: unknown, not a broken rule
            row.flags.append(text)


def _flag_irregular(row: Row, today: date) -> None:
    """Flags for what the procedure would not have let happen in this order, or what the row leaves in doubt."""
    if not row.dates:
        row.flags.append(_("no date of this tie is on record; it is dated by the day it was imported"))
    if "ended" in row.dates and row.status() in ("active", "dormant", "loi_only", "unknown"):
        given = row.status()
        row.ended_as = row.text("end_kind") if row.text("end_kind") in ("expired", "terminated") else "ended"
        row.flags.append(_("the status says {status}, but the tie ended on {day}: recorded as {ended}").format(
            status=given, day=row.dates["ended"].shown(), ended=row.ended_as))
    loi, mou = row.dates.get("loi_signed"), row.dates.get("mou_signed")
    if loi and mou and loi.day > mou.day and loi.precision == mou.precision:
        row.flags.append(_("the LoI ({loi}) is dated after the MoU ({mou})").format(loi=loi.shown(), mou=mou.shown()))
    expiry = expiry_of(row)
    if row.status() in ("active", "dormant") and expiry and expiry.day < today:
        row.flags.append(_("the term ended on {day} and no extension is on record").format(day=expiry.shown()))
    for column, alternatives in row.alternatives.items():
        row.flags.append(_("sources disagree on {column}: {dates}").format(
            column=column, dates="; ".join(f"{a['date']} ({a['source'] or '?'})" for a in alternatives)))


def _flag_late_loi(row: Row, others: list[Row]) -> None:
    """An LoI that follows an agreement already signed is out of the procedure's order: kept, and flagged."""
    loi = row.dates.get("loi_signed")
    for earlier in others:
        signed = earlier.dates.get("mou_signed")
        if loi and signed and loi.day > signed.day and not earlier.problems:
            row.flags.append(_("the LoI ({loi}) follows an agreement signed before it ({ref}, {signed})").format(
                loi=loi.shown(), ref=earlier.text("ref").upper() or _("line {line}").format(line=earlier.line),
                signed=signed.shown()))
            return


def expiry_of(row: Row) -> PartialDate | None:
    """The expiry the row gives, or the signing plus the term, as precise as the signing is known."""
    if "expires" in row.dates:
        return row.dates["expires"]
    term, signed = row.text("term_years"), row.dates.get("mou_signed")
    if signed and term.isdigit() and int(term) > 0:
        return PartialDate(signed.day + relativedelta(years=int(term)), signed.precision)
    return None


def grouped(rows: list[Row]) -> list[dict]:
    """The problems by column to correct: how many, on which lines, and what each says."""
    groups: dict[str, dict] = {}
    for row in rows:
        for column, message in row.problems:
            group = groups.setdefault(column, {"column": column, "count": 0, "lines": [], "problems": []})
            group["count"] += 1
            group["lines"].append(row.line)
            group["problems"].append(_("line {line}: {message}").format(line=row.line, message=message))
    return sorted(groups.values(), key=lambda g: (-g["count"], g["column"]))


def from_json(path: Path, text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInput(_("{path}: not JSON ({error}).").format(path=path, error=err)) from None
