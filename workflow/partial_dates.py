"""Dates known to the day, the month or only the year, as old registers give them (``2009-04-17``, ``2009-04``,
``2009``), and how they read in Indonesian."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or only the year; ``day`` is the first day of what is known."""

    day: date
    precision: str  # day, month or year

    def shown(self) -> str:
        return {"day": self.day.isoformat(), "month": self.day.isoformat()[:7], "year": str(self.day.year)}[
            self.precision]


def in_indonesian(text: str | None) -> str:
    """A partial date for people: ``3 November 2012``, ``November 2012`` or ``2012``."""
    from babel.dates import format_date

    found = partial_date(text or "")
    if found is None:
        return ""
    pattern = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}[found.precision]
    return format_date(found.day, pattern, locale="id")


SOURCED = re.compile(r"^\s*(?P<date>[\d-]+)\s*(?:\((?P<source>[^()]*)\))?\s*$")


def sourced_date(text: str) -> tuple[PartialDate, str] | None:
    """``2001-05 (city site)``: a partial date with the source that gives it (may be empty); None if not a date."""
    found = SOURCED.match(text)
    try:
        day = partial_date(found["date"]) if found else None
    except ValueError:
        return None
    return (day, (found["source"] or "").strip()) if day else None


def partial_date(text: str) -> PartialDate | None:
    """``2009-04-17``, ``2009-04`` or ``2009``; an empty text is None.

    :raises ValueError: anything else, or a day that does not exist.
    """
    text = (text or "").strip()
    if not text:
        return None
    found = PARTIAL_DATE.match(text)
    if not found:
        raise ValueError(text)
    year, month, day = found.groups()
    try:
        first = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(text) from None
    return PartialDate(first, "day" if day else "month" if month else "year")
