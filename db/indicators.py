"""Indicators of what an agreement brings, their targets and the values recorded against them
(workflow/indicators.py)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field

from db.models import Table


class Indicator(Table, table=True):
    """An indicator of an agreement or of one of its activities, as the events that carry its number left it.

    Figures are kept as the decimals they were written as (``"12.50"``), so no value loses or gains precision."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("case_id", "number", name="uq_indicator_case_number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    number: int  # 1, 2, ... within the case
    code: str  # a code of workflow/data/indicators.csv, or the bureau's own
    name: str | None = None  # the bureau's own name; None: the catalogue's
    unit: str
    activity_number: int | None = None  # the action-plan activity it measures; None: the agreement
    baseline: str | None = None
    baseline_year: int | None = None
    targets: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # year: figure
    added_on: date


class IndicatorValue(Table, table=True):
    """A value recorded for an indicator and a year; a later one for the same year replaces it in the figures, and
    both stay on record."""

    __tablename__ = "indicator_values"

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicators.id", index=True)
    event_id: int = Field(foreign_key="events.id")
    year: int
    value: str
    measured_on: date  # the day the figure was established (the event's day)
    precision: str = "day"  # day, month or year of measured_on
    source: str  # where the figure comes from: a report, an OPD's data, a survey
    document_sha256: str | None = None  # an archived document that proves it (kerjasama doc)
