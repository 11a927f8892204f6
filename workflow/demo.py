"""``kerjasama demo``: the Padang - Hildesheim case of workflow/sample_case.py recorded on a fresh database.

The case's days are constructed (see workflow/sample_case.py), but its figures are not: the indicators carry the real,
public figures of workflow/data/demo_indicators.csv, each with its source, and a year no source gives a figure for
stays without one. The targets are the bureau's plan, not facts.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from workflow import sample_case
from workflow.actions import add_activity
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply, open_case
from workflow.indicators import add_indicator, record_value, set_targets
from workflow.region import init_region

ACTOR = "demo"
FIGURES_FILE = Path(__file__).parent / "data" / "demo_indicators.csv"

ACTIVITY = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan",
            "partner_unit": "Stadt Hildesheim, Fachbereich Schule", "field": "education", "layer": "multidimensional",
            "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd", "output": "10 teachers exchanged",
            "indicator": "teachers who completed the exchange"}

# The indicators are set with the action plan, the day its first activity is planned; a figure of a year before the
# agreement is the baseline.
INDICATORS_SET_ON = next(on for event, on, _extra in sample_case.TIMELINE if event == "activity_planned")
# The bureau's plan: the indicators and what it aims at each year (targets, not facts). teachers_exchanged measures
# the teacher exchange, the plan's activity 1, whose output is 10 teachers.
INDICATORS = ({"code": "events_held", "targets": {2025: "1", 2026: "2"}},
              {"code": "students_exchanged", "targets": {2026: "2"}},
              {"code": "delegations_sent", "targets": {2026: "1"}},
              {"code": "delegations_received", "targets": {}},
              {"code": "teachers_exchanged", "activity": 1, "targets": {2026: "10"}})
# Targets set later: Hildesheim's Oberbürgermeister said he would visit Padang in 2026 (the source of events_held
# 2025), so the bureau plans to receive one delegation that year.
LATER_TARGETS = (("delegations_received", "2025-11-02", {2026: "1"}),)


def demo_figures() -> list[dict]:
    """The figures of workflow/data/demo_indicators.csv, in the file's order."""
    with open(FIGURES_FILE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def run_demo(bureau: Bureau) -> list[Outcome]:
    """Set up Kota Padang on ``bureau``'s (empty) database and carry one case from opening to implementation; then
    give it the indicators of what it brings and their figures, as a bureau types them in afterwards: each takes
    its place in the record on its own day."""
    init_region(bureau, **sample_case.REGION)
    opened = open_case(bureau, **sample_case.OPENING, on=date.fromisoformat(sample_case.OPENED_ON), actor=ACTOR)
    ref, outcomes = opened.ref, [opened]
    for event, on, extra in sample_case.TIMELINE:
        if event == "activity_planned":
            outcomes.append(add_activity(bureau, ref, actor=ACTOR, on=date.fromisoformat(on), **ACTIVITY))
            continue
        outcomes.append(apply(bureau, ref, event, actor=ACTOR, on=date.fromisoformat(on), **extra))
    figures, numbers = demo_figures(), {}  # an indicator's number by its code
    for indicator in INDICATORS:
        baseline = _baseline(figures, indicator["code"])
        outcomes.append(add_indicator(bureau, ref, indicator["code"], actor=ACTOR,
                                      on=date.fromisoformat(INDICATORS_SET_ON), activity=indicator.get("activity"),
                                      baseline=baseline["value"] if baseline else None,
                                      baseline_year=int(baseline["year"]) if baseline else None,
                                      targets=indicator["targets"]))
        numbers[indicator["code"]] = outcomes[-1].data["indicator"]
    for code, on, targets in LATER_TARGETS:
        outcomes.append(set_targets(bureau, ref, numbers[code], targets, actor=ACTOR, on=date.fromisoformat(on)))
    for figure in figures:
        outcomes.append(record_value(bureau, ref, numbers[figure["code"]], year=int(figure["year"]),
                                     value=figure["value"], source=figure["source"], actor=ACTOR,
                                     on=date.fromisoformat(figure["on"]), precision=figure["precision"]))
    return outcomes


def _baseline(figures: list[dict], code: str) -> dict | None:
    """The figure of ``code`` for the last year before the signing, if a source gives one."""
    signed = int(next(on for event, on, _extra in sample_case.TIMELINE if event == "agreement_signed")[:4])
    before = [f for f in figures if f["code"] == code and int(f["year"]) < signed]
    return max(before, key=lambda f: int(f["year"])) if before else None
