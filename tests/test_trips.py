"""Official trips abroad (workflow/trips.py): the delegation's cap by purpose, a trip of the past flagged instead, the
permit request due 7 days before departure, the report due the region's days after the return, both reminded on their
days, a country without relations, one trip at a time, the letters and the costs in the report."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers import at, deadlines_of, events_of, log_config, logged, open_deadline, open_test_case, run
from workflow.config import Config
from workflow.errors import InvalidInput
from workflow.letters import draft, lint, sample_config
from workflow.region import init_region
from workflow.reports import report_html
from workflow.trips import (CIRCULAR, cancel_trip, flag_texts, plan_trip, purposes, record_permit, record_report,
                            record_return, trip_costs, trips_of)

CONFIG = sample_config(Config())
OPENED = date(2026, 1, 5)
MEETING = {"purpose": "meeting", "destination": "DE", "departs_on": date(2026, 4, 20), "returns_on": date(2026, 4, 25),
           "on": date(2026, 3, 2)}
DELEGATES = ["Fadly Amran, B.B.A. (Wali Kota)", "Rudy Rinaldy (Kepala Bagian Kerja Sama)", "Siti (Analis Kerja Sama)"]
FOUR = DELEGATES + ["Budi (Protokol)"]


def plan(bureau, ref, delegates=DELEGATES, **changes):
    return plan_trip(bureau, ref, actor="tester", delegates=list(delegates), **(MEETING | changes))


def carried_out(bureau, trip: int, granted=date(2026, 4, 15), returned=date(2026, 4, 25)) -> None:
    record_permit(bureau, trip, actor="tester", granted=True, doc_number="B-77/M/S/LN.00/04/2026", on=granted)
    record_return(bureau, trip, actor="tester", on=returned)


def test_a_delegation_over_the_cap_of_its_purpose_is_refused_with_the_rule(bureau):
    ref = open_test_case(bureau, on=OPENED)
    with pytest.raises(InvalidInput) as refused:
        plan(bureau, ref, delegates=FOUR, purpose="penandatanganan")  # the Indonesian name of ceremony
    assert str(refused.value) == (f"A delegation of 4 is over the cap of 3 for ceremony ({CIRCULAR} angka 3n: "
                                  "Ceremony, award, signing); send fewer, or choose the purpose the trip has.")
    assert trips_of(bureau, ref) == [] and [e.name for e in events_of(bureau, ref)] == ["case_opened"]
    six = FOUR + ["Andi (Dinas Pendidikan)", "Rina (Dinas Pariwisata)"]
    with pytest.raises(InvalidInput, match="over the cap of 5 for meeting"):
        plan(bureau, ref, delegates=six)
    planned = plan(bureau, ref, delegates=six, working_groups=1)  # 2 more for each working group of a meeting
    assert (planned.trip["delegation"], planned.trip["cap"], planned.trip["flags"]) == (6, 7, [])


def test_a_purpose_without_a_number_in_the_circular_caps_nothing():
    study = purposes()["study_assignment"]
    assert (study.cap, study.cap_for(3), study.note_en) == (None, None, "as requested")
    assert {p.point: p.cap for p in purposes().values() if p.cap} == {"3h": 3, "3i": 4, "3j": 5, "3k": 10, "3l": 3,
                                                                      "3m": 5, "3n": 3}


def test_a_past_trip_over_the_cap_is_recorded_with_a_flag_instead(bureau):
    ref = open_test_case(bureau, on=OPENED)
    past = {"purpose": "ceremony", "departs_on": date(2026, 6, 10), "returns_on": date(2026, 6, 15),
            "record_past": True}
    with pytest.raises(InvalidInput, match="--record-past is for a trip that has departed"):
        plan(bureau, ref, delegates=FOUR, **past | {"on": None})
    with pytest.raises(InvalidInput, match="--record-past is for a trip that has departed"):
        plan(bureau, ref, delegates=FOUR, **past | {"departs_on": date(2026, 12, 10), "returns_on": date(2026, 12, 12)})
    planned = plan(bureau, ref, delegates=FOUR, **past | {"on": date(2026, 5, 4)})
    assert planned.trip["flags"] == ["over_cap"]
    assert flag_texts(planned.trip) == [f"a delegation of 4 over the cap of 3 for its purpose ({CIRCULAR} angka 3n)"]
    assert events_of(bureau, ref)[-1].data["flags"] == ["over_cap"]
    record_permit(bureau, planned.trip["trip"], actor="tester", on=date(2026, 6, 5))  # 5 days before departure
    record_return(bureau, planned.trip["trip"], actor="tester", on=date(2026, 6, 15))
    assert trips_of(bureau, ref)[0]["flags"] == ["over_cap", "permit_requested_late", "no_host_confirmation",
                                                 "no_permit"]


def test_a_return_with_no_permit_request_lapses_its_deadline_and_is_flagged(bureau):
    ref = open_test_case(bureau, on=OPENED)
    trip = plan(bureau, ref).trip["trip"]
    record_return(bureau, trip, actor="tester", on=date(2026, 4, 25))
    statuses = [(d.kind, d.status) for d in deadlines_of(bureau, ref)]
    assert statuses == [("trip_permit_request", "lapsed"), ("trip_report", "open")]
    assert trips_of(bureau, ref)[0]["flags"] == ["no_permit"] and events_of(bureau, ref)[-1].data["flags"] == [
        "no_permit"]


def test_the_permit_request_falls_due_seven_days_before_departure(bureau):
    ref = open_test_case(bureau, on=OPENED)
    planned = plan(bureau, ref, host_confirmation=date(2026, 2, 27))
    deadline = open_deadline(bureau, ref, "trip_permit_request")
    assert deadline.due == date(2026, 4, 13) == MEETING["departs_on"] - timedelta(days=7) == planned.trip["permit_due"]
    assert (deadline.starts_on, planned.warnings) == (date(2026, 3, 2), [])
    trip = planned.trip["trip"]
    with pytest.raises(InvalidInput, match="needs --doc-number"):
        record_permit(bureau, trip, actor="tester", granted=True, on=date(2026, 4, 9))
    record_permit(bureau, trip, actor="tester", on=date(2026, 4, 9))
    assert open_deadline(bureau, ref, "trip_permit_request") is None
    assert trips_of(bureau, ref)[0]["status"] == "permit_requested" and trips_of(bureau, ref)[0]["flags"] == []
    late = plan_trip(bureau, open_test_case(bureau, on=OPENED, partner_name="Hannover"), actor="tester",
                     delegates=DELEGATES, **MEETING | {"on": date(2026, 4, 16)})
    assert late.warnings[0].startswith("The permit request was due on 2026-04-13, 7 days before departure")


def test_the_reminder_job_reminds_of_the_permit_request_and_the_report_on_their_days(bureau, tmp_path):
    config = log_config(tmp_path)
    ref = open_test_case(bureau, on=OPENED)
    trip = plan(bureau, ref).trip["trip"]

    def reminded(day: str) -> list[tuple[str, str]]:
        return [(r["kind"], r["step"]) for r in run(bureau, config, at(day)).recorded]

    assert reminded("2026-04-05") == []
    assert reminded("2026-04-06") == [("trip_permit_request", "before:7d")]  # a week before the due date
    assert logged(config)[-1]["subject"] == (f"[{ref}] Request the President's permit for the trip abroad: due "
                                             "2026-04-13, 7 day(s) left")
    assert f"{CIRCULAR} angka 4 [LAW*]" in logged(config)[-1]["body"]
    assert "Next: kerjasama trip permit TRIP --on DATE" in logged(config)[-1]["body"]
    assert reminded("2026-04-10") == [("trip_permit_request", "before:3d")]
    assert reminded("2026-04-13") == [("trip_permit_request", "due")]
    record_permit(bureau, trip, actor="tester", on=date(2026, 4, 13))
    assert reminded("2026-04-15") == []  # met: no overdue reminder
    carried_out(bureau, trip)
    assert open_deadline(bureau, ref, "trip_report").due == date(2026, 5, 9)  # two weeks after the return
    assert reminded("2026-05-06") == [("trip_report", "before:3d")]
    assert reminded("2026-05-09") == [("trip_report", "due")]
    assert reminded("2026-05-16") == [("trip_report", "overdue:1")]
    record_report(bureau, trip, actor="tester", on=date(2026, 5, 18), doc_number="000.1/55/Kerja Sama")
    assert reminded("2026-05-23") == [] and trips_of(bureau, ref)[0]["status"] == "reported"


@pytest.mark.parametrize("setting,days", [(None, 14), (30, 30)])
def test_the_report_falls_due_the_regions_days_after_the_return(bureau, setting, days):
    if setting:
        init_region(bureau, trip_report_days=setting)
    ref = open_test_case(bureau, on=OPENED)
    trip = plan(bureau, ref).trip["trip"]
    carried_out(bureau, trip, returned=date(2026, 4, 26))  # one day later than planned
    assert open_deadline(bureau, ref, "trip_report").due == date(2026, 4, 26) + timedelta(days=days)
    assert events_of(bureau, ref)[-1].data["trip_report_days"] == days
    assert trips_of(bureau, ref)[0]["report_due"] == date(2026, 4, 26) + timedelta(days=days)


def test_a_country_without_diplomatic_relations_needs_kemlus_recommendation(bureau):
    ref = open_test_case(bureau, on=OPENED)
    with pytest.raises(InvalidInput, match="Israel has no diplomatic relations with Indonesia: the permit request "
                                           "needs Kemlu's recommendation"):
        plan(bureau, ref, destination="IL")
    plan(bureau, ref, destination="IL", kemlu_recommendation="B-100/KL/03/2026")
    permit = draft(bureau, CONFIG, ref, "d03_pdln_permit_request.html", on=None, options={}, fmt="txt").decode()
    assert "rekomendasi Menteri Luar Negeri Nomor B-100/KL/03/2026" in permit
    assert "Duta Besar" not in permit  # no embassy in a country without relations


def test_a_case_carries_one_trip_at_a_time_in_the_order_they_happened(bureau):
    ref = open_test_case(bureau, on=OPENED)
    first = plan(bureau, ref).trip["trip"]
    with pytest.raises(InvalidInput, match=f"{ref} carries trip {first} to Germany, still planned; a case carries one "
                                           "trip at a time"):
        plan(bureau, ref, departs_on=date(2026, 6, 1), returns_on=date(2026, 6, 5))
    cancel_trip(bureau, first, actor="tester", note="the partner postponed the meeting", on=date(2026, 3, 10))
    assert open_deadline(bureau, ref, "trip_permit_request") is None
    with pytest.raises(InvalidInput, match="a trip of the past is recorded before any later one"):
        plan(bureau, ref, on=date(2026, 3, 5), departs_on=date(2026, 3, 6), returns_on=date(2026, 3, 8),
             record_past=True)
    again = plan(bureau, ref, on=date(2026, 3, 12), departs_on=date(2026, 6, 1), returns_on=date(2026, 6, 5))
    assert [t["status"] for t in trips_of(bureau, ref)] == ["cancelled", "planned"]
    assert open_deadline(bureau, ref, "trip_permit_request").due == date(2026, 5, 25) == again.trip["permit_due"]


def test_the_letters_of_a_trip_render_with_its_facts_and_pass_lint(bureau):
    ref = open_test_case(bureau, on=OPENED)
    trip = plan(bureau, ref, cost=150_000_000, host_confirmation=date(2026, 2, 27)).trip["trip"]
    permit = draft(bureau, CONFIG, ref, "d03_pdln_permit_request.html", on=None, options={}, fmt="txt").decode()
    for text in ("Hal : Permohonan Izin Perjalanan Dinas Luar Negeri ke Jerman", "Yth. Menteri Sekretaris Negara",
                 "20 April 2026 sampai dengan 25 April 2026", "Rp150.000.000,00", "Fadly Amran, B.B.A.",
                 "tidak melebihi batas 5 (lima) orang", "angka 3 huruf m Surat Edaran", "Lampiran : 4 (empat) berkas",
                 "batas waktu pengajuan pada tanggal 13 April 2026", "Duta Besar Republik Indonesia untuk Jerman"):
        assert text in permit, text
    carried_out(bureau, trip)
    report = draft(bureau, CONFIG, ref, "d04_trip_report.html", on=None,
                   options={"results": "Pertemuan Kelompok Kerja Bersama kedua kota."}, fmt="txt").decode()
    for text in ("LAPORAN PERJALANAN DINAS LUAR NEGERI", "20 APRIL 2026 SAMPAI DENGAN 25 APRIL 2026",
                 "izin Presiden Republik Indonesia Nomor B-77/M/S/LN.00/04/2026 tanggal 15 April 2026",
                 "Tanggal kepulangan : 25 April 2026", "3 (tiga) orang",
                 "Pertemuan Kelompok Kerja Bersama kedua kota."):
        assert text in report, text
    assert [p for p in lint(CONFIG) if "d03_" in p or "d04_" in p] == []


def test_the_trips_and_their_costs_are_in_the_bureau_report(bureau):
    ref = open_test_case(bureau, on=date(2025, 1, 6))
    last_year = plan(bureau, ref, purpose="ceremony", on=date(2025, 8, 1), departs_on=date(2025, 9, 1),
                     returns_on=date(2025, 9, 5), cost=80_000_000, record_past=True).trip["trip"]
    carried_out(bureau, last_year, granted=date(2025, 8, 20), returned=date(2025, 9, 5))
    record_report(bureau, last_year, actor="tester", on=date(2025, 9, 15))
    this_year = plan(bureau, ref, cost=150_000_000).trip["trip"]
    carried_out(bureau, this_year)
    record_report(bureau, this_year, actor="tester", on=date(2026, 5, 1))
    plan(bureau, ref, on=date(2026, 5, 4), departs_on=date(2026, 12, 20), returns_on=date(2026, 12, 24))
    assert trip_costs(bureau, 2026) == {
        "year": 2026, "trips": 2, "cost": 150_000_000, "without_cost": 1, "cancelled": 0,
        "by_purpose": {"meeting": 150_000_000},
        "previous_year": {"trips": 1, "cost": 80_000_000, "without_cost": 0, "cancelled": 0,
                          "by_purpose": {"ceremony": 80_000_000}}}
    page = report_html(bureau)
    section = page[page.index("Official trips abroad"):page.index("Audit anchor")]
    assert "2 trip(s) departing in 2026, costing Rp150.000.000,00 as planned; in 2025: 1 trip(s), Rp80.000.000,00." \
        in section
    assert "1 trip(s) have no cost on record." in section
    assert section.count(f'<td class="ref">{ref}</td>') == 2 and "Reported" in section and "Planned" in section


def test_a_trip_planned_for_a_later_year_is_in_the_report_too(bureau):
    ref = open_test_case(bureau, on=date(2025, 1, 6))
    plan(bureau, ref, on=date(2026, 11, 2), departs_on=date(2027, 3, 10), returns_on=date(2027, 3, 15),
         cost=450_000_000)
    page = report_html(bureau, today=date(2026, 12, 7))
    section = page[page.index("Official trips abroad"):page.index("Audit anchor")]
    assert f'<td class="ref">{ref}</td>' in section and "10 March 2027" in section
    assert "0 trip(s) departing in 2026" in section  # the year's costs stay the year's
