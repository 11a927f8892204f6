"""121 real agreements of 27 Indonesian regions, gathered from public sources (tests/data/real-agreements.csv: one
row per instrument, each with its source and notes), loaded as each region's bureau would load its own register.
Every row imports, with its facts, its status and a flag for what today's rules would refuse.

The file records what the sources say, in their words (partner levels, fields of cooperation); ``import_row``
turns a row into the import format the way a bureau officer would fill in the columns.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from db.session import Database
from tests.conftest import NOW, close_bureau, make_url
from workflow.agreements import export_all, import_agreements, import_all, register
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.region import init_region

SOURCE = Path(__file__).parent / "data" / "real-agreements.csv"
ROWS = list(csv.DictReader(SOURCE.read_text(encoding="utf-8").splitlines()))
PROVINCE = {"Surabaya": "Jawa Timur", "Bandung": "Jawa Barat", "Denpasar": "Bali", "Semarang": "Jawa Tengah",
            "Padang": "Sumatera Barat", "Medan": "Sumatera Utara", "Sidoarjo": "Jawa Timur",
            "Tangerang Selatan": "Banten", "Sabang": "Aceh", "Makassar": "Sulawesi Selatan", "Ambon": "Maluku",
            "Banda Aceh": "Aceh", "Magelang": "Jawa Tengah", "Bogor": "Jawa Barat", "Surakarta": "Jawa Tengah",
            "Klaten": "Jawa Tengah", "Serang": "Banten", "Kabupaten Tangerang": "Banten"}
# The partner levels the sources name, read as the import's partner types: a first-tier region (state, province,
# prefecture, a city with a province's rank) or a second-tier one; the others are institutions.
FIRST_TIER = re.compile(r"state|province|prefecture|territory|city-state|autonomous region|metropolitan city|"
                        r"special city|federal city|capital of azuay|federal territory", re.I)
# The fields the sources name, read as the codes of workflow/data/fields.csv; what no code covers is left out
# (the source's own words stay in the note).
FIELDS = [("culture", r"cultur|arts|heritage|museum"), ("education", r"educat|school|student|teacher|training"),
          ("trade_investment", r"trade|invest|business|econom|commerce|finance|startup|market"),
          ("tourism", r"touris"), ("environment", r"environment|waste|water|decarbon|green|river|clean"),
          ("health", r"health"), ("science_technology", r"science|technolog|research|innovation|informati"),
          ("agriculture", r"agri|livestock|animal|fisher|food"), ("industry", r"industr|mining|energy"),
          ("urban_development", r"urban|infrastructure|transport|port|housing|smart city|road|construction"),
          ("disaster_management", r"disaster|flood|earthquake|reconstruction"),
          ("youth_sports", r"youth|sport"),
          ("government_capacity", r"govern|administration|capacity|human res|staff|mayoral|management information"),
          ("public_services", r"municipal services|welfare|social|child")]
TYPES_OF_INSTRUMENT = {"renewal": "mou", "extension": "mou"}
EVERY = re.compile(r"every (two|three|four|five|ten) years")  # "renewed every five years"
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def ref_of(row: dict | str) -> str:
    return f"REAL-{int(row if isinstance(row, str) else row['row']):03d}"


def import_row(row: dict) -> dict:
    """A research row in the import format of ``kerjasama import``."""
    status = row["status_as_reported"].split(" ")[0] or ("ended" if row["end_kind"] == "superseded" else "unknown")
    as_of = re.search(r"\((\d{4})\)", row["status_as_reported"])
    level = row["partner_level"]
    partner_type = ("other_institution" if re.search(r"institution|department", level, re.I) else
                    "province" if FIRST_TIER.search(level) else "city")
    named = row["fields"].lower()
    instrument = TYPES_OF_INSTRUMENT.get(row["instrument"], row["instrument"])
    if instrument == "loi" and status == "active":
        status = "loi_only"  # an LoI in force: no agreement yet
    return {
        "ref": ref_of(row), "title": f"{row['instrument'].upper()} {row['region']} - {row['partner']}",
        "partner": row["partner"], "country": row["partner_country"], "partner_type": partner_type,
        "fields": ";".join(code for code, pattern in FIELDS if re.search(pattern, named)),
        "instrument": instrument, "first_contact": row["first_contact"], "loi_signed": row["loi_signed"],
        "mou_signed": row["signed"] if instrument != "loi" else "", "partner_signed": row["partner_signed"],
        "term_years": row["term_years"], "expires": row["expires"], "status": status,
        "renewal_every": NUMBERS[EVERY.search(row["term_text"])[1]] if EVERY.search(row["term_text"]) else "",
        "status_as_of": as_of.group(1) if as_of else row["source_date"], "ended": row["ended"],
        "end_kind": row["end_kind"], "renews": ref_of(row["renews"]) if row["renews"] else "",
        "implements": ref_of(row["implements"]) if row["implements"] else "", "source": row["source_url"],
        "note": f"{row['source_title']}. Fields as the source names them: {row['fields'] or '-'}. {row['notes']}",
    }


def regions() -> dict[tuple[str, str], list[dict]]:
    found: dict[tuple[str, str], list[dict]] = {}
    for row in ROWS:
        found.setdefault((row["region"], row["region_level"]), []).append(row)
    return found


def bare_bureau(url: str) -> Bureau:
    """A bureau on ``url`` whose region is not set up yet."""
    return Bureau(Database(url), WorkingCalendar(), clock=NOW)


def load(bureau, region: str, level: str, rows: list[dict], tmp_path) -> dict:
    """Set up ``region`` and import its rows as its bureau would."""
    kind = {"kota": "Kota", "kabupaten": "Kabupaten", "provinsi": "Provinsi"}[level]
    name = region if region.startswith(kind) else f"{kind} {region}"
    init_region(bureau, name=name, level=level, province=PROVINCE.get(region, region))
    path = tmp_path / f"{region}.json"
    path.write_text(json.dumps([import_row(row) for row in rows], ensure_ascii=False))
    return import_agreements(bureau, path, actor="siti")


def test_the_register_has_eighty_real_agreements_and_more_across_regions():
    assert len(ROWS) >= 80 and len(regions()) >= 8
    assert all(row["source_url"].startswith("http") for row in ROWS)


@pytest.mark.parametrize("region,level", list(regions()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_row_imports_with_its_status_and_flags(db_url, tmp_path, region, level):
    bureau = bare_bureau(db_url)
    try:
        rows = regions()[(region, level)]
        assert load(bureau, region, level, rows, tmp_path)["imported"] == len(rows)
        listed = {entry["ref"]: entry for entry in register(bureau)}
        for row in rows:
            entry, wanted = listed[ref_of(row)], import_row(row)
            assert entry["status"] == wanted["status"], (row["row"], entry["status"], wanted["status"])
            assert entry["partner"] == row["partner"]
            if wanted["mou_signed"]:
                assert entry["signed_on"] == wanted["mou_signed"]
            if not row["term_years"]:
                assert entry["term"] == "unknown"
            mismatch = wanted["partner_type"] != ("province" if level == "provinsi" else "city") and \
                wanted["partner_type"] in ("province", "city")
            assert any("Pasal 27 ayat (3)" in flag for flag in entry["flags"]) == mismatch, row["row"]
            if row["partner_country"] == "TW":
                assert any("Pasal 27 ayat (1) huruf a" in flag for flag in entry["flags"])
            if row["row"] in ("54", "61", "88"):  # LoIs signed after an agreement with the same partner
                assert any("follows an agreement signed before it" in flag for flag in entry["flags"]), row["row"]
            if row["renews"]:
                assert listed[ref_of(row["renews"])]["renewed_by"] == sorted(
                    ref_of(other) for other in rows if other["renews"] == row["renews"])
    finally:
        close_bureau(bureau)


def test_a_tie_renewed_every_five_years_shows_which_renewals_are_on_record(db_url, tmp_path):
    """DI Yogyakarta - Kyoto Prefecture: signed 16 July 1985, "renewed every five years"; the reaffirmations of
    20 October 2010 and 27 August 2015 are the ones the sources document."""
    bureau = bare_bureau(db_url)
    try:
        load(bureau, "DI Yogyakarta", "provinsi", regions()[("DI Yogyakarta", "provinsi")], tmp_path)
        kyoto = next(entry for entry in register(bureau) if entry["ref"] == "REAL-057")
        assert kyoto["renewal_every"] == 5
        assert [(p["due"], p["documented_by"]) for p in kyoto["renewals"]] == [
            ("1990-07-16", None), ("1995-07-16", None), ("2000-07-16", None), ("2005-07-16", None),
            ("2010-07-16", "REAL-058"), ("2015-07-16", "REAL-059"), ("2020-07-16", None), ("2025-07-16", None)]
    finally:
        close_bureau(bureau)


def test_an_export_of_a_real_register_restores_without_loss(db_url, tmp_path):
    bureau, other = bare_bureau(db_url), None
    try:
        load(bureau, "DKI Jakarta", "provinsi", regions()[("DKI Jakarta", "provinsi")], tmp_path)
        first = export_all(bureau)
        url, _drop = make_url("sqlite", tmp_path)
        other = bare_bureau(url)
        other.db.ensure_schema()
        import_all(other, first)
        assert export_all(other)["tables"] == first["tables"]
        assert register(other) == register(bureau)
    finally:
        close_bureau(bureau)
        if other:
            close_bureau(other)


def test_one_sweep_after_loading_a_real_register_every_status_is_right_and_every_timer_has_its_day(db_url, tmp_path):
    """Every region's real register loaded in one database per level, then one reminder sweep: each agreement whose
    term the sources say ended is expired on its expiry date, each tie idle past the dormancy period is dormant from
    the day it lapsed, a second sweep applies nothing, and the timeline of every case replays to its stored state."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from sqlmodel import select

    from db.models import Case, Event
    from workflow.config import Config
    from workflow.reminders import LogChannel, sweep
    from workflow.store import guard_context
    from workflow.timeline import replay

    (region, level), rows = max(regions().items(), key=lambda item: len(item[1]))  # the largest register
    bureau = bare_bureau(db_url)
    try:
        load(bureau, region, level, rows, tmp_path)
        config = Config(channels=("log",), log_file=tmp_path / "log.jsonl")
        now = datetime.combine(NOW.date(), time(7, 30), ZoneInfo("Asia/Jakarta"))
        first = sweep(bureau, config, now, {"log": LogChannel(config.log_file)})
        applied = [t for t in first.timers if t["result"] == "applied"]
        assert applied, "the real register has lapsed terms and idle ties"
        with bureau.db.session() as session:
            timers = session.exec(select(Event).where(Event.actor == "scheduler",
                                                      Event.name != "deadline_recomputed")).all()
            refs = session.exec(select(Case.ref)).all()
        assert len(timers) == len(applied)
        for event in timers:  # each on its own day: the expiry date, the day the dormancy period ended
            assert event.occurred_on.isoformat() == event.data["timer"]["due"], (event.name, event.data["timer"])
            assert not event.data.get("late_entry")
        expired = {e.case_id for e in timers if e.name == "term_expired"}
        dormant = {e.case_id for e in timers if e.name == "dormancy_detected"}
        with bureau.db.session() as session:
            states = dict(session.exec(select(Case.id, Case.state)).all())
        assert {states[c] for c in expired} == {"expired"} and {states[c] for c in dormant - expired} == {"dormant"}
        assert len(expired) >= 1 and len(dormant) >= 8
        second = sweep(bureau, config, now, {"log": LogChannel(config.log_file)})
        assert [t for t in second.timers if t["result"] == "applied"] == []
        for ref in refs:
            with bureau.db.session() as session:
                ctx = guard_context(session, bureau, ref, None)
            assert replay(ctx.history, ctx=ctx, imported=[], check_from=(True, NOW.date(), 0)).state == ctx.state
    finally:
        close_bureau(bureau)


def test_a_restored_register_takes_new_cases_and_events_and_verifies(db_url, tmp_path):
    """Export, then restore into a fresh database of the same kind (PostgreSQL as well): the ids go on after the
    restored ones, so the next case, event and deadline are written, and the restored history verifies."""
    from workflow.audit import verify
    from workflow.engine import apply, open_case
    bureau, other = bare_bureau(db_url), None
    try:
        load(bureau, "DKI Jakarta", "provinsi", regions()[("DKI Jakarta", "provinsi")], tmp_path)
        url, drop = make_url("sqlite" if db_url.startswith("sqlite") else "postgresql", tmp_path)
        other = bare_bureau(url)
        other.db.ensure_schema()
        import_all(other, export_all(bureau))
        assert verify(other)["broken"] == []
        ref = open_case(other, title="Sister province Jakarta - Moscow, 2026 programme", partner_name="Moscow",
                        country="RU", partner_type="province", fields=["culture"], on=NOW.date(), actor="siti").ref
        assert apply(other, ref, "exploration_started", actor="siti", on=NOW.date()).state == "exploring"
        assert verify(other)["broken"] == []
    finally:
        close_bureau(bureau)
        if other:
            close_bureau(other)
            drop()
