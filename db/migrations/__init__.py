"""Schema migrations (Alembic). Each revision in versions/ runs once and is recorded; an upgrade runs every pending
revision in the caller's one transaction (db.session.Database.ensure_schema)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

HERE = Path(__file__).parent


def alembic_config(connection=None) -> Config:
    """An Alembic config for our scripts; ``connection`` is the connection env.py migrates."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def upgrade(connection, revision: str = "head") -> None:
    """Upgrade the database behind ``connection`` to ``revision``."""
    command.upgrade(alembic_config(connection), revision)


def known(revision: str) -> bool:
    """Whether ``revision`` is one of ours; one we do not know was written by a newer kerjasama."""
    return any(script.revision == revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions())
