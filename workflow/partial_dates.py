"""Dates known to the day, the month or only the year, as old registers and officers write them (``2009-04-17``,
``17 April 2009``, ``17-04-2009``, ``2009-04``, ``April 2009``, ``2009``), and how they read in Indonesian."""
from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
# Day, month, year in figures, one separator throughout: 01-12-2026, 1/12/2026, 01.12.2026; or month and year: 12-2026.
NUMERIC_DATE = re.compile(r"^(?:(\d{1,2})([-/.]))?(\d{1,2})([-/.])(\d{4})$")
# With the month in words: 1 Desember 2026, 1 Des. 2026, Desember 2026, 1 December 2026.
WORDED_DATE = re.compile(r"^(?:(\d{1,2}) )?([^\W\d_]+)\.? (\d{4})$")
# Spellings officers use that Babel's Indonesian and English month names lack.
MONTH_VARIANTS = {"agt": 8, "ags": 8, "sept": 9, "nop": 11, "nopember": 11, "pebruari": 2, "peb": 2}


class NoSuchDay(ValueError):
    """A date written in a known form that is not in the calendar (31 Juni 2026)."""


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


SOURCED = re.compile(r"^\s*(?P<date>[^()]*?)\s*(?:\((?P<source>[^()]*)\))?\s*$")


def sourced_date(text: str) -> tuple[PartialDate, str] | None:
    """``2001-05 (city site)``: a partial date with the source that gives it (may be empty); None if not a date."""
    found = SOURCED.match(text)
    try:
        day = partial_date(found["date"]) if found else None
    except ValueError:
        return None
    return (day, (found["source"] or "").strip()) if day else None


@functools.lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Month names and abbreviations, lower case, to their numbers: Babel's Indonesian and English ones and
    :data:`MONTH_VARIANTS`."""
    from babel.dates import get_month_names

    names = dict(MONTH_VARIANTS)
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            names.update((name.lower().rstrip("."), number)
                         for number, name in get_month_names(width, locale=locale).items())
    return names


def partial_date(text: str) -> PartialDate | None:
    """A date as people write it, known to the day, the month or only the year; an empty text is None.

    - ISO: ``2026-12-01``, ``2026-12`` (month) or ``2026`` (year);
    - figures, always day-month-year (the Indonesian order, never month first), with one of ``-``, ``/`` or ``.``
      throughout: ``01-12-2026``, ``1-12-2026``, ``1/12/2026``, ``01.12.2026``; and month-year ``12-2026`` or
      ``12/2026`` (month). A four-digit group says which end is the year: ``2026-12`` is December 2026 as much as
      ``12-2026``; two-digit years are refused;
    - the month in words, Indonesian or English, whole or abbreviated (Babel's names and :data:`MONTH_VARIANTS`):
      ``1 Desember 2026``, ``1 Des 2026``, ``1 December 2026``, ``Desember 2026`` (month).

    Case and extra spaces do not matter.

    :raises NoSuchDay: a date in one of these forms that is not in the calendar (``31 Juni 2026``, ``2026-13``).
    :raises ValueError: anything else.
    """
    written = " ".join((text or "").split())
    if not written:
        return None
    lowered = written.lower()
    if found := PARTIAL_DATE.match(lowered):
        year, month, day = found.groups()
    elif (found := NUMERIC_DATE.match(lowered)) and found[2] in (None, found[4]):
        day, _separator, month, _separator, year = found.groups()
    elif (found := WORDED_DATE.match(lowered)) and found[2] in month_numbers():
        day, month, year = found[1], str(month_numbers()[found[2]]), found[3]
    else:
        raise ValueError(written)
    if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= calendar.monthrange(
            int(year), int(month))[1] or int(year) < 1:
        raise NoSuchDay(written)
    first = date(int(year), int(month or 1), int(day or 1))
    return PartialDate(first, "day" if day else "month" if month else "year")
