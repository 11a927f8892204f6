"""Alembic environment: migrate the connection kerjasama hands over (db.migrations.upgrade)."""
from alembic import context

import db.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from sqlmodel import SQLModel

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through db.migrations.upgrade(), which passes a connection")
context.configure(connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
