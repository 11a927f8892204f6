"""What every workflow function works with: the database and the region's working-day calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from db.session import Database
from workflow.calendar import WorkingCalendar
from workflow.config import Config


@dataclass
class Bureau:
    """The cooperation bureau's workplace: its database and calendar, built once per command.

    :param clock: the current time; the system clock unless a caller gives another (``--now``).
    """

    db: Database
    calendar: WorkingCalendar
    clock: datetime | None = None

    @classmethod
    def from_config(cls, db: Database, config: Config, holiday_cache: Path | None = None) -> "Bureau":
        return cls(db, WorkingCalendar(config.extra_holidays, config.extra_working_days, holiday_cache))

    def today(self, region) -> date:
        """Today in the region's time zone (WIB, WITA or WIT)."""
        zone = ZoneInfo(region.timezone)
        return (self.clock.astimezone(zone) if self.clock else datetime.now(zone)).date()
