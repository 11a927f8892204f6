"""Facts learnt late and mistakes, on the CLI: a late activity withdraws the dormancy the reminder job applied, a
wrong event is corrected, and what cannot fit is refused in one line that names the event in the way.

Surabaya - Busan, signed 24 August 1994 (busan.go.kr, tests/data/real-agreements.csv); its last activity is put in
June 2024 and the activity learnt late in May 2025, example dates.
"""
from __future__ import annotations


from tests.commands.test_lifecycle import imported
from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, carry, open_case


def history(run, ref):
    return json_of(run("case", "history", ref, "--json").stdout)


def test_an_activity_learnt_late_withdraws_the_dormancy_and_the_next_sweep_finds_it_again(run, tmp_path):
    path = tmp_path / "busan.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,status,last_activity,source\n"
                    "KS-1994-0001,Sister city Surabaya - Busan,Busan,KR,city,education,1994-08-24,active,2024-06,"
                    "busan.go.kr\n")
    run("import", str(path))
    run("remind", "--now", "2025-07-01T07:30+07:00")
    assert history(run, "KS-1994-0001")["events"][-1]["event"] == "dormancy_detected"

    result = run("case", "advance", "KS-1994-0001", "activity_recorded", "--on", "2025-05")
    assert "late entry: placed on 2025-05-01" in result.stdout
    assert "withdrew #2 dormancy_detected: the last activity, evaluation or report was on 2025-05-01" in result.stdout
    shown = json_of(run("case", "show", "KS-1994-0001", "--on", "2025-07-01", "--json").stdout)
    assert shown["state"] == "in_force"
    assert {d["kind"]: d["due"] for d in shown["deadlines"]}["dormancy"] == "2026-05-01"
    record = history(run, "KS-1994-0001")
    assert [(e["seq"], e["event"], e["late_entry"], e["corrected_by"]) for e in record["events"]] == [
        (1, "imported", False, None), (2, "dormancy_detected", False, 4), (3, "activity_recorded", True, None),
        (4, "event_corrected", False, None)]
    assert record["timeline"] == [1, 3]
    text = run("case", "history", "KS-1994-0001").stdout
    assert "corrected by #4" in text and "late entry" in text

    run("remind", "--now", "2026-05-04T07:30+07:00")  # twelve months after the activity
    dormant = history(run, "KS-1994-0001")["events"][-1]
    assert (dormant["event"], dormant["on"]) == ("dormancy_detected", "2026-05-01")
    assert "every seal matches" in run("audit", "verify").stdout


def test_a_wrong_event_is_corrected_and_what_cannot_be_is_refused_in_one_line(run, tmp_path):
    register = imported(run, tmp_path, "KS-2018-0001,Sister city Surabaya - Liverpool,Liverpool,GB,city,"
                        "culture;education,,,2018-03-19,,5,,active,,,,,,kampungberita.id 2018-03-19\n")
    assert register["KS-2018-0001"]["status"] == "active"
    run("case", "advance", "KS-2018-0001", "agreement_terminated", "--on", "2023-06-01", "--note", "typed in the "
        "wrong case")
    assert json_of(run("register", "--json").stdout)[0]["status"] == "terminated"
    result = run("case", "correct", "KS-2018-0001", "2", "--note", "Liverpool was not terminated", "--as", "siti")
    assert result.stdout.startswith("KS-2018-0001: event_corrected: terminated -> in_force")
    assert json_of(run("register", "--json").stdout)[0]["status"] == "active"
    assert json_of(run("register", "--on", "2023-07-01", "--json").stdout)[0]["status"] == "active"

    again = run("case", "correct", "KS-2018-0001", "2", "--note", "again", ok=False)
    assert (again.exit_code, again.output.strip()) == (1, "Error: #2 was already corrected by #3.")
    run("case", "advance", "KS-2018-0001", "annual_report_sent", "--on", "2019-03-19")
    late = run("case", "advance", "KS-2018-0001", "dprd_approved", "--on", "2019-01-10", ok=False)
    assert late.exit_code == 1 and len(late.output.strip().splitlines()) == 1
    assert "dprd_approved cannot take its place on 2019-01-10" in late.output
    assert "every seal matches" in run("audit", "verify").stdout


def test_the_record_read_as_of_a_day(run, tmp_path):
    """case show, board, register and report --on DATE read the record as the events dated up to that day leave it."""
    ref = open_case(run)  # 7 January 2013
    carry(run, ref, [event for event, _state in HAPPY_PATH[:7]])  # one a day from 1 January 2014: DPRD approves on 7
    shown = json_of(run("case", "show", ref, "--on", "2014-01-06", "--json").stdout)
    assert (shown["state"], shown["last_event"]["event"]) == ("dprd_review", "dprd_request_received")
    assert "dprd_decision" in {d["kind"] for d in shown["deadlines"]}
    assert json_of(run("case", "show", ref, "--json").stdout)["state"] == "kemendagri_verification"

    def board(*on):
        stages = json_of(run("board", *on, "--json").stdout)["stages"]
        return [(s["stage"], c["state"], c["since"]) for s in stages for c in s["cases"]]

    assert board("--on", "2014-01-06") == [("council_approval", "dprd_review", "2014-01-05")]
    assert board("--on", "2014-01-03") == [("mofa_mediation", "pre_loi_consultation", "2014-01-01")]
    assert board()[0][1] == "kemendagri_verification"

    def register(on):
        return [(r["ref"], r["status"]) for r in json_of(run("register", "--on", on, "--json").stdout)]

    assert (register("2014-01-03"), register("2014-01-05")) == ([], [(ref, "loi_only")])
    early = tmp_path / "early.html"
    run("report", "--on", "2012-12-31", "-o", str(early))
    run("report", "-o", str(tmp_path / "now.html"))
    assert ref not in early.read_text() and ref in (tmp_path / "now.html").read_text()
    refused = run("case", "show", ref, "--on", "2012-12-31", ok=False)
    assert (refused.exit_code, refused.output.strip()) == (
        1, f"Error: {ref} begins on 2013-01-07 in the record; there is nothing to show before.")
