"""What every workflow function works with: the database and the region's working-day calendar."""
from __future__ import annotations

import getpass
from dataclasses import dataclass, field
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
    identify: bool = False  # record the login as who entered each fact (the CLI); a library caller names it
    _login: str | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, db: Database, config: Config, holiday_cache: Path | None = None) -> "Bureau":
        return cls(db, WorkingCalendar(config.extra_holidays, config.extra_working_days, holiday_cache))

    def recorder(self, given: str | None) -> tuple[str, dict]:
        """Who records a fact, and the data that says on whose behalf.

        Identified, the actor is the login: PostgreSQL's ``session_user`` (the role the officer signed in with,
        which the database itself vouches for) or, on SQLite, the operating system's login; a name given with
        ``--as`` is kept as ``on_behalf_of`` beside it. Otherwise the name given is the actor.
        """
        if not self.identify:
            return given or getpass.getuser(), {}
        if self._login is None:
            self._login = self.db.login()
        return self._login, ({"on_behalf_of": given} if given and given != self._login else {})

    def today(self, region) -> date:
        """Today in the region's time zone (WIB, WITA or WIT)."""
        zone = ZoneInfo(region.timezone)
        return (self.clock.astimezone(zone) if self.clock else datetime.now(zone)).date()
