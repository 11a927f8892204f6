"""One reminder sweep over 10,000 and 100,000 cases with the same number of reminders due.

    python bench/sweep.py [--cases 10000 100000] [--due 1000] [--runs 3]

Two template cases are made through the engine (one agreement in force, one plan at the DPRD), then
copied row for row (case, events, deadlines) to the wanted number of cases: a faithful bulk path,
since every copy holds exactly what the engine wrote. Every copy's deadlines wait for a later day,
except --due DPRD deadlines whose "3 working days before" step falls on the sweep's day. Each run
sweeps a fresh copy of the database with `kerjasama remind --now ... --json` in its own process; the
figure is the median wall time and the process's peak resident memory, and the floor is the same
command on a database where nothing is due.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select  # noqa: E402

from db.models import Case, Deadline, Event  # noqa: E402
from db.session import Database  # noqa: E402
from workflow.actions import add_activity  # noqa: E402
from workflow.bureau import Bureau  # noqa: E402
from workflow.calendar import WorkingCalendar  # noqa: E402
from workflow.engine import apply, open_case  # noqa: E402
from workflow.region import init_region  # noqa: E402
from workflow.reminders import shift  # noqa: E402

OUT = Path(__file__).parent / "out"
NOW = date(2026, 11, 23)  # the sweep's day; a Monday
IN_FORCE_PATH = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed", "plan_started",
                 "dprd_request_received", "dprd_approved", "plan_submitted_to_kemendagri",
                 "kemendagri_cleared_for_drafting", "draft_submitted_to_kemendagri", "draft_approved",
                 "confirmation_received", "full_powers_requested", "full_powers_issued", "agreement_signed",
                 "activity_planned", "action_plan_adopted", "action_plan_budgeted"]
ACTIVITY = {"title": "Teacher exchange", "lead_opd": "Dinas Pendidikan", "field": "education",
            "layer": "multidimensional", "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd",
            "output": "10 teachers", "indicator": "teachers exchanged"}


def template(bureau: Bureau, events: list[str], start: date, dprd_on: date | None = None) -> int:
    ref = open_case(bureau, title="Template", partner_name="Hildesheim", country="DE", partner_type="city",
                    fields=["culture"], on=start, actor="bench").ref
    on = start
    for event in events:
        on = dprd_on if event == "dprd_request_received" and dprd_on else on + timedelta(days=7)
        if event == "activity_planned":
            add_activity(bureau, ref, actor="bench", on=on, **ACTIVITY)
            continue
        apply(bureau, ref, event, actor="bench", on=on, data={"term_years": 5} if event == "agreement_signed" else {},
              doc_number="B-1" if event in ("confirmation_received", "full_powers_issued") else None)
    with bureau.db.session() as session:
        return session.exec(select(Case.id).where(Case.ref == ref)).one()[0]


def build(path: Path, cases: int, due: int) -> None:
    path.unlink(missing_ok=True)
    database = Database(str(path))
    bureau = Bureau(database, WorkingCalendar())
    init_region(bureau, name="Kota Padang", level="kota", province="Sumatera Barat", council_silence="escalate")
    calendar = bureau.calendar
    dprd_due = shift(NOW, "3wd", calendar)  # the DPRD window whose "3 working days before" step is today
    received = dprd_due
    while calendar.working_days_between(received, dprd_due) < 45:
        received -= timedelta(days=1)
    templates = [template(bureau, IN_FORCE_PATH, date(2025, 1, 6)),
                 template(bureau, IN_FORCE_PATH[:6], date(2025, 1, 6), dprd_on=received)]
    with database.engine.begin() as conn:
        rows = {t: (conn.execute(select(Case.__table__).where(Case.id == t)).mappings().one(),
                    conn.execute(select(Event.__table__).where(Event.case_id == t)).mappings().all(),
                    conn.execute(select(Deadline.__table__).where(Deadline.case_id == t)).mappings().all())
                for t in templates}
        next_case = conn.execute(select(Case.id).order_by(Case.id.desc())).first()[0] + 1
        next_event = conn.execute(select(Event.id).order_by(Event.id.desc())).first()[0] + 1
        later = NOW + timedelta(days=60)
        batch = {"cases": [], "events": [], "deadlines": []}
        for n in range(cases - len(templates)):
            dprd = n < due  # the first `due` copies are plans at the DPRD with a step today
            case, events, deadlines = rows[templates[1] if dprd else templates[0]]
            case_id = next_case + n
            batch["cases"].append(dict(case) | {"id": case_id, "ref": f"KS-2025-{case_id:06d}"})
            ids = {}
            for event in events:
                ids[event["id"]] = next_event
                batch["events"].append(dict(event) | {"id": next_event, "case_id": case_id})
                next_event += 1
            for deadline in deadlines:
                waits = NOW if dprd and deadline["kind"] == "dprd_decision" and deadline["status"] == "open" else later
                batch["deadlines"].append(
                    {k: v for k, v in deadline.items() if k != "id"}
                    | {"case_id": case_id, "opened_by_event_id": ids[deadline["opened_by_event_id"]],
                       "closed_by_event_id": ids.get(deadline["closed_by_event_id"]),
                       "next_action_on": waits if deadline["status"] == "open" else None})
            if len(batch["events"]) > 20000 or n == cases - len(templates) - 1:
                conn.execute(insert(Case.__table__), batch["cases"])
                conn.execute(insert(Event.__table__), batch["events"])
                conn.execute(insert(Deadline.__table__), batch["deadlines"])
                batch = {"cases": [], "events": [], "deadlines": []}
        for t in templates:  # the templates themselves wait too
            conn.execute(Deadline.__table__.update().where(Deadline.case_id == t, Deadline.status == "open")
                         .values(next_action_on=later))
    database.dispose()


def sweep_once(db: Path, config: Path) -> tuple[float, int, int]:
    """Wall seconds, peak resident memory in MiB, and reminders recorded by one sweep in a new process."""
    kerjasama = shutil.which("kerjasama", path=str(Path(sys.executable).parent)) or "kerjasama"
    started = time.perf_counter()
    process = subprocess.Popen([kerjasama, "--db", str(db), "--config", str(config), "remind", "--now",
                                f"{NOW.isoformat()}T07:30+07:00", "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)  # this process's own peak memory, not all children's
    wall = time.perf_counter() - started
    if status != 0:
        sys.exit(f"the sweep failed on {db}")
    return wall, usage.ru_maxrss // 1024, len(json.loads(output)["recorded"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    config = OUT / "sweep.toml"
    config.write_text(f'[reminders]\nchannels = ["log"]\nlog_file = "{OUT / "sweep.jsonl"}"\n')
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite; sweep day {NOW}, "
          f"{args.due} reminders due, median of {args.runs} runs")
    medians = {}
    for cases in args.cases:
        source = OUT / f"sweep-{cases}.db"
        started = time.perf_counter()
        build(source, cases, args.due)
        print(f"{cases:>7} cases built in {time.perf_counter() - started:.0f} s")
        results = []
        for _run in range(args.runs):
            copy = OUT / "sweep-run.db"
            shutil.copy(source, copy)
            results.append(sweep_once(copy, config))
        floors = []
        for _run in range(args.runs):  # the floor: the same database once the due reminders are recorded
            idle = OUT / "sweep-idle.db"
            shutil.copy(copy, idle)
            floors.append(sweep_once(idle, config)[0])
        wall = statistics.median(r[0] for r in results)
        medians[cases] = wall
        print(f"{cases:>7} cases: sweep {wall:6.2f} s for {results[0][2]} reminders "
              f"(floor, nothing due: {statistics.median(floors):5.2f} s); peak memory {max(r[1] for r in results)} MiB")
    if len(medians) == 2:
        small, large = sorted(medians)
        print(f"ratio {large} / {small} cases: {medians[large] / medians[small]:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()
