"""Real identities on PostgreSQL: the actor is the role an officer logs in with, and the history cannot be rewritten
by any role but the owner, by privilege or by trigger. On SQLite the system login is recorded, --as beside it."""
from __future__ import annotations

import getpass
import os
import uuid

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cli import cli
from db.session import database_url
from tests.helpers import json_of


def as_login(db_url: str, login: str) -> str:
    """The test database's URL, signed in as ``login`` (the server trusts local logins)."""
    return db_url.replace("postgresql://", f"postgresql://{login}@", 1)


@pytest.fixture
def bureau_roles(db_url, tmp_path):
    """A PostgreSQL database set up with kerjasama admin, with an officer, a head and an auditor login."""
    if not db_url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's")
    suffix = uuid.uuid4().hex[:8]
    logins = {role: f"ks_{role}_{suffix}" for role in ("officer", "head", "auditor")}

    def invoke(url, *args):
        return CliRunner().invoke(cli, ["--db", url, "--config", os.devnull, *args])

    assert invoke(db_url, "init", "--name", "Kota Surabaya", "--level", "kota", "--province", "Jawa Timur") \
        .exit_code == 0
    setup = invoke(db_url, "admin", "roles")
    assert setup.exit_code == 0, setup.output
    for role, login in logins.items():
        granted = invoke(db_url, "admin", "grant", login, role)
        assert granted.exit_code == 0 and f"kerjasama_{role}" in granted.output, granted.output
    yield invoke, logins
    owner = create_engine(database_url(db_url))
    with owner.begin() as conn:
        for login in logins.values():
            conn.execute(text(f'DROP OWNED BY "{login}"'))
            conn.execute(text(f'DROP ROLE "{login}"'))
    owner.dispose()


OPEN = ["case", "open", "--title", "Surabaya - Busan", "--partner", "Busan Metropolitan City", "--country", "KR",
        "--partner-type", "city", "--field", "trade_investment", "--on", "2024-01-08"]


def test_the_actor_is_the_login_and_as_is_on_whose_behalf(bureau_roles, db_url):
    invoke, logins = bureau_roles
    officer = as_login(db_url, logins["officer"])
    opened = invoke(officer, *OPEN, "--as", "Wali Kota", "--json")
    assert opened.exit_code == 0, opened.output
    ref = json_of(opened.stdout)["ref"]
    history = json_of(invoke(officer, "case", "history", ref, "--json").stdout)
    assert (history["events"][0]["actor"], history["events"][0]["on_behalf_of"]) == (logins["officer"], "Wali Kota")
    shown = invoke(officer, "case", "history", ref).stdout
    assert f"{logins['officer']} for Wali Kota" in shown


def test_no_role_but_the_owner_can_rewrite_the_history(bureau_roles, db_url):
    invoke, logins = bureau_roles
    officer_url = as_login(db_url, logins["officer"])
    assert invoke(officer_url, *OPEN).exit_code == 0
    officer = create_engine(database_url(officer_url))
    try:
        for statement in ("UPDATE events SET note = 'rewritten'", "DELETE FROM seals", "DELETE FROM letters",
                          "UPDATE region SET council_silence = 'escalate'", "TRUNCATE events CASCADE"):
            with pytest.raises(Exception, match="permission denied"), officer.begin() as conn:
                conn.execute(text(statement))
        with pytest.raises(Exception, match="actor must be the login"), officer.begin() as conn:
            conn.execute(text("INSERT INTO events (case_id, seq, name, actor, occurred_on, recorded_at, to_state, "
                              "data) VALUES (1, 9, 'exploration_started', 'someone else', '2024-01-09', now(), "
                              "'exploring', '{}')"))
        owner = create_engine(database_url(db_url))
        with owner.begin() as conn:  # a privilege granted by mistake does not open the history
            conn.execute(text(f'GRANT UPDATE, DELETE ON events, seals TO "{logins["officer"]}"'))
        owner.dispose()
        for statement in ("UPDATE events SET note = 'rewritten'", "DELETE FROM seals"):
            with pytest.raises(Exception, match="the history is append-only"), officer.begin() as conn:
                conn.execute(text(statement))
    finally:
        officer.dispose()
    assert invoke(db_url, "audit", "verify").exit_code == 0


def test_the_auditor_reads_and_verifies_but_cannot_record(bureau_roles, db_url):
    invoke, logins = bureau_roles
    assert invoke(as_login(db_url, logins["officer"]), *OPEN).exit_code == 0
    auditor = as_login(db_url, logins["auditor"])
    assert invoke(auditor, "audit", "verify").exit_code == 0
    refused = invoke(auditor, *OPEN)
    assert refused.exit_code == 1 and "permission denied" in refused.output and "Traceback" not in refused.output


def test_only_the_head_of_the_bureau_changes_the_regions_settings(bureau_roles, db_url):
    invoke, logins = bureau_roles
    refused = invoke(as_login(db_url, logins["officer"]), "init", "--council-silence", "escalate")
    assert refused.exit_code == 1 and "permission denied" in refused.output
    changed = invoke(as_login(db_url, logins["head"]), "init", "--council-silence", "escalate")
    assert changed.exit_code == 0, changed.output
    assert invoke(db_url, "audit", "verify").exit_code == 0


def test_roles_are_refused_on_sqlite_in_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "k.db"), "admin", "grant", "siti", "officer"])
    assert result.exit_code == 1 and "Roles are PostgreSQL's" in result.output


def test_on_sqlite_the_system_login_is_recorded_and_as_beside_it(tmp_path):
    def invoke(*args):
        return CliRunner().invoke(cli, ["--db", str(tmp_path / "k.db"), "--config", os.devnull, *args])

    invoke("init", "--name", "Kota Surabaya", "--level", "kota", "--province", "Jawa Timur")
    ref = json_of(invoke(*OPEN, "--as", "siti", "--json").stdout)["ref"]
    first = json_of(invoke("case", "history", ref, "--json").stdout)["events"][0]
    assert (first["actor"], first["on_behalf_of"]) == (getpass.getuser(), "siti")
