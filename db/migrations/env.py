"""Alembic environment: migrate the connection kerjasama hands over (db.migrations.upgrade)."""
from alembic import context

from db.models import all_tables

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through db.migrations.upgrade(), which passes a connection")
context.configure(connection=connection, target_metadata=all_tables(), render_as_batch=True)
# Given a connection inside a transaction (as ensure_schema does), Alembic begins none of its own: every revision
# commits with the caller's transaction, or none does.
with context.begin_transaction():
    context.run_migrations()
