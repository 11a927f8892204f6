"""Action plans after signing: activities and evaluations (workflow/actions.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field

from db.models import Table


class Activity(Table, table=True):
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
    spent: int | None = Field(default=None, sa_type=BigInteger)  # what it cost when done, in rupiah; None: unknown
    budget_source: str  # apbd_opd, partner, central, other
    output: str
    indicator: str
    status: str = "planned"  # planned, proposed, budgeted, done, cancelled
    added_on: date
    proposed_on: date | None = None
    budgeted_on: date | None = None
    done_on: date | None = None
    cancelled_on: date | None = None


class Evaluation(Table, table=True):
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
    figures: dict | None = Field(default=None, sa_column=Column(JSON))  # workflow/benefits.py; None before 0011
