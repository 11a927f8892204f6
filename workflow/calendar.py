"""Working days of the Indonesian government.

A working day is Monday to Friday (Perpres 21/2023) that is neither a national holiday nor a
*cuti bersama* day, both taken from the ``holidays`` package (categories ``public`` and
``government``), with the region's own overrides from the config file: extra holidays (a local
holiday, a new cuti bersama decree) and extra working days (a cuti bersama day cancelled).
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache



class WorkingCalendar:
    """Working-day arithmetic for one region.

    :param extra_holidays: region holidays, date to name.
    :param extra_working_days: dates that are working days even if the national calendar
        says otherwise.
    """

    def __init__(self, extra_holidays: dict[date, str] | None = None,
                 extra_working_days: set[date] | frozenset[date] = frozenset()):
        self._holidays = None  # the holidays package takes a tenth of a second to import: only when needed
        self._extra_holidays = dict(extra_holidays or {})
        self._extra_working_days = frozenset(extra_working_days)

    @property
    def _national(self):
        if self._holidays is None:
            from holidays.countries.indonesia import Indonesia

            self._holidays = Indonesia(categories=("public", "government"))
        return self._holidays

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on ``day``, or None."""
        if day in self._extra_working_days:
            return None
        return self._extra_holidays.get(day) or self._national.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_working_days:
            return True
        return day.weekday() < 5 and self.holiday_name(day) is None

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start``; day 1 is the first working day after it.

        This is how "within 45 working days from receiving" is counted (PP 28/2018 Pasal 30
        ayat (4)): the day of receipt itself is not counted, whether or not it is a working day.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
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
        date(year, 1, 1) in self._national  # noqa: B015 - a lookup makes the package compute that year
        candidates = {d for d in self._national if d.year == year}
        candidates |= {d for d in self._extra_holidays if d.year == year}
        candidates |= {d for d in self._extra_working_days if d.year == year}
        days = {}
        for day in candidates:
            weekday_rule = day.weekday() < 5
            if weekday_rule != self.is_working_day(day):
                days[day] = -1 if weekday_rule else 1
        return days
