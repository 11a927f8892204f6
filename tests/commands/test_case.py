"""kerjasama case: a case carried through every stage, JSON output, refusals and bad input, and officers'
processes advancing one case at once."""
from __future__ import annotations

import getpass
from datetime import timedelta

import pytest

from db.models import Event
from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, carry, case_in, count, error_line, get_case, last_event, open_case


def test_a_case_goes_from_opening_to_evaluation(run):
    ref = open_case(run)
    assert ref == "KS-2013-0001"
    carry(run, ref, [event for event, _ in HAPPY_PATH])
    shown = json_of(run("case", "show", ref, "--json").stdout)
    assert (shown["ref"], shown["stage"], shown["state"]) == (ref, "evaluation", "in_force")
    assert {d["kind"] for d in shown["deadlines"]} >= {"agreement_expiry", "extension_review", "annual_report"}
    assert all({"kind", "due", "status"} <= set(d) for d in shown["deadlines"])
    assert "evaluation_recorded" in [e["event"] for e in shown["allowed_events"]]
    history = json_of(run("case", "history", ref, "--json").stdout)
    assert [e["event"] for e in history["events"]] == ["case_opened"] + [e for e, _ in HAPPY_PATH]
    # Entered under the system login, on behalf of the officer named with --as.
    assert {(e["actor"], e["on_behalf_of"]) for e in history["events"][1:]} == {(getpass.getuser(), "siti")}
    text = run("case", "show", ref).stdout
    assert "Stage:    evaluation" in text and "agreement_expiry" in text


@pytest.mark.parametrize("detour,final", [
    (["dprd_returned", "dprd_request_received", "dprd_rejected"], "rejected"),
    (["case_suspended", "case_resumed", "case_withdrawn"], "withdrawn"),
    (["eligibility_failed"], "rejected"),
])
def test_return_reject_withdraw_and_suspend_paths(run, detour, final):
    ref = open_case(run)
    to_review = [e for e, _ in HAPPY_PATH[:HAPPY_PATH.index(("dprd_request_received", "dprd_review")) + 1]]
    carry(run, ref, to_review + detour)
    shown = json_of(run("case", "show", ref, "--json").stdout)
    assert (shown["state"], shown["stage"], shown["allowed_events"]) == (final, "closed", [])


@pytest.mark.parametrize("args,message", [
    (["case", "show", "KS-2099-0001"], "Error: No case KS-2099-0001; kerjasama case list shows the cases."),
    (["case", "advance", "{ref}", "teleport", "--on", "2013-02-01"],
     "Error: teleport is not an event. (kerjasama case show REF lists the next events of a case)"),
    (["case", "advance", "{ref}", "agreement_signed", "--on", "2013-02-01"],
     ("Error: agreement_signed is not allowed for KS-2013-0001 in state initiated; allowed now: exploration_started, "
      "eligibility_failed, case_withdrawn, case_suspended, partner_ineligible.")),
    (["case", "advance", "{ref}", "exploration_started", "--on", "2099-01-01"], "is in the future"),
    (["case", "advance", "{ref}", "exploration_started", "--on", "2012-01-01"],
     "Error: --on 2012-01-01 is before case KS-2013-0001 was opened (2013-01-07)."),
    (["case", "open", "--title", "x", "--partner", "Haifa", "--country", "IL", "--partner-type", "city",
      "--field", "culture", "--on", "2013-01-07"], "Pasal 27 ayat (1) huruf a"),
    (["case", "list", "--stage", "heaven"],
     "Error: --stage: heaven is not a stage. Allowed: initiation, mofa_mediation"),
])
def test_refusals_are_one_line_with_exit_code_1_and_write_nothing(run, args, message):
    ref = open_case(run)
    before = run("case", "history", ref, "--json").stdout
    result = run(*[a.replace("{ref}", ref) for a in args], ok=False)
    assert result.exit_code == 1
    assert error_line(result).startswith("Error: ") and message in error_line(result)
    assert result.stdout == ""
    assert run("case", "history", ref, "--json").stdout == before
    assert len(json_of(run("case", "list", "--json").stdout)) == 1


@pytest.mark.parametrize("args,message", [
    (["case", "advance", "KS-2013-0001", "exploration_started", "--on", "2013-13-01"], "'--on'"),
    (["case", "advance", "KS-2013-0001", "agreement_signed", "--set", "term_years"], "KEY=VALUE"),
    (["case", "open", "--title", "x"], "Missing option"),
])
def test_usage_errors_exit_2(run, args, message):
    result = run(*args, ok=False)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.postgres
def test_eight_officer_processes_advancing_one_case_on_postgresql(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import PG_URL, close_bureau, make_bureau, make_url
    if not PG_URL:
        pytest.skip("KERJASAMA_TEST_POSTGRES_URL is not set")
    url, drop = make_url("postgresql", tmp_path)
    bureau = make_bureau(url)
    try:
        refs = [case_in(bureau, "dprd_review") for _ in range(3)]
        before = count(bureau, Event)
        on = max(last_event(bureau, ref).occurred_on for ref in refs) + timedelta(days=7)
        root = Path(__file__).resolve().parents[2]
        processes = [subprocess.Popen([sys.executable, "-c", "from cli import cli; cli()", "--db", url, "--lang", "en",
                                       "case", "advance", refs[n % 3], "dprd_approved", "--on", on.isoformat()],
                                      cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for n in range(8)]
        results = [(p.returncode, err) for p in processes for _out, err in [p.communicate(timeout=120)]]
        assert sum(1 for code, _err in results if code == 0) == 3  # one winner per case
        assert all(code == 1 and err.count("\n") == 1 and ("changed by someone else" in err or "not allowed" in err)
                   for code, err in results if code != 0), results
        assert count(bureau, Event) == before + 3
        assert {get_case(bureau, ref).state for ref in refs} == {"kemendagri_verification"}
    finally:
        close_bureau(bureau)
        drop()


def test_cari_finds_cases_by_partner_country_or_title_whatever_the_case_and_accents(run):
    busan = run("case", "open", "--title", "Kerja sama Surabaya - Busan", "--partner", "Busan Metropolitan City",
                "--country", "KR", "--partner-type", "city", "--field", "trade_investment",
                "--on", "2024-01-08").stdout.strip()
    duesseldorf = run("case", "open", "--title", "Sister city", "--partner", "Landeshauptstadt Düsseldorf",
                      "--country", "DE", "--partner-type", "city", "--field", "culture",
                      "--on", "2024-01-09").stdout.strip()
    assert [r["ref"] for r in json_of(run("cari", "busan", "--json").stdout)] == [busan]
    assert [r["ref"] for r in json_of(run("cari", "KOREA", "selatan", "--json").stdout)] == [busan]
    assert [r["ref"] for r in json_of(run("case", "find", "dusseldorf", "--json").stdout)] == [duesseldorf]
    assert [r["ref"] for r in json_of(run("cari", "jerman", "--json").stdout)] == [duesseldorf]
    assert busan in run("cari", "surabaya").stdout
    none = run("cari", "tokyo", ok=False)
    assert none.exit_code == 0 and "No case matches tokyo." in none.stderr
