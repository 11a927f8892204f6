"""Column types shared by the tables."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, String
from sqlalchemy.types import TypeDecorator


class AwareDateTime(TypeDecorator):
    """A timestamp that always comes back with its UTC offset.

    PostgreSQL keeps the instant in ``timestamp with time zone``; SQLite has no such type and would
    drop the offset, so there it is stored as ISO 8601 text in UTC, which also sorts correctly.
    Naive datetimes are refused: every timestamp of a government record says which clock it is.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware timestamp")
        if dialect.name == "sqlite":
            return value.astimezone(timezone.utc).isoformat()
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        return value
