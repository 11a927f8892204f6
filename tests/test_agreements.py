"""The agreement register, loading existing agreements, and export and import without loss."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from db.models import Case, Event
from tests import system
from tests.conftest import close_bureau, make_bureau, make_url
from tests.helpers import advance, at, case_in, count, events_of, last_event, log_config, open_deadline, run
from workflow.actions import record_evaluation
from workflow.agreements import export_all, import_agreements, import_all, partial_date, register
from workflow.board import board
from workflow.bureau import Bureau
from workflow.errors import EventNotAllowed, InvalidInput
from workflow.letters import issue, sample_config
from workflow.config import Config
from workflow.region import init_region
from workflow.reminders import LogChannel, sweep

DATASET = Path(__file__).parent / "data" / "surabaya-agreements.csv"


def surabaya(bureau):
    init_region(bureau, name="Kota Surabaya", province="Jawa Timur")
    return import_agreements(bureau, DATASET, actor="siti")


def test_partial_dates_keep_their_precision():
    assert [partial_date(t).shown() for t in ("2009-04-17", "2009-04", "2009")] == ["2009-04-17", "2009-04", "2009"]
    assert partial_date("2009-04").day == date(2009, 4, 1) and partial_date("") is None
    for bad in ("2009-13", "2009-02-30", "04-17-2009"):  # never month first
        with pytest.raises(ValueError):
            partial_date(bad)
    assert partial_date("17-04-2009").shown() == "2009-04-17"  # day first, as registers write it


def test_the_dataset_imports_with_the_right_status_for_each(bureau):
    result = surabaya(bureau)
    rows = list(csv.DictReader(DATASET.read_text().splitlines()))
    assert result["imported"] == len(rows) >= 50
    listed = {(r["partner"], r["title"]): r for r in register(bureau)}
    for row in rows:
        assert listed[(row["partner"], row["title"])]["status"] == row["status"], row["title"]
    seattle = listed[("Seattle", "Sister city Surabaya - Seattle")]
    assert (seattle["signed_on"], seattle["last_activity"], seattle["ref"]) == ("1992", "2009", "KS-1992-0001")
    renewal = next(r for r in listed.values() if r["ref"] == "KS-2015-0001")
    assert renewal["renews"] == "KS-2012-0001"
    imported = events_of(bureau, "KS-1992-0001")[0]
    assert (imported.name, imported.data["precision"]["mou_signed"], imported.data["source"]) == \
        ("imported", "year", "register 1999 (scanned)")
    on_board = {c["ref"]: c for s in board(bureau)["stages"] for c in s["cases"]}
    assert on_board["KS-1992-0001"]["dormant"] and on_board["KS-1992-0001"]["state"] == "dormant"
    assert len(register(bureau, status="loi_only")) == sum(1 for r in rows if r["status"] == "loi_only")


def test_an_imported_agreement_goes_on_like_any_other(bureau):
    surabaya(bureau)
    ref = next(r["ref"] for r in register(bureau, status="active") if r["partner"] == "Busan")
    assert advance(bureau, ref, "activity_recorded", on=date(2026, 11, 2)).state == "in_force"


def test_a_bad_file_names_its_lines_and_writes_nothing(bureau, tmp_path):
    path = tmp_path / "agreements.csv"
    path.write_text(
        "title,partner,country,partner_type,fields,loi_signed,mou_signed,term_years,status\n"
        "Sister city A,Bremen,DE,city,culture,,2019-05,10,active\n"
        "Sister city B,Haifa,IL,city,culture,,2019-05,5,active\n"
        "Sister city C,Lyon,FR,city,culture,,2019-13,5,active\n"
        "Sister city D,Nice,FR,city,culture,2030-01,,,loi_only\n"
        "Sister city E,Turin,IT,city,culture,,2001,5,active\n")
    with pytest.raises(InvalidInput) as refused:
        import_agreements(bureau, path, actor="siti")
    message = str(refused.value)
    assert "line 4: 2019-13 is not a date" in message and "line 5: a date lies in the future" in message
    assert "correct the columns loi_signed (1), mou_signed (1)" in message
    assert [g["column"] for g in refused.value.groups] == ["loi_signed", "mou_signed"]
    for line in ("line 2", "line 3", "line 6"):  # flagged, not refused: a tie of the past as it was
        assert line not in message
    assert count(bureau, Case) == 0 and count(bureau, Event) == 0


def test_a_dry_run_writes_nothing_and_json_lists_import_too(bureau, tmp_path):
    path = tmp_path / "agreements.json"
    path.write_text(json.dumps([{"title": "Sister city A", "partner": "Bremen", "country": "DE", "partner_type": "city",
                                 "fields": ["culture", "education"], "mou_signed": "2019-05", "term_years": 10,
                                 "status": "active", "last_activity": "2026-06"}]))
    assert import_agreements(bureau, path, actor="siti", dry_run=True)["would_import"][0]["state"] == "in_force"
    assert count(bureau, Case) == 0
    assert import_agreements(bureau, path, actor="siti")["imported"] == 1
    assert register(bureau)[0]["fields"] == ["culture", "education"]


@pytest.mark.needs(*system.PDF)  # an issued letter's PDF is part of the record
def test_export_and_import_lose_nothing(bureau, tmp_path):
    surabaya(bureau)
    ref = case_in(bureau, "in_force")
    on = last_event(bureau, ref).occurred_on
    record_evaluation(bureau, ref, actor="siti", on=on, kind="annual", recommendation="extend",
                      period_from=date(2013, 1, 1), period_to=on)
    planning = case_in(bureau, "plan_drafting")
    issue(bureau, sample_config(Config()), planning, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6),
          options={}, pdf=True)
    config = Config(channels=("log",), log_file=tmp_path / "log.jsonl")
    sweep(bureau, config, None, {"log": LogChannel(config.log_file)})
    first = export_all(bureau)
    url, drop = make_url("sqlite", tmp_path)
    other = make_bureau(url)
    try:
        restored = import_all(other, first)
        assert restored["cases"] == len(first["tables"]["cases"]) > 50
        again = export_all(other)
        assert {k: v for k, v in again.items() if k != "exported_at"} == \
            {k: v for k, v in first.items() if k != "exported_at"}
        with pytest.raises(InvalidInput, match="without cases"):
            import_all(other, first)
    finally:
        close_bureau(other)
        drop()


def test_an_imported_plan_of_action_lapses_on_its_own_validity_and_its_successor_falls_due(bureau, tmp_path):
    """A programme under an umbrella MoU, valid to the end of 2027 (an example: the real ones of
    tests/data/real-agreements.csv have all lapsed): its validity is its own, and its lapse opens the successor."""
    path = tmp_path / "plans.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,instrument,mou_signed,expires,status,implements\n"
                    "KS-2007-0001,Sister city,Moscow,RU,province,culture,mou,2007,,active,\n"
                    "KS-2025-0001,Programme 2025-2027,Moscow,RU,province,culture,poa,2025-01,2027-12-31,active,"
                    "KS-2007-0001\n")
    init_region(bureau, name="Provinsi DKI Jakarta", level="provinsi")
    import_agreements(bureau, path, actor="siti")
    assert open_deadline(bureau, "KS-2025-0001", "agreement_expiry") is None
    assert open_deadline(bureau, "KS-2025-0001", "action_plan_validity").due == date(2027, 12, 31)
    later = Bureau(bureau.db, bureau.calendar, clock=datetime(2028, 1, 3, 1, 0, tzinfo=timezone.utc))  # time passes
    run(later, log_config(tmp_path), at("2028-01-03"))
    assert [e.name for e in events_of(bureau, "KS-2025-0001")][-1] == "action_plan_lapsed"
    assert open_deadline(bureau, "KS-2025-0001", "successor_plan").due == date(2028, 3, 31)
    assert register(bureau)[0]["state"] in ("in_force", "dormant")  # the umbrella MoU stays in force


def test_an_end_date_ends_the_tie_whatever_its_status_column_says(bureau, tmp_path):
    """Jawa Barat - South Australia: MoU of 21 August 1997, expired in 2007 (South Australian Hansard, 2016), left
    "active" in an old register."""
    path = tmp_path / "ended.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,status,ended,end_kind\n"
                    "KS-1997-0001,MoU Jawa Barat - South Australia,South Australia,AU,province,education,1997-08-21,"
                    "active,2007,expired\n")
    init_region(bureau, name="Provinsi Jawa Barat", level="provinsi")
    import_agreements(bureau, path, actor="siti")
    [row] = register(bureau)
    assert (row["status"], row["state"], row["ended"]) == ("expired", "expired", "2007")
    assert row["flags"] == ["the status says active, but the tie ended on 2007: recorded as expired"]
    assert open_deadline(bureau, "KS-1997-0001", "dormancy") is None


def test_dormancy_counts_from_the_last_activity_an_import_gives(bureau, tmp_path):
    """Surabaya - Busan, signed 24 August 1994 (busan.go.kr); the last activity here is an example date."""
    path = tmp_path / "alive.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,term_years,status,last_activity\n"
                    "KS-1994-0001,Sister city,Busan,KR,city,education,1994-08-24,,active,2026-06\n")
    import_agreements(bureau, path, actor="siti")
    with pytest.raises(EventNotAllowed, match="dormancy period of 12 month"):
        advance(bureau, "KS-1994-0001", "dormancy_detected", on=date(2026, 11, 20))


def test_timers_an_imported_agreement_passed_long_ago_apply_at_the_next_sweep_with_their_own_day(bureau, tmp_path):
    """Surabaya - Liverpool: MoU of 19 March 2018, five years, left "active" in a register; Surabaya - Busan,
    signed 24 August 1994, with its last activity here put in June 2024 (an example)."""
    path = tmp_path / "late.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,term_years,status,last_activity\n"
                    "KS-2018-0001,Sister city,Liverpool,GB,city,culture,2018-03-19,5,active,\n"
                    "KS-1994-0001,Sister city,Busan,KR,city,education,1994-08-24,,active,2024-06\n")
    import_agreements(bureau, path, actor="siti")
    run(bureau, log_config(tmp_path), at("2026-11-23"))
    expired = events_of(bureau, "KS-2018-0001")[-1]
    assert (expired.name, expired.actor, expired.occurred_on) == ("term_expired", "scheduler", date(2023, 3, 19))
    dormant = events_of(bureau, "KS-1994-0001")[-1]
    assert (dormant.name, dormant.occurred_on) == ("dormancy_detected", date(2025, 6, 1))
    assert {r["ref"]: r["status"] for r in register(bureau)} == {"KS-1994-0001": "dormant", "KS-2018-0001": "expired"}
    run(bureau, log_config(tmp_path), at("2026-11-23", "08:30"))  # once
    assert [e.name for e in events_of(bureau, "KS-2018-0001")].count("term_expired") == 1


def imported_again(bureau, db_url, tmp_path, **region) -> list[dict]:
    """The register of a fresh database of the same backend, after importing ``bureau``'s register as a workbook."""
    from tests.test_real_register import bare_bureau
    from workflow.agreements import register_workbook

    path = tmp_path / "register.xlsx"
    path.write_bytes(register_workbook(bureau))
    url, drop = make_url("postgresql" if db_url.startswith("postgresql") else "sqlite", tmp_path)
    other = bare_bureau(url)
    try:
        other.db.ensure_schema()
        init_region(other, **region)
        import_agreements(other, path, actor="siti")
        return register(other)
    finally:
        close_bureau(other)
        drop()


@pytest.mark.parametrize("region,level", [("DKI Jakarta", "provinsi"), ("DI Yogyakarta", "provinsi")])
def test_a_real_register_written_as_a_workbook_imports_as_the_same_register(db_url, tmp_path, region, level):
    """Renewals every five years (DI Yogyakarta - Kyoto), LoIs after agreements, plans of action, unknown statuses."""
    from tests.test_real_register import bare_bureau, load, regions

    bureau = bare_bureau(db_url)
    try:
        load(bureau, region, level, regions()[(region, level)], tmp_path)
        assert imported_again(bureau, db_url, tmp_path, name=f"Provinsi {region}", level=level,
                              province=region) == register(bureau)
    finally:
        close_bureau(bureau)


def test_dates_with_their_sources_and_recorded_events_survive_a_workbook(bureau, db_url, tmp_path):
    path = tmp_path / "agreements.csv"
    path.write_text("ref,title,partner,country,partner_type,fields,mou_signed,term_years,status,note\n"
                    "KS-2001-0001,Sister city,Bremen,DE,city,culture,2001-04-17 (Kemlu); 2001-05 (city site),,active,"
                    "=1+2\n"
                    "KS-2019-0001,Sister city B,Lyon,FR,city,,2019-05-14,5,active,\n")
    import_agreements(bureau, path, actor="siti")
    advance(bureau, "KS-2019-0001", "activity_recorded", on=date(2026, 11, 2))
    listed = register(bureau)
    assert listed[0]["alternatives"] and listed[1]["last_activity"] == "2026-11-02"
    assert imported_again(bureau, db_url, tmp_path, name="Kota Padang", level="kota",
                          province="Sumatera Barat") == listed
