"""Who may do what on a shared PostgreSQL database (``kerjasama admin``).

Four group roles, each granted the least its work needs; an officer's login role is made a member of one:

- ``kerjasama_officer`` records facts, issues letters, plans activities;
- ``kerjasama_head`` (head of the bureau) does that and changes the region's settings;
- ``kerjasama_scheduler`` runs the reminder job (it records the procedure's timers and sends reminders);
- ``kerjasama_auditor`` reads everything and writes nothing (Inspektorat, BPK).

The history is append-only for every role but the database's owner: events, letters, seals and settings changes
may be inserted and read, never updated, deleted or truncated, by privileges and again by triggers (a privilege
granted by mistake later does not open them). A row must name its writer as the login that writes it: the
actor is ``session_user``, which the database vouches for, never a name typed in (workflow/bureau.py).
SQLite has no roles: there the file's permissions decide who writes, and the system login is recorded.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from workflow.bureau import Bureau
from workflow.errors import InvalidInput
from workflow.i18n import _

GROUPS = {"officer": "kerjasama_officer", "head": "kerjasama_head", "scheduler": "kerjasama_scheduler",
          "auditor": "kerjasama_auditor"}
APPEND_ONLY = ("events", "letters", "seals", "region_changes")
# The tables a writing role changes rows of (UPDATE), besides inserting: everything else is read or appended.
UPDATED = ("cases", "deadlines", "letter_counters", "reminders", "deliveries", "activities", "evaluations", "partner")
WRITERS = {"events": "actor", "region_changes": "actor", "letters": "issued_by"}  # the column naming the writer

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION kerjasama_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'kerjasama: % of % is refused: the history is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE FUNCTION kerjasama_writer_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF to_jsonb(NEW) ->> TG_ARGV[0] IS DISTINCT FROM session_user::text
       AND NOT pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
        RAISE EXCEPTION 'kerjasama: % must be the login that writes it (%)', TG_ARGV[0], session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
"""


def set_up_roles(bureau: Bureau) -> list[str]:
    """Create the group roles if missing, grant each its privileges on this database's tables, and install the
    triggers; safe to run again (after an upgrade adds tables, run it again). Run by the database's owner.

    :returns: what was done, a line each.
    :raises InvalidInput: the database is SQLite, or the login may not create roles or grant on the tables.
    """
    _postgresql_only(bureau)
    done = []
    try:
        with bureau.db.engine.begin() as conn:
            tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
                          .scalars())
            schema = conn.execute(text("SELECT current_schema()")).scalar()
            for group in GROUPS.values():
                if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": group}).scalar():
                    conn.execute(text(f'CREATE ROLE "{group}" NOLOGIN'))
                    done.append(_("created role {role}").format(role=group))
                conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO "{group}"'))
                conn.execute(text(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM "{group}"'))
                conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{group}"'))
                if group != GROUPS["auditor"]:
                    conn.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{group}"'))
                    writable = [t for t in tables if t != "alembic_version"]
                    conn.execute(text(f'GRANT INSERT ON {_names(writable, schema)} TO "{group}"'))
                    updated = [t for t in UPDATED if t in tables] + (["region"] if group == GROUPS["head"] else [])
                    conn.execute(text(f'GRANT UPDATE ON {_names(updated, schema)} TO "{group}"'))
                    if group != GROUPS["head"]:  # only the head of the bureau changes the region's settings
                        conn.execute(text(f'REVOKE INSERT ON {_names(["region", "region_changes"], schema)} '
                                          f'FROM "{group}"'))
                done.append(_("granted {role} its privileges").format(role=group))
            conn.execute(text(_FUNCTIONS))
            for table in APPEND_ONLY:
                conn.execute(text(f'DROP TRIGGER IF EXISTS kerjasama_append_only ON "{table}"'))
                conn.execute(text(f'CREATE TRIGGER kerjasama_append_only BEFORE UPDATE OR DELETE ON "{table}" '
                                  f'FOR EACH ROW EXECUTE FUNCTION kerjasama_append_only()'))
                conn.execute(text(f'DROP TRIGGER IF EXISTS kerjasama_no_truncate ON "{table}"'))
                conn.execute(text(f'CREATE TRIGGER kerjasama_no_truncate BEFORE TRUNCATE ON "{table}" '
                                  f'FOR EACH STATEMENT EXECUTE FUNCTION kerjasama_append_only()'))
            for table, column in WRITERS.items():
                conn.execute(text(f'DROP TRIGGER IF EXISTS kerjasama_writer_is_login ON "{table}"'))
                conn.execute(text(f'CREATE TRIGGER kerjasama_writer_is_login BEFORE INSERT ON "{table}" '
                                  f"FOR EACH ROW EXECUTE FUNCTION kerjasama_writer_is_login('{column}')"))
            done.append(_("made {tables} append-only").format(tables=", ".join(APPEND_ONLY)))
    except DBAPIError as err:
        raise InvalidInput(_("Setting up the roles needs the database's owner: {reason}").format(
            reason=str(err.orig).strip().splitlines()[0])) from None
    return done


def grant(bureau: Bureau, login: str, group: str) -> str:
    """Make ``login`` a member of one group (creating the login role, without a password, when it does not exist),
    and no longer of the others.

    :raises InvalidInput: an unknown group, a login name that is not a plain name, SQLite, or no right to do it.
    """
    _postgresql_only(bureau)
    if group not in GROUPS:
        raise InvalidInput(_("{group} is not a role; roles: {allowed}.").format(group=group,
                                                                                allowed=", ".join(GROUPS)))
    if not login.replace("_", "").replace(".", "").isalnum() or not login.isascii() or len(login) > 63:
        raise InvalidInput(_("{login} is not a login name; use letters, digits, _ and . only.").format(login=login))
    try:
        with bureau.db.engine.begin() as conn:
            created = not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": login}).scalar()
            if created:
                conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
            for other in GROUPS.values():
                conn.execute(text(f'REVOKE "{other}" FROM "{login}"'))
            conn.execute(text(f'GRANT "{GROUPS[group]}" TO "{login}"'))
    except DBAPIError as err:
        raise InvalidInput(_("Granting needs a login that may manage roles: {reason}").format(
            reason=str(err.orig).strip().splitlines()[0])) from None
    return GROUPS[group]


def _names(tables: list[str], schema: str) -> str:
    return ", ".join(f'"{schema}"."{t}"' for t in tables)


def _postgresql_only(bureau: Bureau) -> None:
    if bureau.db.is_sqlite:
        raise InvalidInput(_("Roles are PostgreSQL's; on SQLite the database file's permissions decide who may "
                             "write, and each fact records the system login that entered it."))
