"""Fixtures: every database test runs on a real SQLite file and, when KERJASAMA_TEST_POSTGRES_URL is set,
on a fresh schema of that PostgreSQL server."""
from __future__ import annotations

import os
import tempfile
import uuid
from datetime import datetime, timezone

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, text

from db.session import Database, database_url
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from tests import system
from workflow.i18n import catalogue_path, set_language
from workflow.region import init_region

os.environ["KERJASAMA_LANG"] = "en"  # tests read messages in English; the catalogue tests choose Indonesian
set_language("en", chosen=True)  # as the command line does with KERJASAMA_LANG: over a region's own language
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kerjasama-cache-")  # the CLI's holiday cache, not the user's
PG_URL = os.environ.get("KERJASAMA_TEST_POSTGRES_URL")
# KERJASAMA_THOROUGH=1: the property and fuzz tests draw many new random examples instead of CI's fixed few.
THOROUGH = os.environ.get("KERJASAMA_THOROUGH") == "1"
# CI installs every system package the tests need, so there a missing one is a failure, not a skip.
REQUIRE_SYSTEM_PACKAGES = os.environ.get("KERJASAMA_REQUIRE_SYSTEM_PACKAGES") == "1"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
# The clock the workflow tests run at; the CLI tests use the real one.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def make_url(backend: str, tmp_path) -> tuple[str, object]:
    """A database URL for ``backend`` and a function that removes the database."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'kerjasama-{uuid.uuid4().hex[:8]}.db'}", lambda: None
    if not PG_URL:
        pytest.skip("KERJASAMA_TEST_POSTGRES_URL is not set")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}", drop


def make_bureau(url: str, **region) -> Bureau:
    db = Database(url)
    bureau = Bureau(db, WorkingCalendar(), clock=NOW)
    settings = {"name": "Kota Padang", "level": "kota", "province": "Sumatera Barat"} | region
    init_region(bureau, **settings)
    return bureau


def close_bureau(bureau: Bureau) -> None:
    try:
        assert bureau.db.engine.pool.checkedout() == 0, "a connection was left checked out"
    finally:
        bureau.db.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    url, drop = make_url(request.param, tmp_path)
    yield url
    drop()


@pytest.fixture
def bureau(db_url):
    bureau = make_bureau(db_url)
    yield bureau
    close_bureau(bureau)


@pytest.fixture(scope="module", params=BACKENDS)
def shared_bureau(request, tmp_path_factory):
    """One database per module and backend, for table-driven tests that each open their own case."""
    url, drop = make_url(request.param, tmp_path_factory.mktemp("db"))
    bureau = make_bureau(url)
    yield bureau
    close_bureau(bureau)
    drop()


def catalogue_entries() -> dict:
    """The Indonesian catalogue (workflow/locale/id), message to translation."""
    with catalogue_path("id").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


@pytest.fixture(scope="module")
def catalogue():
    return catalogue_entries()


MISSING = pytest.StashKey[set]()  # the system packages that tests of this run need and did not find


def pytest_collection_modifyitems(config, items):
    """Skip each test whose system packages are missing, naming them; under CI, refuse to run without them."""
    for item in items:
        absent = system.missing([package for marker in item.iter_markers("needs") for package in marker.args])
        if absent:
            config.stash.setdefault(MISSING, set()).update(absent)
            item.add_marker(pytest.mark.skip(reason=f"needs the Debian package(s) {' '.join(absent)}"))
    absent = sorted(config.stash.get(MISSING, set()))
    if absent and REQUIRE_SYSTEM_PACKAGES:
        raise pytest.UsageError(f"KERJASAMA_REQUIRE_SYSTEM_PACKAGES=1 and the tests need Debian packages that are "
                                f"not installed: {' '.join(absent)}")


def pytest_terminal_summary(terminalreporter, config):
    absent = sorted(config.stash.get(MISSING, set()))
    if absent and not REQUIRE_SYSTEM_PACKAGES:
        terminalreporter.write_line(f"Tests were skipped for want of system packages; to run them: "
                                    f"sudo apt-get install {' '.join(absent)}", yellow=True)
