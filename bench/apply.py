"""Events recorded per second by engine.apply, against a raw version-checked UPDATE + INSERT in the same database.

    python bench/apply.py [--cases 300] [--db PATH]

Each case is advanced along the first steps of the procedure through the engine (guards, machine,
deadlines, seal, one transaction each); the floor does, for the same number of events, only what any
recorder must: UPDATE the case where its version matches, INSERT the event, commit.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from db.session import Database  # noqa: E402
from workflow.bureau import Bureau  # noqa: E402
from workflow.calendar import WorkingCalendar  # noqa: E402
from workflow.engine import apply, open_case  # noqa: E402
from workflow.region import init_region  # noqa: E402

STEPS = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed", "plan_started",
         "dprd_request_received", "dprd_approved"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--db", default="bench/out/apply.db")
    args = parser.parse_args()
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    Path(args.db).unlink(missing_ok=True)
    database = Database(args.db)
    bureau = Bureau(database, WorkingCalendar())
    init_region(bureau, name="Kota Padang", level="kota", province="Sumatera Barat")
    refs = [open_case(bureau, title=f"Case {n}", partner_name="Hildesheim", country="DE", partner_type="city",
                      fields=["culture"], on=date(2020, 1, 6), actor="bench").ref for n in range(args.cases)]
    started = time.perf_counter()
    for ref in refs:
        on = date(2020, 1, 6)
        for event in STEPS:
            on += timedelta(days=7)
            apply(bureau, ref, event, actor="bench", on=on)
    engine_seconds = time.perf_counter() - started
    events = len(refs) * len(STEPS)

    started = time.perf_counter()
    with database.engine.connect() as conn:
        ids = [row[0] for row in conn.execute(text("SELECT id FROM cases ORDER BY id"))]
        for case_id in ids:
            for n in range(len(STEPS)):
                version = conn.execute(text("SELECT version FROM cases WHERE id = :id"), {"id": case_id}).scalar()
                conn.execute(text("UPDATE cases SET version = :v + 1 WHERE id = :id AND version = :v"),
                             {"id": case_id, "v": version})
                conn.execute(text("INSERT INTO events (case_id, seq, name, actor, occurred_on, recorded_at, "
                                  "to_state, data) VALUES (:id, :seq, 'floor', 'bench', '2021-01-04', :now, "
                                  "'initiated', '{}')"),
                             {"id": case_id, "seq": 100 + n, "now": datetime.now(timezone.utc).isoformat()})
                conn.commit()
    floor_seconds = time.perf_counter() - started
    database.dispose()
    engine_rate, floor_rate = events / engine_seconds, events / floor_seconds
    print(f"engine.apply: {events} events in {engine_seconds:.2f} s = {engine_rate:.0f} events/s")
    print(f"floor (raw UPDATE + INSERT + commit): {floor_rate:.0f} events/s")
    print(f"ratio {engine_rate / floor_rate:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
