"""The board: every open case by stage, with days in its stage, what is overdue and whom it waits on."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner
from workflow.bureau import Bureau
from workflow.proofs import missing_proofs_of
from workflow.store import load_region
from workflow.i18n import _
from workflow.machine import stages_of
from workflow.owners import owner_name, owner_of
from workflow.procedure import STAGES, STATE_BY_NAME, TERMINAL_STATES, WAITING_ON
from workflow.timeline import timeline


def board(bureau: Bureau, today: date | None = None, owner: str | None = None) -> dict:
    """Open cases grouped by stage (in procedure order), each with days in stage, overdue deadlines, who acts and
    which officer carries it (workflow/owners.py).

    :param today: the day to show the board as of: the cases as the events dated up to it leave them, and the
        deadlines open on it.
    :param owner: only the cases this officer carries (on ``today``).
    """
    owner = owner_name(owner, "--owner") if owner is not None else None
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        query = select(Case, Partner).join(Partner, Partner.id == Case.partner_id).where(Case.opened_on <= today)
        if today >= bureau.today(region):  # as of now: the stored state says which cases are open
            query = query.where(Case.state.not_in(TERMINAL_STATES))
        cases = session.exec(query.order_by(Case.ref)).all()
        ids = [case.id for case, _partner in cases]
        events = session.exec(select(Event).where(Event.case_id.in_(ids)).order_by(Event.case_id, Event.seq)).all()
        overdue = session.exec(select(Deadline.case_id, Deadline.kind, Deadline.opened_by_event_id).where(
            Deadline.case_id.in_(ids), Deadline.due < today,
            or_(Deadline.status == "open", Deadline.closed_on > today))).all()
        history: dict[int, list] = {}
        for event in events:
            history.setdefault(event.case_id, []).append(event)
        unarchived = missing_proofs_of(session, history)
    standing = {case_id: [e for e in timeline(record) if e.occurred_on <= today] for case_id, record in history.items()}
    opened_by = {e.id for entries in standing.values() for e in entries}
    late: dict[int, list] = {}
    for case_id, kind, opening in overdue:
        if opening in opened_by:
            late.setdefault(case_id, []).append(kind)
    stages = {stage.name: [] for stage in STAGES}
    for case, partner in cases:
        entries = standing.get(case.id)
        if not entries or history[case.id][0].occurred_on > today or entries[-1].to_state in TERMINAL_STATES:
            continue
        carried_by = owner_of(entries)
        if owner is not None and carried_by != owner:
            continue
        state = entries[-1].to_state
        stage, since = _stage_since(entries)
        stages[stage].append({
            "ref": case.ref, "title": case.title, "partner": partner.name, "country": partner.country,
            "state": state, "days_in_stage": (today - since).days, "since": since.isoformat(),
            "overdue": sorted(late.get(case.id, [])), "waiting_on": _(WAITING_ON.get(state, "")),
            "dormant": state == "dormant", "owner": carried_by,
            "missing_documents": [m["kind"] for m in unarchived.get(case.id, [])],
        })
    return {"today": today.isoformat(), "owner": owner,
            "stages": [{"stage": name, "cases": rows} for name, rows in stages.items() if rows]}


def _stage_since(history: list) -> tuple[str, date]:
    """The case's stage and the day it entered it, or resumed in it after a suspension."""
    stages = stages_of(history)
    current, since = stages[-1], history[0].occurred_on
    for event, stage in zip(history, stages):
        if stage == current and (event.from_state is None or STATE_BY_NAME[event.from_state].stage != current):
            since = event.occurred_on
    return current, since
