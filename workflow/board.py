"""The board: every open case by stage, with days in its stage, what is overdue and whom it waits on."""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.models import Case, Deadline, Event, Partner
from workflow.bureau import Bureau
from workflow.store import load_region
from workflow.i18n import _
from workflow.machine import stages_of
from workflow.procedure import STAGES, STATE_BY_NAME, TERMINAL_STATES, WAITING_ON


def board(bureau: Bureau, today: date | None = None) -> dict:
    """Open cases grouped by stage (in procedure order), each with days in stage, overdue deadlines and who acts."""
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        cases = session.exec(select(Case, Partner).join(Partner, Partner.id == Case.partner_id)
                             .where(Case.state.not_in(TERMINAL_STATES)).order_by(Case.ref)).all()
        ids = [case.id for case, _partner in cases]
        events = session.exec(select(Event).where(Event.case_id.in_(ids)).order_by(Event.case_id, Event.seq)).all()
        overdue = session.exec(select(Deadline).where(Deadline.status == "open", Deadline.due < today,
                                                      Deadline.case_id.in_(ids))).all()
    history: dict[int, list] = {}
    for event in events:
        history.setdefault(event.case_id, []).append(event)
    late: dict[int, list] = {}
    for deadline in overdue:
        late.setdefault(deadline.case_id, []).append(deadline.kind)
    stages = {stage.name: [] for stage in STAGES}
    for case, partner in cases:
        stage, since = _stage_since(history[case.id])
        stages[stage].append({
            "ref": case.ref, "title": case.title, "partner": partner.name, "country": partner.country,
            "state": case.state, "days_in_stage": (today - since).days, "since": since.isoformat(),
            "overdue": sorted(late.get(case.id, [])), "waiting_on": _(WAITING_ON.get(case.state, "")),
            "dormant": case.state == "dormant",
        })
    return {"today": today.isoformat(), "stages": [{"stage": name, "cases": rows} for name, rows in stages.items()
                                                   if rows]}


def _stage_since(history: list) -> tuple[str, date]:
    """The case's stage and the day it entered it, or resumed in it after a suspension."""
    stages = stages_of(history)
    current, since = stages[-1], history[0].occurred_on
    for event, stage in zip(history, stages):
        if stage == current and (event.from_state is None or STATE_BY_NAME[event.from_state].stage != current):
            since = event.occurred_on
    return current, since
