"""kerjasama case open --owner, case assign, case reassign, case owners and board --owner: who carries a case, on
the command line."""
from __future__ import annotations


import pytest

from tests.helpers import json_of
from tests.helpers import carry, error_line, open_case


def shown(run, ref: str) -> dict:
    return json_of(run("case", "show", ref, "--json").stdout)


def login(run, ref: str) -> str:
    return json_of(run("case", "history", ref, "--json").stdout)["events"][0]["actor"]


def test_the_opening_names_the_owner(run):
    own = open_case(run)
    for_head = open_case(run, "--as", "Wali Kota")
    named = open_case(run, "--as", "siti", "--owner", "Budi Santoso")
    assert shown(run, own)["owner"] == login(run, own)  # nobody named: the login that entered it
    assert (shown(run, for_head)["owner"], shown(run, named)["owner"]) == ("Wali Kota", "Budi Santoso")
    assert "Owner:    Budi Santoso" in run("case", "show", named).stdout


def test_a_case_is_handed_on_and_a_mistaken_hand_over_corrected(run):
    ref = open_case(run, "--as", "siti")
    carry(run, ref, ["exploration_started"])
    handed = run("case", "assign", ref, "budi", "--on", "2014-02-03").stdout
    assert handed == f"{ref}: carried by budi (before: siti).\n"
    handed = json_of(run("case", "assign", ref, "ana", "--note", "Budi is on leave", "--json").stdout)
    assert (handed["event"], handed["state"], handed["owner"], handed["previous_owner"]) == (
        "case_assigned", "exploring", "ana", "budi")
    assert shown(run, ref)["owner"] == "ana"
    events = json_of(run("case", "history", ref, "--json").stdout)["events"]
    assert [(e["event"], e["data"].get("owner"), e["data"].get("previous_owner")) for e in events[2:]] == [
        ("case_assigned", "budi", "siti"), ("case_assigned", "ana", "budi")]
    run("case", "correct", ref, str(events[-1]["seq"]), "--note", "Ana was never given it")
    assert (shown(run, ref)["owner"], shown(run, ref)["state"]) == ("budi", "exploring")
    verified = json_of(run("audit", "verify", "--json").stdout)
    assert verified["broken"] == [] and verified["problems"] == []


def test_an_officer_who_leaves_hands_on_every_open_case(run):
    first, second, kept = open_case(run, "--as", "siti"), open_case(run, "--as", "siti"), open_case(run, "--as", "budi")
    closed = open_case(run, "--as", "siti")
    carry(run, closed, ["case_withdrawn"])
    moved = run("case", "reassign", "--from", "siti", "--to", "ana", "--note", "Siti retired").stdout
    assert moved.splitlines() == ["2 case(s) handed from siti to ana:",
                                  f"  {first}  Sister city Padang - Hildesheim",
                                  f"  {second}  Sister city Padang - Hildesheim"]
    assert [shown(run, ref)["owner"] for ref in (first, second, kept, closed)] == ["ana", "ana", "budi", "siti"]
    again = run("case", "reassign", "--from", "siti", "--to", "ana", ok=False)
    assert again.exit_code == 1 and again.stdout == ""
    assert error_line(again) == ("Error: siti carries no open case; nothing to hand on. Owners of open cases: ana, "
                                 "budi.")
    report = json_of(run("case", "reassign", "--from", "ana", "--to", "budi", "--json").stdout)
    assert report == {"from": "ana", "to": "budi", "left": [],
                      "cases": [{"ref": ref, "title": "Sister city Padang - Hildesheim"} for ref in (first, second)]}
    verified = json_of(run("audit", "verify", "--json").stdout)
    assert verified["broken"] == [] and verified["problems"] == []


@pytest.mark.parametrize("args,message", [
    (["case", "assign", "{ref}", "siti; rm -rf"], 'Error: OFFICER "siti; rm -rf" is not an officer\'s name'),
    (["case", "assign", "{ref}", "siti"], "Error: {ref} is already carried by siti."),
    (["case", "assign", "{ref}", "budi", "--on", "2012-01-01"],
     "Error: --on 2012-01-01 is before case {ref} was opened (2013-01-07)."),
    (["case", "reassign", "--from", "siti", "--to", "<b>ana</b>"],
     'Error: --to "<b>ana</b>" is not an officer\'s name'),
    (["case", "reassign", "--from", "siti", "--to", "siti"], "Error: --from and --to both name siti"),
    (["case", "reassign", "--from", "nobody", "--to", "ana"], "Error: nobody carries no open case"),
    (["case", "open", "--title", "x", "--partner", "Hildesheim", "--country", "DE", "--partner-type", "city",
      "--field", "culture", "--owner", "Kepala (Plt.)"], 'Error: --owner "Kepala (Plt.)" is not an officer\'s name'),
    (["case", "advance", "{ref}", "case_assigned", "--set", "owner=budi"],
     "Error: case_assigned is recorded with kerjasama case assign, which also keeps what it records."),
    (["board", "--owner", " "], "Error: --owner needs the name of an officer."),
])
def test_refusals_are_one_line_and_write_nothing(run, args, message):
    ref = open_case(run, "--as", "siti")
    before = run("case", "history", ref, "--json").stdout
    result = run(*[a.replace("{ref}", ref) for a in args], ok=False)
    assert result.exit_code == 1 and result.stdout == ""
    assert error_line(result).startswith(message.replace("{ref}", ref))
    assert run("case", "history", ref, "--json").stdout == before
    assert json_of(run("case", "list", "--json").stdout)[0]["ref"] == ref


def test_the_board_of_one_officer_and_who_carries_what(run):
    review, exploring = open_case(run, "--as", "siti"), open_case(run, "--as", "budi")
    carry(run, review, ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed",
                        "plan_started", "dprd_request_received"])
    carry(run, exploring, ["exploration_started"])
    board = run("board", "--owner", "siti").stdout
    assert review in board and exploring not in board and "OWNER" in board
    every = json_of(run("board", "--json").stdout)
    assert {c["ref"]: c["owner"] for s in every["stages"] for c in s["cases"]} == {review: "siti", exploring: "budi"}
    nobody = run("board", "--owner", "ana")
    assert (nobody.stdout, nobody.stderr) == ("", "ana carries no open case.\n")

    report = json_of(run("case", "owners", "--json").stdout)
    deadlines = shown(run, review)["deadlines"]
    assert [(r["owner"], r["cases"], r["refs"], r["deadlines"]) for r in report["owners"]] == [
        ("budi", 1, [exploring], 0), ("siti", 1, [review], len(deadlines))]
    nearest = min(deadlines, key=lambda d: d["due"])
    assert report["owners"][1]["nearest"] | {"days": None} == {
        "due": nearest["due"], "ref": review, "kind": nearest["kind"], "days": None}
    assert report["owners"][1]["overdue"] == sum(d["status"] == "overdue" for d in deadlines)
    lines = run("case", "owners").stdout.splitlines()
    assert lines[0].split() == ["OWNER", "CASES", "DEADLINES", "OVERDUE", "NEAREST", "DUE"]
    assert lines[1].split()[:4] == ["budi", "1", "0", "0"] and lines[1].split()[4] == "-"
    assert lines[2].split()[:3] == ["siti", "1", str(len(deadlines))] and f'{nearest["due"]}  {review}' in lines[2]
