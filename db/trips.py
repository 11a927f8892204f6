"""Official trips abroad (perjalanan dinas luar negeri) of a case and their delegations (workflow/trips.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Column, UniqueConstraint
from sqlmodel import Field

from db.models import Table


class Trip(Table, table=True):
    """A trip abroad linked to a case, as the events of the case that carry its number left it."""

    __tablename__ = "trips"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    activity_number: int | None = None  # the action-plan activity it serves, if any
    purpose: str  # a code of workflow/data/trip_purposes.csv
    destination: str  # ISO 3166 alpha-2
    departs_on: date
    returns_on: date  # as planned; returned_on is the day it came back
    working_groups: int = 0
    host_confirmed_on: date | None = None  # the day of the host's official confirmation
    kemlu_recommendation: str | None = None  # number of Kemlu's letter, for a country without relations
    cost: int | None = Field(default=None, sa_type=BigInteger)  # indicative, in rupiah
    status: str = "planned"  # planned, permit_requested, permitted, returned, reported, cancelled
    planned_on: date
    permit_due: date  # the last day to request the President's permit: departure less the purpose's lead days
    permit_requested_on: date | None = None
    permit_granted_on: date | None = None
    permit_number: str | None = None
    returned_on: date | None = None
    report_due: date | None = None  # the return plus the region's days to report, fixed on the return
    reported_on: date | None = None
    report_number: str | None = None
    cancelled_on: date | None = None
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class TripDelegate(Table, table=True):
    """One member of a trip's delegation, in the order the permit request lists them."""

    __tablename__ = "trip_delegates"
    __table_args__ = (UniqueConstraint("trip_id", "position", name="uq_trip_delegate_position"),)

    id: int | None = Field(default=None, primary_key=True)
    trip_id: int = Field(foreign_key="trips.id", index=True)
    position: int
    name: str
    role: str
