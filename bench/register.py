"""A register of N cases built through the engine, spread over every stage of the procedure.

Each case is opened and advanced along the happy path to a depth that cycles through all states
from initiated to in_force, with dates from 2013 on, exactly as an officer's commands would: each
event is its own transaction with guards, deadlines, seal and version check, on SQLite with WAL and
full fsync. A national register (550 regions x 20 cases = 11,000) is held here in one database.
"""
from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from db.session import Database
from workflow.actions import add_activity
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.engine import apply, open_case
from workflow.region import init_region

PATH = [  # (event, data, doc_number)
    ("exploration_started", {}, None), ("consultation_sent", {}, None), ("consultation_cleared", {}, None),
    ("loi_signed", {}, None), ("plan_started", {}, None), ("dprd_request_received", {}, None),
    ("dprd_approved", {}, None), ("plan_submitted_to_kemendagri", {}, None),
    ("kemendagri_cleared_for_drafting", {}, None), ("draft_submitted_to_kemendagri", {}, None),
    ("draft_approved", {}, None), ("confirmation_received", {}, "B-1/2014"), ("full_powers_requested", {}, None),
    ("full_powers_issued", {}, "SK-1/2014"), ("agreement_signed", {"term_years": 5}, None),
    ("activity_planned", {}, None), ("action_plan_adopted", {}, None), ("action_plan_budgeted", {}, None),
]
ACTIVITY = {"title": "Teacher exchange", "lead_opd": "Dinas Pendidikan", "field": "education",
            "layer": "multidimensional", "fiscal_year": 2015, "cost": 350_000_000, "budget_source": "apbd_opd",
            "output": "10 teachers", "indicator": "teachers exchanged"}
PARTNERS = [("Hildesheim", "DE"), ("Kitakyushu", "JP"), ("Suwon", "KR"), ("Vung Tau", "VN"), ("Perth", "AU"),
            ("Fremantle", "AU"), ("Liverpool", "GB"), ("Shah Alam", "MY"), ("Tula", "RU"), ("Davao", "PH")]


def build(path: Path, cases: int, progress=None) -> dict:
    """Build the register at ``path`` (replaced); returns cases, events and seconds."""
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    database = Database(str(path))
    bureau = Bureau(database, WorkingCalendar())
    init_region(bureau, name="Kota Padang", level="kota", province="Sumatera Barat")
    events = 0
    started = time.perf_counter()
    for n in range(cases):
        name, country = PARTNERS[n % len(PARTNERS)]
        opened = date(2013, 1, 7) + timedelta(days=n % 3000)
        ref = open_case(bureau, title=f"Cooperation {n} with {name}", partner_name=name, country=country,
                        partner_type="city", fields=["culture", "education"], on=opened, actor="bench").ref
        on = opened
        for event, data, doc in PATH[: n % (len(PATH) + 1)]:
            on += timedelta(days=3)
            if event == "activity_planned":
                add_activity(bureau, ref, actor="bench", on=on, **ACTIVITY)
            else:
                apply(bureau, ref, event, actor="bench", on=on, data=data, doc_number=doc)
            events += 1
        if progress and (n + 1) % 5000 == 0:
            progress(f"  {n + 1:,} cases, {events:,} events, {time.perf_counter() - started:.0f} s")
    database.dispose()
    return {"cases": cases, "events": events, "seconds": time.perf_counter() - started}
