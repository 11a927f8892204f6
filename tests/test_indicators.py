"""Indicators of what an agreement brings: a baseline, targets per year and values with their source, kept as
written; evaluations recorded with the figures of their period."""
from __future__ import annotations

import json
import os
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from cli import cli
from tests.helpers import advance, events_of, open_test_case, path_to
from workflow.actions import add_activity, last_evaluation, record_evaluation, update_activity
from workflow.errors import InvalidInput
from workflow.i18n import current_language, set_language
from workflow.indicator_catalogue import catalogue, figure
from workflow.indicators import add_indicator, indicators_of, record_value, set_targets
from workflow.money import parse_figure

# Padang - Hildesheim's teacher exchange, as the demo plans it (workflow/demo.py).
TEACHERS = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan", "field": "education",
            "layer": "multidimensional", "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd",
            "output": "10 teachers exchanged", "indicator": "teachers who completed the exchange"}


def in_force(bureau) -> str:
    ref = open_test_case(bureau, on=date(2023, 1, 16))
    for event in path_to("in_force"):
        advance(bureau, ref, event)
    return ref


@pytest.mark.parametrize("written, kept", [("1.500", "1500"), ("12,5", "12.5"), ("12,50", "12.50"),
                                           ("3,2 miliar", "3200000000"), ("Rp 350.000.000", "350000000"),
                                           ("0", "0")])
def test_a_figure_is_read_the_indonesian_way_and_keeps_its_decimals(written, kept):
    assert parse_figure(written) == kept


@pytest.mark.parametrize("written", ["1.5", "-3", "dua belas", "1,5 kali"])
def test_a_figure_that_could_be_misread_is_refused(written):
    with pytest.raises(ValueError):
        parse_figure(written)


def test_figures_are_shown_as_each_language_writes_them_with_their_decimals():
    before = current_language()
    try:
        set_language("id")
        assert (figure("1500"), figure("12.50"), figure(None)) == ("1.500", "12,50", "-")
        set_language("en")
        assert figure("1500.5") == "1,500.5"
    finally:
        set_language(before)


def test_an_indicator_keeps_its_baseline_targets_and_the_last_figure_of_each_year(bureau):
    ref = in_force(bureau)
    add_indicator(bureau, ref, "teachers_exchanged", actor="tester", on=date(2025, 7, 14), baseline="0",
                  baseline_year=2024, targets={2026: "10", 2027: "12"})
    set_targets(bureau, ref, 1, {2027: "15", 2028: "15"}, actor="tester", on=date(2025, 8, 1))
    record_value(bureau, ref, 1, year=2026, value="7", source="Laporan sementara Dinas Pendidikan",
                 actor="tester", on=date(2026, 7, 1))
    record_value(bureau, ref, 1, year=2026, value="8", source="Laporan Dinas Pendidikan 2026", actor="tester",
                 on=date(2026, 11, 20))
    [teachers] = indicators_of(bureau, ref)
    assert (teachers["unit"], teachers["baseline"], teachers["baseline_year"]) == ("people", "0", 2024)
    assert teachers["targets"] == {2026: "10", 2027: "15", 2028: "15"}
    assert teachers["actual"][2026]["value"] == "8"  # the later figure stands
    assert [v["value"] for v in teachers["values"]] == ["7", "8"]  # and both stay on record
    assert teachers["actual"][2026]["source"] == "Laporan Dinas Pendidikan 2026"
    recorded = [e for e in events_of(bureau, ref) if e.name == "indicator_measured"]
    assert [e.data["value"] for e in recorded] == ["7", "8"]  # sealed with the event


def test_the_bureaus_own_indicator_needs_its_name_and_unit(bureau):
    ref = in_force(bureau)
    with pytest.raises(InvalidInput) as refused:
        add_indicator(bureau, ref, None, actor="tester", name="UMKM yang ikut pameran di Hildesheim")
    assert "--unit" in str(refused.value)
    add_indicator(bureau, ref, None, actor="tester", name="UMKM yang ikut pameran di Hildesheim", unit="UMKM",
                  targets={2026: "12"})
    [own] = indicators_of(bureau, ref)
    assert (own["code"], own["name"], own["unit_name"]) == ("own", "UMKM yang ikut pameran di Hildesheim", "UMKM")


@pytest.mark.parametrize("call, message", [
    (lambda b, ref: add_indicator(b, ref, "happiness", actor="t"), "not in the catalogue"),
    (lambda b, ref: add_indicator(b, ref, "tourists", actor="t", baseline="120"), "--baseline-year"),
    (lambda b, ref: add_indicator(b, ref, "tourists", actor="t", activity=9), "has no activity 9"),
    (lambda b, ref: add_indicator(b, ref, "tourists", actor="t", targets={2026: "1.5"}), "separates thousands"),
    (lambda b, ref: record_value(b, ref, 4, year=2026, value="3", source="x", actor="t"), "has no indicator 4"),
])
def test_what_an_indicator_cannot_be_is_refused_in_one_line(bureau, call, message):
    ref = in_force(bureau)
    with pytest.raises(InvalidInput) as refused:
        call(bureau, ref)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_a_figure_needs_its_source(bureau):
    ref = in_force(bureau)
    add_indicator(bureau, ref, "tourists", actor="tester")
    with pytest.raises(InvalidInput) as refused:
        record_value(bureau, ref, 1, year=2026, value="120", source="  ", actor="tester")
    assert "--source" in str(refused.value)


def test_an_indicator_of_an_activity_names_it(bureau):
    ref = in_force(bureau)
    add_activity(bureau, ref, actor="tester", on=date(2025, 6, 16), **TEACHERS)
    add_indicator(bureau, ref, "teachers_exchanged", actor="tester", activity=1)
    assert indicators_of(bureau, ref)[0]["activity"] == 1


def test_the_figures_of_an_agreement_that_has_ended_are_still_recorded(bureau):
    ref = open_test_case(bureau, on=date(2013, 1, 16))
    for event in path_to("expired"):
        advance(bureau, ref, event)
    add_indicator(bureau, ref, "delegations_received", actor="tester")
    record_value(bureau, ref, 1, year=2016, value="2", source="Arsip Bagian Kerja Sama", actor="tester")
    assert indicators_of(bureau, ref)[0]["actual"][2016]["value"] == "2"


def test_an_evaluation_is_recorded_with_the_figures_of_its_period(bureau):
    ref = in_force(bureau)
    add_activity(bureau, ref, actor="tester", on=date(2025, 6, 16), **TEACHERS)
    add_activity(bureau, ref, actor="tester", on=date(2025, 6, 16), **(TEACHERS | {
        "title": "Padang stand at the Hildesheim Pflasterzauber festival", "lead_opd": "Dinas Pariwisata",
        "field": "culture", "cost": 150_000_000, "budget_source": "partner"}))
    add_indicator(bureau, ref, "teachers_exchanged", actor="tester", on=date(2025, 7, 14), targets={2026: "10"})
    update_activity(bureau, ref, 1, actor="tester", on=date(2026, 10, 30), status="done", spent=318_500_000)
    update_activity(bureau, ref, 2, actor="tester", on=date(2026, 8, 30), status="done")  # its cost unknown
    record_value(bureau, ref, 1, year=2026, value="8", source="Laporan Dinas Pendidikan 2026", actor="tester",
                 on=date(2026, 11, 20))
    outcome = record_evaluation(bureau, ref, actor="tester", on=date(2026, 11, 23), kind="annual",
                                recommendation="continue", period_from=date(2026, 1, 1),
                                period_to=date(2026, 11, 23))
    figures = outcome.data["figures"]
    assert (figures["planned"], figures["done"]) == (2, 2)
    assert figures["costs"]["planned"] == 500_000_000
    assert (figures["costs"]["spent"], figures["costs"]["unknown"]) == (318_500_000, 1)  # unknown is not zero
    assert figures["costs"]["by_source"]["partner"] == {"planned": 150_000_000, "spent": 0}
    [teachers] = figures["indicators"]
    assert teachers["years"] == [{"year": 2026, "target": "10", "value": "8", "reached": 80.0,
                                  "source": "Laporan Dinas Pendidikan 2026", "document": None}]
    assert figures["done_per_year"] == 2.2
    with bureau.db.session() as session:
        from workflow.store import load_case
        assert last_evaluation(session, load_case(session, ref))["figures"] == figures


def test_the_commands_take_indonesian_names_and_print_the_years(bureau, db_url):
    ref = in_force(bureau)

    def kerjasama(*args):
        return CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, "--lang", "id", *args])

    added = kerjasama("indicator", "add", ref, "guru_dipertukarkan", "--target", "2026=10", "--on", "2025-07-14",
                      "--json")
    assert added.exit_code == 0, added.output
    recorded = kerjasama("indicator", "record", ref, "1", "--year", "2026", "--value", "8", "--source",
                         "Laporan Dinas Pendidikan 2026", "--on", "November 2026")
    assert recorded.exit_code == 0, recorded.output
    listed = kerjasama("indicator", "list", ref)
    assert "Guru dan dosen yang ikut pertukaran" in listed.stdout and "Laporan Dinas Pendidikan 2026" in listed.stdout
    data = json.loads(kerjasama("indicator", "list", ref, "--json").stdout)["data"]
    assert data[0]["actual"]["2026"] == {"value": "8", "on": "2026-11-01", "precision": "month",
                                         "source": "Laporan Dinas Pendidikan 2026", "document": None}
    refused = kerjasama("indicator", "add", ref, "--target", "2026")
    assert refused.exit_code == 2 and "2026=20" in refused.stderr


def test_the_catalogue_names_every_indicator_in_both_languages():
    for kind in catalogue().values():
        assert kind.name_id and kind.name_en and kind.unit_id and kind.unit_en


def test_evaluate_dry_run_shows_the_figures_and_records_nothing(bureau, db_url):
    ref = in_force(bureau)
    add_indicator(bureau, ref, "teachers_exchanged", actor="tester", on=date(2025, 7, 14), targets={2026: "10"})
    record_value(bureau, ref, 1, year=2026, value="8", source="Laporan Dinas Pendidikan 2026", actor="tester",
                 on=date(2026, 11, 20))
    before = len(events_of(bureau, ref))
    shown = CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, "--lang", "id", "evaluate", ref,
                                     "--from", "2026-01-01", "--to", "2026-12-31", "--dry-run"])
    assert shown.exit_code == 0, shown.output
    assert "Guru dan dosen yang ikut pertukaran" in shown.stdout and "80,0%" in shown.stdout
    assert len(events_of(bureau, ref)) == before
    missing = CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, "--lang", "en", "evaluate", ref,
                                       "--from", "2026-01-01", "--to", "2026-12-31"])
    assert missing.exit_code == 2 and "--kind" in missing.stderr


def test_the_evaluation_report_letter_prints_the_indicators_against_their_targets(bureau):
    from workflow.config import Config
    from workflow.letters import draft, sample_config

    ref = in_force(bureau)
    add_activity(bureau, ref, actor="tester", on=date(2025, 6, 16), **TEACHERS)
    add_indicator(bureau, ref, "teachers_exchanged", actor="tester", on=date(2025, 7, 14), baseline="0",
                  baseline_year=2024, targets={2026: "10", 2027: "12"})
    update_activity(bureau, ref, 1, actor="tester", on=date(2026, 10, 30), status="done", spent=318_500_000)
    record_value(bureau, ref, 1, year=2026, value="8", source="Laporan Dinas Pendidikan 2026", actor="tester",
                 on=date(2026, 11, 20))
    record_evaluation(bureau, ref, actor="tester", on=date(2026, 11, 23), kind="annual", recommendation="continue",
                      period_from=date(2026, 1, 1), period_to=date(2027, 12, 31))
    text = draft(bureau, sample_config(Config()), ref, "d22_evaluation_report.html", on=date(2026, 11, 23),
                 options={}, fmt="txt").decode("utf-8")
    assert "Capaian Indikator" in text and "Guru dan dosen yang ikut pertukaran" in text
    assert "Laporan Dinas Pendidikan 2026" in text and "80,0%" in text
    assert "belum tercatat" in text  # 2027 has a target and no figure yet: said, not zero
    assert "Rp318.500.000,00" in text


def test_a_figure_published_before_the_signing_is_recorded_on_its_own_day(bureau):
    ref = in_force(bureau)
    add_indicator(bureau, ref, "delegations_sent", actor="tester")
    signed = next(e.occurred_on for e in events_of(bureau, ref) if e.name == "agreement_signed")
    before = signed - timedelta(days=20)  # the case stood before the ministries then
    record_value(bureau, ref, 1, year=before.year, value="1", source="Engagement Global (SKEW), 4 October 2023",
                 actor="tester", on=before)
    assert indicators_of(bureau, ref)[0]["actual"][before.year]["on"] == before
