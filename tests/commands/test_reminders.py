"""kerjasama remind: a sweep from the CLI."""
from __future__ import annotations

import json

from tests.helpers import HAPPY_PATH, carry, error_line, open_case


def test_remind_from_the_cli(run, tmp_path):
    ref = open_case(run)
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])  # DPRD received 2014-01-06
    dry = run("remind", "--now", "2014-02-27", "--dry-run")
    assert f"would remind: {ref} dprd_decision before:10wd" in dry.stdout
    report = json.loads(run("remind", "--now", "2014-02-27", "--json").stdout)
    assert [r["step"] for r in report["recorded"]] == ["before:10wd"] and report["pending"] == 0
    text = run("remind", "--now", "2014-03-20")
    assert f"[{ref}] DPRD decision on the cooperation plan" in text.stdout
    assert "Next: kerjasama case advance" in text.stdout and "Sweep at 2014-03-20T00:00+07:00" in text.stderr
    calendar = run("deadlines", "--ics").stdout
    assert calendar.startswith("BEGIN:VCALENDAR") and f"SUMMARY:{ref}: " in calendar
    assert json.loads(run("deadlines", "recompute", "--json").stdout) == {"applied": False, "moves": []}


def test_a_bad_now_is_one_line(run):
    result = run("remind", "--now", "yesterday", ok=False)
    assert result.exit_code == 1 and "--now yesterday is not a date or time" in error_line(result)
