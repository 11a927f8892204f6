"""Wall time of `kerjasama case show` and `kerjasama deadlines` on a register, against the import floor.

The floor is a Python process that only imports the libraries every command needs:
`python -c "import sqlmodel, click, transitions"`. Each run of a command is paired with a run of the
floor just before it (floor, command, floor, command, ...), so that both of a pair see the same
machine; a command's ratio is the median of its pairs' ratios, its time the median of its runs. One
untimed run of each comes first (the state of a machine after its first command: files in the OS
cache, national holidays in the CLI's cache). CPU time is the child's user + system time (os.wait4).
"""
from __future__ import annotations

import compileall
import os
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


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def measure(register: Path, runs: int) -> dict:
    """Per command: median wall and CPU seconds, and the median ratio to the floor run paired with each run."""
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
        f"case show {new} (a new case)": program + ["case", "show", new],
        f"case show {in_force} (an agreement in force)": program + ["case", "show", in_force],
        f"case show {in_force} --json": program + ["case", "show", in_force, "--json"],
        f"deadlines --within 30 --on {last_day}": program + ["deadlines", "--within", "30", "--on", str(last_day)],
    }
    for command in [FLOOR, *commands.values()]:  # once untimed: the OS file cache, and the CLI's holiday cache, warm
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    floors: list[tuple[float, float]] = []
    pairs: dict[str, list[tuple[tuple[float, float], tuple[float, float]]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            floor = timed(FLOOR)
            floors.append(floor)
            pairs[label].append((floor, timed(command)))
    result = {"floor": statistics.median(wall for wall, _cpu in floors),
              "floor_cpu": statistics.median(cpu for _wall, cpu in floors), "pairs": runs, "commands": {}}
    for label, runs_of in pairs.items():
        result["commands"][label] = {
            "seconds": statistics.median(wall for _floor, (wall, _cpu) in runs_of),
            "cpu": statistics.median(cpu for _floor, (_wall, cpu) in runs_of),
            "ratio": statistics.median(wall / floor_wall for (floor_wall, _), (wall, _) in runs_of),
        }
    return result
