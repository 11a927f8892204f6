"""kerjasama deadlines: the open deadlines of the register, overdue or due within some days."""
from __future__ import annotations


from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, carry, open_case


def test_lists_and_deadlines(run):
    ref = open_case(run)
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # up to the DPRD
    cases = json_of(run("case", "list", "--stage", "council_approval", "--json").stdout)
    assert [(c["ref"], c["state"]) for c in cases] == [(ref, "dprd_review")]
    assert json_of(run("case", "list", "--state", "initiated", "--json").stdout) == []
    report = json_of(run("deadlines", "--on", "2014-01-10", "--json").stdout)
    dprd = next(d for d in report["deadlines"] if d["kind"] == "dprd_decision")
    assert (dprd["ref"], dprd["day_unit"], dprd["status"]) == (ref, "working", "open")
    overdue = json_of(run("deadlines", "--overdue", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" in [d["kind"] for d in overdue["deadlines"]]
    soon = json_of(run("deadlines", "--within", "90", "--on", "2014-01-10", "--json").stdout)
    assert [d["kind"] for d in soon["deadlines"]] == ["dprd_decision"]  # not the LoI's, years away
    late = json_of(run("deadlines", "--within", "60", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" not in [d["kind"] for d in late["deadlines"]]  # overdue by then, not "within"
    both = json_of(run("deadlines", "--within", "60", "--overdue", "--on", "2014-12-31", "--json").stdout)
    assert "dprd_decision" in [d["kind"] for d in both["deadlines"]]
