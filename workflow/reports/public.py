"""The public site of the region's agreements, in the region's language: an index page with the counts by status,
one page per agreement, and the register the pages show as CSV and JSON downloads.

Only what a citizen may read: partner, country, fields, dates, status, the activities done, the indicators year by year
(target, figure and its source), the costs planned and spent by budget source, and the signed texts the bureau made
public (``kerjasama doc publish``, copied into ``documents/<sha256>.<ext>`` after their hash is checked; a figure's
document is linked only when it is one of them); never notes, officer names, letters or other documents, nor the
activities not carried out. The pages are built from a whitelist of fields, so a new column of the register does not
reach the site unless it is added here, and the downloads hold the same fields as the pages.
"""
from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Activity, Case, Document
from workflow import eligibility
from workflow.chain import head
from workflow.agreements import register
from workflow.bureau import Bureau
from workflow.document_kinds import kinds
from workflow.documents import extension, verified_bytes
from workflow.errors import InvalidInput
from workflow.i18n import _, current_language, speaking
from workflow.inputs import check_ref
from workflow.store import load_region
from workflow.reports.benefit import SOURCE_LABELS, costs_chart, indicator_chart, published_figures
from workflow.reports.environment import reports_environment
from workflow.reports.statuses import LABELS, shown_status, status_groups

CSV_NAME, JSON_NAME = "register.csv", "register.json"
CSV_COLUMNS = ("ref", "partner", "country", "instrument", "fields", "signed_on", "expiry", "status", "status_label",
               "activities_done", "page")


def publish(bureau: Bureau, directory: Path, today: date | None = None) -> list[Path]:
    """Write the public site of the region's agreements into ``directory``; returns the files written."""
    rows = register(bureau)
    for row in rows:
        check_ref(row["ref"])  # a ref is a file name here: nothing that leaves the folder
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        done = session.exec(select(Activity, Case.ref).join(Case, Case.id == Activity.case_id)
                            .where(Activity.status == "done").order_by(Activity.done_on)).all()
        anchor = head(session)
        texts = defaultdict(list)  # ref -> the public signed texts, with their bytes checked against their seal
        for document, ref in session.exec(select(Document, Case.ref).join(Case, Case.id == Document.case_id)
                                          .where(Document.public).order_by(Document.dated_on, Document.id)):
            texts[ref].append((document, verified_bytes(session, document)))
        files_of = {document.sha256: _file(document) for pairs in texts.values() for document, _data in pairs}
        cases = {case.ref: case for case in session.exec(select(Case).where(Case.ref.in_([r["ref"] for r in rows])))}
        with speaking(region.language):  # the catalogue's indicators are named in the pages' language
            figures = published_figures(session, [cases[row["ref"]] for row in rows], today, files_of)
    activities = defaultdict(list)
    for activity, ref in done:
        activities[ref].append({"title": activity.title, "done_on": activity.done_on.isoformat()})
    with speaking(region.language):
        public = [_public(row, activities.get(row["ref"], []), texts.get(row["ref"], [])) | benefit
                  for row, benefit in zip(rows, figures)]
        env = reports_environment()
        downloads = {"csv": CSV_NAME, "json": JSON_NAME}
        common = {"region": region, "today": today, "anchor": anchor, "downloads": downloads}
        files = [("index.html", env.get_template("public_index.html").render(
            agreements=public, status_groups=status_groups([a["status"] for a in public]), **common))]
        files += [(a["page"], env.get_template("public_agreement.html").render(
            agreement=a, charts=_charts(a), source_labels=SOURCE_LABELS, **common)) for a in public]
        files += [(CSV_NAME, as_csv(public)), (JSON_NAME, as_json(region.name, today, anchor, public))]
    files += [(_file(document), data) for pairs in texts.values() for document, data in pairs]
    directory.mkdir(parents=True, exist_ok=True)
    if any(name.startswith("documents/") for name, _text in files):
        (directory / "documents").mkdir(exist_ok=True)
    written = []
    for name, text in files:
        _write_no_link(directory / name, text)
        written.append(directory / name)
    return written


def _public(row: dict, activities: list[dict], texts: list[tuple]) -> dict:
    """The whitelisted fields of a register row, in the language spoken; dates as precise as the record has them
    (``2012``, ``2012-11``, ``2012-11-03``); its public signed texts as their kind, date and file on the site."""
    language = current_language()
    fields = eligibility.fields()
    status = shown_status(row)
    return {"ref": row["ref"], "partner": row["partner"], "country": eligibility.country_name(row["country"], language),
            "instrument": row["instrument"],
            "fields": [getattr(fields[f], f"name_{language}") for f in row["fields"] or [] if f in fields],
            "signed_on": row["signed_on"], "expiry": row["expiry"], "status": status,
            "status_label": _(LABELS[status]) if status in LABELS else status,
            "activities": activities, "page": f"{row['ref']}.html",
            "documents": [{"kind": kinds()[d.kind].title(), "dated": d.dated_on.isoformat() if d.dated_on else None,
                           "file": _file(d)} for d, _data in texts]}


def _file(document: Document) -> str:
    """Where a public document is on the site."""
    return f"documents/{document.sha256}{extension(document)}"


def _charts(agreement: dict) -> dict:
    """The charts of an agreement's page: one per indicator, and the costs by budget source."""
    return {"indicators": [indicator_chart(i) for i in agreement["indicators"]],
            "costs": costs_chart(agreement["costs"])}


def as_csv(agreements: list[dict]) -> str:
    """The public register as CSV (RFC 4180, UTF-8): a list (the fields) in one cell with ``; `` between its items,
    the activities done as their number."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for a in agreements:
        writer.writerow({column: _inert(value) for column, value in (
            a | {"fields": "; ".join(a["fields"]), "activities_done": len(a["activities"])}).items()
            if column in CSV_COLUMNS})
    return out.getvalue()


def _inert(value):
    """A cell a spreadsheet shows as text: one that starts like a formula gets a leading apostrophe (OWASP's advice
    on CSV injection), as in the register's own CSV."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def as_json(region: str, today: date, anchor, agreements: list[dict]) -> str:
    """The public register as one JSON document, with the day and the audit anchor the pages carry."""
    document = {"region": region, "updated": today.isoformat(), "language": current_language(),
                "anchor": str(anchor) if anchor else None, "agreements": agreements}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _write_no_link(path: Path, text: str | bytes) -> None:
    """Write ``path`` as a file of its folder, never through a symbolic link planted in its place; the text as it
    is (a CSV keeps its CRLF line ends), or the bytes of a document."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as err:
        raise InvalidInput(_("{path} cannot be written ({reason}); publish writes only plain files of its folder.")
                           .format(path=path, reason=err.strerror)) from None
    if isinstance(text, bytes):
        with os.fdopen(handle, "wb") as out:
            out.write(text)
        return
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
