"""The demo case carries real, public figures of Padang - Hildesheim for more than one year, each with its source;
a year no source gives a figure for stays without one, and the targets are the bureau's plan."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from db.models import Activity
from db.session import Database
from tests.conftest import NOW, close_bureau
from workflow import sample_case
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.demo import ACTIVITY, INDICATORS, LATER_TARGETS, demo_figures, run_demo
from workflow.indicators import catalogue, indicators_of
from workflow.money import parse_figure

SIGNED = next(date.fromisoformat(on) for event, on, _extra in sample_case.TIMELINE if event == "agreement_signed")


@pytest.fixture
def demo(db_url):
    """The demo recorded on a fresh database: the bureau and the outcomes of run_demo."""
    bureau = Bureau(Database(db_url), WorkingCalendar(), clock=NOW)
    try:
        yield bureau, run_demo(bureau)
    finally:
        close_bureau(bureau)


def test_every_figure_of_the_file_is_a_sourced_fact_of_the_catalogue():
    figures = demo_figures()
    assert figures
    for figure in figures:
        kind = catalogue()[figure["code"]]
        assert figure["unit"] == kind.unit
        assert parse_figure(figure["value"]) == figure["value"]  # written as it is kept
        established = date.fromisoformat(figure["on"])
        assert figure["precision"] in ("day", "month", "year")
        assert int(figure["year"]) <= established.year <= NOW.year  # a figure is for a year already begun
        assert re.search(r"https://\S+", figure["source"]), figure["source"]  # where to check it
        assert re.search(r"\b20\d\d\b", figure["source"]), figure["source"]  # the publication's date


def test_the_demo_case_carries_two_years_of_figures_each_with_its_source(demo):
    bureau, outcomes = demo
    ref = outcomes[0].ref
    shown = {i["code"]: i for i in indicators_of(bureau, ref)}
    assert list(shown) == [i["code"] for i in INDICATORS]
    for figure in demo_figures():
        year, recorded = int(figure["year"]), shown[figure["code"]]["actual"][int(figure["year"])]
        assert (recorded["value"], recorded["source"]) == (figure["value"], figure["source"])
        # on the day its source established it, even one published before the agreement was signed
        assert (recorded["on"], recorded["precision"]) == (date.fromisoformat(figure["on"]), figure["precision"])
        assert year <= recorded["on"].year
    years = {year for i in shown.values() for year in i["actual"]}
    assert len(years) >= 2
    assert any(len(i["actual"]) >= 2 for i in shown.values())  # one indicator followed over two years
    assert {y for y in years if y >= SIGNED.year}  # and a figure of the agreement's own time


def test_a_figure_before_the_agreement_is_its_baseline_and_a_year_without_one_shows_none(demo):
    bureau, outcomes = demo
    shown = {i["code"]: i for i in indicators_of(bureau, outcomes[0].ref)}
    for code, indicator in shown.items():
        before = [f for f in demo_figures() if f["code"] == code and int(f["year"]) < SIGNED.year]
        latest = max(before, key=lambda f: int(f["year"])) if before else None
        assert (indicator["baseline"], indicator["baseline_year"]) == (
            (latest["value"], int(latest["year"])) if latest else (None, None))
        found = {int(f["year"]) for f in demo_figures() if f["code"] == code}
        assert set(indicator["actual"]) == found  # nothing filled in for a year no source gives
    plan = {i["code"]: i["targets"] for i in INDICATORS}
    for code, _on, targets in LATER_TARGETS:
        plan[code] = plan[code] | targets
    assert {code: i["targets"] for code, i in shown.items()} == plan


def test_the_teacher_exchange_stays_planned_without_a_figure_of_its_own(demo):
    bureau, outcomes = demo
    ref = outcomes[0].ref
    teachers = next(i for i in indicators_of(bureau, ref) if i["code"] == "teachers_exchanged")
    assert (teachers["activity"], teachers["actual"]) == (1, {})
    with bureau.db.session() as session:
        [activity] = session.exec(select(Activity)).all()
    assert (activity.title, activity.status, activity.spent, activity.done_on) == (
        ACTIVITY["title"], "planned", None, None)


def test_the_demo_keeps_its_procedure_and_types_the_indicators_in_afterwards(demo):
    _bureau, outcomes = demo
    procedure = [o for o in outcomes if not o.event.startswith("indicator_")]
    assert [o.event for o in procedure] == ["case_opened"] + [event for event, _on, _extra in sample_case.TIMELINE]
    assert [o.on for o in procedure[1:]] == sorted(o.on for o in procedure[1:])
    assert not any(o.data.get("late_entry") for o in procedure)
    measured = [o for o in outcomes if o.event.startswith("indicator_")]
    assert measured and all(o.data.get("late_entry") for o in measured)  # each placed on its own day
    assert outcomes[-1].state == "in_force"
