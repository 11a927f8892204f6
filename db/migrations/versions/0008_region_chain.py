"""One chain for the whole region, the region's settings changes as sealed rows, and the region's language.

``seals`` puts every event and settings change in one order, each link hashing the one before, with the newest event
of each case also sealing the case's state and deadline rows; ``region_changes`` keeps each change of the region's
settings with who made it. An upgraded database starts its chain here: the settings as found, then every event in
the order it was recorded, each case's state and deadlines as they stand.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
import hashlib
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from db.types import AwareDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SETTINGS = ("name", "level", "province", "head_title", "council_silence", "timezone", "dormancy_months",
            "loi_validity_months", "signing_report_days", "loi_lapse", "language")


def _digest(content):
    # The same as workflow/seal.py at this revision; kept here so the migration never changes.
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def upgrade() -> None:
    # The language of the reminders is the region's, not the server locale's; Indonesian, the officers' language.
    op.add_column("region", sa.Column("language", sa.String(), nullable=False, server_default="id"))
    op.create_table(
        "region_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("recorded_at", AwareDateTime(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("changed", sa.JSON(), nullable=False),
        sa.Column("hash", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "seals",
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("region_change_id", sa.Integer(), nullable=True),
        sa.Column("digest", sa.String(), nullable=False),
        sa.Column("case_digest", sa.String(), nullable=True),
        sa.Column("link", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.ForeignKeyConstraint(["region_change_id"], ["region_changes.id"]),
        sa.PrimaryKeyConstraint("position"),
        sa.UniqueConstraint("event_id"),
        sa.UniqueConstraint("region_change_id"),
    )
    _chain_what_is_there(op.get_bind())


def _chain_what_is_there(conn) -> None:
    position, previous = 0, None
    region = conn.execute(sa.text("SELECT * FROM region WHERE id = 1")).mappings().first()
    if region is not None:
        settings = {key: (bool(region[key]) if key == "loi_lapse" else region[key]) for key in SETTINGS}
        now = datetime.now(timezone.utc)
        digest = _digest({"actor": "kerjasama upgrade 0008", "recorded_at": now.isoformat(), "settings": settings,
                          "changed": {}})
        conn.execute(sa.table("region_changes", sa.column("id"), sa.column("actor"), sa.column("recorded_at"),
                              sa.column("settings", sa.JSON), sa.column("changed", sa.JSON), sa.column("hash"))
                     .insert().values(id=1, actor="kerjasama upgrade 0008", recorded_at=now, settings=settings,
                                      changed={}, hash=digest))
        position, previous = _seal(conn, 1, None, "region", 1, digest, None)
    events = conn.execute(sa.text("SELECT id, case_id, hash FROM events ORDER BY id")).all()
    newest = {row.case_id: row.id for row in events}
    for row in events:
        case = _case_digest(conn, row.case_id) if newest[row.case_id] == row.id else None
        position, previous = _seal(conn, position + 1, previous, "event", row.id, row.hash, case)


def _seal(conn, position, previous, kind, item_id, digest, case):
    value = _digest({"previous": previous, "kind": kind, "id": item_id, "digest": digest, "case": case})
    conn.execute(sa.text("INSERT INTO seals (position, event_id, region_change_id, digest, case_digest, link) "
                         "VALUES (:position, :event, :change, :digest, :case, :link)"),
                 {"position": position, "event": item_id if kind == "event" else None,
                  "change": item_id if kind == "region" else None, "digest": digest, "case": case, "link": value})
    return position, value


def _case_digest(conn, case_id):
    state = conn.execute(sa.text("SELECT state FROM cases WHERE id = :id"), {"id": case_id}).scalar()
    rows = conn.execute(sa.text("SELECT id, kind, starts_on, due, status, opened_by_event_id, closed_by_event_id, "
                                "closed_on, precision FROM deadlines WHERE case_id = :id"), {"id": case_id}).all()
    return _digest({"state": state, "deadlines": sorted(
        [r.id, r.kind, str(r.starts_on), str(r.due), r.status, r.opened_by_event_id, r.closed_by_event_id,
         str(r.closed_on) if r.closed_on else None, r.precision] for r in rows)})


def downgrade() -> None:
    op.drop_table("seals")
    op.drop_table("region_changes")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("language")
