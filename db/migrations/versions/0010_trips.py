"""Official trips abroad: the trips of a case, their delegations, and the region's days to report a trip.

The region's new setting is empty on an upgraded database (the circular's two weeks apply), so the settings its
newest sealed change records stay the region's settings.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("region", sa.Column("trip_report_days", sa.Integer(), nullable=True))
    op.create_table(
        "trips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("activity_number", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("destination", sa.String(), nullable=False),
        sa.Column("departs_on", sa.Date(), nullable=False),
        sa.Column("returns_on", sa.Date(), nullable=False),
        sa.Column("working_groups", sa.Integer(), nullable=False),
        sa.Column("host_confirmed_on", sa.Date(), nullable=True),
        sa.Column("kemlu_recommendation", sa.String(), nullable=True),
        sa.Column("cost", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("permit_due", sa.Date(), nullable=False),
        sa.Column("permit_requested_on", sa.Date(), nullable=True),
        sa.Column("permit_granted_on", sa.Date(), nullable=True),
        sa.Column("permit_number", sa.String(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("report_due", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("report_number", sa.String(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trips_case_id", "trips", ["case_id"])
    op.create_table(
        "trip_delegates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trip_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["trip_id"], ["trips.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("trip_id", "position", name="uq_trip_delegate_position"),
    )
    op.create_index("ix_trip_delegates_trip_id", "trip_delegates", ["trip_id"])


def downgrade() -> None:
    op.drop_index("ix_trip_delegates_trip_id", "trip_delegates")
    op.drop_table("trip_delegates")
    op.drop_index("ix_trips_case_id", "trips")
    op.drop_table("trips")
    with op.batch_alter_table("region") as batch:
        batch.drop_column("trip_report_days")
