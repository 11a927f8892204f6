"""kerjasama trip: a trip planned, permitted, returned and reported from the command line, its refusals in one line,
the region's days to report, and the reminders of ``remind --now``; on the real clock, so the days are counted from
today in the region."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.helpers import error_line, json_of, open_case

TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
CIRCULAR = "SE Mensesneg B-32/M/S/LN.00/12/2024"


def days(n: int) -> str:
    """The day ``n`` days from today (negative: ago), as officers type it."""
    return (TODAY + timedelta(days=n)).isoformat()


def plan(run, ref, *extra, ok=True):
    return run("trip", "plan", ref, "--purpose", "sidang_penjajakan", "--destination", "Jerman",
               "--delegate", "Fadly Amran (Wali Kota)", "--delegate", "Rudy Rinaldy (Kepala Bagian Kerja Sama)",
               *extra, ok=ok)


def test_a_delegation_over_the_cap_is_refused_in_one_line_naming_the_rule(run):
    ref = open_case(run)
    result = plan(run, ref, "--purpose", "ceremony", "--depart", days(40), "--return", days(45), "--delegate",
                  "Siti (Analis)", "--delegate", "Budi (Protokol)", ok=False)
    assert result.exit_code == 1
    assert error_line(result) == (f"Error: A delegation of 4 is over the cap of 3 for ceremony ({CIRCULAR} angka 3n: "
                                  "Ceremony, award, signing); send fewer, or choose the purpose the trip has.")
    assert "No official trips abroad on record" in run("trip", "list").stderr
    bad = run("trip", "plan", ref, "--purpose", "sightseeing", "--depart", days(40), "--return", days(45),
              "--destination", "DE", "--delegate", "Siti (Analis)", ok=False)
    assert "sightseeing is not a purpose of an official trip" in error_line(bad)
    israel = plan(run, ref, "--depart", days(40), "--return", days(45), "--destination", "Israel", ok=False)
    assert "Israel has no diplomatic relations with Indonesia: the permit request needs Kemlu's recommendation" \
        in error_line(israel)


def test_a_past_trip_is_recorded_with_its_flags(run):
    ref = open_case(run)
    result = plan(run, ref, "--purpose", "seremonial", "--depart", days(-30), "--return", days(-26), "--delegate",
                  "Siti (Analis)", "--delegate", "Budi (Protokol)", "--record-past", "--on", days(-60))
    assert f"{ref}: trip 1 planned: ceremony to Germany" in result.stdout and "delegation 4/3" in result.stdout
    assert f"flagged: a delegation of 4 over the cap of 3 for its purpose ({CIRCULAR} angka 3n)" in result.stdout


def test_a_trip_from_its_plan_to_its_report(run):
    ref = open_case(run)
    planned = plan(run, ref, "--depart", days(-30), "--return", days(-25), "--on", days(-60), "--cost", "150 juta",
                   "--host-confirmation", days(-50))
    assert f"permit request due {days(-37)}" in planned.stdout and planned.stderr == ""
    [listed] = json_of(run("trip", "list", ref, "--json").stdout)
    assert (listed["trip"], listed["purpose"], listed["destination"], listed["permit_due"], listed["cost"]) == \
        (1, "meeting", "DE", days(-37), 150_000_000)
    assert [d["name"] for d in listed["delegates"]] == ["Fadly Amran", "Rudy Rinaldy"]
    requested = run("trip", "permit", "1", "--on", days(-40))
    assert "closed trip_permit_request (met)" in requested.stdout
    run("trip", "permit", "1", "--granted", "--doc-number", "B-77/M/S/LN.00/2026", "--on", days(-35))
    returned = run("trip", "return", "1", "--on", days(-25))
    assert f"opened trip_report, due {days(-11)}" in returned.stdout  # the circular's two weeks
    run("trip", "report", "1", "--on", days(-20), "--doc-number", "000.1/55/Kerja Sama")
    shown = run("trip", "show", "1").stdout
    assert f"Permit:      due {days(-37)}; requested {days(-40)}; granted {days(-35)} (B-77/M/S/LN.00/2026)" \
        in shown and "Status:      reported" in shown and "flagged" not in shown
    history = run("case", "history", ref).stdout
    assert all(event in history for event in ("trip_planned", "trip_permit_requested", "trip_permit_granted",
                                              "trip_returned", "trip_report_submitted"))
    refused = run("case", "advance", ref, "trip_returned", ok=False)
    assert "kerjasama trip return" in error_line(refused)
    again = run("trip", "cancel", "1", "--note", "x", ok=False)
    assert error_line(again) == "Error: Trip 1 is reported; that step is for a trip that is planned, " \
                                "permit_requested, permitted."


def test_the_report_follows_the_regions_days_and_both_deadlines_are_reminded(run):
    run("init", "--trip-report-days", "30")
    ref = open_case(run)
    plan(run, ref, "--depart", days(-30), "--return", days(-25), "--on", days(-60))
    week_before = json_of(run("remind", "--now", f"{days(-44)}T08:00:00+07:00", "--json").stdout)
    assert [(r["kind"], r["step"]) for r in week_before["recorded"]] == [("trip_permit_request", "before:7d")]
    on_the_day = json_of(run("remind", "--now", f"{days(-37)}T08:00:00+07:00", "--json").stdout)
    assert [(r["kind"], r["step"]) for r in on_the_day["recorded"]] == [("trip_permit_request", "due")]
    run("trip", "permit", "1", "--granted", "--doc-number", "B-77/2026", "--on", days(-36))
    returned = run("trip", "return", "1", "--on", days(-25))
    assert f"opened trip_report, due {days(5)}" in returned.stdout  # 30 days, as the region set them
    due = json_of(run("deadlines", "--json").stdout)["deadlines"]
    assert [(d["ref"], d["kind"], d["due"]) for d in due] == [(ref, "trip_report", days(5))]
    three_before = json_of(run("remind", "--now", f"{days(2)}T08:00:00+07:00", "--dry-run", "--json").stdout)
    assert [(r["kind"], r["step"]) for r in three_before["recorded"]] == [("trip_report", "before:3d")]
