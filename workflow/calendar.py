"""Working days of the Indonesian government.

A working day is Monday to Friday (Perpres 21/2023) that is neither a national holiday nor a
*cuti bersama* day, both taken from the ``holidays`` package (categories ``public`` and
``government``), with the region's own overrides from the config file: extra holidays (a local
holiday, a new cuti bersama decree) and extra working days (a cuti bersama day cancelled).

Importing the package and computing a year (lunar and Chinese calendars) takes about a tenth of a
second, more than a whole command's own work; so the CLI keeps each computed year in a small cache
file (:class:`HolidayCache`), which an upgraded ``holidays`` package discards.
"""
from __future__ import annotations

import importlib.util
import json
import os
from contextlib import suppress
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path


class WorkingCalendar:
    """Working-day arithmetic for one region.

    :param extra_holidays: region holidays, date to name.
    :param extra_working_days: dates that are working days even if the national calendar
        says otherwise.
    """

    def __init__(self, extra_holidays: dict[date, str] | None = None,
                 extra_working_days: set[date] | frozenset[date] = frozenset(), cache: Path | None = None):
        self._holidays = None  # the holidays package is imported only for a year the cache does not hold
        self._cache = HolidayCache(cache) if cache else None
        self._extra_holidays = dict(extra_holidays or {})
        self._extra_working_days = frozenset(extra_working_days)

    @lru_cache(maxsize=64)
    def _national(self, year: int) -> dict[date, str]:
        """National holidays and cuti bersama days of ``year``, date to name."""
        days = self._cache.get(year) if self._cache else None
        if days is None:
            if self._holidays is None:
                from holidays.countries.indonesia import Indonesia

                self._holidays = Indonesia(categories=("public", "government"))
            date(year, 1, 1) in self._holidays  # noqa: B015 - a lookup makes the package compute that year
            days = {day: name for day, name in self._holidays.items() if day.year == year}
            if self._cache:
                self._cache.put(year, days)
        return days

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on ``day``, or None."""
        if day in self._extra_working_days:
            return None
        return self._extra_holidays.get(day) or self._national(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_working_days:
            return True
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (before it when ``count`` is negative); day 1 is the first
        working day after it.

        This is how "within 45 working days from receiving" is counted (PP 28/2018 Pasal 30
        ayat (4)): the day of receipt itself is not counted, whether or not it is a working day.
        Reminders count back the same way ("3 working days before").
        """
        if count == 0:
            raise ValueError("count must not be 0")
        step = timedelta(days=1 if count > 0 else -1)
        day = start
        for _n in range(abs(count)):
            day += step
            while not self.is_working_day(day):
                day += step
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

        Counted as weekdays minus the days off that fall on weekdays, so a deadline years overdue costs
        no more than one due tomorrow.
        """
        if end < start:
            return -self.working_days_between(end, start)
        weeks, rest = divmod((end - start).days, 7)
        weekdays = weeks * 5 + sum(1 for n in range(1, rest + 1) if (start + timedelta(days=n)).weekday() < 5)
        exceptions = sum(self._weekday_exceptions(year).get(day, 0)
                         for year in range(start.year, end.year + 1)
                         for day in self._weekday_exceptions(year) if start < day <= end)
        return weekdays + exceptions

    @lru_cache(maxsize=64)
    def _weekday_exceptions(self, year: int) -> dict[date, int]:
        """Days of ``year`` off the weekday rule: -1 a weekday off, +1 a weekend day worked."""
        candidates = set(self._national(year))
        candidates |= {d for d in self._extra_holidays if d.year == year}
        candidates |= {d for d in self._extra_working_days if d.year == year}
        days = {}
        for day in candidates:
            weekday_rule = day.weekday() < 5
            if weekday_rule != self.is_working_day(day):
                days[day] = -1 if weekday_rule else 1
        return days


class HolidayCache:
    """National holidays by year in a JSON file, for the years already computed on this machine.

    The file records the installed ``holidays`` package's version, read from its metadata directory's
    name without importing it; another version (a new cuti bersama decree) makes every year computed
    afresh. A missing, unreadable or unwritable file only costs the computation.
    """

    def __init__(self, path: Path):
        self.path = path
        self._file: dict | None = None

    @staticmethod
    def package_version() -> str | None:
        """The installed package's metadata directory name, e.g. holidays-0.109.dist-info; None if unsure."""
        spec = importlib.util.find_spec("holidays")
        if spec is None or not spec.origin:
            return None
        found = [path.name for path in Path(spec.origin).parent.parent.glob("holidays-*.dist-info")]
        return found[0] if len(found) == 1 else None

    def _load(self) -> dict:
        if self._file is None:
            version = self.package_version()
            try:
                found = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found = {}
            usable = (isinstance(found, dict) and found.get("holidays") == version
                      and isinstance(found.get("years"), dict))
            self._file = found if usable else {"holidays": version, "years": {}}
        return self._file

    def get(self, year: int) -> dict[date, str] | None:
        days = self._load()["years"].get(str(year))
        if not isinstance(days, dict):
            return None
        try:
            return {date.fromisoformat(day): str(name) for day, name in days.items()}
        except (TypeError, ValueError):
            return None

    def put(self, year: int, days: dict[date, str]) -> None:
        file = self._load()
        if file["holidays"] is None:
            return
        file["years"][str(year)] = {day.isoformat(): name for day, name in sorted(days.items())}
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(file, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(partial, self.path)  # readers see the old file or the new one, never half of one
        except OSError:
            with suppress(OSError):
                partial.unlink()
