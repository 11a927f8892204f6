"""A realistic case walked through the procedure on a fresh database (``kerjasama demo``).

Kota Padang and Hildesheim (Germany) are a real sister-city pair; the dates are chosen so the
DPRD receives the plan on the Friday before Idul Fitri 2024, when six working days in a row are
holidays or cuti bersama, and the 45-working-day window shows it.
"""
from __future__ import annotations

from datetime import date

from workflow.actions import add_activity
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply, open_case
from workflow.region import init_region

ACTOR = "demo"

STEPS = (
    ("exploration_started", "2023-02-06", {}),
    ("consultation_sent", "2023-03-06", {"doc_number": "000.5.2/112/Kerjasama-2023"}),
    ("consultation_cleared", "2023-04-03", {"data": {"ministry": "kemendagri"}}),
    ("consultation_cleared", "2023-04-05", {"data": {"ministry": "kemlu"}}),
    ("loi_signed", "2023-06-12", {"note": "LoI signed in Hildesheim by both mayors"}),
    ("plan_started", "2023-07-03", {}),
    ("dprd_request_received", "2024-04-05",
     {"note": "Stamped by the DPRD secretariat on the Friday before Idul Fitri"}),
    ("dprd_approved", "2024-06-13", {"doc_number": "Keputusan DPRD 12/2024"}),
    ("plan_submitted_to_kemendagri", "2024-06-20", {}),
    ("kemendagri_cleared_for_drafting", "2024-08-15", {}),
    ("draft_submitted_to_kemendagri", "2024-09-02", {}),
    ("draft_approved", "2024-11-14", {"note": "Interministerial meeting initialled the draft"}),
    ("confirmation_received", "2025-03-10", {"doc_number": "B-00231/OT/03/2025/60"}),
    ("full_powers_requested", "2025-03-17", {}),
    ("full_powers_issued", "2025-04-21", {"doc_number": "Surat Kuasa 077/2025"}),
    ("agreement_signed", "2025-05-08", {"data": {"term_years": 5}}),
    ("signing_report_sent", "2025-05-28", {}),
    ("activity_planned", "2025-06-16", {}),
    ("action_plan_adopted", "2025-07-14", {}),
    ("action_plan_budgeted", "2025-12-01", {"note": "Culture exchange and teacher visits in the APBD 2026"}),
)


ACTIVITY = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan",
            "partner_unit": "Stadt Hildesheim, Fachbereich Schule", "field": "education", "layer": "multidimensional",
            "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd", "output": "10 teachers exchanged",
            "indicator": "teachers who completed the exchange"}


def run_demo(bureau: Bureau) -> list[Outcome]:
    """Set up Kota Padang on ``bureau``'s (empty) database and carry one case from opening to implementation."""
    init_region(bureau, name="Kota Padang", level="kota", province="Sumatera Barat")
    opened = open_case(bureau, title="Sister city Padang - Hildesheim", partner_name="Hildesheim", country="DE",
                       partner_type="city", fields=["culture", "education"], on=date(2023, 1, 16), actor=ACTOR,
                       note="Letter of interest from the Oberbürgermeister of Hildesheim")
    outcomes = [opened]
    for event, on, extra in STEPS:
        if event == "activity_planned":
            outcomes.append(add_activity(bureau, opened.ref, actor=ACTOR, on=date.fromisoformat(on), **ACTIVITY))
            continue
        outcomes.append(apply(bureau, opened.ref, event, actor=ACTOR, on=date.fromisoformat(on), **extra))
    return outcomes
