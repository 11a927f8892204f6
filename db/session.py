"""The database handle: engine set-up, sessions and schema upgrades."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlmodel import Session, create_engine

from db.errors import NewerSchema, NoDriver, NotADatabaseURL, Unavailable

# The newest migration in db/migrations/versions; tests check it against Alembic's head.
SCHEMA_REVISION = "0007"


def database_url(url_or_path: str) -> str:
    """A SQLAlchemy URL from what the user gave: a URL, or the path of a SQLite file.

    ``postgresql://`` is read as PostgreSQL through psycopg 3, the driver this project installs.
    """
    if "://" not in url_or_path:
        return f"sqlite:///{Path(url_or_path).expanduser()}"
    if url_or_path.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url_or_path.split("://", 1)[1]
    return url_or_path


class Database:
    """One database, opened lazily: nothing connects until the first query.

    :param url: a SQLAlchemy URL or a SQLite path (see :func:`database_url`).
    """

    def __init__(self, url: str):
        self.url = database_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise NotADatabaseURL(url=url) from None
        self.safe_url = parsed.render_as_string(hide_password=True)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = create_engine(self.url, connect_args={"timeout": 30} if self.is_sqlite else {})
        except (NoSuchModuleError, ImportError):
            raise NoDriver(url=self.safe_url) from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def ensure_schema(self) -> None:
        """Bring the schema to this version of kerjasama, creating it on an empty database.

        :raises Unavailable: the database cannot be reached.
        :raises NewerSchema: it was made by a newer kerjasama.
        """
        try:
            with self.engine.connect() as conn:
                current = _current_revision(conn)
                if current == SCHEMA_REVISION:
                    return
                from db.migrations import upgrade  # Alembic is imported only when there is work for it

                upgrade(conn)
                conn.commit()
        except DBAPIError as err:
            raise self.unavailable(err) from None
        except KeyError:  # Alembic cannot find the revision: written by a newer release
            raise NewerSchema(url=self.safe_url, revision=current) from None

    def unavailable(self, err: DBAPIError) -> Unavailable:
        """One line for a database error, naming the database without its password."""
        reason = str(err.orig).strip().splitlines()[0] if err.orig else type(err).__name__
        return Unavailable(url=self.safe_url, reason=reason)

    def dispose(self) -> None:
        self.engine.dispose()


def _current_revision(conn) -> str | None:
    """The schema revision recorded by Alembic, or None on an empty database."""
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # no such table: nothing was ever migrated here
        conn.rollback()
        return None


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (CLI beside the scheduler)
    cursor.close()
