"""Reminders: the outbox (reminders, deliveries), the sweep's index on deadlines, automatic LoI lapse.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

from db.types import AwareDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("loi_lapse", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("next_action_on", sa.Date(), nullable=True))
        batch.create_index("ix_deadlines_status_next_action", ["status", "next_action_on"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("step", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("recorded_at", AwareDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadlines.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_reminders_case_id", "reminders", ["case_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", AwareDateTime(), nullable=False),
        sa.Column("claimed_at", AwareDateTime(), nullable=True),
        sa.Column("sent_at", AwareDateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["reminder_id"], ["reminders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reminder_id", "channel", name="uq_delivery_reminder_channel"),
    )
    op.create_index("ix_deliveries_reminder_id", "deliveries", ["reminder_id"])
    op.create_index("ix_deliveries_status_next_attempt", "deliveries", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("reminders")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_index("ix_deadlines_status_next_action")
        batch.drop_column("next_action_on")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("loi_lapse")
