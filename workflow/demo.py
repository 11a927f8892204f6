"""``kerjasama demo``: the Padang - Hildesheim case of workflow/sample_case.py recorded on a fresh database."""
from __future__ import annotations

from datetime import date

from workflow import sample_case
from workflow.actions import add_activity
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply, open_case
from workflow.region import init_region

ACTOR = "demo"

ACTIVITY = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan",
            "partner_unit": "Stadt Hildesheim, Fachbereich Schule", "field": "education", "layer": "multidimensional",
            "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd", "output": "10 teachers exchanged",
            "indicator": "teachers who completed the exchange"}


def run_demo(bureau: Bureau) -> list[Outcome]:
    """Set up Kota Padang on ``bureau``'s (empty) database and carry one case from opening to implementation."""
    init_region(bureau, **sample_case.REGION)
    opened = open_case(bureau, **sample_case.OPENING, on=date.fromisoformat(sample_case.OPENED_ON), actor=ACTOR)
    outcomes = [opened]
    for event, on, extra in sample_case.TIMELINE:
        if event == "activity_planned":
            outcomes.append(add_activity(bureau, opened.ref, actor=ACTOR, on=date.fromisoformat(on), **ACTIVITY))
            continue
        outcomes.append(apply(bureau, opened.ref, event, actor=ACTOR, on=date.fromisoformat(on), **extra))
    return outcomes
