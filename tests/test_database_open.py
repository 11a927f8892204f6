"""Opening the database at the start of a command: a schema upgrade is all or nothing, processes starting together
upgrade it once, and the commands that only read open it read-only, so they work on a copy they may not write."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from cli import cli
from db.migrations import upgrade
from db.models import all_tables
from db.session import SCHEMA_REVISION, Database
from tests.conftest import close_bureau, make_bureau
from tests.helpers import case_in

ROOT = Path(__file__).parent.parent
NOW = "2014-01-06T00:00:00+00:00"


def seed_first_schema(url: str) -> None:
    """A database of the first schema (0001) with a region and an agreement in force, as the first release left it."""
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            upgrade(conn, "0001")
            conn.execute(text("INSERT INTO region (id, name, level, province, head_title, council_silence, timezone, "
                              "dormancy_months, loi_validity_months, signing_report_days, created_at, updated_at) "
                              "VALUES (1, 'Kota Padang', 'kota', 'Sumatera Barat', 'Wali Kota', 'deemed_approval', "
                              "'Asia/Jakarta', 12, 60, 30, :now, :now)"), {"now": NOW})
            conn.execute(text("INSERT INTO partner (id, name, country, partner_type) VALUES (1, 'Hildesheim', 'DE', "
                              "'city')"))
            conn.execute(text("INSERT INTO cases (id, ref, title, kind, partner_id, fields, state, opened_on, version, "
                              "updated_at) VALUES (1, 'KS-2013-0001', 'Padang - Hildesheim', 'ksdpl', 1, "
                              "'[\"culture\"]', 'in_force', '2013-01-07', 3, :now)"), {"now": NOW})
            for seq, name, day, state in [(1, "case_opened", "2013-01-07", "initiated"),
                                          (2, "agreement_signed", "2013-06-03", "action_plan_drafting"),
                                          (3, "action_plan_budgeted", "2013-09-02", "in_force")]:
                conn.execute(text("INSERT INTO events (id, case_id, seq, name, actor, occurred_on, recorded_at, "
                                  "to_state, data) VALUES (:seq, 1, :seq, :name, 'siti', :day, :now, :state, '{}')"),
                             {"seq": seq, "name": name, "day": day, "now": NOW, "state": state})
            conn.execute(text("INSERT INTO deadlines (case_id, kind, starts_on, due, status, opened_by_event_id) "
                              "VALUES (1, 'annual_report', '2013-06-03', '2014-06-03', 'open', 2)"))
            conn.commit()
    finally:
        database.dispose()


def snapshot(url: str) -> dict:
    """Every table of the database with all its rows, to compare before and after."""
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            return {table: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{table}"')).all()), key=repr)
                    for table in sorted(inspect(conn).get_table_names())}
    finally:
        database.dispose()


def at_head_as_the_models_say(url: str) -> None:
    database = Database(url)
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [SCHEMA_REVISION]
            assert compare_metadata(MigrationContext.configure(conn), all_tables()) == []
            assert not [t for t in inspect(conn).get_table_names() if t.startswith("_alembic_tmp_")]
    finally:
        database.dispose()


def kept(tables: dict) -> dict:
    """What an upgrade must keep of the region, partners, cases and events: their first columns, which no migration
    changes."""
    return {table: [row[:4] for row in tables[table]] for table in ("region", "partner", "cases", "events")}


def python(code: str, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, **popen)


# 1. An upgrade killed half-way leaves the database as it was, and the next start upgrades it.

# Runs the upgrade in a process of its own and kills that process (SIGKILL, as the OOM killer or a power cut would)
# just before the first SQL statement that contains argv[2]. Listening on the Engine class sees every engine.
KILLER = """
import os, signal, sys
from sqlalchemy import event
from sqlalchemy.engine import Engine
from db.session import Database

def kill_before(conn, cursor, statement, *args):
    if sys.argv[2] in statement:
        os.kill(os.getpid(), signal.SIGKILL)

event.listen(Engine, "before_cursor_execute", kill_before)
Database(sys.argv[1]).ensure_schema()
"""


@pytest.mark.parametrize("kill_before", [
    "INSERT INTO deadlines",  # in the first migration (0002), after SQLite copied the region table
    "version_num='0005'",  # half-way: 0002 to 0004 done, 0005 sealed every event
    f"version_num='{SCHEMA_REVISION}'",  # the last statement before the commit
])
def test_an_upgrade_killed_half_way_leaves_the_database_as_it_was_and_the_next_start_upgrades(db_url, kill_before):
    seed_first_schema(db_url)
    before = snapshot(db_url)
    process = python(KILLER, db_url, kill_before, stderr=subprocess.PIPE)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, stderr.decode()
    assert snapshot(db_url) == before  # all or nothing: no half-made copy, no migration half applied
    database = Database(db_url)
    try:
        database.ensure_schema()
    finally:
        database.dispose()
    at_head_as_the_models_say(db_url)
    assert kept(snapshot(db_url)) == kept(before)


def test_a_copy_left_by_an_older_version_killed_in_its_upgrade_is_dropped(tmp_path):
    """Before the upgrade ran in one transaction, SQLite committed the CREATE TABLE of a migration's table copy on its
    own: a kill later in that migration left ``_alembic_tmp_region`` beside the intact ``region`` at revision 0001,
    and every later start stopped on "table _alembic_tmp_region already exists"."""
    path = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "data" / "schema-0001.db", path)
    old = Database(str(path))
    with old.engine.begin() as conn:
        conn.execute(text("CREATE TABLE _alembic_tmp_region AS SELECT *, 0 AS loi_lapse FROM region WHERE 0"))
    old.dispose()
    before = snapshot(str(path))
    database = Database(str(path))
    try:
        database.ensure_schema()
    finally:
        database.dispose()
    at_head_as_the_models_say(f"sqlite:///{path}")
    assert kept(snapshot(str(path))) == kept(before) and len(before["events"]) == 21


# 2. Processes starting together on a fresh database wait for each other; the schema is made once.

STARTER = """
import sys
from db.session import Database
database = Database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()  # every process is imported and waiting: go together
database.ensure_schema()
database.dispose()
"""


def test_four_first_starts_at_once_all_succeed_and_make_the_schema_once(db_url):
    processes = [python(STARTER, db_url, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(4)]
    assert [process.stdout.readline() for process in processes] == [b"ready\n"] * 4
    for process in processes:
        process.stdin.write(b"go\n")
        process.stdin.flush()
    errors = [process.communicate(timeout=120)[1].decode() for process in processes]
    assert [process.returncode for process in processes] == [0] * 4, errors
    assert errors == [""] * 4
    at_head_as_the_models_say(db_url)


# 3. Commands that only read open the database read-only and never upgrade it.

def invoke(db_url: str, tmp_path, *args: str):
    return CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, *args])


def test_a_read_command_does_not_upgrade_an_older_schema_and_a_write_command_does(db_url, tmp_path):
    seed_first_schema(db_url)
    before = snapshot(db_url)
    result = invoke(db_url, tmp_path, "case", "list")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        f"Error: The database {Database(db_url).safe_url} has schema revision 0001, older than this kerjasama; a "
        "command that records (such as kerjasama init) upgrades it, or ask the administrator."]
    assert snapshot(db_url) == before
    assert invoke(db_url, tmp_path, "init").exit_code == 0  # a write command upgrades it; nothing else changes
    at_head_as_the_models_say(db_url)
    assert "KS-2013-0001" in invoke(db_url, tmp_path, "case", "list").stdout


def test_a_read_command_on_an_empty_database_says_so_and_creates_nothing(db_url, tmp_path):
    result = invoke(db_url, tmp_path, "register")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines() == [
        "Error: This database has no region yet; run kerjasama init first."]
    if db_url.startswith("sqlite"):
        assert list(tmp_path.iterdir()) == []
    else:
        assert snapshot(db_url) == {}


def test_a_read_only_database_refuses_every_write(db_url):
    from db.errors import ReadOnly

    close_bureau(make_bureau(db_url))
    before = snapshot(db_url)
    database = Database(db_url, read_only=True)
    try:
        database.ensure_schema()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM region")).scalar() == "Kota Padang"
            with pytest.raises(DBAPIError) as raised:
                conn.execute(text("UPDATE region SET name = 'Kota Pariaman'"))
        assert isinstance(database.unavailable(raised.value), ReadOnly)
        assert str(database.unavailable(raised.value)) == (
            f"The database {database.safe_url} can only be read here; run the commands that record where it can be "
            "written.")
    finally:
        database.dispose()
    assert snapshot(db_url) == before


def test_a_schema_of_a_newer_kerjasama_is_refused_for_reading_and_for_writing(db_url, tmp_path):
    close_bureau(make_bureau(db_url))
    database = Database(db_url)
    try:
        with database.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
    finally:
        database.dispose()
    before = snapshot(db_url)
    for command in (["case", "list"], ["init", "--dormancy-months", "6"]):
        result = invoke(db_url, tmp_path, *command)
        assert (result.exit_code, result.stderr.strip().splitlines()) == (1, [
            f"Error: The database {Database(db_url).safe_url} has schema revision 9001, newer than this kerjasama "
            "knows; upgrade kerjasama."])
    assert snapshot(db_url) == before


LETTERS = '[letters]\nhead_name = "Fadly Amran, B.B.A."\ncity = "Padang"\n'

# Runs in a process of its own (as another user when the tests run as root): every command of argv[3:] (one JSON
# list each) on the database argv[1] with the config argv[2]; prints each one's exit code and output as JSON.
AUDITOR = """
import json, sys
from click.testing import CliRunner
from cli import cli
results = []
for command in sys.argv[3:]:
    result = CliRunner().invoke(cli, ["--db", sys.argv[1], "--config", sys.argv[2], *json.loads(command)])
    results.append([json.loads(command), result.exit_code, result.stdout, result.stderr])
print(json.dumps(results))
"""


def as_auditor(folder: Path, *commands: list[str]) -> list:
    """Run ``commands`` as a user who may not write the database: as ``nobody`` when the tests run as root, whom
    file permissions do not stop; as ourselves otherwise."""
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("the tests run as root and setpriv (util-linux) is missing to run as another user")
        prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    env = dict(os.environ, HOME=str(folder), XDG_CACHE_HOME=str(folder / "cache"), KERJASAMA_LANG="en")
    done = subprocess.run([*prefix, sys.executable, "-c", AUDITOR, str(folder / "ro" / "copy.db"),
                           str(folder / "config.toml"), *map(json.dumps, commands)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_read_command_works_on_a_copy_the_auditor_may_only_read(tmp_path):
    """An auditor's copy: the file 0444 in a folder 0555. The commands run as a user the permissions really stop."""
    made = tmp_path / "made.db"
    bureau = make_bureau(f"sqlite:///{made}")
    try:
        ref = case_in(bureau, "plan_drafting")
    finally:
        close_bureau(bureau)
    (tmp_path / "config.toml").write_text(LETTERS)
    issued = CliRunner().invoke(cli, ["--db", str(made), "--config", str(tmp_path / "config.toml"), "letter", "issue",
                                      ref, "d09_dprd_request.html", "--on", "2014-01-06"])
    assert issued.exit_code == 0, issued.output
    folder = Path(tempfile.mkdtemp(prefix="kerjasama-auditor-"))  # under /tmp: pytest's own folder is root's alone
    try:
        (folder / "ro").mkdir()
        (folder / "site").mkdir()
        shutil.copy(made, folder / "ro" / "copy.db")
        shutil.copy(tmp_path / "config.toml", folder / "config.toml")
        os.chmod(folder / "ro" / "copy.db", 0o444)
        os.chmod(folder / "ro", 0o555)
        os.chmod(folder, 0o755)
        os.chmod(folder / "site", 0o777)
        (folder / "cache").mkdir(mode=0o777)
        os.chmod(folder / "cache", 0o777)
        stat = (folder / "ro" / "copy.db").stat()
        content = (folder / "ro" / "copy.db").read_bytes()
        reads = [["case", "list"], ["case", "show", ref], ["case", "history", ref], ["case", "chronology", ref],
                 ["deadlines"], ["deadlines", "--ics"], ["action", "list", ref], ["board"], ["register"],
                 ["export"], ["report"], ["publish", str(folder / "site")], ["audit", "verify"], ["letter", "list"],
                 ["letter", "show", issued.stdout.strip()], ["letter", "render", ref, "d09_dprd_request.html"]]
        writes = [["case", "advance", ref, "case_suspended", "--note", "election"], ["init", "--dormancy-months", "6"]]
        results = as_auditor(folder, *reads, *writes)
        for command, code, stdout, stderr in results[:len(reads)]:
            assert (command, code) == (command, 0), stderr
            assert stdout or stderr, command
        for command, code, stdout, stderr in results[len(reads):]:
            assert (command, code, stderr.strip().splitlines()) == (command, 1, [
                "Error: The database sqlite:///" + str(folder / "ro" / "copy.db") + " can only be read here; run the "
                "commands that record where it can be written."])
        assert sorted(p.name for p in (folder / "ro").iterdir()) == ["copy.db"]  # no -wal, no -shm, no journal
        assert (folder / "ro" / "copy.db").read_bytes() == content
        assert (folder / "ro" / "copy.db").stat().st_mtime_ns == stat.st_mtime_ns
    finally:
        os.chmod(folder / "ro", 0o755)
        shutil.rmtree(folder)
