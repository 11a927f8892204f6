"""The same 20-step linear process recorded by kerjasama's engine and by other workflow libraries, in one run.

Every step of every peer is one transaction on SQLite with the product's settings (WAL, synchronous=FULL, foreign
keys on: read back from the product's own connection, and the peers' connections are checked against them): read the
process's row, fire the step in the library, UPDATE the row where its version still matches, INSERT the step into the
history, commit. Each peer has a database file of its own in the same folder.

  kerjasama              engine.apply along the procedure's happy path to in_force, then the signing and the annual
                         report (20 events; the activity through workflow.actions.add_activity, which is engine.apply
                         with the activity's row); guards, deadlines, seal and version check as an officer's command
  SpiffWorkflow (memory) a BPMN process of 20 manual tasks, the workflow kept in memory between steps; the row holds
                         the name of the task done
  SpiffWorkflow (JSON)   the same process restored from its serialized JSON in the row at every step, and written back
                         serialized: a workflow that outlives the process that runs it
  python-statemachine    a StateMachine of 21 states and 20 events bound to a model loaded from the row at every step
  transitions + sqlite3  the bare transitions Machine, built once with model=None as workflow/machine.py builds it,
                         fired on a plain object holding the state read from the row
  sqlite3 alone          no machine: the cost of the protocol itself, the floor under every peer

A peer whose package is not installed is reported as such, not measured. Processes are opened untimed. After a warm-up
(one process through every peer, untimed), the peers run in interleaved rounds, each round in another order and each
peer on processes of its own: events per second (wall) and CPU milliseconds per event (time.process_time) are medians
of the rounds, and kerjasama ÷ peer is the median of the rounds' ratios.
"""
from __future__ import annotations

import sqlite3
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path

from sqlalchemy import text

from db.session import Database
from workflow.actions import add_activity
from workflow.bureau import Bureau
from workflow.calendar import WorkingCalendar
from workflow.engine import apply, open_case
from workflow.region import init_region

from bench.register import ACTIVITY, PATH

STEPS = 20
# kerjasama's 20 steps: the happy path to in_force (18), then two reports an agreement in force sends.
KERJASAMA_STEPS = PATH + [("signing_report_sent", {}, None), ("annual_report_sent", {}, None)]
OPENED = date(2024, 1, 8)
NOT_INSTALLED = "not installed (pip install -c requirements.lock '.[bench]')"
PRAGMAS = ("journal_mode", "synchronous", "foreign_keys")


def product_pragmas(database: Database) -> dict[str, object]:
    """The SQLite settings the product's connections run with, read back from one of them."""
    with database.engine.connect() as conn:
        return {name: conn.execute(text(f"PRAGMA {name}")).scalar() for name in PRAGMAS}


def connect(path: Path, expected: dict[str, object]) -> sqlite3.Connection:
    """A plain sqlite3 connection with the product's settings (checked against ``expected``)."""
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    actual = {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}
    if actual != expected:
        raise RuntimeError(f"SQLite settings {actual} differ from the product's {expected}")
    return conn


def fresh(path: Path) -> Path:
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return path


class Kerjasama:
    label = "kerjasama{version} engine.apply"

    def __init__(self, work: Path, pragmas: dict):
        self.database = Database(str(fresh(work / "peer-kerjasama.db")))
        self.bureau = Bureau(self.database, WorkingCalendar())
        init_region(self.bureau, name="Kota Padang", level="kota", province="Sumatera Barat")
        self.opened = 0
        actual = product_pragmas(self.database)
        if actual != pragmas:
            raise RuntimeError(f"SQLite settings {actual} differ from {pragmas}")

    def open(self):
        self.opened += 1
        return open_case(self.bureau, title=f"Process {self.opened}", partner_name="Hildesheim", country="DE",
                         partner_type="city", fields=["culture", "education"], on=OPENED, actor="bench").ref

    def step(self, ref, n: int) -> None:
        event, data, doc = KERJASAMA_STEPS[n - 1]
        on = OPENED + timedelta(days=7 * n)
        if event == "activity_planned":
            add_activity(self.bureau, ref, actor="bench", on=on, **ACTIVITY)
        else:
            apply(self.bureau, ref, event, actor="bench", on=on, data=data, doc_number=doc)

    def close(self) -> None:
        self.database.dispose()


class Sqlite:
    """The protocol every peer follows around its library: read the row, fire, UPDATE where the version matches,
    INSERT the history, commit."""

    label = "sqlite3 alone, no machine (floor)"
    name = "floor"

    def __init__(self, work: Path, pragmas: dict):
        self.conn = connect(fresh(work / f"peer-{self.name}.db"), pragmas)
        self.conn.execute("CREATE TABLE processes (id INTEGER PRIMARY KEY, state TEXT NOT NULL, "
                          "version INTEGER NOT NULL, body TEXT)")
        self.conn.execute("CREATE TABLE history (id INTEGER PRIMARY KEY, process_id INTEGER NOT NULL "
                          "REFERENCES processes (id), seq INTEGER NOT NULL, name TEXT NOT NULL, from_state TEXT "
                          "NOT NULL, to_state TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (process_id, seq))")
        self.conn.commit()

    def initial(self) -> tuple[str, str | None]:
        return "s0", None

    def fire(self, pid: int, state: str, body: str | None, n: int) -> tuple[str, str | None]:
        return f"s{n}", body

    def open(self) -> int:
        state, body = self.initial()
        pid = self.conn.execute("INSERT INTO processes (state, version, body) VALUES (?, 1, ?)",
                                (state, body)).lastrowid
        self.conn.commit()
        return pid

    def step(self, pid: int, n: int) -> None:
        state, version, body = self.conn.execute("SELECT state, version, body FROM processes WHERE id = ?",
                                                 (pid,)).fetchone()
        new_state, new_body = self.fire(pid, state, body, n)
        changed = self.conn.execute("UPDATE processes SET state = ?, version = version + 1, body = ? "
                                    "WHERE id = ? AND version = ?", (new_state, new_body, pid, version)).rowcount
        if changed != 1:
            raise RuntimeError(f"process {pid} changed under the bench")
        self.conn.execute("INSERT INTO history (process_id, seq, name, from_state, to_state, recorded_at) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          (pid, n, f"step{n}", state, new_state, datetime.now(timezone.utc).isoformat()))
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


class Transitions(Sqlite):
    label = "transitions{version} + sqlite3"
    name = "transitions"
    package = "transitions"

    def __init__(self, work: Path, pragmas: dict):
        from transitions import Machine

        super().__init__(work, pragmas)
        self.machine = Machine(model=None, states=[f"s{n}" for n in range(STEPS + 1)], initial=None,
                               transitions=[{"trigger": f"step{n}", "source": f"s{n - 1}", "dest": f"s{n}"}
                                            for n in range(1, STEPS + 1)], auto_transitions=False, send_event=True)

    def fire(self, pid, state, body, n):
        view = _Model(state)
        if not self.machine.events[f"step{n}"].trigger(view):
            raise RuntimeError(f"transitions refused step{n} in {state}")
        return view.state, body


class StateMachinePeer(Sqlite):
    label = "python-statemachine{version}, persisted model"
    name = "statemachine"
    package = "python-statemachine"

    def __init__(self, work: Path, pragmas: dict):
        from statemachine import State, StateMachine

        super().__init__(work, pragmas)
        states = {f"s{n}": State(f"s{n}", value=f"s{n}", initial=n == 0, final=n == STEPS) for n in range(STEPS + 1)}
        events = {f"step{n}": states[f"s{n - 1}"].to(states[f"s{n}"]) for n in range(1, STEPS + 1)}
        self.machine_class = type(StateMachine)("LinearProcess", (StateMachine,), states | events)

    def fire(self, pid, state, body, n):
        model = _Model(state)
        self.machine_class(model=model).send(f"step{n}")
        return model.state, body


class SpiffMemory(Sqlite):
    label = "SpiffWorkflow{version}, kept in memory"
    name = "spiff-memory"
    package = "SpiffWorkflow"

    def __init__(self, work: Path, pragmas: dict):
        from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
        from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
        from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
        from SpiffWorkflow.util.task import TaskState

        super().__init__(work, pragmas)
        parser = BpmnParser()
        parser.add_bpmn_str(_linear_bpmn().encode())
        self.spec, self.workflow_class, self.ready = parser.get_spec("linear"), BpmnWorkflow, TaskState.READY
        self.serializer = BpmnWorkflowSerializer()
        self.workflows: dict[int, object] = {}
        self.new = None

    def initial(self):
        self.new = self.workflow_class(self.spec)
        self.new.do_engine_steps()
        return "start", None

    def open(self):
        pid = super().open()
        self.workflows[pid] = self.new
        return pid

    def run_next(self, workflow, n: int) -> str:
        task = workflow.get_next_task(state=self.ready, manual=True)
        if task is None or task.task_spec.name != f"step{n}":
            raise RuntimeError(f"SpiffWorkflow has no step{n} ready")
        task.run()
        workflow.do_engine_steps()
        return task.task_spec.name

    def fire(self, pid, state, body, n):
        return self.run_next(self.workflows[pid], n), body


class SpiffJson(SpiffMemory):
    label = "SpiffWorkflow{version}, reloaded from JSON per step"
    name = "spiff-json"

    def initial(self):
        state, _body = super().initial()
        return state, self.serializer.serialize_json(self.new)

    def open(self):
        return Sqlite.open(self)

    def fire(self, pid, state, body, n):
        workflow = self.serializer.deserialize_json(body)
        done = self.run_next(workflow, n)
        return done, self.serializer.serialize_json(workflow)


class _Model:
    def __init__(self, state: str):
        self.state = state


def _linear_bpmn() -> str:
    """A BPMN process: start, step1 ... step20 (manual tasks), end."""
    ids = ["start"] + [f"step{n}" for n in range(1, STEPS + 1)] + ["end"]
    tasks = "".join(f'<bpmn:manualTask id="step{n}" name="step {n}"/>' for n in range(1, STEPS + 1))
    flows = "".join(f'<bpmn:sequenceFlow id="flow{n}" sourceRef="{a}" targetRef="{b}"/>'
                    for n, (a, b) in enumerate(zip(ids, ids[1:])))
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="bench" '
            'targetNamespace="http://bpmn.io/schema/bpmn"><bpmn:process id="linear" isExecutable="true">'
            f'<bpmn:startEvent id="start"/>{tasks}<bpmn:endEvent id="end"/>{flows}</bpmn:process></bpmn:definitions>')


PEERS = [Kerjasama, SpiffMemory, SpiffJson, StateMachinePeer, Transitions, Sqlite]


def version_of(peer) -> str:
    try:
        return metadata.version(getattr(peer, "package", "kerjasama"))
    except metadata.PackageNotFoundError:
        return "?"


def measure(work: Path, rounds: int, processes: int) -> dict:
    """Each peer's events/s, CPU ms per event and kerjasama ÷ peer over ``rounds`` rounds of ``processes`` processes
    of 20 steps each; peers not installed are listed with why."""
    work.mkdir(parents=True, exist_ok=True)
    probe = Database(str(fresh(work / "peer-pragmas.db")))
    pragmas = product_pragmas(probe)
    probe.dispose()
    running, listed = {}, []
    for peer in PEERS:
        try:
            instance = peer(work, pragmas)
        except ImportError:
            listed.append(peer.label.format(version=""))
            continue
        listed.append(peer.label.format(version=f" {version_of(peer)}"))
        running[listed[-1]] = instance
    for instance in running.values():  # the warm-up: one process through every peer, untimed
        pid = instance.open()
        for n in range(1, STEPS + 1):
            instance.step(pid, n)
    figures: dict[str, list[tuple[float, float]]] = {label: [] for label in running}  # (wall, cpu) per round
    labels = list(running)
    for round_ in range(rounds):
        opened = {label: [running[label].open() for _ in range(processes)] for label in labels}
        order = labels[round_ % len(labels):] + labels[:round_ % len(labels)]
        if round_ % 2:
            order.reverse()
        for label in order:
            instance = running[label]
            wall, cpu = time.perf_counter(), time.process_time()
            for pid in opened[label]:
                for n in range(1, STEPS + 1):
                    instance.step(pid, n)
            figures[label].append((time.perf_counter() - wall, time.process_time() - cpu))
    for instance in running.values():
        instance.close()
    events = processes * STEPS
    ours = labels[0]  # kerjasama: first of PEERS, and always installed
    rows = {label: {"missing": NOT_INSTALLED} for label in listed}  # in the order of PEERS
    for label, per_round in figures.items():
        rows[label] = {
            "rate": statistics.median(events / wall for wall, _cpu in per_round),
            "cpu_ms": statistics.median(cpu / events * 1000 for _wall, cpu in per_round),
            "ratio": statistics.median(peer_wall / own_wall for (own_wall, _), (peer_wall, _)
                                       in zip(figures[ours], per_round)),
            "ratio_cpu": statistics.median(peer_cpu / own_cpu for (_, own_cpu), (_, peer_cpu)
                                           in zip(figures[ours], per_round)),
            "floor": type(running[label]) is Sqlite,  # the protocol alone, not a workflow engine
        }
    return {"rounds": rounds, "processes": processes, "steps": STEPS, "events": events * rounds, "rows": rows,
            "pragmas": pragmas, "ours": ours}
