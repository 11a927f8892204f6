"""Driving cases through the procedure in tests, with dates that satisfy the timers' guards: through the
workflow's functions, through the CLI (the ``run`` fixture of tests/commands/conftest.py), and through the
reminder sweep."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Case, Deadline, Event
from workflow import engine
from workflow.actions import add_activity, record_evaluation
from workflow.config import Config
from workflow.engine import apply
from workflow.procedure import EVENT_BY_NAME
from workflow.reminders import LogChannel, sweep

OPENED_ON = date(2013, 1, 7)  # back-dated: the bureau enters a case it began in 2013

# The happy path, and the state each step leads to.
HAPPY_PATH = [
    ("exploration_started", "exploring"),
    ("consultation_sent", "pre_loi_consultation"),
    ("consultation_cleared", "pre_loi_consultation"),
    ("loi_signed", "loi_signed"),
    ("plan_started", "plan_drafting"),
    ("dprd_request_received", "dprd_review"),
    ("dprd_approved", "kemendagri_verification"),
    ("plan_submitted_to_kemendagri", "kemendagri_verification"),
    ("kemendagri_cleared_for_drafting", "draft_preparation"),
    ("draft_submitted_to_kemendagri", "interministerial_review"),
    ("draft_approved", "kemlu_negotiation"),
    ("confirmation_received", "awaiting_full_powers"),
    ("full_powers_requested", "awaiting_full_powers"),
    ("full_powers_issued", "ready_to_sign"),
    ("agreement_signed", "action_plan_drafting"),
    ("activity_planned", "action_plan_drafting"),
    ("action_plan_adopted", "action_plan_budgeting"),
    ("action_plan_budgeted", "in_force"),
]
# Extra steps to reach the states off the happy path.
DETOURS = {
    "dormant": ["dormancy_detected"],
    "amendment_in_progress": ["amendment_proposed"],
    "suspended": ["case_suspended"],
    "expired": ["term_expired"],
}

# Sample data for events that need it.
SAMPLE_DATA = {
    "eligibility_failed": {"reason": "interference"},
    "agreement_signed": {"term_years": "5"},
    "extension_signed": {"term_years": "3"},
    "agreement_renewed": {"term_years": "5"},
    "action_plan_adopted": {"expires": "2016-12-31"},
    "termination_notice_recorded": {"notice_months": "6"},
    "agreement_ended": {"end_kind": "programme_ended"},
    "evaluation_recorded": {"kind": "annual", "recommendation": "continue", "period_from": "2013-01-01",
                            "period_to": "2013-12-31"},
}
SAMPLE_ACTIVITY = {"title": "Teacher exchange", "lead_opd": "Dinas Pendidikan", "field": "education",
                   "layer": "multidimensional", "fiscal_year": 2013, "cost": 350_000_000, "budget_source": "apbd_opd",
                   "output": "10 teachers", "indicator": "teachers exchanged"}


def kwargs_for(event: str) -> dict:
    spec = EVENT_BY_NAME[event]
    kwargs = {"data": SAMPLE_DATA.get(event, {})}
    if spec.needs_note:
        kwargs["note"] = f"note for {event}"
    if spec.needs_doc_number:
        kwargs["doc_number"] = f"DOC/{event}"
    return kwargs


def open_test_case(bureau, on: date = OPENED_ON, **overrides) -> str:
    args = dict(title="Sister city Padang - Hildesheim", partner_name="Hildesheim", country="DE",
                partner_type="city", fields=["culture", "education"], on=on, actor="tester") | overrides
    return engine.open_case(bureau, **args).ref


def last_event(bureau, ref: str) -> Event:
    with bureau.db.session() as s:
        case = s.exec(select(Case).where(Case.ref == ref)).one()
        return s.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq.desc())).first()


def open_deadline(bureau, ref: str, kind: str) -> Deadline | None:
    with bureau.db.session() as s:
        case = s.exec(select(Case).where(Case.ref == ref)).one()
        return s.exec(select(Deadline).where(Deadline.case_id == case.id, Deadline.kind == kind,
                                             Deadline.status == "open")).first()


def date_for(bureau, ref: str, event: str) -> date:
    """A day on which ``event`` may be recorded: a week after the last event, or when its timer is due."""
    last = last_event(bureau, ref).occurred_on
    due_kind = {"dprd_deemed_approved": ("dprd_decision", 1), "dprd_deadline_lapsed": ("dprd_decision", 1),
                "action_plan_lapsed": ("action_plan_validity", 0),
                "loi_expired": ("loi_validity", 0), "term_expired": ("agreement_expiry", 0)}.get(event)
    if due_kind:
        kind, after = due_kind
        return max(last, open_deadline(bureau, ref, kind).due + timedelta(days=after))
    if event == "dormancy_detected":
        return last + relativedelta(months=12)
    return last + timedelta(days=7)


def advance(bureau, ref: str, event: str, on: date | None = None, **kwargs):
    on = on or date_for(bureau, ref, event)
    if event == "activity_planned":
        return add_activity(bureau, ref, actor="tester", on=on, **(SAMPLE_ACTIVITY | kwargs))
    if event == "evaluation_recorded":
        data = SAMPLE_DATA[event] | kwargs.pop("data", {})
        return record_evaluation(bureau, ref, actor="tester", on=on, kind=data["kind"],
                                 recommendation=data["recommendation"],
                                 period_from=date.fromisoformat(data["period_from"]),
                                 period_to=date.fromisoformat(data["period_to"]))
    return apply(bureau, ref, event, actor="tester", on=on, **(kwargs_for(event) | kwargs))


def path_to(state: str) -> list[str]:
    """The events that carry a new case from initiated to ``state``."""
    if state == "initiated":
        return []
    if state in DETOURS:
        return path_to("in_force") + DETOURS[state]
    events = []
    for event, reached in HAPPY_PATH:
        events.append(event)
        if reached == state and event != "consultation_sent":  # stop once the advice is in
            return events
    raise KeyError(state)


def case_in(bureau, state: str, **open_args) -> str:
    ref = open_test_case(bureau, **open_args)
    for event in path_to(state):
        advance(bureau, ref, event)
    return ref


def count(bureau, model, **where) -> int:
    with bureau.db.session() as s:
        query = select(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return len(s.exec(query).all())


def get_case(bureau, ref: str) -> Case:
    with bureau.db.session() as s:
        return s.exec(select(Case).where(Case.ref == ref)).one()


def events_of(bureau, ref: str) -> list[Event]:
    with bureau.db.session() as s:
        case = s.exec(select(Case).where(Case.ref == ref)).one()
        return list(s.exec(select(Event).where(Event.case_id == case.id).order_by(Event.seq)))


def deadlines_of(bureau, ref: str) -> list[Deadline]:
    with bureau.db.session() as s:
        case = s.exec(select(Case).where(Case.ref == ref)).one()
        return list(s.exec(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.id)))


def open_deadlines(bureau, ref: str) -> list[Deadline]:
    return [d for d in deadlines_of(bureau, ref) if d.status == "open"]


# Through the CLI: ``run`` is the fixture that invokes kerjasama on the test database.

def open_case(run, *extra) -> str:
    result = run("case", "open", "--title", "Sister city Padang - Hildesheim", "--partner", "Hildesheim",
                 "--country", "de", "--partner-type", "city", "--field", "culture", "--field", "education",
                 "--on", "2013-01-07", *extra)
    return result.stdout.strip()


def args_for(event: str) -> list[str]:
    spec = EVENT_BY_NAME[event]
    args = [f"--set={k}={v}" for k, v in SAMPLE_DATA.get(event, {}).items()]
    if spec.needs_note:
        args += ["--note", f"note for {event}"]
    if spec.needs_doc_number:
        args += ["--doc-number", f"B-{event}/2014"]
    return args


def carry(run, ref: str, events: list[str], start_day: int = 1) -> None:
    for n, event in enumerate(events):
        on = f"2014-{1 + n // 28:02d}-{1 + n % 28:02d}"
        if event == "activity_planned":
            run("action", "add", ref, "--title", "Teacher exchange", "--lead-opd", "Dinas Pendidikan", "--field",
                "education", "--layer", "multidimensional", "--year", "2015", "--cost", "350000000", "--source",
                "apbd_opd", "--output", "10 teachers", "--indicator", "teachers exchanged", "--on", on, "--as", "siti")
        else:
            run("case", "advance", ref, event, "--on", on, "--as", "siti", *args_for(event))


def json_of(stdout: str):
    """What a command printed under ``--json``: the envelope checked, its ``data`` returned."""
    document = json.loads(stdout)
    assert (document["format"], document["ok"]) == (1, True) and document["command"], document
    return document["data"]


def error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# The reminder sweep, at times of day in Jakarta, delivering to a log file.

WIB = ZoneInfo("Asia/Jakarta")


def at(day: str, time_of_day: str = "07:30") -> datetime:
    return datetime.fromisoformat(f"{day}T{time_of_day}").replace(tzinfo=WIB)


def log_config(tmp_path, **extra) -> Config:
    return Config(channels=("log",), log_file=tmp_path / "reminders.jsonl", **extra)


def logged(config: Config) -> list[dict]:
    if not config.log_file.exists():
        return []
    return [json.loads(line) for line in config.log_file.read_text().splitlines()]


def run(bureau, config, now, **kwargs):
    channels = {"log": LogChannel(config.log_file)} if "log" in config.channels else {}
    return sweep(bureau, config, now, channels, **kwargs)


def dprd_case(bureau, received=date(2024, 4, 5)) -> str:
    ref = case_in(bureau, "plan_drafting")
    advance(bureau, ref, "dprd_request_received", on=received)
    return ref
