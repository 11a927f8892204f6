"""Shell completion as bash asks for it (``_KERJASAMA_COMPLETE=bash_complete``): commands, refs of the database,
the events a case allows now, and names in the officer's language."""
from __future__ import annotations

import os

from click.testing import CliRunner

from cli import cli
from tests.helpers import open_case


def offered(line: str, language: str = "en") -> list[str]:
    """What TAB offers at the end of ``line`` (a word begun, or after a space a new word)."""
    words = line.split()
    result = CliRunner().invoke(cli, [], prog_name="kerjasama", env={
        "_KERJASAMA_COMPLETE": "bash_complete", "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - (0 if line.endswith(" ") else 1)), "KERJASAMA_LANG": language})
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.output.splitlines() if item]


def test_commands_complete():
    assert offered("kerjasama ca") == ["cari", "case"]
    assert "advance" in offered("kerjasama case ")


def test_refs_complete_from_the_database(run, db_url):
    ref = open_case(run)
    assert offered(f"kerjasama --db {db_url} --config {os.devnull} case show KS-2013") == [ref]
    assert offered(f"kerjasama --db {db_url} --config {os.devnull} case show ks-2013") == [ref]
    assert offered(f"kerjasama --db {db_url} --config {os.devnull} case show KS-2099") == []


def test_after_a_ref_the_events_it_allows_now_complete_in_the_officers_language(run, db_url):
    ref = open_case(run)
    line = f"kerjasama --db {db_url} --config {os.devnull} case advance {ref} "
    assert offered(line) == ["exploration_started", "eligibility_failed", "case_withdrawn", "case_suspended",
                             "partner_ineligible"]
    assert offered(line + "pen", language="id") == ["penjajakan_dimulai"]


def test_names_complete_and_a_missing_database_offers_nothing():
    assert offered("kerjasama case open --partner-type ko", language="id") == ["kota"]
    assert offered("kerjasama case open --field pend", language="id") == ["pendidikan"]
    assert offered("kerjasama case open --country Jep", language="id") == ["Jepang"]
    assert offered("kerjasama --db /nonexistent/k.db case show KS") == []


def test_templates_complete_and_after_a_ref_those_for_its_state(run, db_url):
    ref = open_case(run)
    run("case", "advance", ref, "exploration_started", "--on", "2013-02-01")
    line = f"kerjasama --db {db_url} --config {os.devnull} letter render {ref} d"
    assert offered(line) == ["d05_consultation.html"]  # the letter of an exploring case
    assert "d18_annual_report.html" in offered(f"kerjasama --config {os.devnull} letter vars d1")
