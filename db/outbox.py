"""The reminder outbox: reminders recorded once, and their deliveries (workflow/reminders/outbox.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field

from db.models import Table, utcnow
from db.types import AwareDateTime


class Reminder(Table, table=True):
    """An outbox row: one reminder, recorded once (unique ``key``) before any delivery."""

    __tablename__ = "reminders"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)  # e.g. "deadline:12:before:3wd" or "budget:2026:kua_ppas_submission:case:7"
    case_id: int = Field(foreign_key="cases.id", index=True)
    deadline_id: int | None = Field(default=None, foreign_key="deadlines.id")
    kind: str
    step: str
    due: date
    escalated: bool = False
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str
    body: str
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Delivery(Table, table=True):
    """One channel's delivery of a reminder; retried with back-off until it is sent."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("reminder_id", "channel", name="uq_delivery_reminder_channel"),
                      Index("ix_deliveries_status_next_attempt", "status", "next_attempt_at"))

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminders.id", index=True)
    channel: str  # console, log or email
    status: str = "pending"  # pending, sending, sent, failed; superseded: a later reminder of the sweep stands for it
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=AwareDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_error: str | None = None
