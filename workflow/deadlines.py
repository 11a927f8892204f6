"""Which deadlines an event opens and closes, and their due dates (rules in workflow/procedure.py)."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from db.models import Deadline
from workflow.calendar import WorkingCalendar
from workflow.i18n import _
from workflow.procedure import DEADLINE_RULE_BY_KIND, DeadlineRule


def due_date(rule: DeadlineRule, start: date, length: int, calendar: WorkingCalendar) -> date:
    """The due date of ``rule`` counted ``length`` units from ``start``.

    Working days are counted from the first working day after ``start`` (PP 28/2018 Pasal 30
    ayat (4), "sejak menerima"); months and years keep the day of the month, or take the month's
    last day when it has none (31 January + 1 month = 28 or 29 February).
    """
    if rule.unit == "working_days":
        return calendar.add_working_days(start, length)
    if rule.unit == "days":
        return start + timedelta(days=length)
    if rule.unit == "months":
        return start + relativedelta(months=length)
    if rule.unit == "years":
        return start + relativedelta(years=length)
    raise ValueError(f"unknown unit {rule.unit}")


def rule_length(rule: DeadlineRule, region, data: dict) -> int | None:
    """A rule's length: a number, a region setting, or a datum of the opening event; None when it is not known
    (a term no source states, or a rule whose due date is only ever given)."""
    if rule.length is None or isinstance(rule.length, int):
        return rule.length
    if data.get(rule.length) is not None:
        return int(data[rule.length])
    value = getattr(region, rule.length, None)
    return None if value is None else int(value)


def update_deadlines(*, open_deadlines: list[Deadline], event_name: str, event_id: int, on: date,
                     owner_state: str, case_id: int, region, data: dict,
                     calendar: WorkingCalendar) -> tuple[list[Deadline], list[Deadline]]:
    """Close and open the deadlines of one event; returns (opened, closed), the rows to add and those changed.

    :param owner_state: the state whose deadlines may stay open: the case's new state, or for a
        suspended case the state it will resume to, since legal timers keep running.
    """
    closed: list[Deadline] = []
    previous_due: dict[str, date] = {}
    still_open = []
    for deadline in open_deadlines:
        rule = DEADLINE_RULE_BY_KIND[deadline.kind]
        if event_name in rule.met_by:
            status = "met"
        elif event_name in rule.lapsed_by:
            status = "lapsed"
        elif event_name in rule.opened_by:
            status = "superseded"
        elif owner_state not in rule.owners:
            status = "cancelled"
        else:
            still_open.append(deadline)
            continue
        _close(deadline, status, event_id, on)
        previous_due[deadline.kind] = deadline.due
        closed.append(deadline)

    current = {d.kind: d for d in still_open}
    if event_name == "deadline_recomputed":  # a calendar change moved one due date; nothing opens or closes
        moved = current[data["kind"]]
        moved.due = data["due"]
        moved.next_action_on = min(moved.next_action_on or on, on)
        return [], [moved]

    opened: list[Deadline] = []
    for rule in DEADLINE_RULE_BY_KIND.values():  # table order: agreement_expiry opens before extension_review reads it
        if event_name not in rule.opened_by or owner_state not in rule.owners:
            continue
        if rule.when and data.get(rule.when[0]) != rule.when[1]:
            continue
        given = data.get(rule.due_given_by) if rule.due_given_by else None
        length = rule_length(rule, region, data)
        if given is None and not length:
            continue  # a term of 0 years has no end; an unknown one, no known end
        if rule.anchor == "previous":
            start = previous_due.get(rule.kind, on)
        elif rule.anchor == "continues":  # an extension continues the term; signed after it ended, it starts anew
            start = max(previous_due.get(rule.kind, on), on)
        elif rule.anchor == "expiry":
            if "agreement_expiry" not in current:
                continue
            start = current["agreement_expiry"].due
        else:
            start = on
        # The reminder sweep looks at a new deadline from the day it opened on, and moves on from there.
        deadline = Deadline(case_id=case_id, kind=rule.kind, starts_on=start,
                            due=given if given is not None else due_date(rule, start, length, calendar),
                            opened_by_event_id=event_id, next_action_on=on,
                            precision=data.get("on_precision") if start == on else None)
        current[rule.kind] = deadline
        opened.append(deadline)
    return opened, closed


def _close(deadline: Deadline, status: str, event_id: int, on: date) -> None:
    deadline.status = status
    deadline.closed_by_event_id = event_id
    deadline.closed_on = on


def days_left(rule: DeadlineRule, due: date, today: date, calendar: WorkingCalendar) -> int:
    """Days from ``today`` to ``due``, in working days where the rule counts them; negative once overdue."""
    if rule.unit == "working_days":
        return calendar.working_days_between(today, due)
    return (due - today).days


def left_text(days_left: int, working: bool) -> str:
    """``3 working day(s) left``, ``due today`` or ``2 day(s) overdue``: how a deadline's distance is written."""
    unit = _("working day(s)") if working else _("day(s)")
    if days_left < 0:
        return _("{n} {unit} overdue").format(n=-days_left, unit=unit)
    if days_left == 0:
        return _("due today")
    return _("{n} {unit} left").format(n=days_left, unit=unit)
