"""Start-up of `kerjasama --help` and `kerjasama case show` against another checkout and the import floor.

    python bench/startup.py --baseline ../kerjasama-old --runs 21

``--baseline`` is a checkout of another version with its own .venv (e.g. `git worktree add ../old v0.1`, then the
README's install command there). Each round runs the floor (`python -c "import sqlmodel, click, transitions"`),
this tree's command and the baseline's command in turn, so all three see the same machine; one untimed round
first. Wall time and the child's CPU time (user + system) are medians of the rounds.
"""
from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="another checkout, with its .venv")
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    trees = {"this tree": ROOT, "baseline": args.baseline.resolve()}
    for tree in trees.values():  # as pip compiles a regular install
        compileall.compile_file(tree / "cli.py", quiet=1)
        for package in ("workflow", "db"):
            compileall.compile_dir(tree / package, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="kerjasama-startup-"))
    env = os.environ | {"XDG_DATA_HOME": str(work), "XDG_CACHE_HOME": str(work / "cache"), "KERJASAMA_LANG": "en"}
    demo_db = work / "demo.db"
    subprocess.run([ROOT / ".venv" / "bin" / "kerjasama", "demo", "--demo-db", demo_db], env=env, check=True,
                   capture_output=True)
    commands = {"--help": ["--help"], "case show": ["--db", str(demo_db), "case", "show", "KS-2023-0001"]}
    floor = [str(ROOT / ".venv" / "bin" / "python"), "-c", "import sqlmodel, click, transitions"]
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for round_ in range(args.runs + 1):
        for name, arguments in commands.items():
            for label, tree in [("floor", None), *trees.items()]:
                command = floor if tree is None else [str(tree / ".venv" / "bin" / "kerjasama"), *arguments]
                figure = timed(command, env)
                if round_:  # the first round warms the OS cache and the holiday cache
                    results.setdefault((name, label), []).append(figure)
    print(f"{args.runs} interleaved rounds after one warm-up; medians in ms (wall / CPU)")
    print(f"{'command':<12} {'floor':>13} {'this tree':>13} {'baseline':>13} {'this ÷ baseline':>16}")
    for name in commands:
        medians = {label: (statistics.median(w for w, _c in results[(name, label)]) * 1000,
                           statistics.median(c for _w, c in results[(name, label)]) * 1000)
                   for label in ("floor", "this tree", "baseline")}
        cells = [f"{w:6.0f} / {c:4.0f}" for w, c in medians.values()]
        ratio = medians["this tree"][0] / medians["baseline"][0]
        print(f"{name:<12} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13} {ratio:>16.2f}")


if __name__ == "__main__":
    main()
