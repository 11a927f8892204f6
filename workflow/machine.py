"""The transitions ``Machine`` built from the procedure table, and the guards with their reasons.

The machine is built once per process with ``model=None``; each change wraps the stored state in
a small :class:`CaseView` and fires the machine's event on it. A guard is a function of
a :class:`GuardContext` returning ``None`` when it passes, or the sentence that says why not; the
machine's conditions ask the same functions, so the machine alone never lets an event through
that the engine would refuse.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Callable

from dateutil.relativedelta import relativedelta
from transitions import Machine

from workflow import eligibility
from workflow.calendar import WorkingCalendar
from workflow.i18n import _, day
from workflow.partial_dates import partial_date
from workflow.procedure import (DEADLINE_RULE_BY_KIND, EVENTS, PLAN_STARTS, RETURN, RETURNING_STATES, RETURNS_TO,
                                SIGNS_OF_LIFE, STAGE_BY_NAME, STATE_BY_NAME, STATES, Event, events_from)


@dataclass
class GuardContext:
    """What the guards may look at: the case as stored, its history and deadlines, and the new event."""

    state: str
    region: object  # db.models.Region
    case: object  # db.models.Case
    partner: object  # db.models.Partner
    history: list = field(default_factory=list)  # the timeline (workflow/timeline.py): what stands, in date order
    open_deadlines: list = field(default_factory=list)  # db.models.Deadline with status "open"
    on: date | None = None
    data: dict = field(default_factory=dict)
    calendar: WorkingCalendar | None = None
    record: list = field(default_factory=list)  # db.models.Event as recorded, by seq (corrections included)

    def open_deadline(self, kind: str):
        return next((d for d in self.open_deadlines if d.kind == kind), None)

    def recorded(self, *names: str) -> bool:
        return any(e.name in names for e in self.history)

    @property
    def return_state(self) -> str | None:
        """Where a suspended case resumes, or an amendment returns: the state before it entered the current one."""
        return return_state(self.history, self.state)


def stages_of(history: list) -> list[str]:
    """The case's stage after each event of ``history``; a suspended case stays in the stage it left."""
    stages, current = [], "closed"
    for event in history:
        stage = STATE_BY_NAME[event.to_state].stage
        current = stage if stage in STAGE_BY_NAME else current
        stages.append(current)
    return stages


def case_stage(state: str, history: list) -> str:
    """The stage of a case in ``state``; a suspended one's comes from its history (closed without one)."""
    stage = STATE_BY_NAME[state].stage
    if stage in STAGE_BY_NAME:
        return stage
    return (stages_of(history) or ["closed"])[-1]


def return_state(history: list, state: str) -> str | None:
    """The state a case in ``state`` (suspended, amendment_in_progress) goes back to, read from its history."""
    if state not in RETURNING_STATES:
        return None
    # A resume into an amendment re-enters it from "suspended"; the amendment returns past that.
    came_back = {state} if state == "suspended" else {state, "suspended"}
    for event in reversed(history):
        if event.to_state == state and event.from_state not in came_back:
            return event.from_state
    return None


def _partner_eligible(ctx: GuardContext) -> str | None:
    found = eligibility.problems(ctx.region.level, ctx.partner.partner_type, ctx.partner.country,
                                 list(ctx.case.fields), ctx.case.level_justification)
    return " ".join(found) or None


def _consultation_answered(ctx: GuardContext) -> str | None:
    answered: set[str] = set()
    for event in ctx.history:
        if event.name == "consultation_sent":
            answered.clear()  # a new consultation needs new advice
        elif event.name == "consultation_cleared":
            ministry = event.data.get("ministry", "both")
            answered |= {"kemendagri", "kemlu"} if ministry == "both" else {ministry}
    missing = sorted({"kemendagri", "kemlu"} - answered)
    if not missing:
        return None
    return _("the LoI may be signed only after both Kemendagri and Kemlu were consulted (PP 28/2018 Pasal 28 "
             "ayat (4)); no advice recorded yet from {missing}: record consultation_cleared --set ministry=NAME."
             ).format(missing=", ".join(missing))


def _dprd_approval_on_record(ctx: GuardContext) -> str | None:
    if ctx.recorded("dprd_approved", "dprd_deemed_approved"):
        return None
    return _("no DPRD approval of the plan is recorded, so the plan must go to the DPRD first (PP 28/2018 Pasal 30 "
             "ayat (1), Pasal 31 ayat (1)): record dprd_request_received.")


def _dprd_window_passed(ctx: GuardContext) -> str | None:
    deadline = ctx.open_deadline("dprd_decision")
    if deadline is None:
        return _("no DPRD window is open (PP 28/2018 Pasal 30 ayat (4)).")
    if ctx.on > deadline.due:
        return None
    left = ctx.calendar.working_days_between(ctx.on, deadline.due)
    return _("the DPRD has 45 working days from receipt, until {due}; on {on} {left} working day(s) remain "
             "(PP 28/2018 Pasal 30 ayat (4)).").format(due=day(deadline.due), on=day(ctx.on), left=left)


def _deemed_approval_allowed(ctx: GuardContext) -> str | None:
    if ctx.region.council_silence != "deemed_approval":
        return _("the region's council_silence setting is \"{setting}\": a silent DPRD is escalated, not deemed to "
                 "approve (PP 28/2018 Pasal 30 ayat (4) states no consequence); record dprd_deadline_lapsed, or "
                 "change the setting with kerjasama init --council-silence deemed_approval."
                 ).format(setting=ctx.region.council_silence)
    return _dprd_window_passed(ctx)


def _signing_authorised(ctx: GuardContext) -> str | None:
    missing = []
    if not ctx.recorded("dprd_approved", "dprd_deemed_approved"):
        missing.append(_("DPRD approval (PP 28/2018 Pasal 30 ayat (1))"))
    if not ctx.recorded("confirmation_received"):
        missing.append(_("Kemlu's confirmation letter (PP 28/2018 Pasal 33 ayat (3)-(4))"))
    if not ctx.recorded("full_powers_issued"):
        missing.append(_("Full Powers (UU 24/2000 Pasal 7)"))
    if not missing:
        return None
    return _("signing before central approval breaks UU 23/2014 Pasal 367 ayat (2); not recorded: {missing}."
             ).format(missing="; ".join(missing))


def _deadline_reached(ctx: GuardContext, kind: str, message: str) -> str | None:
    deadline = ctx.open_deadline(kind)
    if deadline is not None and ctx.on >= deadline.due:
        return None
    return message.format(due=day(deadline.due) if deadline else "-", on=day(ctx.on))


def _loi_validity_passed(ctx: GuardContext) -> str | None:
    return _deadline_reached(ctx, "loi_validity",
                             _("the LoI is valid until {due}, so on {on} it has not lapsed; both sides may also renew "
                               "it (loi_renewed)."))


def _plan_validity_ended(ctx: GuardContext) -> str | None:
    return _deadline_reached(ctx, "action_plan_validity",
                             _("the action plan is valid until {due}, so on {on} it has not lapsed."))


def _term_ended(ctx: GuardContext) -> str | None:
    if ctx.open_deadline("agreement_expiry") is None:
        return _("the agreement has no end date on record, so its term cannot end; it ends by agreement_terminated "
                 "or agreement_ended.")
    return _deadline_reached(ctx, "agreement_expiry",
                             _("the agreement runs until {due} under its own text, so on {on} its term has not ended."))


def _has_planned_activity(ctx: GuardContext) -> str | None:
    planned: set[int] = set()
    for event in ctx.history:
        if event.name in PLAN_STARTS:
            planned.clear()  # a new action plan needs activities of its own
        elif event.name == "activity_planned":
            planned.add(event.data.get("activity"))
        elif event.name == "activity_updated" and event.data.get("status") == "cancelled":
            planned.discard(event.data.get("activity"))
    if planned:
        return None
    return _("an action plan without activities is how agreements go dormant: add at least one with kerjasama "
             "action add {ref}.").format(ref=ctx.case.ref)


def _dormancy_period_passed(ctx: GuardContext) -> str | None:
    alive = [e.occurred_on for e in ctx.history if e.name in SIGNS_OF_LIFE]
    # An imported agreement's last sign of life is the one its row gives, as the dormancy rule reads it.
    imported = next((e.data for e in ctx.history if e.name == "imported"), {})
    given = next((imported[c] for c in DEADLINE_RULE_BY_KIND["dormancy"].imported_from if imported.get(c)), None)
    if given:
        alive.append(partial_date(given).day)
    last = max(alive) if alive else ctx.case.opened_on
    dormant_from = last + relativedelta(months=ctx.region.dormancy_months)
    if ctx.on >= dormant_from:
        return None
    return _("the last activity, evaluation or report was on {last}; the region's dormancy period of {months} "
             "month(s) ends on {until}.").format(last=day(last), months=ctx.region.dormancy_months,
                                                 until=day(dormant_from))


GUARD_FUNCTIONS: dict[str, Callable[[GuardContext], str | None]] = {
    "partner_eligible": _partner_eligible,
    "consultation_answered": _consultation_answered,
    "dprd_approval_on_record": _dprd_approval_on_record,
    "dprd_window_passed": _dprd_window_passed,
    "deemed_approval_allowed": _deemed_approval_allowed,
    "signing_authorised": _signing_authorised,
    "loi_validity_passed": _loi_validity_passed,
    "term_ended": _term_ended,
    "plan_validity_ended": _plan_validity_ended,
    "dormancy_period_passed": _dormancy_period_passed,
    "has_planned_activity": _has_planned_activity,
}


def refusal(event: Event, ctx: GuardContext) -> str | None:
    """The reason the first failing guard of ``event`` gives, or None when all pass."""
    for name in event.guards:
        reason = GUARD_FUNCTIONS[name](ctx)
        if reason:
            return reason
    return None


def next_events(ctx: GuardContext) -> list[tuple[Event, str | None]]:
    """Every event from the case's state, each with the reason it is refused now (None if allowed).

    The steps of the state itself come first, the ones possible from almost anywhere
    (withdraw, suspend) last.
    """
    events = sorted(events_from(ctx.state), key=lambda event: len(event.sources) > 6)
    return [(event, refusal(event, ctx)) for event in events]


class CaseView:
    """The plain object the machine moves; never the SQLModel row (SQLModel rejects the added methods)."""

    def __init__(self, ctx: GuardContext):
        self.ctx = ctx
        self.state = ctx.state


def _condition(guard: str):
    return lambda event_data: GUARD_FUNCTIONS[guard](event_data.model.ctx) is None


def _returns_to(state: str):
    return lambda event_data: event_data.model.ctx.return_state == state


def _transitions() -> list[dict]:
    rows = []
    for event in EVENTS:
        conditions = [_condition(g) for g in event.guards]
        if event.dest == RETURN:
            targets = dict.fromkeys(target for source in event.sources for target in RETURNS_TO[source])
            rows += [{"trigger": event.name, "source": list(event.sources), "dest": target,
                      "conditions": conditions + [_returns_to(target)]} for target in targets]
        else:
            rows.append({"trigger": event.name, "source": list(event.sources), "dest": event.dest,
                         "conditions": conditions})
    return rows


@cache
def machine() -> Machine:
    """The procedure's machine, built once per process."""
    return Machine(model=None, states=[s.name for s in STATES], transitions=_transitions(), initial=None,
                   auto_transitions=False, send_event=True)


def fire(event: str, ctx: GuardContext) -> str | None:
    """Fire ``event`` on a case in ``ctx.state``; the new state, or None if the machine refused it."""
    view = CaseView(ctx)
    # Triggering the Event object itself moves the view without add_model, which would bind a method
    # for each of the procedure's events onto it first (most of the cost of a change).
    return view.state if machine().events[event].trigger(view) else None
