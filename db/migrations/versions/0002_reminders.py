"""Reminders: the outbox (reminders, deliveries), the sweep's index on deadlines, automatic LoI lapse.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from datetime import date

import sqlalchemy as sa
from alembic import op
from dateutil.relativedelta import relativedelta

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
    # Open deadlines get their first sweep from the day they opened; the sweep's catch-up window keeps
    # an old database from sending years of missed steps at once.
    op.execute("UPDATE deadlines SET next_action_on = (SELECT occurred_on FROM events "
               "WHERE events.id = deadlines.opened_by_event_id) WHERE status = 'open'")
    _open_dormancy_deadlines()
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


SIGNS_OF_LIFE = ("agreement_signed", "action_plan_adopted", "action_plan_budgeted", "activity_recorded",
                 "evaluation_recorded", "signing_report_sent", "annual_report_sent", "new_action_plan_started",
                 "amendment_signed", "extension_signed")


def _open_dormancy_deadlines() -> None:
    """Agreements in force get the dormancy deadline this revision introduces, from their last sign of life."""
    conn = op.get_bind()
    months = conn.execute(sa.text("SELECT dormancy_months FROM region")).scalar()
    if months is None:
        return
    rows = conn.execute(sa.text(
        "SELECT e.case_id, e.id, e.occurred_on FROM events e JOIN cases c ON c.id = e.case_id "
        "WHERE c.state IN ('in_force', 'amendment_in_progress') AND e.name IN :names ORDER BY e.case_id, e.seq"
    ).bindparams(sa.bindparam("names", expanding=True)), {"names": list(SIGNS_OF_LIFE)}).all()
    last = {case_id: (event_id, day) for case_id, event_id, day in rows}
    deadlines = sa.table("deadlines", sa.column("case_id"), sa.column("kind"), sa.column("starts_on"),
                         sa.column("due"), sa.column("status"), sa.column("opened_by_event_id"),
                         sa.column("next_action_on"))
    for case_id, (event_id, day) in last.items():
        day = day if isinstance(day, date) else date.fromisoformat(day)
        op.execute(deadlines.insert().values(case_id=case_id, kind="dormancy", starts_on=day,
                                             due=day + relativedelta(months=months), status="open",
                                             opened_by_event_id=event_id, next_action_on=day))


def downgrade() -> None:
    op.drop_table("deliveries")
    op.drop_table("reminders")
    op.execute("DELETE FROM deadlines WHERE kind = 'dormancy'")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_index("ix_deadlines_status_next_action")
        batch.drop_column("next_action_on")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("loi_lapse")
