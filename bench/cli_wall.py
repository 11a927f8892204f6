"""Wall time of `kerjasama case show` and `kerjasama deadlines` on a register, against the import floor.

The floor is a Python process that only imports the libraries every command needs:
`python -c "import sqlmodel, click, transitions"`. Commands and floor run in turn, so that both see
the same machine; each figure is the median of the runs, after one untimed run of each (the state
of a machine after its first command: files in the OS cache, national holidays in the CLI's cache).
"""
from __future__ import annotations

import compileall
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from db.session import Database

ROOT = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import sqlmodel, click, transitions"]


def kerjasama() -> str:
    found = shutil.which("kerjasama", path=str(Path(sys.executable).parent)) or shutil.which("kerjasama")
    if not found:
        sys.exit("kerjasama is not installed in this environment (pip install -e .)")
    return found


def measure(register: Path, runs: int) -> dict:
    """Median wall times in seconds: the floor and each command, with their ratio to the floor."""
    # The libraries were compiled to bytecode when pip installed them; compile the project too, as pip does
    # for a regular install (an editable install under PYTHONDONTWRITEBYTECODE would compile it every run).
    compileall.compile_file(ROOT / "cli.py", quiet=1)
    for package in ("workflow", "db"):
        compileall.compile_dir(ROOT / package, quiet=1)
    database = Database(str(register))
    with database.engine.connect() as conn:
        new = conn.execute(text("SELECT ref FROM cases WHERE state = 'initiated' ORDER BY id LIMIT 1")).scalar()
        in_force = conn.execute(text("SELECT ref FROM cases WHERE state = 'in_force' ORDER BY id LIMIT 1")).scalar()
        last_day = conn.execute(text("SELECT max(occurred_on) FROM events")).scalar()
    database.dispose()
    program = [kerjasama(), "--db", str(register), "--lang", "en"]
    commands = {
        "floor": FLOOR,
        f"case show {new} (a new case)": program + ["case", "show", new],
        f"case show {in_force} (an agreement in force)": program + ["case", "show", in_force],
        f"case show {in_force} --json": program + ["case", "show", in_force, "--json"],
        f"deadlines --within 30 --on {last_day}": program + ["deadlines", "--within", "30", "--on", str(last_day)],
    }
    for command in commands.values():  # once untimed: the OS file cache, and the CLI's holiday cache, are warm
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times[label].append(time.perf_counter() - started)
    medians = {label: statistics.median(values) for label, values in times.items()}
    floor = medians.pop("floor")
    return {"floor": floor, "commands": {label: (seconds, seconds / floor) for label, seconds in medians.items()}}
