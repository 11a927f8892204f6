"""The wording of reminders: subject and body of a deadline reminder and of a budget-window reminder, and the one
line that sums up a sweep.

Every text goes through ``_()``; the Indonesian is in workflow/locale/id/LC_MESSAGES/kerjasama.po.
"""
from __future__ import annotations

from datetime import date

from db.models import Case, Deadline
from workflow.deadlines import days_left, left_text
from workflow.i18n import _, basis, day
from workflow.procedure import DeadlineRule
from workflow.reminders.outbox import SweepReport
from workflow.vocabulary import name as term


def compose(case: Case, deadline: Deadline, rule: DeadlineRule, step: str, today: date, calendar,
            applied: str | None = None, replaces: list | None = None) -> tuple[str, str]:
    """Subject and body of a deadline reminder: the case, the deadline, its basis, days left, the next action.

    :param replaces: what this reminder stands for, each as one line's worth of text: the earlier steps missed while
        the reminder job did not run, and the reminders of the same deadline this sweep recorded before it (a
        timer's notice); they are named instead of sent one by one.
    """
    if applied:
        when = _("applied by the reminder job: {event}").format(event=applied)
    else:
        when = left_text(days_left(rule, deadline.due, today, calendar), rule.unit == "working_days")
    subject = _("[{ref}] {label}: due {due}, {when}").format(ref=case.ref, label=_(rule.label),
                                                             due=day(deadline.due), when=when)
    if applied:
        action = _("See what follows: kerjasama case show {ref}").format(ref=case.ref)
    elif rule.next_event.startswith("("):
        action = _("Next: {what}; then kerjasama case show {ref}").format(what=rule.next_event.strip("()"),
                                                                          ref=case.ref)
    else:
        action = _("Next: kerjasama case advance {ref} {event} --on DATE").format(
            ref=case.ref, event=term("event", rule.next_event))
    lines = [
        _("Case: {ref} - {title}").format(ref=case.ref, title=case.title),
        _("Deadline: {kind} - {label}").format(kind=deadline.kind, label=_(rule.label)),
        _("Due: {due} ({when})").format(due=day(deadline.due, weekday=True), when=when),
        _("Legal basis: {basis}").format(basis=basis(rule.basis)),
        _("If it lapses: {what}").format(what=_(rule.on_lapse)),
        action,
    ]
    if replaces:
        lines.append(_("This reminder stands for {n} earlier one(s) of this deadline not sent on their own (missed "
                       "while the reminder job was not running, or come in the same sweep): {steps}.").format(
            n=len(replaces), steps="; ".join(replaces)))
    if step.startswith("overdue"):
        lines.append(_("Escalated to the head of the bureau."))
    return subject, "\n".join(lines)


def compose_budget(case: Case, window, window_day: date, today: date) -> tuple[str, str]:
    """Subject and body of the reminder to budget a case's action plan in a yearly budget window."""
    days = (window_day - today).days
    subject = _("[{ref}] Budget window: {window} on {day}").format(ref=case.ref, window=window.name,
                                                                   day=window_day.isoformat())
    body = "\n".join([
        _("Case: {ref} - {title}").format(ref=case.ref, title=case.title),
        _("Budget window: {window} on {day} ({days} day(s) left)").format(window=window.name,
                                                                          day=window_day.isoformat(), days=days),
        _("What it means: {label}").format(label=_(window.label)),
        _("Legal basis: {basis}").format(basis=basis(window.basis)),
        _("The action plan of this case is not yet budgeted: each lead OPD puts its activities into this "
          "window's documents."),
        _("When budgeted: kerjasama case advance {ref} {event} --on DATE").format(
            ref=case.ref, event=term("event", "action_plan_budgeted")),
    ])
    return subject, body


def summary(report: SweepReport) -> str:
    """One line about a sweep."""
    applied = [f"{t['ref']} {t.get('event', t['deadline'])}" for t in report.timers if t.get("result") == "applied"]
    return _("Sweep at {now}: {recorded} reminder(s) recorded, {sent} delivered, {failed} failed, {pending} "
             "waiting; timers applied: {timers}.").format(
        now=report.now.isoformat(timespec="minutes"), recorded=len(report.recorded), sent=len(report.sent),
        failed=len(report.failed), pending=report.pending, timers=", ".join(applied) or _("none"))
