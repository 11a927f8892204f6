"""Indicators of what an agreement brings, their values, what an activity cost when it was done, and the figures an
evaluation was recorded with.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-21
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("activity_number", sa.Integer(), nullable=True),
        sa.Column("baseline", sa.String(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "number", name="uq_indicator_case_number"),
    )
    op.create_index("ix_indicators_case_id", "indicators", ["case_id"])
    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("precision", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("document_sha256", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicators.id"]),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_indicator_values_indicator_id", "indicator_values", ["indicator_id"])
    op.add_column("activities", sa.Column("spent", sa.BigInteger(), nullable=True))
    op.add_column("evaluations", sa.Column("figures", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch:
        batch.drop_column("figures")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("spent")
    op.drop_index("ix_indicator_values_indicator_id", "indicator_values")
    op.drop_table("indicator_values")
    op.drop_index("ix_indicators_case_id", "indicators")
    op.drop_table("indicators")
