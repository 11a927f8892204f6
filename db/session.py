"""The database handle: engine set-up, sessions and schema upgrades."""
from __future__ import annotations

import sqlite3
import time
from functools import partial
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool
from sqlmodel import Session, create_engine

from db.errors import (DatabaseError, NewerSchema, NoDriver, NoSchema, NotADatabaseURL, OlderSchema, ReadOnly,
                       Unavailable)

# The newest migration in db/migrations/versions; tests check it against Alembic's head.
SCHEMA_REVISION = "0011"
# Taken by every kerjasama upgrading a PostgreSQL database, so that one upgrades and the others wait; any fixed number.
UPGRADE_LOCK = int.from_bytes(b"kerjasam", "big")


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
    :param read_only: for the commands that only read: every connection is read-only (an auditor's copy may not be
        writable) and :meth:`ensure_schema` only checks the schema, never upgrades it.
    """

    def __init__(self, url: str, read_only: bool = False):
        self.url = database_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise NotADatabaseURL(url=url) from None
        self.safe_url = parsed.render_as_string(hide_password=True)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # The SQLite file, when the URL names one as a plain path.
        self.path = (Path(parsed.database) if self.is_sqlite and parsed.database not in (None, "", ":memory:")
                     and "uri" not in parsed.query else None)
        self.read_only = read_only
        if self.path and not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        engine_url = _read_only_sqlite(parsed, self.path) if read_only and self.path else self.url
        try:
            self.engine = create_engine(engine_url, connect_args={"timeout": 30} if self.is_sqlite else {})
        except (NoSuchModuleError, ImportError):
            raise NoDriver(url=self.safe_url) from None
        if read_only and self.path:
            event.listen(self.engine, "do_connect", partial(_open_read_only, self.path))
        elif read_only and not self.is_sqlite:
            event.listen(self.engine, "connect", _postgres_read_only, insert=True)
        elif self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def ensure_schema(self) -> None:
        """Bring the schema to this version of kerjasama, creating it on an empty database; a read-only handle only
        checks that it is current.

        :raises Unavailable: the database cannot be reached.
        :raises ReadOnly: it must be upgraded and cannot be written here.
        :raises NewerSchema: it was made by a newer kerjasama.
        :raises OlderSchema, NoSchema: (read-only) it must first be upgraded, or set up, by a command that records.
        """
        if self.read_only and self.path and not self.path.exists():
            raise NoSchema(url=self.safe_url)  # SQLite would only say "unable to open database file"
        try:
            with self.engine.connect() as conn:
                current = _current_revision(conn)
            if current == SCHEMA_REVISION:
                return
            if self.read_only:
                raise self._not_current(current)
            self._upgrade()
        except DBAPIError as err:
            raise self.unavailable(err) from None

    def _upgrade(self) -> None:
        """Upgrade in one transaction, so that a process killed half-way leaves the database as it was; and one
        process at a time: the others wait for the lock, then find the schema current."""
        from db.migrations import upgrade  # Alembic is imported only when there is work for it

        engine = self._upgrade_engine()
        try:
            with engine.begin() as conn:
                if not self.is_sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
                current = _current_revision(conn)  # read again under the lock: another process may have upgraded
                if current == SCHEMA_REVISION:
                    return
                if isinstance(problem := self._not_current(current), NewerSchema):
                    raise problem
                _drop_interrupted_copies(conn)
                upgrade(conn)  # Alembic runs every migration inside this transaction (db/migrations/env.py)
        finally:
            if engine is not self.engine:
                engine.dispose()

    def _upgrade_engine(self):
        """A SQLite file gets an engine of its own for the upgrade, after SQLAlchemy's "pysqlite transactional DDL"
        recipe. Python's sqlite3 begins a transaction only before an INSERT, UPDATE or DELETE, so a CREATE TABLE
        before the first of them committed at once: an upgrade killed after a migration had made its copy of a table
        left that copy behind. Here every transaction begins with BEGIN IMMEDIATE, DDL included, and holds the write
        lock from its first statement, which also makes processes starting together wait their turn. The commands
        keep sqlite3's usual transactions on their own engine. PostgreSQL (and SQLite in memory or given as a URI)
        upgrades on the engine itself."""
        if not self.path:
            return self.engine
        engine = create_engine(self.url, connect_args={"timeout": 30}, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _sqlite_without_implicit_transactions)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine

    def _not_current(self, revision: str | None) -> DatabaseError:
        """Why a schema at ``revision``, not this kerjasama's, cannot be used as it stands."""
        from db.migrations import known

        if revision is None:
            return NoSchema(url=self.safe_url)
        if not known(revision):
            return NewerSchema(url=self.safe_url, revision=revision)
        return OlderSchema(url=self.safe_url, revision=revision)

    def unavailable(self, err: DBAPIError) -> DatabaseError:
        """One line for a database error, naming the database without its password."""
        if _refused_as_read_only(err.orig):
            return ReadOnly(url=self.safe_url)
        reason = str(err.orig).strip().splitlines()[0] if err.orig else type(err).__name__
        return Unavailable(url=self.safe_url, reason=reason)

    def login(self) -> str:
        """Who is connected: PostgreSQL's ``session_user``, or the operating system's login for a SQLite file."""
        if self.is_sqlite:
            import getpass

            return getpass.getuser()
        try:
            with self.engine.connect() as conn:
                return conn.execute(text("SELECT session_user")).scalar()
        except DBAPIError as err:
            raise self.unavailable(err) from None

    def dispose(self) -> None:
        self.engine.dispose()


def _current_revision(conn) -> str | None:
    """The schema revision recorded by Alembic, or None on an empty database. It looks before it reads: on
    PostgreSQL a failed query ends the transaction, and with it the upgrade lock."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _drop_interrupted_copies(conn) -> None:
    """Drop the table copies an older kerjasama left on SQLite when it was killed in an upgrade.

    Its migrations committed ``CREATE TABLE _alembic_tmp_<table>`` at once and rolled the rest back, so the empty or
    partial copy stayed beside the intact table, at the revision before, and every later upgrade stopped on "table
    _alembic_tmp_<table> already exists". Called only below head, where the migration that makes the copy has not
    completed, and a copy is dropped only beside its table, so it never holds the only rows.
    """
    tables = set(inspect(conn).get_table_names())
    for copy in sorted(name for name in tables if name.startswith("_alembic_tmp_")):
        if copy.removeprefix("_alembic_tmp_") in tables:
            conn.execute(text(f'DROP TABLE "{copy}"'))


def _refused_as_read_only(orig) -> bool:
    """Whether the database refused a write because it is read-only (SQLite's file or folder, or a PostgreSQL
    read-only transaction)."""
    return (getattr(orig, "sqlite_errorname", "").startswith("SQLITE_READONLY")
            or getattr(orig, "sqlstate", None) == "25006")


def _read_only_sqlite(parsed, path: Path):
    """The URL that opens the SQLite file read-only (a SQLite URI with mode=ro)."""
    return parsed.set(database="file:" + quote(str(path.absolute()))).update_query_dict({"uri": "true", "mode": "ro"})


def _open_read_only(path: Path, dialect, _record, cargs, cparams):
    """Open the SQLite file read-only. Reading a database in WAL mode needs the index file (-shm) beside it, made on
    first use; where none can be made (a folder the reader may not write, a read-only medium), open the file as
    immutable, which needs none. Never while a -wal file holds changes not yet in the database: an immutable
    reader would not see them."""
    sqlite3 = dialect.loaded_dbapi
    connection = sqlite3.connect(*cargs, **cparams)
    try:
        connection.execute("PRAGMA schema_version")  # the first read, which opens the WAL index
        return connection
    except sqlite3.OperationalError:
        connection.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            raise
    return sqlite3.connect(cargs[0] + "&immutable=1", *cargs[1:], **cparams)


def _postgres_read_only(dbapi_connection, _record) -> None:
    """Make every transaction of the connection read-only: the server refuses any write a read command might try."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True  # a SET outside a transaction lasts for the session
    dbapi_connection.execute("SET SESSION default_transaction_read_only = on")
    dbapi_connection.autocommit = autocommit


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL: readers do not block the writer (CLI beside the scheduler). Turning a new file to WAL needs it alone, and
    # when several processes open it at once SQLite may answer "locked" at once instead of waiting, to avoid a
    # deadlock between them: try again.
    for attempt in range(100):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as err:
            if attempt == 99 or not err.sqlite_errorname.startswith("SQLITE_BUSY"):
                raise
            time.sleep(0.05)
    cursor.close()


def _sqlite_without_implicit_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # sqlite3 begins no transaction itself; the "begin" event does
