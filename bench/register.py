"""Build a database of N cases through the engine, spread over every stage of the procedure.

    python bench/build_cases.py --cases 10000 --db bench/out/cases-10k.db

Each case is opened and advanced along the happy path to a depth that cycles through all states
from initiated to in_force, with dates from 2013 on, exactly as an officer's commands would.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from db.session import Database  # noqa: E402
from workflow.actions import add_activity  # noqa: E402
from workflow.bureau import Bureau  # noqa: E402
from workflow.calendar import WorkingCalendar  # noqa: E402
from workflow.engine import apply, open_case  # noqa: E402
from workflow.region import init_region  # noqa: E402

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


def build(db_url: str, cases: int) -> tuple[int, float]:
    database = Database(db_url)
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
        if (n + 1) % 1000 == 0:
            print(f"  {n + 1} cases, {events} events, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    database.dispose()
    return events, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", default="bench/out/cases.db", help="SQLite path or database URL (must be empty)")
    args = parser.parse_args()
    if "://" not in args.db:
        Path(args.db).parent.mkdir(parents=True, exist_ok=True)
        Path(args.db).unlink(missing_ok=True)
    events, seconds = build(args.db, args.cases)
    print(f"built {args.cases} cases with {events} events in {seconds:.1f} s "
          f"({(args.cases + events) / seconds:.0f} writes/s) into {args.db}")


if __name__ == "__main__":
    main()
