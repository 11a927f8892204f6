"""Schema migrations (Alembic). Each revision in versions/ runs once, in a transaction, and is recorded."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

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
