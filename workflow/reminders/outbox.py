"""The outbox of reminders: a reminder is recorded with one delivery per channel, then each delivery is sent once.

Recording and sending are apart so that a crash between them loses nothing. A sweep claims every delivery due with
one statement (status ``sending``, with a lease) before it sends them one by one, so two sweeps at once never send
the same one: on PostgreSQL a sweep passes over the rows another is claiming at that moment, on SQLite one writes at
a time, and each claims only what is still due when it writes. A claim older than the lease was lost with its process
and is taken again. Leases are read on the real clock at the moment of the claim, not the sweep's ``now`` (which may be
given, or be minutes old by then), and renewed together while the messages are being sent, so a slow mail server never
lets another sweep take a message waiting or in flight. Each result is written as it comes. A failed delivery is
retried on later sweeps with a back-off that doubles from ``FIRST_RETRY`` up to ``LONGEST_RETRY``.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from db.models import Delivery, Reminder
from workflow.bureau import Bureau
from workflow.reminders.channels import Channel

LEASE = timedelta(minutes=15)  # a delivery claimed longer ago than this was lost with its process
FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)


@dataclass
class SweepReport:
    """What one sweep recorded, applied and delivered: ``kerjasama remind --json`` prints ``as_dict()``."""

    now: datetime
    recorded: list[dict] = field(default_factory=list)
    timers: list[dict] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    pending: int = 0
    unaddressed: list[dict] = field(default_factory=list)  # reminders with a recipient [contacts] has no address for

    def as_dict(self) -> dict:
        return {"now": self.now.isoformat(), "recorded": self.recorded, "timers": self.timers, "sent": self.sent,
                "failed": self.failed, "pending": self.pending, "unaddressed": self.unaddressed}


def record(session, reminder: Reminder, now: datetime, channels: Iterable[str], hold: datetime | None = None) -> None:
    """Add ``reminder`` and one pending delivery of it per channel; the caller commits. A reminder whose key is
    taken raises at the flush: another sweep recorded it at the same moment, and the caller's transaction (the
    claim on the deadline, or the timer's event) is rolled back.

    :param hold: when given, no sweep takes the deliveries before then, unless :func:`release` lets them go first.
    """
    reminder.recorded_at = now
    session.add(reminder)
    session.flush()
    for channel in channels:
        session.add(Delivery(reminder_id=reminder.id, channel=channel, next_attempt_at=hold or now))


def release(session, reminder_ids: list[int], now: datetime) -> int:
    """Let the held deliveries of these reminders that are still pending go at ``now``; how many."""
    if not reminder_ids:
        return 0
    return session.exec(update(Delivery).where(Delivery.reminder_id.in_(reminder_ids), Delivery.status == "pending")
                        .values(next_attempt_at=now).execution_options(synchronize_session=False)).rowcount


def record_new(session, reminder: Reminder, now: datetime, channels: Iterable[str]) -> bool:
    """Add ``reminder`` and its deliveries as :func:`record` does, unless its key is taken (another sweep recorded it,
    perhaps at this moment): then add nothing, and leave the caller's transaction as it was. Whether it was added."""
    reminder.recorded_at = now
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    values = {column.key: getattr(reminder, column.key) for column in Reminder.__table__.columns if column.key != "id"}
    reminder.id = session.exec(insert(Reminder).values(values).on_conflict_do_nothing(index_elements=["key"])
                               .returning(Reminder.id)).scalar()
    if reminder.id is None:
        return False
    for channel in channels:
        session.add(Delivery(reminder_id=reminder.id, channel=channel, next_attempt_at=now))
    return True


def unsent(session, deadline_id: int) -> list[Reminder]:
    """The deadline's reminders whose deliveries no sweep has taken yet."""
    pending = select(Delivery.reminder_id).where(Delivery.status == "pending")
    return list(session.exec(select(Reminder).where(Reminder.deadline_id == deadline_id,
                                                    Reminder.id.in_(pending)).order_by(Reminder.id)))


def supersede(session, deadline_id: int) -> list[Reminder]:
    """Leave unsent the deliveries of the deadline's reminders that no sweep has taken yet, and return those
    reminders: the one being recorded stands for them (one message per deadline, however many steps and timers
    a sweep, or sweeps at once, went through)."""
    waiting = unsent(session, deadline_id)
    if waiting:
        session.exec(update(Delivery).where(Delivery.reminder_id.in_([r.id for r in waiting]),
                                            Delivery.status == "pending")
                     .values(status="superseded").execution_options(synchronize_session=False))
    return waiting


def recorded_before(session, key: str) -> bool:
    """A reminder of this key was recorded by an earlier sweep (a calendar change can move a deadline's due date
    so that a step it already reached comes again)."""
    return session.exec(select(Reminder.id).where(Reminder.key == key)).first() is not None


@dataclass
class _Taken:
    """A delivery this sweep claimed, with its reminder."""

    id: int
    channel: str
    attempts: int
    reminder: Reminder


def deliver(bureau: Bureau, now: datetime, channels: dict[str, Channel], report: SweepReport,
            lease: timedelta = LEASE, order: Iterable[str] = ()) -> None:
    """Deliver every delivery that is due on a channel of this process: all claimed at once, then sent one by one.

    :param now: the sweep's moment: a delivery is due when its next attempt has come by then.
    :param lease: how long a claim holds unless renewed; it is renewed every third of it while sending.
    :param order: the keys of this sweep's reminders in the order they were recorded, which their messages keep;
        deliveries of earlier sweeps go first.
    """
    taken, claim = _claim(bureau, now, list(channels), lease)
    if taken:
        position = {key: n for n, key in enumerate(order)}
        taken.sort(key=lambda t: (position.get(t.reminder.key, -1), t.id))
        with _held(bureau, claim, lease) as held:
            for delivery in taken:
                _send(bureau, now, channels[delivery.channel], delivery, held, report)
    with bureau.db.session() as session:
        report.pending = session.exec(select(func.count()).select_from(Delivery)
                                      .where(Delivery.status.in_(("pending", "sending", "failed")))).one()


def _send(bureau: Bureau, now: datetime, channel: Channel, delivery: _Taken, held: _Claim,
          report: SweepReport) -> None:
    """Send one delivery claimed, and write what came of it while the claim is still this sweep's."""
    reminder = delivery.reminder
    try:
        channel.deliver(reminder)
    except Exception as err:  # noqa: BLE001 - any failure of a channel is recorded and retried
        error = (str(err).strip().splitlines() or [type(err).__name__])[0]
        retry = min(FIRST_RETRY * 2 ** min(delivery.attempts - 1, 20), LONGEST_RETRY)  # 2 ** 40 days overflow
        values = {"status": "failed", "last_error": error, "next_attempt_at": now + retry}
        report.failed.append({"key": reminder.key, "channel": delivery.channel, "error": error,
                              "attempts": delivery.attempts,
                              "next_attempt_at": (now + retry).isoformat(timespec="minutes")})
    else:
        values = {"status": "sent", "sent_at": _clock(), "last_error": None}
        report.sent.append({"key": reminder.key, "channel": delivery.channel})
    with held.lock, bureau.db.session() as session:
        session.exec(update(Delivery).where(Delivery.id == delivery.id, Delivery.status == "sending",
                                            Delivery.claimed_at == held.claim).values(**values)
                     .execution_options(synchronize_session=False))
        session.commit()


def _claim(bureau: Bureau, now: datetime, channels: list[str], lease: timedelta) -> tuple[list[_Taken], datetime]:
    """Claim every delivery due on ``channels`` with one statement, on the real clock; what was claimed, and the
    claim. Nothing is written when nothing is due."""
    claim = _clock()
    if not channels:
        return [], claim
    with bureau.db.session() as session:
        if session.exec(select(Delivery.id).where(Delivery.channel.in_(channels), _due(now, claim, lease))
                        .limit(1)).first() is None:
            return [], claim
        claim = _clock()
        due = Delivery.channel.in_(channels) & _due(now, claim, lease)
        # The claim re-checks that each delivery is still due: another sweep may have sent or claimed it meanwhile.
        # On PostgreSQL it passes over the rows another sweep is claiming at this moment (SKIP LOCKED), which that
        # sweep takes; SQLite has no row locks and needs none: its writes come one at a time.
        taking = select(Delivery.id).where(due).with_for_update(skip_locked=True)
        rows = session.exec(update(Delivery).where(Delivery.id.in_(taking), due)
                            .values(status="sending", claimed_at=claim, attempts=Delivery.attempts + 1)
                            .returning(Delivery.id, Delivery.reminder_id, Delivery.channel, Delivery.attempts)
                            .execution_options(synchronize_session=False)).all()
        if not rows:
            return [], claim  # nothing to commit: the session rolls back
        session.commit()
        reminders = {row.reminder_id: session.get(Reminder, row.reminder_id) for row in rows}
    return [_Taken(row.id, row.channel, row.attempts, reminders[row.reminder_id]) for row in rows], claim


def _clock() -> datetime:
    return datetime.now(timezone.utc)


def _due(now: datetime, clock: datetime, lease: timedelta):
    """Deliveries whose attempt has come by the sweep's ``now``, and claims that ran out by the real ``clock``."""
    return or_(Delivery.status.in_(("pending", "failed")) & (Delivery.next_attempt_at <= now),
               (Delivery.status == "sending") & (Delivery.claimed_at < clock - lease))


@dataclass
class _Claim:
    claim: datetime
    lock: threading.Lock = field(default_factory=threading.Lock)  # held while the claim is renewed or a result written


@contextmanager
def _held(bureau: Bureau, claim: datetime, lease: timedelta):
    """Renew the claim on the deliveries this sweep is still sending every third of the lease while the block sends
    them; yields the current claim."""
    held, stop = _Claim(claim), threading.Event()

    def renew():
        while not stop.wait(lease.total_seconds() / 3):
            with held.lock:
                renewed = _clock()
                with bureau.db.session() as session:
                    moved = session.exec(update(Delivery).where(Delivery.status == "sending",
                                                                Delivery.claimed_at == held.claim)
                                         .values(claimed_at=renewed).execution_options(synchronize_session=False))
                    session.commit()
                if moved.rowcount == 0:
                    return  # all sent, or the claims lost
                held.claim = renewed

    renewer = threading.Thread(target=renew, daemon=True)
    renewer.start()
    try:
        yield held
    finally:
        stop.set()
        renewer.join()
