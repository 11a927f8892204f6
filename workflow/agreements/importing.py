"""Loading the agreements a bureau already has: ``kerjasama import``.

``import_agreements`` reads a CSV or JSON list of existing agreements (one row each, dates as a day,
a month or a year), checks every row, and has the engine create each case directly in its state with
an ``imported`` event that records the source and the precision of every date. A row that is
impossible or conflicts with another is reported with its line, and nothing of the file is written.
A kerjasama export given to ``import_file`` is restored whole (workflow/agreements/backup.py).
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Case
from workflow import eligibility
from workflow.agreements.backup import import_all
from workflow.agreements.partial_dates import partial_date
from workflow.bureau import Bureau
from workflow.engine import ExistingCase, import_cases
from workflow.store import load_region
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import AGREEMENT_STATUSES, EVENT_BY_NAME

STATE_OF_STATUS = {"active": "in_force", "dormant": "dormant", "expired": "expired", "terminated": "terminated",
                   "loi_only": "loi_signed"}
COLUMNS = ("ref", "title", "partner", "country", "partner_type", "fields", "loi_signed", "mou_signed", "term_years",
           "status", "last_activity", "ended", "renews", "level_justification", "source")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and the like; tab and line breaks are text
MAX_TERM_YEARS = next(f.maximum for f in EVENT_BY_NAME["agreement_signed"].data if f.name == "term_years")


def import_file(bureau: Bureau, path: Path, *, actor: str, dry_run: bool = False) -> dict:
    """``kerjasama import``: a kerjasama export (a JSON object) is restored whole; a list of agreements is loaded."""
    text = _read(path)
    document = _json(path, text) if path.suffix.lower() == ".json" else None
    if isinstance(document, dict):
        if dry_run:
            raise InvalidInput(_("--dry-run checks agreement lists; an export is restored whole."))
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
            (status not in AGREEMENT_STATUSES,
             _("status must be one of {statuses}").format(statuses=", ".join(AGREEMENT_STATUSES))),
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
    refs = import_cases(bureau, [_existing(fact, path) for fact in facts], actor=actor)
    return {"imported": len(facts), "cases": [row | {"ref": ref} for row, ref in zip(planned, refs)]}


def _existing(fact: dict, path: Path) -> ExistingCase:
    """A checked row as the engine records it; the event's data keeps each date as given, and its precision."""
    dates = {key: found for key, found in fact["dates"].items() if found}
    data = {"source": fact["source"] or str(path.name), "status": fact["status"], "term_years": fact["term_years"],
            "renews": fact["renews"], "precision": {key: found.precision for key, found in dates.items()}}
    data |= {key: found.shown() for key, found in dates.items()}
    return ExistingCase(ref=fact["ref"] or None, title=fact["title"], partner=fact["partner"],
                        country=fact["country"], partner_type=fact["partner_type"], fields=fact["fields"],
                        level_justification=fact["level_justification"], state=STATE_OF_STATUS[fact["status"]],
                        days={key: found.day for key, found in dates.items()}, term_years=fact["term_years"],
                        data=data)
