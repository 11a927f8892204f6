"""The schema comes from the Alembic migrations, and they agree with the tables of db/models.py."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.models import all_tables
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
            assert compare_metadata(context, all_tables()) == []
    finally:
        database.dispose()


def test_an_agreement_in_force_survives_the_upgrade_and_gets_its_new_deadlines(db_url):
    from datetime import date

    from sqlalchemy import text

    from db.migrations import upgrade
    database = Database(db_url)
    try:
        with database.engine.connect() as conn:
            upgrade(conn, "0001")
            conn.commit()
            now = "2014-01-01T00:00:00+00:00"
            conn.execute(text("INSERT INTO region (id, name, level, province, head_title, council_silence, timezone, "
                              "dormancy_months, loi_validity_months, signing_report_days, created_at, updated_at) "
                              "VALUES (1, 'Kota Padang', 'kota', 'Sumatera Barat', 'Wali Kota', 'deemed_approval', "
                              "'Asia/Jakarta', 12, 60, 30, :now, :now)"), {"now": now})
            conn.execute(text("INSERT INTO partner (id, name, country, partner_type) VALUES (1, 'Hildesheim', 'DE', "
                              "'city')"))
            conn.execute(text("INSERT INTO cases (id, ref, title, kind, partner_id, fields, state, opened_on, version, "
                              "updated_at) VALUES (1, 'KS-2013-0001', 'Padang - Hildesheim', 'ksdpl', 1, "
                              "'[\"culture\"]', 'in_force', '2013-01-07', 3, :now)"), {"now": now})
            for seq, name, day, state in [(1, "case_opened", "2013-01-07", "initiated"),
                                          (2, "agreement_signed", "2013-06-03", "action_plan_drafting"),
                                          (3, "action_plan_budgeted", "2013-09-02", "in_force")]:
                conn.execute(text("INSERT INTO events (id, case_id, seq, name, actor, occurred_on, recorded_at, "
                                  "to_state, data) VALUES (:seq, 1, :seq, :name, 'siti', :day, :now, :state, '{}')"),
                             {"seq": seq, "name": name, "day": day, "now": now, "state": state})
            conn.execute(text("INSERT INTO deadlines (case_id, kind, starts_on, due, status, opened_by_event_id) "
                              "VALUES (1, 'annual_report', '2013-06-03', '2014-06-03', 'open', 2)"))
            conn.commit()
        database.ensure_schema()
        with database.engine.connect() as conn:
            rows = conn.execute(text("SELECT kind, due, next_action_on FROM deadlines ORDER BY kind")).all()
        as_date = [(kind, str(due), str(next_on)) for kind, due, next_on in rows]
        assert as_date == [("annual_report", "2014-06-03", "2013-06-03"),
                           ("dormancy", str(date(2014, 9, 2)), "2013-09-02")]
    finally:
        database.dispose()


def test_a_database_of_the_first_schema_upgrades_with_every_case_intact(tmp_path):
    """tests/data/schema-0001.db was made by the first release's own CLI (three cases, 21 events)."""
    import shutil
    from pathlib import Path

    from sqlalchemy import text

    from workflow.audit import verify
    from workflow.bureau import Bureau
    from workflow.calendar import WorkingCalendar
    from workflow.cases import show_case

    path = tmp_path / "old.db"
    shutil.copy(Path(__file__).parent / "data" / "schema-0001.db", path)
    database = Database(str(path))
    try:
        with database.engine.connect() as conn:
            before = conn.execute(text("SELECT c.ref, c.state, count(e.id) FROM cases c JOIN events e "
                                       "ON e.case_id = c.id GROUP BY c.ref, c.state ORDER BY c.ref")).all()
        database.ensure_schema()
        with database.engine.connect() as conn:
            after = conn.execute(text("SELECT c.ref, c.state, count(e.id) FROM cases c JOIN events e "
                                      "ON e.case_id = c.id GROUP BY c.ref, c.state ORDER BY c.ref")).all()
            waiting = conn.execute(text("SELECT count(*) FROM deadlines WHERE status = 'open' "
                                        "AND next_action_on IS NULL")).scalar()
        assert after == before and len(before) == 3
        assert waiting == 0  # every open deadline is known to the reminder sweep
        bureau = Bureau(database, WorkingCalendar())
        report = verify(bureau)  # the chain starts at the upgrade: the settings as found, then every event
        assert report["broken"] == [] and report["problems"] == []
        assert report["chain"]["length"] == 1 + 21
        shown = show_case(bureau, "KS-2013-0001")
        assert (shown["state"], shown["stage"]) == ("action_plan_drafting", "action_plan")
    finally:
        database.dispose()
