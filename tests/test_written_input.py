"""Dates and amounts of money as officers write them: ``1 Desember 2026``, ``01-12-2026``, ``350 juta``."""
from __future__ import annotations

import os
from datetime import date

import pytest
from click.testing import CliRunner

from cli import cli
from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, carry, open_case
from workflow.money import parse_rupiah
from workflow.partial_dates import NoSuchDay, PartialDate, partial_date, sourced_date

DECEMBER_FIRST = PartialDate(date(2026, 12, 1), "day")
DECEMBER = PartialDate(date(2026, 12, 1), "month")


@pytest.mark.parametrize("text,expected", [
    ("2026-12-01", DECEMBER_FIRST), ("2026-12", DECEMBER), ("2026", PartialDate(date(2026, 1, 1), "year")),
    ("1 Desember 2026", DECEMBER_FIRST), ("1 Des 2026", DECEMBER_FIRST), ("1 des. 2026", DECEMBER_FIRST),
    ("  1   DESEMBER  2026 ", DECEMBER_FIRST), ("Desember 2026", DECEMBER), ("desember 2026", DECEMBER),
    ("01-12-2026", DECEMBER_FIRST), ("1-12-2026", DECEMBER_FIRST), ("1/12/2026", DECEMBER_FIRST),
    ("01.12.2026", DECEMBER_FIRST), ("12-2026", DECEMBER), ("12/2026", DECEMBER),
    ("1 December 2026", DECEMBER_FIRST), ("1 Dec 2026", DECEMBER_FIRST), ("December 2026", DECEMBER),
    ("17 Agustus 1945", PartialDate(date(1945, 8, 17), "day")), ("17 Agu 1945", PartialDate(date(1945, 8, 17), "day")),
    ("17 Agt 1945", PartialDate(date(1945, 8, 17), "day")), ("5 Okt 2020", PartialDate(date(2020, 10, 5), "day")),
    ("5 Mei 2020", PartialDate(date(2020, 5, 5), "day")), ("Sept 2020", PartialDate(date(2020, 9, 1), "month")),
    ("10 Nopember 2012", PartialDate(date(2012, 11, 10), "day")),
    ("29-02-2024", PartialDate(date(2024, 2, 29), "day")),
    ("04-05-2026", PartialDate(date(2026, 5, 4), "day")),  # day first, never month first
])
def test_dates_are_read_as_people_write_them(text, expected):
    assert partial_date(text) == expected


@pytest.mark.parametrize("text", ["31 Juni 2026", "31-06-2026", "29-02-2025", "2026-13", "13-13-2026", "0 Mei 2026"])
def test_a_day_not_in_the_calendar_is_refused_as_such(text):
    with pytest.raises(NoSuchDay):
        partial_date(text)


@pytest.mark.parametrize("text", ["12/01/26", "1-12/2026", "1 Foo 2026", "Desember", "December 1, 2026", "2026-1-5",
                                  "tomorrow", "1 Desember 2026 (city site)"])
def test_other_texts_are_not_dates(text):
    with pytest.raises(ValueError):
        partial_date(text)


def test_an_empty_text_is_no_date():
    assert partial_date("  ") is None


def test_a_date_with_its_source_may_be_written_in_words():
    assert sourced_date("1 Desember 2026 (city site)") == (DECEMBER_FIRST, "city site")
    assert sourced_date("2001-05") == (PartialDate(date(2001, 5, 1), "month"), "")
    assert sourced_date("Desember (city site)") is None


@pytest.mark.parametrize("text,expected", [
    ("350000000", 350_000_000), ("350.000.000", 350_000_000), ("Rp350.000.000", 350_000_000),
    ("Rp 350.000.000,00", 350_000_000), ("Rp. 350.000.000,-", 350_000_000), ("rp  350.000.000", 350_000_000),
    ("350 juta", 350_000_000), ("350 Juta", 350_000_000), ("350juta", 350_000_000), ("1,5 miliar", 1_500_000_000),
    ("1,5 milyar", 1_500_000_000), ("1.500 juta", 1_500_000_000), ("150 ribu", 150_000), ("2 triliun", 2 * 10 ** 12),
    ("Rp 2,25 juta", 2_250_000), ("0", 0), ("350 juta rupiah", 350_000_000),
])
def test_amounts_are_read_as_people_write_them(text, expected):
    assert parse_rupiah(text) == expected


@pytest.mark.parametrize("text,reason", [
    ("1.5 miliar", "\".\" separates thousands"), ("350,000", "\".\" separates thousands"),
    ("350.00.000", "\".\" separates thousands"), ("350.000.000,50", "without sen"), ("1,5", "without sen"),
    ("1,0000005 ribu", "without sen"), ("5 dollar", "dollar is not ribu"), ("-5", "in figures"), ("Rp", "in figures"),
    ("", "in figures"),
])
def test_other_amounts_are_refused_with_the_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_rupiah(text)


# Through the CLI.

@pytest.fixture
def run(db_url, tmp_path):
    """Invoke kerjasama on the test database; returns the click Result."""
    def invoke(*args, ok=True):
        result = CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, "--lang", "en",
                                          *args], catch_exceptions=not ok)
        if ok:
            assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result

    invoke("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    return invoke


def last_event(run, ref: str) -> dict:
    return json_of(run("case", "history", ref, "--json").stdout)["events"][-1]


@pytest.mark.parametrize("on", ["1 Februari 2013", "1 Feb 2013", "01-02-2013", "1/2/2013", "01.02.2013",
                                "1 February 2013", "2013-02-01"])
def test_advance_takes_the_day_as_written(run, on):
    ref = open_case(run)
    run("case", "advance", ref, "exploration_started", "--on", on, "--as", "siti")
    assert last_event(run, ref)["on"] == "2013-02-01"


@pytest.mark.parametrize("on,message", [
    ("31 Februari 2013", "Invalid value for '--on': 31 Februari 2013 is not in the calendar"),
    ("02/31/2013", "02/31/2013 is not in the calendar"),
    ("soon", "soon is not a date; write e.g. 5 Maret 2014, 05-03-2014, 5/3/2014 or 2014-03-05 (day, month, year), "
             "or Maret 2014"),
])
def test_advance_refuses_what_is_not_a_day(run, on, message):
    ref = open_case(run)
    result = run("case", "advance", ref, "exploration_started", "--on", on, ok=False)
    assert result.exit_code == 2 and message in result.stderr


def test_a_day_only_option_refuses_a_month(run):
    result = run("deadlines", "--on", "Desember 2013", ok=False)
    assert result.exit_code == 2 and "Desember 2013 is a month or a year; give the day" in result.stderr
    run("deadlines", "--on", "1 Desember 2013")


def activity_args(cost: str) -> list[str]:
    return ["--title", "Teacher exchange", "--lead-opd", "Dinas Pendidikan", "--field", "education", "--layer",
            "multidimensional", "--year", "2015", "--cost", cost, "--source", "apbd_opd", "--output", "10 teachers",
            "--indicator", "teachers exchanged", "--on", "1 Desember 2014", "--as", "siti"]


@pytest.fixture
def signed(run):
    """A case whose agreement is signed, ready for its plan of action."""
    ref = open_case(run)
    carry(run, ref, [event for event, _state in HAPPY_PATH[:[e for e, _s in HAPPY_PATH].index("activity_planned")]])
    return ref


def test_action_costs_are_taken_as_written(run, signed):
    run("action", "add", signed, *activity_args("350 juta"))
    run("action", "add", signed, *activity_args("Rp 1.500.000.000,00"))
    costs = [a["cost"] for a in json_of(run("action", "list", signed, "--json").stdout)]
    assert costs == [350_000_000, 1_500_000_000]
    run("action", "update", signed, "1", "--cost", "1,5 miliar", "--as", "siti")
    assert json_of(run("action", "list", signed, "--json").stdout)[0]["cost"] == 1_500_000_000


def test_a_cost_that_is_not_rupiah_is_refused_with_examples(run, signed):
    result = run("action", "add", signed, *activity_args("1.5 miliar"), ok=False)
    assert result.exit_code == 2
    assert ("1.5 miliar is not an amount of rupiah: in rupiah \".\" separates thousands and \",\" marks decimals, as "
            "in 350.000.000 and 1,5 miliar; write e.g. 350000000, 350.000.000, Rp 350.000.000,00, 350 juta or 1,5 "
            "miliar") in " ".join(result.stderr.split())
