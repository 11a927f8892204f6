"""kerjasama report, publish and audit verify from the CLI: the report and the public site in the region's language,
the downloads beside the pages, and the seals of the history checked."""
from __future__ import annotations

import csv
import json
import os
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from cli import cli
from tests.helpers import case_in
from tests.test_agreements import DATASET
from workflow.i18n import set_language


@pytest.fixture
def surabaya(kerjasama):
    """The Surabaya register loaded through the CLI; English again afterwards, whatever a test chose."""
    assert kerjasama("import", str(DATASET)).exit_code == 0
    yield kerjasama
    set_language("en", chosen=True)


def lang_of(page) -> str:
    return re.search(r'<html lang="(\w+)">', page.read_text(encoding="utf-8"))[1]


def test_publish_writes_the_pages_and_the_downloads(surabaya, tmp_path):
    result = surabaya("publish", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (f"Wrote 52 pages and the downloads register.csv, register.json into "
                                     f"{tmp_path / 'site'}.")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    with (tmp_path / "site" / "register.csv").open(encoding="utf-8", newline="") as download:
        rows = list(csv.DictReader(download))
    agreements = json.loads((tmp_path / "site" / "register.json").read_text(encoding="utf-8"))["agreements"]
    assert len(rows) == len(agreements) == 51 and [r["ref"] for r in rows] == [a["ref"] for a in agreements]
    assert all(f'<tr data-ref="{a["ref"]}">' in index for a in agreements)
    assert '<li data-status="expired"><span class="status expired">Expired</span> <b class="count">18</b>' in index
    assert lang_of(tmp_path / "site" / "index.html") == "en"  # KERJASAMA_LANG=en, as the tests run


def test_report_and_publish_speak_the_language_chosen_else_the_regions(surabaya, db_url, tmp_path):
    assert surabaya("--lang", "id", "report", "-o", str(tmp_path / "id.html")).exit_code == 0
    assert surabaya("--lang", "en", "report", "-o", str(tmp_path / "en.html")).exit_code == 0
    assert (lang_of(tmp_path / "id.html"), lang_of(tmp_path / "en.html")) == ("id", "en")
    assert "<h2>Pipeline by stage</h2>" in (tmp_path / "en.html").read_text(encoding="utf-8")
    unset = {"KERJASAMA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}
    runner = CliRunner(env=unset)

    def by_locale(*args):
        return runner.invoke(cli, ["--db", db_url, "--config", os.devnull, *args])

    assert by_locale("publish", str(tmp_path / "site")).exit_code == 0
    assert lang_of(tmp_path / "site" / "index.html") == "id"  # the region's language over the server's locale
    assert json.loads((tmp_path / "site" / "register.json").read_text(encoding="utf-8"))["language"] == "id"
    assert surabaya("init", "--language", "en").exit_code == 0
    assert by_locale("report", "-o", str(tmp_path / "region.html")).exit_code == 0
    assert lang_of(tmp_path / "region.html") == "en"


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
