"""The outbox of reminders: a reminder is recorded with one delivery per channel, then each delivery is sent once.

Recording and sending are apart so that a crash between them loses nothing. A delivery is claimed
before it is sent (status ``sending``, with a lease), so two sweeps at once never send the same one;
a claim older than the lease was lost with its process and is taken again. Leases are read on the real clock at
the moment of the claim, not the sweep's ``now`` (which may be given, or be minutes old by then), and renewed while
the message is being sent, so a slow mail server never lets another sweep take a message in flight. A failed
delivery is retried on later sweeps with a back-off that doubles from ``FIRST_RETRY`` up to ``LONGEST_RETRY``.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
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


def record(session, reminder: Reminder, now: datetime, channels: Iterable[str]) -> None:
    """Add ``reminder`` and one pending delivery of it per channel; the caller commits. A reminder whose key is
    taken raises at the flush: another sweep recorded it at the same moment, and the caller's transaction (the
    claim on the deadline, or the timer's event) is rolled back."""
    reminder.recorded_at = now
    session.add(reminder)
    session.flush()
    for channel in channels:
        session.add(Delivery(reminder_id=reminder.id, channel=channel, next_attempt_at=now))


def supersede(session, deadline_id: int) -> list[Reminder]:
    """Leave unsent the deliveries of the deadline's reminders that no sweep has taken yet, and return those
    reminders: the one being recorded stands for them (one message per deadline, however many steps and timers
    a sweep, or sweeps at once, went through)."""
    pending = select(Delivery.reminder_id).where(Delivery.status == "pending")
    waiting = list(session.exec(select(Reminder).where(Reminder.deadline_id == deadline_id,
                                                       Reminder.id.in_(pending)).order_by(Reminder.id)))
    if waiting:
        session.exec(update(Delivery).where(Delivery.reminder_id.in_([r.id for r in waiting]),
                                            Delivery.status == "pending")
                     .values(status="superseded").execution_options(synchronize_session=False))
    return waiting


def recorded_before(session, key: str) -> bool:
    """A reminder of this key was recorded by an earlier sweep (a calendar change can move a deadline's due date
    so that a step it already reached comes again)."""
    return session.exec(select(Reminder.id).where(Reminder.key == key)).first() is not None


def commit_ignoring_duplicates(session) -> None:
    """Commit what was recorded, or nothing when a reminder's key is already taken."""
    try:
        session.commit()
    except IntegrityError:  # another sweep recorded the same reminders at the same moment
        session.rollback()


def deliver(bureau: Bureau, now: datetime, channels: dict[str, Channel], report: SweepReport,
            lease: timedelta = LEASE) -> None:
    """Deliver every delivery that is due on a channel of this process, each claimed before it is sent.

    :param now: the sweep's moment: a delivery is due when its next attempt has come by then.
    :param lease: how long a claim holds unless renewed; it is renewed every third of it while sending.
    """
    with bureau.db.session() as session:
        waiting = session.exec(select(Delivery.id).where(Delivery.channel.in_(list(channels)),
                                                         _due(now, _clock(), lease)).order_by(Delivery.id)).all()
    for delivery_id in waiting:
        claim = _clock()
        with bureau.db.session() as session:
            # The claim re-checks that the delivery is still due: another sweep may have sent it meanwhile.
            claimed = session.exec(
                update(Delivery).where(Delivery.id == delivery_id, _due(now, claim, lease))
                .values(status="sending", claimed_at=claim, attempts=Delivery.attempts + 1)
                .execution_options(synchronize_session=False))
            session.commit()
            if claimed.rowcount != 1:
                continue
            delivery = session.get(Delivery, delivery_id)
            reminder = session.get(Reminder, delivery.reminder_id)
            attempts = delivery.attempts
        with _held(bureau, delivery_id, claim, lease) as held:
            try:
                channels[delivery.channel].deliver(reminder)
            except Exception as err:  # noqa: BLE001 - any failure of a channel is recorded and retried
                error = (str(err).strip().splitlines() or [type(err).__name__])[0]
                retry = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)
                values = {"status": "failed", "last_error": error, "next_attempt_at": now + retry}
                report.failed.append({"key": reminder.key, "channel": delivery.channel, "error": error,
                                      "attempts": attempts,
                                      "next_attempt_at": (now + retry).isoformat(timespec="minutes")})
            else:
                values = {"status": "sent", "sent_at": _clock(), "last_error": None}
                report.sent.append({"key": reminder.key, "channel": delivery.channel})
        with bureau.db.session() as session:  # only while the claim is still this sweep's
            session.exec(update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "sending",
                                                Delivery.claimed_at == held.claim).values(**values)
                         .execution_options(synchronize_session=False))
            session.commit()
    with bureau.db.session() as session:
        unsent = ("pending", "sending", "failed")
        report.pending = len(session.exec(select(Delivery.id).where(Delivery.status.in_(unsent))).all())


def _clock() -> datetime:
    return datetime.now(timezone.utc)


def _due(now: datetime, clock: datetime, lease: timedelta):
    """Deliveries whose attempt has come by the sweep's ``now``, and claims that ran out by the real ``clock``."""
    return or_(Delivery.status.in_(("pending", "failed")) & (Delivery.next_attempt_at <= now),
               (Delivery.status == "sending") & (Delivery.claimed_at < clock - lease))


@dataclass
class _Claim:
    claim: datetime


@contextmanager
def _held(bureau: Bureau, delivery_id: int, claim: datetime, lease: timedelta):
    """Renew the claim on the delivery every third of the lease while the block sends it; yields the current claim."""
    held, stop = _Claim(claim), threading.Event()

    def renew():
        while not stop.wait(lease.total_seconds() / 3):
            renewed = _clock()
            with bureau.db.session() as session:
                moved = session.exec(update(Delivery).where(Delivery.id == delivery_id, Delivery.status == "sending",
                                                            Delivery.claimed_at == held.claim)
                                     .values(claimed_at=renewed).execution_options(synchronize_session=False))
                session.commit()
            if moved.rowcount != 1:
                return
            held.claim = renewed

    renewer = threading.Thread(target=renew, daemon=True)
    renewer.start()
    try:
        yield held
    finally:
        stop.set()
        renewer.join()
