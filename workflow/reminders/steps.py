"""The reminder steps of a deadline: when it is reminded of before, on and after its due date, and its timer's day.

Pure date arithmetic on the deadline kind's plan (``DEFAULT_STEPS``, overridden per kind by the region's
config) and the working-day calendar; nothing here reads or writes the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from workflow.config import STEP, Config
from workflow.procedure import DeadlineRule

# Reminder steps per deadline kind: before the due date, on it, and then repeatedly while overdue
# (overdue reminders also go to the head of the bureau). A region overrides them in its config.
DEFAULT_STEPS = {
    "dprd_decision": {"before": ["10wd", "3wd"], "on_due": True, "overdue_every": "5wd"},
    "ministry_reply_followup": {"before": [], "on_due": True, "overdue_every": "10wd"},
    "loi_to_mou_target": {"before": ["2m"], "on_due": True},
    "loi_validity": {"before": ["6m", "1m"], "on_due": True},
    "signing_report": {"before": ["7d"], "on_due": True, "overdue_every": "7d"},
    "annual_report": {"before": ["1m"], "on_due": True, "overdue_every": "14d"},
    "agreement_expiry": {"before": ["9m", "6m", "3m", "1m"], "on_due": True},
    "extension_review": {"before": ["1m"], "on_due": True, "overdue_every": "1m"},
    "termination_notice": {"before": ["1m"], "on_due": True},
    "dormancy": {"before": ["1m"], "on_due": False},
}


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
    step = 1 if count > 0 else -1
    for _n in range(abs(count)):
        day += timedelta(days=step)
        while not calendar.is_working_day(day):
            day += timedelta(days=step)
    return day


def plan_for(kind: str, config: Config) -> dict:
    return DEFAULT_STEPS.get(kind, {"before": [], "on_due": True}) | config.steps.get(kind, {})


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
