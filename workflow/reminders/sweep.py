"""The reminder sweep: deadline reminders through an outbox, and the procedure's timers applied on time.

One sweep (``kerjasama remind``, or the scheduler's only job) does three things:

1. For every open Deadline whose ``next_action_on`` has come (selected through an index, so the
   cost grows with what is due, not with the number of cases), it records the reminder steps that
   fell due since the last sweep (each once: unique key per deadline and step) and applies the
   deadline's timer through :func:`workflow.engine.apply` as the actor ``scheduler``.
2. For every yearly budget window (procedure.md §9) whose reminder date has come, it records one
   reminder per case whose action plan is not yet budgeted.
3. It delivers every pending delivery of the outbox: claimed first (so two sweeps never send the same
   one), then sent; a failed one is retried on later sweeps with back-off.

A reminder is written before it is delivered, so a crash between the two loses nothing; two sweeps at
once (two servers on one PostgreSQL) record and deliver each reminder once, because every write is
guarded by the row it changes.
"""
from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Callable, Protocol
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from db.models import Case, Deadline, Delivery, Event, Reminder
from workflow.bureau import Bureau
from workflow.config import STEP, Config
from workflow.engine import apply, load_region
from workflow.errors import ConcurrentChange, EventNotAllowed, InvalidInput
from workflow.i18n import _, day
from workflow.procedure import BUDGET_WINDOWS, DEADLINE_RULE_BY_KIND, UNBUDGETED_STATES, DeadlineRule

ACTOR = "scheduler"
LEASE = timedelta(minutes=15)  # a delivery claimed longer ago than this was lost with its process
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)

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


class Channel(Protocol):
    name: str

    def deliver(self, reminder: Reminder) -> None:
        """Send ``reminder``; raise on failure."""


@dataclass(frozen=True)
class Step:
    key: str  # "before:3wd", "due", "overdue:2"
    on: date
    escalated: bool = False


@dataclass
class SweepReport:
    now: datetime
    recorded: list[dict] = field(default_factory=list)
    timers: list[dict] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    pending: int = 0

    def as_dict(self) -> dict:
        return {"now": self.now.isoformat(), "recorded": self.recorded, "timers": self.timers, "sent": self.sent,
                "failed": self.failed, "pending": self.pending}


# --- steps -----------------------------------------------------------------------------------------

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


# --- the sweep -------------------------------------------------------------------------------------

def sweep(bureau: Bureau, config: Config, now: datetime | None, channels: dict[str, Channel],
          dry_run: bool = False) -> SweepReport:
    """Run one sweep at ``now``; see the module docstring.

    :param now: the moment of the sweep; the system clock when None, the region's time zone when naive.
    :param channels: the delivery channels of this process by name; deliveries of other channels wait.
    :param dry_run: report what would be recorded and applied, and write and send nothing.
    """
    with bureau.db.session() as session:
        region = load_region(session)
        zone = ZoneInfo(region.timezone)
        now = datetime.now(timezone.utc) if now is None else now if now.tzinfo else now.replace(tzinfo=zone)
        today = now.astimezone(zone).date()
        due_ids = session.exec(select(Deadline.id).where(Deadline.status == "open", Deadline.next_action_on <= today)
                               .order_by(Deadline.next_action_on, Deadline.id)).all()
    report = SweepReport(now)
    for deadline_id in due_ids:
        _Work(bureau, config, region, now, today, report, dry_run).deadline(deadline_id)
    _Work(bureau, config, region, now, today, report, dry_run).budget_windows()
    if not dry_run:
        deliver(bureau, now, channels, report)
    return report


@dataclass
class _Work:
    bureau: Bureau
    config: Config
    region: object
    now: datetime
    today: date
    report: SweepReport
    dry_run: bool

    def deadline(self, deadline_id: int) -> None:
        """Record the due steps of one deadline and apply its timer; repeat while it has work up to today."""
        while True:
            with self.bureau.db.session() as session:
                deadline = session.get(Deadline, deadline_id)
                if deadline.status != "open" or deadline.next_action_on is None or deadline.next_action_on > self.today:
                    return
                case = session.get(Case, deadline.case_id)
                rule = DEADLINE_RULE_BY_KIND[deadline.kind]
                calendar = self.bureau.calendar
                since = max(deadline.next_action_on, self.today - timedelta(days=self.config.catch_up_days))
                timer_day = timer_on(rule, deadline.due, self.region, calendar)
                timer_now = timer_day is not None and deadline.next_action_on <= timer_day <= self.today
                until = timer_day - timedelta(days=1) if timer_now else self.today
                steps = steps_between(deadline.kind, deadline.due, since, until, calendar, self.config)
                if timer_now:
                    following = timer_day  # stop at the timer: a crash before it is applied retries it
                else:
                    following = next_step_on(deadline.kind, deadline.due, self.today, calendar, self.config)
                    if timer_day is not None and timer_day > self.today:
                        following = min(filter(None, [following, timer_day]))
                if self.dry_run:
                    self.report.recorded += [self._summary(case, deadline, s.key, s.on) for s in steps]
                    if timer_now:
                        self.report.timers.append({"ref": case.ref, "deadline": deadline.kind,
                                                   "on": timer_day.isoformat(), "events": list(rule.timers),
                                                   "result": "would try"})
                    return
                moved = session.exec(update(Deadline).where(Deadline.id == deadline.id, Deadline.status == "open",
                                                            Deadline.next_action_on == deadline.next_action_on)
                                     .values(next_action_on=following).execution_options(synchronize_session=False))
                if moved.rowcount != 1:
                    session.rollback()  # another sweep took this deadline at the same moment
                    return
                officer = _case_officer(session, case)
                for step in steps:
                    self._record(session, case, deadline, rule, step.key, step.escalated, officer)
                session.commit()
            if not timer_now:
                return
            self._apply_timer(deadline_id, timer_day)

    def _apply_timer(self, deadline_id: int, day: date) -> None:
        with self.bureau.db.session() as session:
            deadline = session.get(Deadline, deadline_id)
            case = session.get(Case, deadline.case_id)
            rule = DEADLINE_RULE_BY_KIND[deadline.kind]
            history = session.exec(select(Event).where(Event.case_id == case.id)).all()
            already = any((e.data.get("timer") or {}).get("deadline_id") == deadline.id for e in history)
            last_day = max(e.occurred_on for e in history)
            officer = _case_officer(session, case)
        result = {"ref": case.ref, "deadline": deadline.kind, "on": day.isoformat()}
        if not already:
            count = _count(rule, deadline, self.bureau.calendar)
            explanation = {
                "deadline_id": deadline.id, "deadline": deadline.kind, "started_on": deadline.starts_on.isoformat(),
                "due": deadline.due.isoformat(), "rule": f"{count} {rule.unit}", "basis": rule.basis,
                "policy": self._policy(rule),
            }
            note = _("Applied by the reminder job: {label}, {count} {unit} from {start}, was due {due}; {policy}.") \
                .format(label=_(rule.label), count=count, unit=rule.unit, start=deadline.starts_on.isoformat(),
                        due=deadline.due.isoformat(), policy=self._policy(rule))
            for event in rule.timers:
                def notice(session, _case, row, event=event):
                    self._record(session, case, deadline, rule, "timer", True, officer, applied=event)

                try:
                    apply(self.bureau, case.ref, event, actor=ACTOR, on=max(day, last_day), note=note,
                          timer=explanation, on_recorded=notice)
                except (EventNotAllowed, InvalidInput) as err:
                    result.setdefault("refused", []).append({"event": event, "reason": str(err)})
                    continue
                except ConcurrentChange:
                    result["result"] = "taken by another sweep"
                    break
                result.update(result="applied", event=event)
                break
            else:
                result["result"] = "refused"
        else:
            result["result"] = "already applied"
        self.report.timers.append(result)
        with self.bureau.db.session() as session:  # past the timer day: the next sweep goes on with the steps
            session.exec(update(Deadline).where(Deadline.id == deadline_id, Deadline.next_action_on == day)
                         .values(next_action_on=day + timedelta(days=1)).execution_options(synchronize_session=False))
            session.commit()

    def _policy(self, rule: DeadlineRule) -> str:
        if rule.kind == "dprd_decision":
            return f"council_silence={self.region.council_silence}"
        if rule.timer_setting:
            return f"{rule.timer_setting}={getattr(self.region, rule.timer_setting)}"
        return "automatic"

    def budget_windows(self) -> None:
        """One reminder per unbudgeted case before each yearly budget window."""
        for window in BUDGET_WINDOWS:
            month, day = map(int, self.config.budget_windows.get(window.name, window.date).split("-"))
            window_day = date(self.today.year, month, day)
            if not window_day - timedelta(days=self.config.budget_lead_days) <= self.today <= window_day:
                continue
            with self.bureau.db.session() as session:
                cases = session.exec(select(Case).where(Case.state.in_(UNBUDGETED_STATES))).all()
                keys = {f"budget:{window_day.year}:{window.name}:case:{c.id}": c for c in cases}
                done = set(session.exec(select(Reminder.key).where(Reminder.key.in_(list(keys)))).all())
                for key, case in keys.items():
                    if key in done:
                        continue
                    if self.dry_run:
                        self.report.recorded.append({"ref": case.ref, "kind": window.name, "step": "budget",
                                                     "due": window_day.isoformat()})
                        continue
                    self._record_budget(session, case, window, window_day, key)
                if not self.dry_run:
                    _commit_ignoring_duplicates(session)

    def _record_budget(self, session, case: Case, window, window_day: date, key: str) -> None:
        officer = _case_officer(session, case)
        recipients = [f"officer:{officer}"] + [f"opd:{name}" for name in self.config.contacts.opd]
        days = (window_day - self.today).days
        subject = _("[{ref}] Budget window: {window} on {day}").format(ref=case.ref, window=window.name,
                                                                       day=window_day.isoformat())
        body = "\n".join([
            _("Case: {ref} - {title}").format(ref=case.ref, title=case.title),
            _("Budget window: {window} on {day} ({days} day(s) left)").format(window=window.name,
                                                                              day=window_day.isoformat(), days=days),
            _("What it means: {label}").format(label=_(window.label)),
            _("Legal basis: {basis}").format(basis=window.basis),
            _("The action plan of this case is not yet budgeted: each lead OPD puts its activities into this "
              "window's documents."),
            _("When budgeted: kerjasama case advance {ref} action_plan_budgeted --on YYYY-MM-DD").format(ref=case.ref),
        ])
        self._add(session, Reminder(key=key, case_id=case.id, kind=window.name, step="budget", due=window_day,
                                    recipients=recipients, subject=subject, body=body))

    def _record(self, session, case: Case, deadline: Deadline, rule: DeadlineRule, step: str, escalated: bool,
                officer: str, applied: str | None = None) -> None:
        subject, body = compose(case, deadline, rule, step, self.today, self.bureau.calendar, applied)
        recipients = [f"officer:{officer}"] + (["head_of_bureau"] if escalated else [])
        self._add(session, Reminder(key=f"deadline:{deadline.id}:{step}", case_id=case.id, deadline_id=deadline.id,
                                    kind=deadline.kind, step=step, due=deadline.due, escalated=escalated,
                                    recipients=recipients, subject=subject, body=body))

    def _add(self, session, reminder: Reminder) -> None:
        reminder.recorded_at = self.now
        session.add(reminder)
        session.flush()
        for channel in self.config.channels:
            session.add(Delivery(reminder_id=reminder.id, channel=channel, next_attempt_at=self.now))
        self.report.recorded.append(self._summary_of(reminder))

    def _summary(self, case: Case, deadline: Deadline, step: str, on: date) -> dict:
        return {"ref": case.ref, "kind": deadline.kind, "step": step, "due": deadline.due.isoformat(),
                "step_on": on.isoformat()}

    def _summary_of(self, reminder: Reminder) -> dict:
        return {"key": reminder.key, "kind": reminder.kind, "step": reminder.step, "due": reminder.due.isoformat(),
                "recipients": reminder.recipients, "subject": reminder.subject}


def compose(case: Case, deadline: Deadline, rule: DeadlineRule, step: str, today: date, calendar,
            applied: str | None = None) -> tuple[str, str]:
    """Subject and body of a deadline reminder: the case, the deadline, its basis, days left, the next action."""
    working = rule.unit == "working_days"
    left = calendar.working_days_between(today, deadline.due) if working else (deadline.due - today).days
    unit = _("working day(s)") if working else _("day(s)")
    if applied:
        when = _("applied by the reminder job: {event}").format(event=applied)
    elif left > 0:
        when = _("{n} {unit} left").format(n=left, unit=unit)
    elif left == 0:
        when = _("due today")
    else:
        when = _("{n} {unit} overdue").format(n=-left, unit=unit)
    subject = _("[{ref}] {label}: due {due}, {when}").format(ref=case.ref, label=_(rule.label),
                                                             due=day(deadline.due), when=when)
    if applied:
        action = _("See what follows: kerjasama case show {ref}").format(ref=case.ref)
    elif rule.next_event.startswith("("):
        action = _("Next: {what}; then kerjasama case show {ref}").format(what=rule.next_event.strip("()"),
                                                                          ref=case.ref)
    else:
        action = _("Next: kerjasama case advance {ref} {event} --on YYYY-MM-DD").format(ref=case.ref,
                                                                                        event=rule.next_event)
    lines = [
        _("Case: {ref} - {title}").format(ref=case.ref, title=case.title),
        _("Deadline: {kind} - {label}").format(kind=deadline.kind, label=_(rule.label)),
        _("Due: {due} ({when})").format(due=day(deadline.due, weekday=True), when=when),
        _("Legal basis: {basis}").format(basis=rule.basis),
        _("If it lapses: {what}").format(what=_(rule.on_lapse)),
        action,
    ]
    if step.startswith("overdue"):
        lines.append(_("Escalated to the head of the bureau."))
    return subject, "\n".join(lines)


def _count(rule: DeadlineRule, deadline: Deadline, calendar) -> int:
    """How many of the rule's units lie between the deadline's start and its due date."""
    if rule.unit == "working_days":
        return calendar.working_days_between(deadline.starts_on, deadline.due)
    if rule.unit == "days":
        return (deadline.due - deadline.starts_on).days
    between = relativedelta(deadline.due, deadline.starts_on)
    return between.years * 12 + between.months if rule.unit == "months" else between.years


def _case_officer(session, case: Case) -> str:
    """The officer who opened the case; reminders go to them."""
    return session.exec(select(Event.actor).where(Event.case_id == case.id, Event.seq == 1)).one()


def _commit_ignoring_duplicates(session) -> None:
    try:
        session.commit()
    except IntegrityError:  # another sweep recorded the same reminders at the same moment
        session.rollback()


# --- delivery --------------------------------------------------------------------------------------

def deliver(bureau: Bureau, now: datetime, channels: dict[str, Channel], report: SweepReport) -> None:
    """Deliver every delivery that is due on a channel of this process, each claimed before it is sent."""
    due = or_(Delivery.status.in_(("pending", "failed")) & (Delivery.next_attempt_at <= now),
              (Delivery.status == "sending") & (Delivery.claimed_at < now - LEASE))
    with bureau.db.session() as session:
        waiting = session.exec(select(Delivery.id).where(Delivery.channel.in_(list(channels)), due)
                               .order_by(Delivery.id)).all()
    for delivery_id in waiting:
        with bureau.db.session() as session:
            # The claim re-checks that the delivery is still due: another sweep may have sent it meanwhile.
            claimed = session.exec(
                update(Delivery).where(Delivery.id == delivery_id, due)
                .values(status="sending", claimed_at=now, attempts=Delivery.attempts + 1)
                .execution_options(synchronize_session=False))
            session.commit()
            if claimed.rowcount != 1:
                continue
            delivery = session.get(Delivery, delivery_id)
            reminder = session.get(Reminder, delivery.reminder_id)
            attempts = delivery.attempts
        try:
            channels[delivery.channel].deliver(reminder)
        except Exception as err:  # noqa: BLE001 - any failure of a channel is recorded and retried
            error = (str(err).strip().splitlines() or [type(err).__name__])[0]
            retry = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)
            values = {"status": "failed", "last_error": error, "next_attempt_at": now + retry}
            report.failed.append({"key": reminder.key, "channel": delivery.channel, "error": error,
                                  "attempts": attempts, "next_attempt_at": (now + retry).isoformat()})
        else:
            values = {"status": "sent", "sent_at": now, "last_error": None}
            report.sent.append({"key": reminder.key, "channel": delivery.channel})
        with bureau.db.session() as session:
            session.exec(update(Delivery).where(Delivery.id == delivery_id).values(**values)
                         .execution_options(synchronize_session=False))
            session.commit()
    with bureau.db.session() as session:
        report.pending = len(session.exec(select(Delivery.id).where(Delivery.status != "sent")).all())


class ConsoleChannel:
    """Prints reminders for a person reading the terminal or the service's journal."""

    name = "console"

    def __init__(self, echo: Callable[[str], None]):
        self.echo = echo

    def deliver(self, reminder: Reminder) -> None:
        self.echo(f"{reminder.subject}\n" + "\n".join("    " + line for line in reminder.body.splitlines()))


class LogChannel:
    """Appends one JSON line per reminder to a file that other tools can follow."""

    name = "log"

    def __init__(self, path: Path):
        self.path = path

    def deliver(self, reminder: Reminder) -> None:
        line = json.dumps({"key": reminder.key, "case_id": reminder.case_id, "kind": reminder.kind,
                           "step": reminder.step, "due": reminder.due.isoformat(), "recipients": reminder.recipients,
                           "subject": reminder.subject, "body": reminder.body,
                           "recorded_at": reminder.recorded_at.isoformat()}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write per line in append mode: lines of several sweeps at once interleave whole.
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")


class EmailChannel:
    """Sends reminders over SMTP to the addresses of the case's roles (config [contacts])."""

    name = "email"

    def __init__(self, smtp, contacts, timeout: float = 30):
        self.smtp = smtp
        self.contacts = contacts
        self.timeout = timeout

    def addresses(self, recipients: list[str]) -> list[str]:
        found, missing = [], []
        for role in recipients:
            kind, _sep, name = role.partition(":")
            address = {"officer": self.contacts.officers.get(name), "opd": self.contacts.opd.get(name),
                       "head_of_bureau": self.contacts.head_of_bureau}.get(kind)
            (found if address else missing).append(address or role)
        if not found:
            raise LookupError(_("no e-mail address for {roles}; add them to [contacts] in the config")
                              .format(roles=", ".join(missing)))
        return found

    def deliver(self, reminder: Reminder) -> None:
        message = EmailMessage()
        message["Subject"] = reminder.subject
        message["From"] = self.smtp.sender
        message["To"] = ", ".join(self.addresses(reminder.recipients))
        message["Message-ID"] = f"<{reminder.key.replace(':', '.')}@kerjasama>"  # a resent copy is recognisable
        message.set_content(reminder.body)
        smtp_class = smtplib.SMTP_SSL if self.smtp.security == "ssl" else smtplib.SMTP
        with smtp_class(self.smtp.host, self.smtp.port, timeout=self.timeout) as client:
            if self.smtp.security == "starttls":
                client.starttls()
            if self.smtp.user:
                client.login(self.smtp.user, self.smtp.password or "")
            client.send_message(message)


def channels_for(config: Config, echo: Callable[[str], None]) -> dict[str, Channel]:
    """The channels the config names, ready to deliver."""
    made = {"console": lambda: ConsoleChannel(echo), "log": lambda: LogChannel(config.log_file),
            "email": lambda: EmailChannel(config.smtp, config.contacts)}
    return {name: made[name]() for name in config.channels}


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO date or date and time; without an offset the sweep reads it in the region's time zone."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("--now {value} is not a date or time; write 2026-06-27 or 2026-06-27T07:30+07:00.")
                           .format(value=value)) from None


def scheduled_sweep(bureau: Bureau, config: Config, channels: dict[str, Channel], log) -> None:
    """The scheduler's job: one sweep at the current time, summarised in one log line."""
    try:
        report = sweep(bureau, config, None, channels)
    except Exception as err:  # noqa: BLE001 - the job must survive a database outage until the next run
        log(_("Sweep failed: {error}").format(error=(str(err).splitlines() or [type(err).__name__])[0]))
        return
    log(summary(report))


def summary(report: SweepReport) -> str:
    """One line about a sweep."""
    applied = [f"{t['ref']} {t.get('event', t['deadline'])}" for t in report.timers if t.get("result") == "applied"]
    return _("Sweep at {now}: {recorded} reminder(s) recorded, {sent} delivered, {failed} failed, {pending} "
             "waiting; timers applied: {timers}.").format(
        now=report.now.isoformat(timespec="minutes"), recorded=len(report.recorded), sent=len(report.sent),
        failed=len(report.failed), pending=report.pending, timers=", ".join(applied) or _("none"))
