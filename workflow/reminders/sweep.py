"""One reminder sweep: the deadline reminders and budget-window reminders that have come, and the timers due.

For every open Deadline whose ``next_action_on`` has come (selected through an index, so the cost
grows with what is due, not with the number of cases), the sweep records the reminder steps that fell
due since the last sweep (each once: unique key per deadline and step) and applies the deadline's timer
through :func:`workflow.engine.apply` as the actor ``scheduler``. For every yearly budget window
(BUDGET_WINDOWS of workflow/procedure.py, PP 12/2019) whose reminder date has come, it records one
reminder per case whose action plan is not yet budgeted. Then it delivers the outbox
(workflow/reminders/outbox.py).

The sweep writes in rounds. A round reads what is due and composes its reminders first, then writes them in one
short transaction: each deadline's ``next_action_on`` moved on if it is still the one read, the reminder standing for
its steps due with its deliveries, and the budget reminders not recorded yet. A failure rolls the whole round back,
and the next sweep records it; a round with nothing to write writes nothing. The timers the round reached are then
applied through the engine, one transaction per event, and what comes after them makes the next round: the steps
past a timer's day, and the case's deadlines due after it, which the timer may have closed. The budget reminders go
with the last round. A reminder that a timer's notice, or the step after it, is to stand for is held back until then.

Every write is guarded by the row it changes (the deadline's ``next_action_on``, the reminder's unique key, the
case's version), so two sweeps at once record each reminder once and apply each timer once.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import partial
from typing import Callable
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from db.models import Case, Deadline, Event, Reminder
from workflow.bureau import Bureau
from workflow.config import Config
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
from workflow.reminders.outbox import (LEASE, SweepReport, deliver, record, record_new, recorded_before, release,
                                       supersede, unsent)
from workflow.reminders.steps import moved_due, next_step_on, steps_between, timer_on, units_between
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
    _Work(bureau, config, region, now, today, report, dry_run).run(due_ids)
    if not dry_run:
        deliver(bureau, now, channels, report, lease, order=[r["key"] for r in report.recorded])
    return report


@dataclass
class _Part:
    """What the sweep did for one deadline (or for the budget windows), reported in the order they were due."""

    recorded: list[dict] = field(default_factory=list)
    timers: list[dict] = field(default_factory=list)
    unaddressed: list[dict] = field(default_factory=list)


@dataclass
class _Plan:
    """What one deadline needs written: its ``next_action_on`` moved from ``read`` to ``following`` (only while it is
    still ``read``), the reminder standing for its steps due, then its timer of ``timer_day`` applied."""

    deadline_id: int
    read: date
    following: date | None
    open: bool = True  # False: a deadline the timer closed, only moved past the timer's day
    timer_day: date | None = None
    case: Case | None = None
    reminder: Reminder | None = None
    earlier: list[int] = field(default_factory=list)  # the unsent reminders it stands for, as read
    remake: Callable[[list[Reminder]], Reminder] | None = None  # the reminder, standing for others unsent by then


@dataclass
class _Work:
    bureau: Bureau
    config: Config
    region: object
    now: datetime
    today: date
    report: SweepReport
    dry_run: bool
    parts: dict = field(default_factory=dict)  # deadline id (None: the budget windows) -> _Part
    tried: set = field(default_factory=set)  # (deadline id, timer day): each timer is tried once per sweep
    held: list = field(default_factory=list)  # reminders held back until the round after their timer (_write)

    def run(self, due_ids: list[int]) -> None:
        """Record the steps due, apply the timers due, record the budget reminders; in rounds (module docstring).

        A timer changes its case's other deadlines (closes them, or moves the case where they no longer apply), so
        a case's deadlines due after one whose timer has come wait for the next round, as they wait their turn."""
        self.parts = {deadline_id: _Part() for deadline_id in due_ids} | {None: _Part()}
        turn = {deadline_id: n for n, deadline_id in enumerate(due_ids)}
        work = dict.fromkeys(due_ids)  # deadline id -> the day of the timer just tried, which it is moved past
        while True:
            plans, later, waiting = [], {}, set()
            with self.bureau.db.session() as session:
                for deadline_id, past in work.items():
                    case_id = session.get(Deadline, deadline_id).case_id
                    if case_id in waiting:
                        later[deadline_id] = past
                    elif plan := self._plan(session, deadline_id, past):
                        plans.append(plan)
                        if plan.timer_day is not None:
                            waiting.add(case_id)
            if self.dry_run:
                self._budget()
                break
            timers = [plan for plan in plans if plan.timer_day is not None]
            held, self.held = self.held, []
            written = self._write(plans, [] if timers else self._budget(), held)
            later |= {plan.deadline_id: self._apply_timer(plan.deadline_id, plan.timer_day)
                      for plan in written if plan.timer_day is not None}
            work = dict(sorted(later.items(), key=lambda item: turn[item[0]]))
            if not timers:
                break
        for name in ("recorded", "timers", "unaddressed"):
            setattr(self.report, name, [item for part in self.parts.values() for item in getattr(part, name)])

    def _plan(self, session, deadline_id: int, past: date | None) -> _Plan | None:
        """What the deadline needs written, read and composed outside the transaction that writes it; None for
        nothing. ``past``: the day of a timer just tried, which the write moves the deadline past."""
        deadline = session.get(Deadline, deadline_id)
        read = next_on = deadline.next_action_on
        if past is not None and read == past:
            next_on = past + timedelta(days=1)
        else:
            past = None  # another sweep moved it meanwhile
        if deadline.status != "open" or next_on is None or next_on > self.today:
            return _Plan(deadline_id, read, next_on, open=deadline.status == "open") if past else None
        case = session.get(Case, deadline.case_id)
        rule = DEADLINE_RULE_BY_KIND[deadline.kind]
        calendar = self.bureau.calendar
        since = max(next_on, self.today - timedelta(days=self.config.catch_up_days))
        timer_day = timer_on(rule, deadline.due, self.region, calendar)
        timer_now = timer_day is not None and next_on <= timer_day <= self.today
        if timer_now and (deadline_id, timer_day) in self.tried:
            return None  # its timer came again in this sweep without moving on: the next sweep looks again
        until = timer_day - timedelta(days=1) if timer_now else self.today
        steps = steps_between(deadline.kind, deadline.due, since, until, calendar, self.config)
        if timer_now:
            following = timer_day  # stop at the timer: a crash before it is applied retries it
        else:
            following = next_step_on(deadline.kind, deadline.due, self.today, calendar, self.config)
            if timer_day is not None and timer_day > self.today:
                following = min(filter(None, [following, timer_day]))
        if self.dry_run:
            part = self.parts[deadline_id]
            part.recorded += [self._summary(case, deadline, s.key, s.on) for s in steps[-1:]]
            if timer_now:
                part.timers.append({"ref": case.ref, "deadline": deadline.kind, "on": timer_day.isoformat(),
                                    "events": list(rule.timers), "result": "would try"})
            return None
        plan = _Plan(deadline_id, read, following, timer_day=timer_day if timer_now else None, case=case)
        steps = [s for s in steps if not recorded_before(session, f"deadline:{deadline.id}:{s.key}")]
        if steps:  # after downtime, the most urgent step once, standing for the ones missed before it
            officer = owner_of(history_of(session, case))
            plan.remake = partial(self._reminder, case, deadline, rule, steps[-1].key, any(s.escalated for s in steps),
                                  officer, replaces=[f"{s.key} ({day(s.on)})" for s in steps[:-1]])
            earlier = unsent(session, deadline.id)
            plan.earlier, plan.reminder = [r.id for r in earlier], plan.remake(earlier)
        return plan

    def _write(self, plans: list[_Plan], budget: list[tuple[Reminder, Case]], held: list[int]) -> list[_Plan]:
        """Write ``plans`` and the ``budget`` reminders in one transaction, and let go the ``held`` reminders of the
        round before that no later one stands for; nothing when another sweep took them all. The plans written, in
        their order.

        The reminder of a deadline whose timer comes next is held back, and so is the timer's notice, until the next
        round has written what stands for them: another sweep at the same moment must not send them meanwhile. Should
        this sweep stop before, they go when the lease would have run out."""
        if not plans and not budget and not held:
            return []
        written, recorded = set(), []
        with self.bureau.db.session() as session:
            try:
                released = release(session, held, self.now)
                for plan in sorted(plans, key=lambda p: p.deadline_id):  # every sweep locks rows in one order
                    guard = [Deadline.status == "open"] if plan.open else []
                    moved = session.exec(update(Deadline).where(Deadline.id == plan.deadline_id,
                                                                Deadline.next_action_on == plan.read, *guard)
                                         .values(next_action_on=plan.following)
                                         .execution_options(synchronize_session=False))
                    if moved.rowcount != 1:
                        continue  # another sweep took this deadline at the same moment
                    written.add(plan.deadline_id)
                    if plan.reminder is not None:
                        earlier = supersede(session, plan.deadline_id)  # not sent yet: this one stands for them
                        reminder = plan.reminder if [r.id for r in earlier] == plan.earlier else plan.remake(earlier)
                        record(session, reminder, self.now, self.config.channels,
                               self._hold() if plan.timer_day is not None else None)
                        recorded.append((plan.deadline_id, reminder, plan.case))
                for reminder, case in budget:
                    if record_new(session, reminder, self.now, self.config.channels):
                        recorded.append((None, reminder, case))
                if not written and not recorded and not released:
                    return []  # nothing to commit: the session rolls back
                session.commit()
            except IntegrityError:  # another sweep recorded one of them at the same moment: the next sweep looks
                session.rollback()
                if release(session, held, self.now):
                    session.commit()
                return []
        for key, reminder, case in recorded:
            self._report(self.parts[key], reminder, case)
        self.held = [plan.reminder.id for plan in plans if plan.deadline_id in written and plan.timer_day is not None
                     and plan.reminder is not None]
        return [plan for plan in plans if plan.deadline_id in written]

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
        moved = moved_due(rule, deadline, self.bureau.calendar)
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

    def _apply_timer(self, deadline_id: int, day: date) -> date | None:
        """Apply the deadline's timer of ``day`` (one transaction per event, through the engine); the day the next
        round moves the deadline past, or None when the timer has not come under the current calendar."""
        self.tried.add((deadline_id, day))
        day = self._with_current_calendar(deadline_id, day)
        if day is None:
            return None
        part = self.parts[deadline_id]
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
            count = units_between(rule, deadline, self.bureau.calendar)
            explanation = {
                "deadline_id": deadline.id, "deadline": deadline.kind, "started_on": deadline.starts_on.isoformat(),
                "due": deadline.due.isoformat(), "rule": f"{count} {rule.unit}", "basis": rule.basis,
                "policy": self._policy(rule),
            }
            note = _("Applied by the reminder job: {label}, {count} {unit} from {start}, was due {due}; {policy}.") \
                .format(label=_(rule.label), count=count, unit=term("unit", rule.unit),
                        start=deadline.starts_on.isoformat(),
                        due=deadline.due.isoformat(), policy=self._policy(rule))
            notices = []  # the notice recorded with the event: reported once the event is written
            for event in rule.timers:
                def notice(session, _case, row, event=event):
                    notices[:] = [self._record(session, case, deadline, rule, "timer", True, officer, applied=event)]

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
                for reminder in notices:
                    self._report(part, reminder, case)
                    self.held.append(reminder.id)
                result.update(result="applied", event=event)
                break
            else:
                result["result"] = "refused"
        else:
            result["result"] = "already applied"
        part.timers.append(result)
        return day  # past the timer day: the next round goes on with the steps

    def _policy(self, rule: DeadlineRule) -> str:
        if rule.kind == "dprd_decision":
            return f"council_silence={self.region.council_silence}"
        if rule.timer_setting:
            return f"{rule.timer_setting}={getattr(self.region, rule.timer_setting)}"
        return "automatic"

    def _budget(self) -> list[tuple[Reminder, Case]]:
        """The reminders before each yearly budget window, one per unbudgeted case, not recorded yet (with their
        cases); in a dry run, reported instead."""
        due = []
        with self.bureau.db.session() as session:
            for window in BUDGET_WINDOWS:
                month, day = map(int, self.config.budget_windows.get(window.name, window.date).split("-"))
                window_day = date(self.today.year, month, day)
                if not window_day - timedelta(days=self.config.budget_lead_days) <= self.today <= window_day:
                    continue
                cases = session.exec(select(Case).where(Case.state.in_(UNBUDGETED_STATES)).order_by(Case.id)).all()
                keys = {f"budget:{window_day.year}:{window.name}:case:{c.id}": c for c in cases}
                done = set(session.exec(select(Reminder.key).where(Reminder.key.in_(list(keys)))).all())
                for key, case in keys.items():
                    if key in done:
                        continue
                    if self.dry_run:
                        self.parts[None].recorded.append({"ref": case.ref, "kind": window.name, "step": "budget",
                                                          "due": window_day.isoformat()})
                        continue
                    due.append((self._budget_reminder(session, case, window, window_day, key), case))
        return due

    def _budget_reminder(self, session, case: Case, window, window_day: date, key: str) -> Reminder:
        officer = owner_of(history_of(session, case))
        recipients = [f"officer:{officer}"] + [f"opd:{name}" for name in self.config.contacts.opd]
        with speaking(self.region.language):
            subject, body = compose_budget(case, window, window_day, self.today)
        return Reminder(key=key, case_id=case.id, kind=window.name, step="budget", due=window_day,
                        recipients=recipients, subject=subject, body=body)

    def _reminder(self, case: Case, deadline: Deadline, rule: DeadlineRule, step: str, escalated: bool,
                  officer: str, earlier: list[Reminder], applied: str | None = None,
                  replaces: list[str] = ()) -> Reminder:
        """The reminder of the deadline's ``step``, standing for the ``earlier`` ones not sent yet (this sweep's, or
        one that stopped) and the steps it ``replaces``: one message per deadline, however many steps and timers
        a sweep, or sweeps at once, went through."""
        replaces = [r.subject for r in earlier] + list(replaces)
        with speaking(self.region.language):
            subject, body = compose(case, deadline, rule, step, self.today, self.bureau.calendar, applied, replaces)
        recipients = [f"officer:{officer}"] + (["head_of_bureau"] if escalated else [])
        return Reminder(key=f"deadline:{deadline.id}:{step}", case_id=case.id, deadline_id=deadline.id,
                        kind=deadline.kind, step=step, due=deadline.due,
                        escalated=escalated or any(r.escalated for r in earlier), recipients=recipients,
                        subject=subject, body=body)

    def _record(self, session, case: Case, deadline: Deadline, rule: DeadlineRule, step: str, escalated: bool,
                officer: str, applied: str | None = None) -> Reminder:
        """Record the reminder of ``step`` in ``session`` (the timer's transaction), superseding the unsent ones."""
        reminder = self._reminder(case, deadline, rule, step, escalated, officer, supersede(session, deadline.id),
                                  applied)
        record(session, reminder, self.now, self.config.channels, self._hold())
        return reminder

    def _hold(self) -> datetime:
        """Until when a held reminder waits if this sweep stops before it lets it go: a lease, on the real clock."""
        return max(self.now, datetime.now(timezone.utc)) + LEASE

    def _report(self, part: _Part, reminder: Reminder, case: Case) -> None:
        """Report a reminder recorded; one with a recipient [contacts] has no address for is said, not passed over."""
        part.recorded.append(self._summary_of(reminder))
        if "email" in self.config.channels:
            missing = [r for r in reminder.recipients if not address_of(self.config.contacts, r)]
            if missing:
                part.unaddressed.append({"key": reminder.key, "ref": case.ref, "recipients": missing})

    def _summary(self, case: Case, deadline: Deadline, step: str, on: date) -> dict:
        return {"ref": case.ref, "kind": deadline.kind, "step": step, "due": deadline.due.isoformat(),
                "step_on": on.isoformat()}

    def _summary_of(self, reminder: Reminder) -> dict:
        return {"key": reminder.key, "kind": reminder.kind, "step": reminder.step, "due": reminder.due.isoformat(),
                "recipients": reminder.recipients, "subject": reminder.subject}


def parse_now(value: str | None) -> datetime | None:
    """``--now``: an ISO date or date and time; without an offset the sweep reads it in the region's time zone."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("--now {value} is not a date or time; write 2026-06-27 or 2026-06-27T07:30+07:00.")
                           .format(value=value)) from None
