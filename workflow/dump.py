"""Everything in the database as one JSON document, and back: ``kerjasama export`` and ``import``.

Rows keep their ids, so an export imported into an empty database and exported again gives the same
document. Dates and times are ISO 8601; the bytes of a kept PDF are base64.
"""
from __future__ import annotations

import base64
from datetime import date, datetime, timezone

from sqlalchemy import Date, LargeBinary, func, insert, select, text

from db.models import (Activity, Case, Deadline, Delivery, Evaluation, Event, Letter, LetterCounter, Partner, Region,
                       Reminder)
from db.session import SCHEMA_REVISION
from db.types import AwareDateTime
from workflow.bureau import Bureau
from workflow.errors import InvalidInput
from workflow.i18n import _

FORMAT = "kerjasama-export"
TABLES = (Region, Partner, Case, Event, Deadline, Reminder, Delivery, LetterCounter, Letter, Activity, Evaluation)


def export_all(bureau: Bureau) -> dict:
    """Every table, in an order that import can insert again."""
    document = {"format": FORMAT, "schema": SCHEMA_REVISION,
                "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "tables": {}}
    with bureau.db.engine.connect() as conn:
        for model in TABLES:
            table = model.__table__
            order = list(table.primary_key.columns)
            rows = conn.execute(select(table).order_by(*order)).mappings().all()
            document["tables"][table.name] = [{k: _out(v) for k, v in row.items()} for row in rows]
    return document


def import_all(bureau: Bureau, document: dict) -> dict:
    """Restore an export into a database without cases.

    :raises InvalidInput: not an export, from a newer schema, or the database already holds cases.
    """
    if document.get("format") != FORMAT:
        raise InvalidInput(_("Not a kerjasama export (no \"format\": \"{format}\").").format(format=FORMAT))
    if str(document.get("schema", "")) > SCHEMA_REVISION:
        raise InvalidInput(_("The export is of schema {schema}, newer than this kerjasama ({ours}).").format(
            schema=document.get("schema"), ours=SCHEMA_REVISION))
    counts = {}
    with bureau.db.engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(Case.__table__)).scalar():
            raise InvalidInput(_("An export is restored into a database without cases; this one has cases."))
        conn.execute(Region.__table__.delete())
        for model in TABLES:
            table = model.__table__
            rows = [{k: _in(table.c[k].type, v) for k, v in row.items()}
                    for row in document.get("tables", {}).get(table.name, [])]
            if rows:
                conn.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if conn.dialect.name == "postgresql":  # the next id after the restored ones
            for model in TABLES:
                table = model.__table__
                if "id" in table.c and counts[table.name]:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"(SELECT max(id) FROM {table.name}))"))
    return counts


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
        return datetime.fromisoformat(value)
    if isinstance(column_type, Date):
        return date.fromisoformat(value)
    if isinstance(column_type, LargeBinary):
        return base64.b64decode(value)
    return value
