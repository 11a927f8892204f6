"""One reminder sweep: the deadline reminders and budget-window reminders that have come, and the timers due.

For every open Deadline whose ``next_action_on`` has come (selected through an index, so the cost
grows with what is due, not with the number of cases), the sweep records the reminder steps that fell
due since the last sweep (each once: unique key per deadline and step) and applies the deadline's timer
through :func:`workflow.engine.apply` as the actor ``scheduler``. For every yearly budget window
(BUDGET_WINDOWS of workflow/procedure.py, PP 12/2019) whose reminder date has come, it records one
reminder per case whose action plan is not yet budgeted. Then it delivers the outbox
(workflow/reminders/outbox.py).

Every write is guarded by the row it changes (the deadline's ``next_action_on``, the reminder's unique
key), so two sweeps at once record each reminder once and apply each timer once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import update
from sqlmodel import select

from db.models import Case, Deadline, Event, Reminder
from workflow.bureau import Bureau
from workflow.config import Config
from workflow.deadlines import due_date
from workflow.engine import apply
from workflow.owners import owner_of
from workflow.store import history_of, load_region
from workflow.timeline import timeline
from workflow.errors import (ConcurrentChange, EventNotAllowed, InvalidInput, LateEntryRefused,
                             LaterEventConflict)
from workflow.i18n import _, day, speaking
from workflow.procedure import BUDGET_WINDOWS, DEADLINE_RULE_BY_KIND, UNBUDGETED_STATES, DeadlineRule
from workflow.reminders.channels import Channel, address_of
from workflow.reminders.messages import compose, compose_budget
from workflow.reminders.outbox import (LEASE, SweepReport, commit_ignoring_duplicates, deliver, record,
                                       recorded_before, supersede)
from workflow.reminders.steps import next_step_on, steps_between, timer_on
from workflow.vocabulary import name as term

ACTOR = "scheduler"
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of two machines differ a little


def sweep(bureau: Bureau, config: Config, now: datetime | None, channels: dict[str, Channel],
          dry_run: bool = False, lease: timedelta = LEASE) -> SweepReport:
    """Run one sweep at ``now``; see the module docstring.

    :param now: the moment of the sweep; the system clock when None, the region's time zone when naive.
    :param channels: the delivery channels of this process by name; deliveries of other channels wait.
    :param dry_run: report what would be recorded and applied, and write and send nothing.
    :param lease: how long a delivery's claim holds without renewal (workflow/reminders/outbox.py).
    """
    with bureau.db.session() as session:
        region = load_region(session)
        zone = ZoneInfo(region.timezone)
        clock = bureau.clock or datetime.now(timezone.utc)
        now = clock if now is None else now if now.tzinfo else now.replace(tzinfo=zone)
        if now > clock + FUTURE_TOLERANCE and not dry_run:
            # A sweep records what has come: a timer applied early cannot be undone by the clock catching up.
            raise InvalidInput(_("--now {now} is later than the clock ({clock}); a sweep records only what has "
                                 "come. Preview a later day with --dry-run.").format(
                now=now.astimezone(zone).isoformat(timespec="minutes"),
                clock=clock.astimezone(zone).isoformat(timespec="minutes")))
        now = now.astimezone(zone)  # reports and messages read the region's time
        today = now.date()
        due_ids = session.exec(select(Deadline.id).where(Deadline.status == "open", Deadline.next_action_on <= today)
                               .order_by(Deadline.next_action_on, Deadline.id)).all()
    report = SweepReport(now)
    for deadline_id in due_ids:
        _Work(bureau, config, region, now, today, report, dry_run).deadline(deadline_id)
    _Work(bureau, config, region, now, today, report, dry_run).budget_windows()
    if not dry_run:
        deliver(bureau, now, channels, report, lease)
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
                    self.report.recorded += [self._summary(case, deadline, s.key, s.on) for s in steps[-1:]]
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
                officer = owner_of(history_of(session, case))
                steps = [s for s in steps if not recorded_before(session, f"deadline:{deadline.id}:{s.key}")]
                if steps:  # after downtime, the most urgent step once, standing for the ones missed before it
                    last = steps[-1]
                    self._record(session, case, deadline, rule, last.key, any(s.escalated for s in steps), officer,
                                 replaces=[f"{s.key} ({day(s.on)})" for s in steps[:-1]])
                session.commit()
            if not timer_now:
                return
            self._apply_timer(deadline_id, timer_day)

    def _with_current_calendar(self, deadline_id: int, day: date) -> date | None:
        """The timer's day under the calendar as it is now: a holiday decreed after the due date was computed
        moves it, and the move is recorded first (deadline_recomputed), so the history says why. None when the
        timer has not come yet."""
        with self.bureau.db.session() as session:
            deadline = session.get(Deadline, deadline_id)
            case = session.get(Case, deadline.case_id)
            region = load_region(session)
            rule = DEADLINE_RULE_BY_KIND[deadline.kind]
            last_day = max(e.occurred_on for e in session.exec(select(Event).where(Event.case_id == case.id)))
        moved = _moved_due(self.bureau, deadline, rule)
        if moved is None:
            return day
        try:
            apply(self.bureau, case.ref, "deadline_recomputed", actor=ACTOR, internal=True,
                  on=max(self.today, last_day), data={"kind": deadline.kind, "due": moved.isoformat(),
                                                      "previous_due": deadline.due.isoformat()})
        except (EventNotAllowed, InvalidInput, ConcurrentChange):
            return None  # another sweep moved it, or the case moved on: the next sweep looks again
        new_day = timer_on(rule, moved, region, self.bureau.calendar)
        return new_day if new_day is not None and new_day <= self.today else None

    def _apply_timer(self, deadline_id: int, day: date) -> None:
        day = self._with_current_calendar(deadline_id, day)
        if day is None:
            return
        with self.bureau.db.session() as session:
            deadline = session.get(Deadline, deadline_id)
            case = session.get(Case, deadline.case_id)
            rule = DEADLINE_RULE_BY_KIND[deadline.kind]
            history = history_of(session, case)
            # A timer a correction withdrew does not count: its deadline, open again, may lapse again.
            already = any((e.data.get("timer") or {}).get("deadline_id") == deadline.id for e in timeline(history))
            last_day = max(e.occurred_on for e in history)
            officer = owner_of(history)  # the history just read: who carries the case
        result = {"ref": case.ref, "deadline": deadline.kind, "on": day.isoformat()}
        if not already:
            count = _count(rule, deadline, self.bureau.calendar)
            explanation = {
                "deadline_id": deadline.id, "deadline": deadline.kind, "started_on": deadline.starts_on.isoformat(),
                "due": deadline.due.isoformat(), "rule": f"{count} {rule.unit}", "basis": rule.basis,
                "policy": self._policy(rule),
            }
            note = _("Applied by the reminder job: {label}, {count} {unit} from {start}, was due {due}; {policy}.") \
                .format(label=_(rule.label), count=count, unit=term("unit", rule.unit),
                        start=deadline.starts_on.isoformat(),
                        due=deadline.due.isoformat(), policy=self._policy(rule))
            for event in rule.timers:
                def notice(session, _case, row, event=event):
                    self._record(session, case, deadline, rule, "timer", True, officer, applied=event)

                try:
                    try:  # on its own day, before what was recorded since if that still fits
                        apply(self.bureau, case.ref, event, actor=ACTOR, on=day, note=note, timer=explanation,
                              on_recorded=notice)
                    except (LateEntryRefused, LaterEventConflict):  # the record allows it only after its last event
                        apply(self.bureau, case.ref, event, actor=ACTOR, on=last_day, note=note, timer=explanation,
                              on_recorded=notice)
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
                    commit_ignoring_duplicates(session)

    def _record_budget(self, session, case: Case, window, window_day: date, key: str) -> None:
        officer = owner_of(history_of(session, case))
        recipients = [f"officer:{officer}"] + [f"opd:{name}" for name in self.config.contacts.opd]
        with speaking(self.region.language):
            subject, body = compose_budget(case, window, window_day, self.today)
        self._add(session, Reminder(key=key, case_id=case.id, kind=window.name, step="budget", due=window_day,
                                    recipients=recipients, subject=subject, body=body), case)

    def _record(self, session, case: Case, deadline: Deadline, rule: DeadlineRule, step: str, escalated: bool,
                officer: str, applied: str | None = None, replaces: list[str] = ()) -> None:
        earlier = supersede(session, deadline.id)  # not sent yet (this sweep's, or one that stopped): said here
        replaces = [r.subject for r in earlier] + list(replaces)
        with speaking(self.region.language):
            subject, body = compose(case, deadline, rule, step, self.today, self.bureau.calendar, applied, replaces)
        recipients = [f"officer:{officer}"] + (["head_of_bureau"] if escalated else [])
        self._add(session, Reminder(key=f"deadline:{deadline.id}:{step}", case_id=case.id, deadline_id=deadline.id,
                                    kind=deadline.kind, step=step, due=deadline.due, escalated=escalated or any(
                                        r.escalated for r in earlier), recipients=recipients, subject=subject,
                                    body=body), case)

    def _add(self, session, reminder: Reminder, case: Case) -> None:
        record(session, reminder, self.now, self.config.channels)
        self.report.recorded.append(self._summary_of(reminder))
        if "email" in self.config.channels:  # nobody to write to is said, not passed over
            missing = [r for r in reminder.recipients if not address_of(self.config.contacts, r)]
            if missing:
                self.report.unaddressed.append({"key": reminder.key, "ref": case.ref,
                                                "recipients": missing})

    def _summary(self, case: Case, deadline: Deadline, step: str, on: date) -> dict:
        return {"ref": case.ref, "kind": deadline.kind, "step": step, "due": deadline.due.isoformat(),
                "step_on": on.isoformat()}

    def _summary_of(self, reminder: Reminder) -> dict:
        return {"key": reminder.key, "kind": reminder.kind, "step": reminder.step, "due": reminder.due.isoformat(),
                "recipients": reminder.recipients, "subject": reminder.subject}


def _moved_due(bureau: Bureau, deadline: Deadline, rule: DeadlineRule) -> date | None:
    """The due date of a working-day deadline under today's calendar, when a holiday decreed since moved it."""
    if rule.unit != "working_days" or not isinstance(rule.length, int):
        return None
    due = due_date(rule, deadline.starts_on, rule.length, bureau.calendar)
    return due if due != deadline.due else None


def _count(rule: DeadlineRule, deadline: Deadline, calendar) -> int:
    """How many of the rule's units lie between the deadline's start and its due date."""
    if rule.unit == "working_days":
        return calendar.working_days_between(deadline.starts_on, deadline.due)
    if rule.unit == "days":
        return (deadline.due - deadline.starts_on).days
    between = relativedelta(deadline.due, deadline.starts_on)
    return between.years * 12 + between.months if rule.unit == "months" else between.years


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO date or date and time; without an offset the sweep reads it in the region's time zone."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("--now {value} is not a date or time; write 2026-06-27 or 2026-06-27T07:30+07:00.")
                           .format(value=value)) from None
