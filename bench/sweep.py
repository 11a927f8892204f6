"""One reminder sweep on registers of different sizes with the same reminders due.

Each register is copied, then every open deadline it holds is set to wait until after the sweep day
(its reminders up to today are taken as sent), and --due plans are sent to the DPRD through the
engine so that the "3 working days before" step of each one's 45-working-day window falls on the
sweep day. The sweep is `kerjasama remind --now ... --json` in its own process, on a fresh copy each
run, written through to the disk (the file and its folder fsync'ed) before the clock starts; the figure
is the median wall time and the sweep process's own peak resident memory, and the floor is the same
command once those reminders are recorded (nothing due).

The peak memory is the VmHWM of /proc/self/status, read by the sweep process itself as it exits: the
process runs the console script's own code (`from cli import cli; sys.exit(cli())`) under a few lines
that register the reading with atexit. The ru_maxrss that os.wait4 gives for a child is no good here:
Linux carries into it the peak of the process it was forked from, the bench itself.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from db.models import Deadline
from db.session import Database
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.engine import apply, open_case
from workflow.reminders import shift

from bench.cli_wall import kerjasama

NOW = date(2026, 11, 23)  # the sweep's day; a Monday
TO_DPRD = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed", "plan_started"]


def prepare(register: Path, path: Path, due: int) -> None:
    """A copy of ``register`` at ``path`` where exactly ``due`` DPRD windows have a reminder step on NOW."""
    shutil.copy(register, path)
    database = Database(str(path))
    bureau = Bureau(database, WorkingCalendar())
    later = NOW + timedelta(days=60)
    with database.engine.begin() as conn:
        conn.execute(update(Deadline.__table__).where(Deadline.status == "open").values(next_action_on=later))
    window_due = shift(NOW, "3wd", bureau.calendar)
    received = window_due
    while bureau.calendar.working_days_between(received, window_due) < 45:
        received -= timedelta(days=1)
    windows = []
    for n in range(due):
        on = received - timedelta(days=60)
        ref = open_case(bureau, title=f"Plan {n} at the DPRD", partner_name="Hildesheim", country="DE",
                        partner_type="city", fields=["culture"], on=on, actor="bench").ref
        for event in TO_DPRD:
            on += timedelta(days=7)
            apply(bureau, ref, event, actor="bench", on=on)
        outcome = apply(bureau, ref, "dprd_request_received", actor="bench", on=received)
        windows += [deadline.id for deadline in outcome.opened if deadline.kind == "dprd_decision"]
    with database.engine.begin() as conn:  # the earlier steps of those windows were sent before today
        conn.execute(update(Deadline.__table__).where(Deadline.id.in_(windows)).values(next_action_on=NOW))
    database.dispose()


# The console script (see .venv/bin/kerjasama), with its peak resident memory written to argv[1] as it exits.
KERJASAMA_WITH_PEAK = """\
import atexit, sys
del sys.path[0]  # the working folder, which -c puts first; the console script has its own folder there
peak_file = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM:")).split()[1])
atexit.register(peak)
sys.argv[0] = "kerjasama"
from cli import cli
sys.exit(cli())
"""


def written_through(path: Path) -> None:
    """Wait until ``path`` and the folder that names it are on the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def copy(source: Path, target: Path) -> None:
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copy(source, target)
    written_through(target)


def sweep_once(db: Path, config: Path) -> tuple[float, int, int]:
    """Wall seconds, the sweep process's own peak resident memory in MiB, and reminders recorded by one sweep."""
    peak_file = db.with_suffix(".peak")
    peak_file.unlink(missing_ok=True)
    kerjasama()  # installed, or say so
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", KERJASAMA_WITH_PEAK, str(peak_file), "--db", str(db), "--config",
                           str(config), "remind", "--now", f"{NOW.isoformat()}T07:30+07:00", "--json"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"the sweep failed on {db}")
    return wall, round(int(peak_file.read_text()) / 1024), len(json.loads(done.stdout)["data"]["recorded"])


def measure(register: Path, out: Path, due: int, runs: int) -> dict:
    """Median sweep time, reminders recorded, peak memory and the nothing-due floor on ``register``."""
    config = out / "sweep.toml"
    config.write_text(f'[reminders]\nchannels = ["log"]\nlog_file = "{out / "sweep.jsonl"}"\n')
    source, run, idle = out / "sweep-source.db", out / "sweep-run.db", out / "sweep-idle.db"
    prepare(register, source, due)
    results = []
    for _run in range(runs):
        copy(source, run)
        results.append(sweep_once(run, config))
    floors = []
    for _run in range(runs):  # the floor: the same database once the due reminders are recorded
        copy(run, idle)
        floors.append(sweep_once(idle, config)[0])
    return {"seconds": statistics.median(r[0] for r in results), "reminders": results[0][2],
            "peak_mib": max(r[1] for r in results), "floor": statistics.median(floors)}
