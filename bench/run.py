"""Every benchmark of kerjasama in one command; the figures are written into docs/performance.md.

    python bench/run.py                 # national scale: registers of 11,000 and 110,000 cases
    python bench/run.py --quick --out /tmp/performance.md    # 100 and 500 cases, few runs: a smoke run

Each figure is measured against a floor in the same run (see each module's docstring):
  bench/register.py  the registers, built through the engine
  bench/cli_wall.py  `case show` and `deadlines` on the larger register vs the bare import floor, paired runs
                     (target <= 1.3x)
  bench/apply.py     engine.apply vs a raw version-checked UPDATE + INSERT in the same database, and the disk's
                     commit rate, in interleaved rounds, wall and CPU time (target >= 0.5x)
  bench/peers.py     the same 20-step process on kerjasama, SpiffWorkflow, python-statemachine, transitions + sqlite3
                     and sqlite3 alone, in interleaved rounds (the extra kerjasama[bench] installs the peers)
  bench/sweep.py     one reminder sweep on each register with the same reminders due (target: ratio <= 1.2)
  bench/letters.py   HTML letters per second; PDF time per letter when WeasyPrint is installed
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import apply, cli_wall, letters, peers, register, sweep  # noqa: E402

SCALES = {  # sizes of the two registers, then runs and amounts of each measurement
    "national": dict(sizes=(11_000, 110_000), cli_runs=15, apply_cases=300, apply_rounds=10, peer_rounds=10,
                     peer_processes=10, due=1000, sweep_runs=3, html=1000, pdf=20),
    "quick": dict(sizes=(100, 500), cli_runs=3, apply_cases=20, apply_rounds=4, peer_rounds=3, peer_processes=2,
                  due=20, sweep_runs=1, html=50, pdf=2),
}
TARGETS = {"cli": 1.3, "apply": 0.5, "sweep": 1.2}


def say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def registers(sizes, work: Path, reuse: bool) -> dict[int, dict]:
    """Build (or, with --reuse, find) a register per size; returns its path and build figures."""
    built = {}
    for size in sizes:
        path, figures = work / f"register-{size}.db", work / f"register-{size}.json"
        if reuse and path.exists() and figures.exists():
            built[size] = json.loads(figures.read_text()) | {"path": str(path), "reused": True}
            say(f"register of {size:,} cases: reused from {built[size]['built_on']}")
            continue
        say(f"register of {size:,} cases: building through the engine")
        result = register.build(path, size, progress=say) | {"built_on": date.today().isoformat()}
        figures.write_text(json.dumps(result))
        built[size] = result | {"path": str(path), "reused": False}
        say(f"  {result['events']:,} events in {result['seconds']:.0f} s")
    return built


def machine() -> str:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split("=" if "=" in line else ":", 1)[1].strip().strip('"')
        except OSError:
            pass
        return "unknown"

    memory = first("/proc/meminfo", "MemTotal")
    gib = f"{int(memory.split()[0]) / 2**20:.0f} GiB" if memory != "unknown" else "unknown memory"
    return (f"{first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, {gib}; "
            f"{first('/etc/os-release', 'PRETTY_NAME')}; Python {platform.python_version()}; "
            f"SQLite {sqlite3.sqlite_version} (WAL, full fsync), on local disk")


def verdict(met: bool) -> str:
    return "met" if met else "**not met**"


def settings(pragmas: dict) -> str:
    level = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(pragmas["synchronous"], pragmas["synchronous"])
    return (f"journal_mode={pragmas['journal_mode']}, synchronous={level}, foreign_keys="
            f"{'on' if pragmas['foreign_keys'] else 'off'}")


def peer_rows(compared: dict) -> list[str]:
    rows = []
    for label, row in compared["rows"].items():
        if "missing" in row:
            rows.append(f"| {label} | {row['missing']} | - | - | - |")
        elif label == compared["ours"]:
            rows.append(f"| **{label}** | {row['rate']:,.0f} | {row['cpu_ms']:.2f} | 1.00 | 1.00 |")
        else:
            rows.append(f"| {label} | {row['rate']:,.0f} | {row['cpu_ms']:.2f} | {row['ratio']:.2f} "
                        f"| {row['ratio_cpu']:.2f} |")
    return rows


def document(command: str, scale: dict, built: dict, cli: dict, applied: dict, compared: dict, swept: dict,
             letter: dict, seconds: float) -> str:
    small, large = sorted(built)
    sweep_ratio = swept[large]["seconds"] / swept[small]["seconds"]
    worst_cli = max(figures["ratio"] for figures in cli["commands"].values())
    measured_peers = [row for label, row in compared["rows"].items()
                      if "ratio" in row and label != compared["ours"] and not row["floor"]]
    peer_range = (f"{min(r['ratio'] for r in measured_peers):.2f}x to {max(r['ratio'] for r in measured_peers):.2f}x "
                  f"the peers' events/s" if measured_peers else "no peer installed")
    engine, floor, disk, empty = applied["engine"], applied["floor"], applied["disk"], applied["empty"]
    lines = [
        "# Performance",
        "",
        f"Every figure here was produced by one run of `{command}` on {date.today().isoformat()}, in "
        f"{seconds / 60:.0f} minutes, on: {machine()}. Each is compared with a floor measured in the same run.",
        "",
        "| measurement | figure | target | |",
        "|---|---|---|---|",
        f"| CLI wall time on the {large:,}-case register, worst command | {worst_cli:.2f}x the import floor "
        f"| {TARGETS['cli']}x or less | {verdict(worst_cli <= TARGETS['cli'])} |",
        f"| engine.apply against a raw UPDATE + INSERT | {applied['ratio_wall']:.2f}x by wall time, "
        f"{applied['ratio_cpu']:.2f}x by CPU time | {TARGETS['apply']}x or more by wall time "
        f"| {verdict(applied['ratio_wall'] >= TARGETS['apply'])} |",
        f"| the same 20-step process, kerjasama against other workflow engines | {peer_range} | - | |",
        f"| one sweep, {large:,} / {small:,} cases, same reminders due | {sweep_ratio:.2f} "
        f"| {TARGETS['sweep']} or less | {verdict(sweep_ratio <= TARGETS['sweep'])} |",
        f"| HTML letters | {letter['html'] / letter['html_seconds']:,.0f} letters/s | - | |",
        "",
        "## The registers, built through the engine",
        "",
        "Every case opened and advanced by `engine.apply` along the procedure, to a depth that cycles through all",
        "states from initiated to in_force (bench/register.py); each event is its own transaction with guards,",
        "deadlines, seal and version check. A national register, 550 regions x 20 cases, is held in one database.",
        "",
        "| cases | events | time | events per second |",
        "|---|---|---|---|",
    ]
    for size in (small, large):
        b = built[size]
        note = f" (built on {b['built_on']} by an earlier run, reused)" if b["reused"] else ""
        lines.append(f"| {size:,} | {b['events']:,} | {b['seconds']:,.0f} s{note} | "
                     f"{(b['cases'] + b['events']) / b['seconds']:,.0f} |")
    lines += [
        "",
        f"## `kerjasama case show` and `kerjasama deadlines` on the {large:,}-case register",
        "",
        f"{cli['pairs']} runs of each command, each paired with a run of the floor just before it. The floor is "
        "`python -c \"import sqlmodel, click, transitions\"`; one untimed run of each comes first (files in the OS",
        "cache, national holidays in the CLI's holiday cache). A command's ratio is the median of its pairs' ratios;",
        "times are medians, CPU the process's user + system time. The project is compiled to bytecode first, as pip",
        "does for a regular install.",
        "",
        "| command | median wall | median CPU | vs. floor (median of pairs) |",
        "|---|---|---|---|",
        f"| floor | {cli['floor'] * 1000:,.0f} ms | {cli['floor_cpu'] * 1000:,.0f} ms | 1.00x |",
    ]
    lines += [f"| `{label}` | {f['seconds'] * 1000:,.0f} ms | {f['cpu'] * 1000:,.0f} ms | {f['ratio']:.2f}x |"
              for label, f in cli["commands"].items()]
    lines += [
        "",
        "## Recording events: engine.apply against a raw UPDATE + INSERT, and against the disk",
        "",
        f"{scale['apply_cases']} new cases in a copy of the {large:,}-case register, each advanced seven steps "
        "(bench/apply.py). The engine reads the case with its partner and region, its history and its open",
        "deadlines, evaluates the guards, fires the machine, writes the event with its seal and its deadlines, and",
        "commits; the floor, on cases of its own, reads the version and the last sequence number, updates the case",
        "where the version matches, inserts the event and commits. The disk floor is a one-row INSERT + commit in a",
        "file of its own beside the copy; the empty write transaction (BEGIN IMMEDIATE; COMMIT) writes nothing to",
        f"the disk. SQLite runs as the product sets it ({settings(applied['pragmas'])}, read back from the",
        f"product's connection). After an untimed warm-up of each, {applied['rounds']} interleaved rounds of "
        f"{applied['per_round']:,} events each: engine, the two disk floors, floor, with engine and floor taking turns",
        "to go first. Per-event figures are medians of the rounds; CPU is this process's time.process_time.",
        "",
        "| what | wall ms per event | CPU ms per event | events per second (wall) |",
        "|---|---|---|---|",
        f"| engine.apply | {engine['wall_ms']:.2f} | {engine['cpu_ms']:.2f} | {engine['rate']:,.0f} |",
        f"| floor: read, version-checked UPDATE, INSERT, commit | {floor['wall_ms']:.2f} | {floor['cpu_ms']:.2f} "
        f"| {floor['rate']:,.0f} |",
        f"| disk floor: one-row INSERT + commit | {disk['wall_ms']:.2f} | {disk['cpu_ms']:.2f} | {disk['rate']:,.0f} |",
        f"| empty write transaction, no disk | {empty['wall_ms']:.3f} | {empty['cpu_ms']:.3f} | {empty['rate']:,.0f} |",
        "",
        f"    engine ÷ floor, by wall time: {applied['ratio_wall']:.2f}",
        f"    engine ÷ floor, by CPU time:  {applied['ratio_cpu']:.2f}",
        f"    the disk's commit, of an engine event's wall time: {applied['disk_share']:.0%}",
        "",
        "The ratios are speeds (events per second, or per CPU second), medians of the rounds' ratios. What the",
        "engine spends beyond the disk's commit is its own work: the CPU column.",
        "",
        "## The same 20-step process on other workflow engines",
        "",
        "A linear process of 20 steps, each step one transaction: read the process's row, fire the step, UPDATE the",
        "row where its version still matches, INSERT the step into the history, commit; on SQLite with the product's",
        "settings, a database file per engine (bench/peers.py). kerjasama records the procedure's happy path to",
        "in_force and two reports through engine.apply; SpiffWorkflow runs a BPMN process of 20 manual tasks, kept",
        "in memory, or restored from its JSON in the row and written back at every step; python-statemachine binds",
        "a machine to a model loaded from the row at every step; transitions is fired as workflow/machine.py fires",
        "it; sqlite3 alone is the protocol without a machine. After one untimed process through each, "
        f"{compared['rounds']} interleaved rounds of {compared['processes']} processes ({compared['processes'] * 20}",
        "events) per engine, each round in another order. Figures are medians of the rounds; kerjasama ÷ peer is a",
        "ratio of speeds (above 1: kerjasama is faster), the median of the rounds' ratios.",
        "",
        "| engine | events/s | CPU ms/event | kerjasama ÷ peer | kerjasama ÷ peer, by CPU |",
        "|---|---|---|---|---|",
        *peer_rows(compared),
        "",
        "## One reminder sweep with the same reminders due",
        "",
        f"`kerjasama remind --now` with {scale['due']:,} reminders due on each register, "
        + (f"median of {scale['sweep_runs']} runs" if scale["sweep_runs"] > 1 else "one run")
        + ", each in its own process on a fresh copy written through to the disk",
        "(bench/sweep.py). The floor is the same sweep once those reminders are recorded. The peak memory is the",
        "sweep process's own (VmHWM, read by it as it exits), not the bench's it was started from.",
        "",
        "| cases | sweep | reminders recorded and delivered to the log | floor: nothing due "
        "| peak memory of the sweep |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {size:,} | {swept[size]['seconds']:.2f} s | {swept[size]['reminders']:,} | "
              f"{swept[size]['floor']:.2f} s | {swept[size]['peak_mib']} MiB |" for size in (small, large)]
    lines += [
        "",
        f"Ratio {large:,} / {small:,} cases: **{sweep_ratio:.2f}**. The sweep selects deadlines through the index on",
        "(status, next_action_on), so its cost follows what is due, not the size of the register.",
        "",
        "## Letters",
        "",
        f"All {letter['templates']} built-in templates in turn, the context built for each letter as `letter render` "
        "does (bench/letters.py); median of 3 runs.",
        "",
        "| what | figure | floor in the same run |",
        "|---|---|---|",
        f"| HTML | {letter['html']:,} letters in {letter['html_seconds']:.2f} s = "
        f"{letter['html'] / letter['html_seconds']:,.0f} letters/s | a one-line template: "
        f"{letter['html'] / letter['floor_seconds']:,.0f} renders/s |",
    ]
    if letter["pdf_seconds"] is not None:
        lines.append(f"| PDF (WeasyPrint) | {letter['pdf']} letters in {letter['pdf_seconds']:.2f} s = "
                     f"{letter['pdf_seconds'] / letter['pdf'] * 1000:,.0f} ms per letter | - |")
    else:
        lines.append("| PDF | not measured: WeasyPrint is not installed (kerjasama[pdf]) | - |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small registers and one run each: a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md", help="the document to write")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="where the databases go")
    parser.add_argument("--reuse", action="store_true", help="reuse registers an earlier run built in --work")
    args = parser.parse_args()
    scale = SCALES["quick" if args.quick else "national"]
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    built = registers(scale["sizes"], args.work, args.reuse)
    large = max(built)
    say("CLI wall time")
    cli = cli_wall.measure(Path(built[large]["path"]), scale["cli_runs"])
    say("engine.apply")
    applied = apply.measure(Path(built[large]["path"]), args.work / "apply.db", scale["apply_cases"],
                            scale["apply_rounds"])
    say("peers")
    compared = peers.measure(args.work / "peers", scale["peer_rounds"], scale["peer_processes"])
    swept = {}
    for size, b in built.items():
        say(f"sweep on {size:,} cases")
        swept[size] = sweep.measure(Path(b["path"]), args.work, scale["due"], scale["sweep_runs"])
    say("letters")
    letter = letters.measure(scale["html"], scale["pdf"])
    command = "python bench/run.py" + (" --quick" if args.quick else "") + (" --reuse" if args.reuse else "")
    text = document(command, scale, built, cli, applied, compared, swept, letter, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
