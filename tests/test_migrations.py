"""The schema comes from the Alembic migrations, and they agree with the tables of db/models.py."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import db.models  # noqa: F401
from db.migrations import alembic_config
from db.session import SCHEMA_REVISION, Database


def test_the_code_knows_the_newest_migration():
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_REVISION


def test_migrations_build_exactly_the_tables_of_the_models(db_url):
    database = Database(db_url)
    try:
        database.ensure_schema()
        database.ensure_schema()  # a second run finds the schema current and does nothing
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == SCHEMA_REVISION
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        database.dispose()
