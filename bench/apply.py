"""Events recorded per second by engine.apply, against a raw version-checked UPDATE + INSERT in the same database.

New cases are opened in a copy of the register (not timed) and advanced along the first steps of the
procedure through the engine: guards, machine, deadlines, seal, one transaction each. The floor does,
for the same number of events on the same cases, only what any recorder must: read the version, UPDATE
the case where its version still matches, INSERT the event, commit.
"""
from __future__ import annotations

import shutil
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from db.session import Database
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.engine import apply, open_case

STEPS = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed", "plan_started",
         "dprd_request_received", "dprd_approved"]
OPENED = date(2024, 1, 8)


def measure(register: Path, work: Path, cases: int) -> dict:
    """Events per second through the engine and through the floor, on a copy of ``register`` at ``work``."""
    shutil.copy(register, work)
    database = Database(str(work))
    bureau = Bureau(database, WorkingCalendar())
    refs = [open_case(bureau, title=f"Measured {n}", partner_name="Hildesheim", country="DE", partner_type="city",
                      fields=["culture"], on=OPENED, actor="bench").ref for n in range(cases)]
    started = time.perf_counter()
    for ref in refs:
        on = OPENED
        for event in STEPS:
            on += timedelta(days=7)
            apply(bureau, ref, event, actor="bench", on=on)
    engine_seconds = time.perf_counter() - started

    with database.engine.connect() as conn:
        ids = [conn.execute(text("SELECT id FROM cases WHERE ref = :ref"), {"ref": ref}).scalar() for ref in refs]
        conn.commit()
        started = time.perf_counter()
        for case_id in ids:
            for n in range(len(STEPS)):
                version = conn.execute(text("SELECT version FROM cases WHERE id = :id"), {"id": case_id}).scalar()
                conn.execute(text("UPDATE cases SET version = :v + 1 WHERE id = :id AND version = :v"),
                             {"id": case_id, "v": version})
                conn.execute(text("INSERT INTO events (case_id, seq, name, actor, occurred_on, recorded_at, "
                                  "to_state, data) VALUES (:id, :seq, 'floor', 'bench', '2025-01-06', :now, "
                                  "'initiated', '{}')"),
                             {"id": case_id, "seq": 100 + n, "now": datetime.now(timezone.utc).isoformat()})
                conn.commit()
    floor_seconds = time.perf_counter() - started
    database.dispose()
    events = cases * len(STEPS)
    engine_rate, floor_rate = events / engine_seconds, events / floor_seconds
    return {"events": events, "engine_seconds": engine_seconds, "engine_rate": engine_rate,
            "floor_rate": floor_rate, "ratio": engine_rate / floor_rate}
