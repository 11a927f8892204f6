"""A letter's number is unique as printed, not per register: the counter is kept per printed series (the number
pattern with its classification and unit, in a year), so two registers that print the same prefix share it; the
uniqueness of (register, year, sequence) goes, since two series of one register each count from 1.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("letters") as batch:
        batch.drop_constraint("uq_letter_register_year_sequence", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("letters") as batch:
        batch.create_unique_constraint("uq_letter_register_year_sequence", ["register_name", "year", "sequence"])
