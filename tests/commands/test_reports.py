"""kerjasama audit verify: the seals of the history checked from the CLI."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import text

from cli import cli
from tests.helpers import case_in


def test_audit_verify_on_the_cli(db_url, tmp_path):
    from tests.conftest import close_bureau, make_bureau
    bureau = make_bureau(db_url)
    ref = case_in(bureau, "exploring")
    close_bureau(bureau)
    ok = CliRunner().invoke(cli, ["--db", db_url, "audit", "verify"])
    assert ok.exit_code == 0 and "every seal matches" in ok.stdout
    bureau = make_bureau(db_url)
    with bureau.db.engine.begin() as conn:
        conn.execute(text("UPDATE events SET actor = 'someone else' WHERE seq = 1"))
    close_bureau(bureau)
    bad = CliRunner().invoke(cli, ["--db", db_url, "audit", "verify", ref])
    assert bad.exit_code == 1 and f"{ref}: event 1 (case_opened" in bad.stderr
