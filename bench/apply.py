"""Events recorded per second by engine.apply, against a raw version-checked UPDATE + INSERT in the same database,
and against the disk's own commit rate.

New cases are opened in a copy of the register (not timed) and advanced along the first seven steps of the procedure
through the engine: guards, machine, deadlines, seal, one transaction each. The floor does, for the same number of
events on cases of its own, only what any recorder must: read the version and the last sequence number, UPDATE the
case where its version still matches, INSERT the event, commit. The disk floor is a one-row INSERT + commit into a
table of its own, in a file beside the copy with the product's SQLite settings (bench/peers.py reads them back from the
product's connection); an empty write transaction (BEGIN IMMEDIATE; COMMIT, which writes nothing to the log) shows
SQLite's cost without the disk.

All three are warmed up first, untimed (a year of holidays, the machine, the statements, the file cache). They then
run in interleaved rounds: each round, engine and floor on different cases, the disk floor between them, and which of
engine and floor goes first alternates. Wall time (time.perf_counter) and CPU time of this process
(time.process_time) are taken for each block; per-event figures are medians of the rounds, and the ratios are medians
of the rounds' ratios.
"""
from __future__ import annotations

import shutil
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

from db.session import Database
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.engine import apply, open_case

from bench.peers import connect, fresh, product_pragmas

STEPS = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed", "plan_started",
         "dprd_request_received", "dprd_approved"]
OPENED = date(2024, 1, 8)
WARM_CASES = 2


class Disk:
    """The commit rate of the disk under the product's settings, in a file of its own beside the register's copy."""

    def __init__(self, path: Path, pragmas: dict):
        self.conn = connect(fresh(path), pragmas)
        self.conn.execute("CREATE TABLE commits (id INTEGER PRIMARY KEY, at TEXT NOT NULL)")
        self.conn.commit()

    def commits(self, n: int) -> None:
        for _ in range(n):
            self.conn.execute("INSERT INTO commits (at) VALUES (?)", (datetime.now(timezone.utc).isoformat(),))
            self.conn.commit()

    def empty(self, n: int) -> None:
        for _ in range(n):
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def timed(work) -> tuple[float, float]:
    """Wall and CPU seconds of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(register: Path, work: Path, cases: int, rounds: int) -> dict:
    """Engine, floor and disk floor on a copy of ``register`` at ``work``: ``cases`` cases of seven events each for
    the engine, as many events for the floor and the disk, in ``rounds`` interleaved rounds after a warm-up."""
    if cases < rounds:
        raise ValueError("at least one case per round")
    shutil.copy(register, work)
    for stale in (Path(f"{work}-wal"), Path(f"{work}-shm")):
        stale.unlink(missing_ok=True)
    database = Database(str(work))
    bureau = Bureau(database, WorkingCalendar())
    pragmas = product_pragmas(database)

    def opened(label: str, n: int) -> str:
        return open_case(bureau, title=f"Measured {label} {n}", partner_name="Hildesheim", country="DE",
                         partner_type="city", fields=["culture"], on=OPENED, actor="bench").ref

    engine_refs = [opened("engine", n) for n in range(cases + WARM_CASES)]
    floor_refs = [opened("floor", n) for n in range(cases + WARM_CASES)]
    per_round = cases // rounds
    events = per_round * len(STEPS)  # per block of a round

    def engine(refs):
        for ref in refs:
            on = OPENED
            for event in STEPS:
                on += timedelta(days=7)
                apply(bureau, ref, event, actor="bench", on=on)

    conn = database.engine.connect()
    ids = [conn.execute(text("SELECT id FROM cases WHERE ref = :ref"), {"ref": ref}).scalar() for ref in floor_refs]
    conn.commit()

    def floor(case_ids):
        for case_id in case_ids:
            for _ in STEPS:
                version, seq = conn.execute(text("SELECT version, (SELECT max(seq) FROM events WHERE case_id = :id) "
                                                 "FROM cases WHERE id = :id"), {"id": case_id}).one()
                changed = conn.execute(text("UPDATE cases SET version = :v + 1 WHERE id = :id AND version = :v"),
                                       {"id": case_id, "v": version}).rowcount
                if changed != 1:
                    raise RuntimeError("the floor's case changed under it")
                conn.execute(text("INSERT INTO events (case_id, seq, name, actor, occurred_on, recorded_at, "
                                  "to_state, data) VALUES (:id, :seq, 'floor', 'bench', '2024-01-15', :now, "
                                  "'initiated', '{}')"),
                             {"id": case_id, "seq": seq + 1, "now": datetime.now(timezone.utc).isoformat()})
                conn.commit()

    disk = Disk(work.with_name("disk-floor.db"), pragmas)
    # The warm-up, untimed.
    engine(engine_refs[cases:])
    floor(ids[cases:])
    disk.commits(WARM_CASES * len(STEPS))
    disk.empty(WARM_CASES * len(STEPS))

    blocks: dict[str, list[tuple[float, float]]] = {"engine": [], "floor": [], "disk": [], "empty": []}
    for round_ in range(rounds):
        mine = slice(round_ * per_round, (round_ + 1) * per_round)
        work_of = {"engine": lambda: engine(engine_refs[mine]), "floor": lambda: floor(ids[mine]),
                   "disk": lambda: disk.commits(events), "empty": lambda: disk.empty(events)}
        order = ["engine", "disk", "empty", "floor"] if round_ % 2 == 0 else ["floor", "disk", "empty", "engine"]
        for name in order:
            blocks[name].append(timed(work_of[name]))
    conn.close()
    disk.close()
    database.dispose()

    def figures(name: str) -> dict:
        return {"wall_ms": statistics.median(wall / events * 1000 for wall, _cpu in blocks[name]),
                "cpu_ms": statistics.median(cpu / events * 1000 for _wall, cpu in blocks[name]),
                "rate": statistics.median(events / wall for wall, _cpu in blocks[name])}

    def ratio(of: str, by: int) -> float:  # the engine's speed over ``of``'s, round by round
        return statistics.median(other[by] / own[by] for own, other in zip(blocks["engine"], blocks[of]))

    result = {name: figures(name) for name in blocks}
    return result | {
        "events": events * rounds, "rounds": rounds, "per_round": events, "pragmas": pragmas,
        "ratio_wall": ratio("floor", 0), "ratio_cpu": ratio("floor", 1),
        # How much of an engine event's wall time a bare commit takes on this disk, round by round.
        "disk_share": ratio("disk", 0),
    }
