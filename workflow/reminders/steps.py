"""The reminder steps of a deadline: when it is reminded of before, on and after its due date, and its timer's day;
its length in its rule's units, and its due date under a calendar decreed since.

Pure date arithmetic on the deadline kind's steps (``reminders`` of its row in the procedure table, overridden
per kind by the region's config) and the working-day calendar; nothing here reads or writes the database.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from workflow.config import STEP, Config
from workflow.deadlines import due_date
from workflow.procedure import DEADLINE_RULE_BY_KIND, DeadlineRule


@dataclass(frozen=True)
class Step:
    key: str  # "before:3wd", "due", "overdue:2"
    on: date
    escalated: bool = False


def shift(day: date, offset: str, calendar, direction: int = 1) -> date:
    """``day`` moved by ``offset`` ("10wd", "7d", "3m") forwards (1) or backwards (-1)."""
    count, unit = STEP.match(offset).groups()
    count = int(count) * direction
    if unit == "d":
        return day + timedelta(days=count)
    if unit == "m":
        return day + relativedelta(months=count)
    return calendar.add_working_days(day, count)


def plan_for(kind: str, config: Config) -> dict:
    """The reminder steps of deadlines of ``kind``: the procedure table's, with the region's overrides."""
    return asdict(DEADLINE_RULE_BY_KIND[kind].reminders) | config.steps.get(kind, {})


def steps_between(kind: str, due: date, start: date, end: date, calendar, config: Config) -> list[Step]:
    """The reminder steps of a deadline due on ``due`` that fall on ``start`` .. ``end``."""
    plan = plan_for(kind, config)
    steps = [Step(f"before:{offset}", shift(due, offset, calendar, -1)) for offset in plan.get("before", [])]
    if plan.get("on_due", True):
        steps.append(Step("due", due))
    every = plan.get("overdue_every")
    if every:
        day, n = shift(due, every, calendar), 1
        while day <= end:
            steps.append(Step(f"overdue:{n}", day, escalated=True))
            day, n = shift(day, every, calendar), n + 1
    return sorted((s for s in steps if start <= s.on <= end), key=lambda s: s.on)


def next_step_on(kind: str, due: date, after: date, calendar, config: Config) -> date | None:
    """The first reminder step of the deadline after ``after``, or None when there is none."""
    plan = plan_for(kind, config)
    dates = [shift(due, offset, calendar, -1) for offset in plan.get("before", [])]
    if plan.get("on_due", True):
        dates.append(due)
    every = plan.get("overdue_every")
    if every:
        day = shift(due, every, calendar)
        while day <= after:
            day = shift(day, every, calendar)
        dates.append(day)
    later = [d for d in dates if d > after]
    return min(later) if later else None


def timer_on(rule: DeadlineRule, due: date, region, calendar) -> date | None:
    """The day the reminder job applies the deadline's timer, or None when it has none or the region turned it off."""
    if not rule.timers or (rule.timer_setting and not getattr(region, rule.timer_setting)):
        return None
    return calendar.add_working_days(due, 1) if rule.timer_next_working_day else due


def moved_due(rule: DeadlineRule, deadline, calendar) -> date | None:
    """The due date of a working-day deadline under ``calendar``, when a holiday decreed since moved it."""
    if rule.unit != "working_days" or not isinstance(rule.length, int):
        return None
    due = due_date(rule, deadline.starts_on, rule.length, calendar)
    return due if due != deadline.due else None


def units_between(rule: DeadlineRule, deadline, calendar) -> int:
    """How many of the rule's units lie between the deadline's start and its due date."""
    if rule.unit == "working_days":
        return calendar.working_days_between(deadline.starts_on, deadline.due)
    if rule.unit == "days":
        return (deadline.due - deadline.starts_on).days
    between = relativedelta(deadline.due, deadline.starts_on)
    return between.years * 12 + between.months if rule.unit == "months" else between.years
