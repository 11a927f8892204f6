"""Deadlines keep how precisely their date is known: null for a day, ``month`` or ``year`` when counted from a date
known only to that (an agreement of an old register signed "in 2009").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, which SQLite and PostgreSQL both do in place: rebuilding the table would change the
    # order of its indexes, and with it SQLite's choice of index for a case's open deadlines.
    op.add_column("deadlines", sa.Column("precision", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("precision")
