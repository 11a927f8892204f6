"""Wall time of `kerjasama case show` and `kerjasama deadlines` on a large database, against the import floor.

    python bench/case_show.py --db bench/out/cases-10k.db [--runs 15]

Build the database first with bench/build_cases.py. The floor is a Python process that only
imports the libraries every command needs: `python -c "import sqlmodel, click, transitions"`.
Each figure is the median of --runs runs, measured in the same run as its floor.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def wall(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="bench/out/cases.db")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if not Path(args.db).exists():
        sys.exit(f"{args.db} does not exist; build it with bench/build_cases.py")
    kerjasama = shutil.which("kerjasama", path=str(Path(sys.executable).parent)) or shutil.which("kerjasama")
    if not kerjasama:
        sys.exit("kerjasama is not installed in this environment (pip install -e .)")
    floor = wall([sys.executable, "-c", "import sqlmodel, click, transitions"], args.runs)
    print(f"floor  python -c 'import sqlmodel, click, transitions'   median {floor * 1000:7.1f} ms")
    for label, command in [
        ("case show (new case)", ["case", "show", "KS-2013-0001"]),
        ("case show (in force)", ["case", "show", "KS-2013-0018"]),
        ("case show --json", ["case", "show", "KS-2013-0018", "--json"]),
        ("deadlines --within 30", ["deadlines", "--within", "30", "--on", "2021-01-04"]),
    ]:
        median = wall([kerjasama, "--db", args.db, *command], args.runs)
        print(f"{label:<24} median {median * 1000:7.1f} ms   {median / floor:4.2f}x the floor")


if __name__ == "__main__":
    main()
