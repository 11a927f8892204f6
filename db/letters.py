"""The letter register: numbers by register and year, and issued letters (workflow/letters/register.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary, Text
from sqlmodel import Field

from db.models import Table, utcnow
from db.types import AwareDateTime


class LetterCounter(Table, table=True):
    """The last number given in a printed series in a year (``000.3/{sequence}/Kerja Sama``: the number pattern with
    its classification and unit); numbers restart each calendar year."""

    __tablename__ = "letter_counters"

    register_name: str = Field(primary_key=True)  # the series (before 0007: the template's register)
    year: int = Field(primary_key=True)
    last: int = 0


class Letter(Table, table=True):
    """An issued letter, kept exactly as it was rendered so it can be produced again byte for byte."""

    __tablename__ = "letters"

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
