"""The tables. They hold facts; the rules that change them live in workflow/.

This module defines the case record (region, partners, cases, events, deadlines). The tables of the
reminder outbox (db/outbox.py), the letter register (db/letters.py) and action plans
(db/action_plans.py) are defined on first use, and ``from db.models import Letter`` still works:
defining a table is a large part of a command's start-up, and most commands never touch those.
"""
from __future__ import annotations

import importlib
from datetime import date, datetime, timezone

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from pydantic import ConfigDict
from sqlmodel import Field, SQLModel

from db.types import AwareDateTime


class Table(SQLModel):
    """The base of every table. Pydantic builds a table's validator when one is first needed rather than
    at import: table rows are not validated on construction anyway, and every command starts by importing
    the tables."""

    model_config = ConfigDict(defer_build=True)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Region(Table, table=True):
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
    # Days to report an official trip abroad after the return; None: the circular's two weeks (workflow/trips.py),
    # so that the sealed settings of a database set up before this setting existed stay true.
    trip_report_days: int | None = None
    loi_lapse: bool = False  # the reminder job records loi_expired when an LoI's validity ends
    language: str = "id"  # of what the reminder job writes (id or en), whatever the server's locale
    created_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)

    def settings(self) -> dict:
        """The settings ``kerjasama init`` sets, as a change records them (db.models.RegionChange)."""
        return {key: getattr(self, key) for key in REGION_SETTINGS}

    def installation(self) -> str:
        """A short token that tells this database from every other (mail ids, calendar uids): from the region's
        name and the moment it was set up, which no two installations share."""
        import hashlib

        moment = self.created_at.astimezone(timezone.utc).isoformat()
        return hashlib.sha256(f"{self.name}|{moment}".encode("utf-8")).hexdigest()[:10]


REGION_SETTINGS = ("name", "level", "province", "head_title", "council_silence", "timezone", "dormancy_months",
                   "loi_validity_months", "signing_report_days", "loi_lapse", "language", "trip_report_days")


class Partner(Table, table=True):
    """A foreign regional government or institution."""

    __tablename__ = "partner"
    __table_args__ = (UniqueConstraint("name", "country", name="uq_partner_name_country"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str
    country: str  # ISO 3166 alpha-2
    partner_type: str  # see workflow.eligibility.PARTNER_TYPES


class Case(Table, table=True):
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


class Event(Table, table=True):
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
    hash: str | None = None  # workflow.seal.seal: this event's content chained to the previous event's hash


class Deadline(Table, table=True):
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
    precision: str | None = None  # month or year: counted from a date known only to that; None: to the day


class RegionChange(Table, table=True):
    """A change of the region's settings (``kerjasama init``), with all the settings after it: the region row must
    always equal the newest one (``kerjasama audit verify``)."""

    __tablename__ = "region_changes"

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
    settings: dict = Field(sa_column=Column(JSON, nullable=False))
    changed: dict = Field(sa_column=Column(JSON, nullable=False))  # name: [old, new]
    hash: str | None = None  # workflow.seal.region_change_digest


class Seal(Table, table=True):
    """A place in the region's one chain (workflow/seal.py): every event and every settings change, in the order
    they were recorded. ``link`` hashes the previous link with this entry, so removing a whole case, or the newest
    entries, or sealing anything anew changes every link after it, and the head against an anchor printed earlier.
    ``case_digest`` is the case's state and deadline rows after the write that recorded the event."""

    __tablename__ = "seals"

    position: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    event_id: int | None = Field(default=None, foreign_key="events.id", unique=True)
    region_change_id: int | None = Field(default=None, foreign_key="region_changes.id", unique=True)
    digest: str
    case_digest: str | None = None
    link: str


_ELSEWHERE = {"Reminder": "db.outbox", "Delivery": "db.outbox", "LetterCounter": "db.letters", "Letter": "db.letters",
              "Activity": "db.action_plans", "Evaluation": "db.action_plans", "Document": "db.archive",
              "DocumentContent": "db.archive", "Trip": "db.trips", "TripDelegate": "db.trips",
              "Indicator": "db.indicators", "IndicatorValue": "db.indicators"}


def __getattr__(name: str):
    if name not in _ELSEWHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_ELSEWHERE[name]), name)


def all_tables():
    """SQLModel's metadata with every table on it, those defined on first use included (for migrations)."""
    for module in sorted(set(_ELSEWHERE.values())):
        importlib.import_module(module)
    return SQLModel.metadata
