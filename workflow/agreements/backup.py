"""Everything in the database as one JSON document, and back: ``kerjasama export`` and ``import``.

Rows keep their ids, so an export imported into an empty database and exported again gives the same
document. Dates and times are ISO 8601; the bytes of a kept PDF are base64. The archived documents' files come once per
content, under ``files``, each with its SHA-256 (the one sealed when it was archived) and its bytes in base64; import
checks every one against its hash, and keeps it where its document says (the documents folder, when this machine has
it) or else in the database.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import Date, LargeBinary, func, insert, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from db.models import (Activity, Case, Deadline, Delivery, Document, DocumentContent, Evaluation, Event, Indicator,
                       IndicatorValue, Letter, LetterCounter, Partner, Region, RegionChange, Reminder, Seal, Trip,
                       TripDelegate)
from db.session import SCHEMA_REVISION
from db.types import AwareDateTime
from workflow.bureau import Bureau
from workflow.audit import chain_break, chain_problems, settings_problems
from workflow.chain import chain_existing, current_anchor
from workflow.documents import IN_DATABASE, store_in_folder, verified_bytes
from workflow.eligibility import REGION_LEVELS
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.inputs import valid_ref
from workflow.procedure import (CASE_OPENED, COUNCIL_SILENCE, CORRECTED, EVENT_BY_NAME, IMPORTED, STATE_BY_NAME,
                                TIMEZONES)
from workflow.timeline import timeline

FORMAT = "kerjasama-export"
EVENT_NAMES = set(EVENT_BY_NAME) | {CASE_OPENED.name, IMPORTED.name, CORRECTED.name}
TABLES = (Region, RegionChange, Partner, Case, Event, Trip, TripDelegate, Seal, Deadline, Reminder, Delivery,
          LetterCounter, Letter, Activity, Evaluation, Document, Indicator, IndicatorValue)


def export_all(bureau: Bureau) -> dict:
    """Every table, in an order that import can insert again."""
    document = {"format": FORMAT, "schema": SCHEMA_REVISION,
                "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tables": {}}
    document["anchor"] = current_anchor(bureau)["anchor"]  # the head the export holds, to keep beside it
    with bureau.db.engine.connect() as conn:
        for model in TABLES:
            table = model.__table__
            order = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            document["tables"][table.name] = [{k: _out(v) for k, v in row.items()} for row in rows]
    document["files"] = _files_out(bureau)
    return document


def _files_out(bureau: Bureau) -> list[dict]:
    """Each archived file once, with its hash, as sealed: one that is missing or not the one archived is left out
    (audit verify names it; a restored database then shows it missing rather than restore the wrong bytes)."""
    files = {}
    with bureau.db.session() as session:
        for row in session.exec(select(Document).order_by(Document.id)).scalars():
            if row.sha256 not in files:
                try:
                    files[row.sha256] = base64.b64encode(verified_bytes(session, row)).decode("ascii")
                except InvalidInput:
                    continue
    return [{"sha256": sha, "content": content} for sha, content in sorted(files.items())]


def import_all(bureau: Bureau, document: dict) -> dict:
    """Restore an export into a database without cases.

    :raises InvalidInput: not an export, from a newer schema, or the database already holds cases.
    """
    if document.get("format") != FORMAT:
        raise InvalidInput(_("Not a kerjasama export (no \"format\": \"{format}\").").format(format=FORMAT))
    schema = document.get("schema")
    if not (isinstance(schema, str) and re.fullmatch(r"\d{4}", schema)):
        raise InvalidInput(_("The export's schema {schema} is not a schema revision such as {ours}.").format(
            schema=json.dumps(schema), ours=SCHEMA_REVISION))
    if schema > SCHEMA_REVISION:
        raise InvalidInput(_("The export is of schema {schema}, newer than this kerjasama ({ours}).").format(
            schema=schema, ours=SCHEMA_REVISION))
    tables = _tables(document)
    _check_record(tables)
    _check_figures(tables)
    files = _files_in(document, tables["documents"])
    counts = {}
    try:
        with bureau.db.engine.begin() as conn:
            if conn.execute(select(func.count()).select_from(Case.__table__)).scalar():
                raise InvalidInput(_("An export is restored into a database without cases; this one has cases."))
            for model in (Seal, RegionChange, Region):  # the settings of an empty database give way to the export's
                conn.execute(model.__table__.delete())
            for model in TABLES:
                rows = tables[model.__table__.name]
                if rows:
                    conn.execute(insert(model.__table__), rows)
                counts[model.__table__.name] = len(rows)
            if files:
                conn.execute(insert(DocumentContent.__table__), [{"sha256": sha, "content": content}
                                                                 for sha, content in files.items()])
            if tables["events"] and not tables["seals"]:  # an export of before the region's chain: it starts here
                with Session(bind=conn) as session:
                    chain_existing(session, _("restored from an export of {at}").format(
                        at=document.get("exported_at")))
                    counts["region_changes"] += 1
            if conn.dialect.name == "postgresql":  # the next id after the restored ones, in the same transaction
                for model in TABLES:
                    table = model.__table__
                    if "id" in table.c and counts[table.name]:
                        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                          f"(SELECT max(id) FROM {table.name}))"))
    except (IntegrityError, DataError) as err:  # rolled back whole: nothing of the export stays
        reason = str(err.orig).strip().splitlines()[0]
        raise InvalidInput(_("The export does not hold together ({reason}); nothing was restored.")
                           .format(reason=reason)) from None
    return counts


def _files_in(document: dict, rows: list[dict]) -> dict[str, bytes]:
    """The export's files checked against their hashes, those to keep in the database by hash. A file whose document
    names a folder this machine has is written there instead (content-addressed: written twice, it is the same), and
    a document whose folder is not here has its file kept in the database.

    :raises InvalidInput: a file that is not base64, or whose bytes are not those its hash names.
    """
    given = document.get("files", [])
    if not isinstance(given, list) or not all(isinstance(f, dict) for f in given):
        raise InvalidInput(_("The export's \"files\" must be a list of files (objects)."))
    files = {}
    for number, entry in enumerate(given, start=1):
        sha = entry.get("sha256")
        try:
            content = base64.b64decode(entry.get("content") or "", validate=True)
        except (TypeError, ValueError):
            content = None
        if not isinstance(sha, str) or content is None or hashlib.sha256(content).hexdigest() != sha:
            raise InvalidInput(_("File {n} of the export is not the file its SHA-256 names; nothing was restored.")
                               .format(n=number))
        files[sha] = content
    in_database = {}
    for row in rows:
        if row.get("sha256") not in files:
            continue  # missing when exported: audit verify will name it
        folder = Path(row["stored_in"]) if row.get("stored_in") != IN_DATABASE else None
        if folder and folder.is_dir():
            store_in_folder(folder, row["sha256"], files[row["sha256"]])
        else:
            row["stored_in"] = IN_DATABASE
            in_database[row["sha256"]] = files[row["sha256"]]
    return in_database


def _tables(document: dict) -> dict[str, list[dict]]:
    """The export's rows by table, with their values read back; anything that does not fit is refused here."""
    given = document.get("tables", {})
    if not isinstance(given, dict):
        raise InvalidInput(_("The export's \"tables\" must be an object of tables."))
    known = {model.__table__.name: model.__table__ for model in TABLES}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InvalidInput(_("The export has a table {table} this kerjasama does not know; tables: {tables}.")
                           .format(table=unknown[0], tables=", ".join(known)))
    tables = {}
    for name, table in known.items():
        rows = given.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise InvalidInput(_("Table {table} of the export must be a list of rows (objects).").format(table=name))
        tables[name] = []
        for number, row in enumerate(rows, start=1):
            try:
                tables[name].append({column: _in(table.c[column].type, value) for column, value in row.items()})
            except KeyError as err:
                raise InvalidInput(_("Row {row} of {table}: there is no column {column}.")
                                   .format(row=number, table=name, column=err.args[0])) from None
            except (TypeError, ValueError) as err:
                raise InvalidInput(_("Row {row} of {table}: a value does not fit its column ({error}).")
                                   .format(row=number, table=name, error=err)) from None
    return tables


def _check_record(tables: dict[str, list[dict]]) -> None:
    """Refuse an export the commands could not read, before anything is written: one region with known settings,
    refs of the ref pattern, known states and events, and every case's chain of seals intact, its state the one its
    timeline leaves."""
    regions = tables["region"]
    if len(regions) != 1:
        raise InvalidInput(_("An export holds one region (table region); this one holds {n}.").format(n=len(regions)))
    for column, allowed in (("level", REGION_LEVELS), ("council_silence", COUNCIL_SILENCE), ("timezone", TIMEZONES)):
        if regions[0].get(column) not in allowed:
            raise InvalidInput(_("The export's region has {column} {value}; allowed: {allowed}.").format(
                column=column, value=regions[0].get(column), allowed=", ".join(allowed)))
    events: dict[int, list] = {}
    for row in tables["events"]:
        if row.get("name") not in EVENT_NAMES or row.get("to_state") not in STATE_BY_NAME:
            raise InvalidInput(_("Event {seq} of case id {case} in the export is {name} into {state}, which this "
                                 "procedure does not know.").format(seq=row.get("seq"), case=row.get("case_id"),
                                                                    name=row.get("name"), state=row.get("to_state")))
        events.setdefault(row.get("case_id"), []).append(Event(**row))
    for row in tables["cases"]:
        ref = str(row.get("ref") or "")
        if not valid_ref(ref):
            raise InvalidInput(_("Case ref {ref} in the export is not letters and digits with - or . between them.")
                               .format(ref=ref[:60]))
        record = sorted(events.get(row.get("id"), []), key=lambda e: e.seq)
        found = chain_break(record) if record else (None, _("it has no events"))
        if found:
            raise InvalidInput(_("Case {ref} in the export: {problem} (event {seq}); nothing was restored.").format(
                ref=ref, problem=found[1], seq=getattr(found[0], "seq", "-")))
        if row.get("state") != timeline(record)[-1].to_state:
            raise InvalidInput(_("Case {ref} in the export is in state {state}, which its events do not lead to; "
                                 "nothing was restored.").format(ref=ref, state=row.get("state")))
    if tables["seals"] or tables["region_changes"]:
        changes = {row.get("id"): RegionChange(**row) for row in tables["region_changes"]}
        seals = sorted((Seal(**row) for row in tables["seals"]), key=lambda s: s.position or 0)
        problems = chain_problems(seals, {e.id: e for record in events.values() for e in record}, changes)
        problems += settings_problems(Region(**regions[0]), seals, changes)
        if problems:
            raise InvalidInput(_("The export's {where}: {problem}; nothing was restored.").format(**problems[0]))


def _check_figures(tables: dict[str, list[dict]]) -> None:
    """Each indicator's figure is the one the sealed event that recorded it carries (the chain seals the events, not
    these rows): refuse an export whose figures say otherwise."""
    events = {row.get("id"): row for row in tables["events"]}
    indicators = {row.get("id"): row for row in tables["indicators"]}
    for row in tables["indicator_values"]:
        event, indicator = events.get(row.get("event_id"), {}), indicators.get(row.get("indicator_id"), {})
        data = event.get("data") or {}
        given = (indicator.get("case_id"), indicator.get("number"), row.get("year"), row.get("value"),
                 row.get("source"), row.get("document_sha256"), row.get("measured_on"), row.get("precision"))
        sealed = (event.get("case_id"), data.get("indicator"), data.get("year"), data.get("value"), data.get("source"),
                  data.get("document"), event.get("occurred_on"), data.get("on_precision", "day"))
        if event.get("name") != "indicator_measured" or given != sealed:
            raise InvalidInput(_("Figure {id} of the export (table indicator_values) is not the one its event "
                                 "records; nothing was restored.").format(id=row.get("id")))


def _out(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _in(column_type, value):
    if value is None:
        return None
    if isinstance(column_type, AwareDateTime):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"{value} has no time zone offset")
        return moment
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value, validate=True)
    try:
        expected = column_type.python_type
    except NotImplementedError:  # JSON: any value
        return value
    if expected in (int, str, bool) and type(value) is not expected:  # SQLite would store a text in an int column
        raise ValueError(f"{value!r} is not {expected.__name__}")
    return value
