"""Seal every event: a hash over its content chained to the previous event of its case.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
import hashlib
import json
from datetime import date, datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _seal(row, previous):
    # The same content and order as workflow/seal.py at this revision; kept here so the migration never changes.
    occurred = row.occurred_on if isinstance(row.occurred_on, date) else date.fromisoformat(row.occurred_on)
    recorded = row.recorded_at if isinstance(row.recorded_at, datetime) else datetime.fromisoformat(row.recorded_at)
    data = row.data if isinstance(row.data, dict) else json.loads(row.data)
    content = {"case_id": row.case_id, "seq": row.seq, "name": row.name, "actor": row.actor,
               "occurred_on": occurred.isoformat(), "recorded_at": recorded.astimezone(timezone.utc).isoformat(),
               "from_state": row.from_state, "to_state": row.to_state, "note": row.note,
               "doc_number": row.doc_number, "data": data, "previous": previous}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("hash", sa.String(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, case_id, seq, name, actor, occurred_on, recorded_at, from_state, "
                                "to_state, note, doc_number, data FROM events ORDER BY case_id, seq")).all()
    previous = {}
    for row in rows:
        value = _seal(row, previous.get(row.case_id))
        previous[row.case_id] = value
        conn.execute(sa.text("UPDATE events SET hash = :hash WHERE id = :id"), {"hash": value, "id": row.id})


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("hash")
