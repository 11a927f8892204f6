"""The deployment's config file (TOML).

Region identity and procedure policies live in the database (``kerjasama init``); this file holds
what an administrator edits by hand on the machine, today the working-day overrides::

    [calendar]
    # a local holiday or a cuti bersama decree newer than the holidays package
    holidays = { 2026-04-24 = "Hari jadi Kota Padang" }
    # a national cuti bersama day the region works anyway
    working_days = [2026-12-24]
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workflow.errors import ConfigError
from workflow.i18n import _


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    extra_holidays: dict[date, str] = field(default_factory=dict)
    extra_working_days: frozenset[date] = frozenset()


def load_config(path: Path | None) -> Config:
    """Read the config file at ``path``; no path, or a default path that does not exist, is an empty config.

    :raises ConfigError: the file is not valid TOML or a value has the wrong type.
    """
    if path is None or not path.exists():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(_("Cannot read the config file {path}: {error}.").format(path=path, error=err)) from err
    calendar = raw.get("calendar", {})
    holidays = calendar.get("holidays", {})
    working_days = calendar.get("working_days", [])
    if not isinstance(holidays, dict) or not isinstance(working_days, list):
        raise ConfigError(_("In {path}, [calendar] holidays must be a table of date = \"name\" and working_days "
                            "a list of dates.").format(path=path))
    extra_holidays = {_as_date(key, path): str(name) for key, name in holidays.items()}
    extra_working = frozenset(_as_date(value, path) for value in working_days)
    return Config(path, extra_holidays, extra_working)


def _as_date(value: object, path: Path) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(_("In {path}, {value!r} is not a date; write it as YYYY-MM-DD.")
                          .format(path=path, value=value)) from None
