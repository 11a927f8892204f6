"""The tables. They hold facts; the rules that change them live in workflow/."""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import AwareDateTime


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Region(SQLModel, table=True):
    """The one region this database serves, and its procedure settings."""

    __tablename__ = "region"

    id: int = Field(default=1, primary_key=True)
    name: str
    level: str  # provinsi, kabupaten or kota
    province: str
    head_title: str  # Gubernur, Bupati, Wali Kota
    council_silence: str = "deemed_approval"  # or "escalate"
    timezone: str = "Asia/Jakarta"
    dormancy_months: int = 12
    loi_validity_months: int = 60
    signing_report_days: int = 30
    loi_lapse: bool = False  # the reminder job records loi_expired when an LoI's validity ends
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Partner(SQLModel, table=True):
    """A foreign regional government or institution."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("name", "country", name="uq_partner_name_country"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    country: str  # ISO 3166 alpha-2
    partner_type: str  # see workflow.eligibility.PARTNER_TYPES


class Case(SQLModel, table=True):
    """One cooperation case; ``state`` is a projection of its last event."""

    __tablename__ = "cases"

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(unique=True)
    title: str
    kind: str  # ksdpl or ksdll
    partner_id: int = Field(foreign_key="partner.id", index=True)
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(index=True)
    opened_on: date
    level_justification: str | None = None
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Event(SQLModel, table=True):
    """An appended fact of a case's history. Never updated, never deleted."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_event_case_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    seq: int
    name: str
    actor: str
    occurred_on: date
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    from_state: str | None = None
    to_state: str
    note: str | None = None
    doc_number: str | None = None
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    hash: str | None = None  # workflow.audit.seal: this event's content chained to the previous event's hash


class Deadline(SQLModel, table=True):
    """A time limit of a case, with its due date computed once when it opened.

    ``next_action_on`` is the next day the reminder sweep has work on it (a reminder step or
    its timer); the sweep selects by it through an index and moves it forward.
    """

    __tablename__ = "deadlines"
    __table_args__ = (Index("ix_deadlines_status_due", "status", "due"),
                      Index("ix_deadlines_status_next_action", "status", "next_action_on"))

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    kind: str
    starts_on: date
    due: date
    status: str = "open"  # open, met, lapsed, superseded, cancelled
    opened_by_event_id: int = Field(foreign_key="events.id")
    closed_by_event_id: int | None = Field(default=None, foreign_key="events.id")
    closed_on: date | None = None
    next_action_on: date | None = None


class Reminder(SQLModel, table=True):
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


class Delivery(SQLModel, table=True):
    """One channel's delivery of a reminder; retried with back-off until it is sent."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("reminder_id", "channel", name="uq_delivery_reminder_channel"),
                      Index("ix_deliveries_status_next_attempt", "status", "next_attempt_at"))

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminders.id", index=True)
    channel: str  # console, log or email
    status: str = "pending"  # pending, sending, sent, failed
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=AwareDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_error: str | None = None


class LetterCounter(SQLModel, table=True):
    """The last number given in a letter register in a year; numbers restart each calendar year."""

    __tablename__ = "letter_counters"

    register_name: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class Letter(SQLModel, table=True):
    """An issued letter, kept exactly as it was rendered so it can be produced again byte for byte."""

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("register_name", "year", "sequence", name="uq_letter_register_year_sequence"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    event_id: int = Field(foreign_key="events.id")
    template: str
    register_name: str
    year: int
    sequence: int
    number: str = Field(index=True)
    hal: str
    issued_on: date
    issued_by: str
    html: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    pdf: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)


class Activity(SQLModel, table=True):
    """An activity of a case's action plan, as its events left it."""

    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_activity_case_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    title: str
    lead_opd: str = Field(index=True)
    partner_unit: str | None = None
    field: str
    layer: str  # economic, multidimensional, political
    fiscal_year: int
    cost: int = Field(sa_type=BigInteger)  # indicative, in rupiah; billions do not fit 32 bits
    budget_source: str  # apbd_opd, partner, central, other
    output: str
    indicator: str
    status: str = "planned"  # planned, proposed, budgeted, done, cancelled
    added_on: date
    proposed_on: date | None = None
    budgeted_on: date | None = None
    done_on: date | None = None
    cancelled_on: date | None = None


class Evaluation(SQLModel, table=True):
    """A periodic evaluation of an agreement in force, with its recommendation."""

    __tablename__ = "evaluations"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    event_id: int = Field(foreign_key="events.id")
    kind: str  # semester, annual, pre_expiry
    period_from: date
    period_to: date
    planned: int
    done: int
    outputs: str
    indicators: str
    problems: str
    recommendation: str  # continue, amend, extend, terminate
    recorded_on: date
