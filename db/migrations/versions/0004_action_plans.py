"""Action plans and evaluations: the activities of a case and its periodic evaluations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("lead_opd", sa.String(), nullable=False),
        sa.Column("partner_unit", sa.String(), nullable=True),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("layer", sa.String(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("cost", sa.BigInteger(), nullable=False),
        sa.Column("budget_source", sa.String(), nullable=False),
        sa.Column("output", sa.String(), nullable=False),
        sa.Column("indicator", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=True),
        sa.Column("budgeted_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "number", name="uq_activity_case_number"),
    )
    op.create_index("ix_activities_case_id", "activities", ["case_id"])
    op.create_index("ix_activities_lead_opd", "activities", ["lead_opd"])
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("planned", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("outputs", sa.String(), nullable=False),
        sa.Column("indicators", sa.String(), nullable=False),
        sa.Column("problems", sa.String(), nullable=False),
        sa.Column("recommendation", sa.String(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evaluations_case_id", "evaluations", ["case_id"])


def downgrade() -> None:
    op.drop_table("evaluations")
    op.drop_table("activities")
