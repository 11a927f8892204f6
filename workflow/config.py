"""The deployment's config file (TOML).

Region identity and procedure policies live in the database (``kerjasama init``); this file holds
what an administrator edits by hand on the machine::

    [calendar]
    holidays = { 2026-04-24 = "Hari jadi Kota Padang" }   # local holiday, or a newer cuti bersama decree
    working_days = [2026-12-24]                           # a cuti bersama day the region works anyway

    [reminders]
    channels = ["console", "log", "email"]                # default: console only
    log_file = "/var/log/kerjasama/reminders.jsonl"
    catch_up_days = 30                                    # after downtime, steps older than this are not sent

    [reminders.steps.dprd_decision]                       # override the default steps of one deadline kind
    before = ["10wd", "3wd"]                              # wd working days, d days, m months
    on_due = true
    overdue_every = "5wd"

    [smtp]
    host = "smtp.padang.go.id"
    port = 587
    security = "starttls"                                 # starttls, ssl or none
    user = "kerjasama"
    password_env = "KERJASAMA_SMTP_PASSWORD"              # or password = "..."
    from = "kerjasama@padang.go.id"

    [contacts]
    head_of_bureau = "kabag.kerjasama@padang.go.id"
    officers = { siti = "siti@padang.go.id" }             # by the name officers record with (--as)
    opd = { "Dinas Pariwisata" = "dispar@padang.go.id" }

    [scheduler]
    cron = "30 7 * * mon-fri"                             # in the region's time zone

    [budget_calendar]
    lead_days = 30                                        # remind OPDs this many days before each window
    windows = { kua_ppas_submission = "07-14" }           # override a window's yearly date (MM-DD)

    [letters]                                             # what letters say about the region
    templates = "/etc/kerjasama/templates"                # your templates; same name overrides a built-in one
    paper = "A4"                                          # or F4
    bilingual_layout = "columns"                          # or "sequential"
    number_pattern = "{classification}/{sequence}/{unit}" # add /{year} if the region prints it
    unit = "Kerja Sama"
    city = "Padang"                                       # place in the date line; "" to leave it out
    head_name = "Dr. H. Fulan, S.H., M.H."                # with academic titles
    head_name_plain = "Fulan"                             # without titles, for acting heads and decrees
    head_acting = ""                                      # "", "Plt.", "Pj." or "Plh."
    sekda_name = "..."                                    # also sekda_rank, sekda_nip
    bureau_name = "Bagian Kerja Sama"                     # also bureau_head_name, bureau_head_rank, bureau_head_nip
    address = "Jalan Bagindo Aziz Chan No. 1, Padang"     # also phone, email, website
    emblem_national = "/etc/kerjasama/garuda.png"         # images for the kop; optional
    emblem_region = "/etc/kerjasama/logo-padang.png"
    [letters.classification]                              # archive codes (Permendagri 83/2022) by letter kind
    default = "000.3"
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workflow.errors import ConfigError
from workflow.i18n import _

CHANNELS = ("console", "log", "email")
STEP = re.compile(r"^([1-9]\d*)(wd|d|m)$")  # 0 would remind on one day forever


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str


@dataclass(frozen=True)
class Contacts:
    head_of_bureau: str | None = None
    officers: dict[str, str] = field(default_factory=dict)
    opd: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Letters:
    """What letters say about the region and how they look; empty strings where the config says nothing."""

    templates: Path | None = None
    paper: str = "A4"
    bilingual_layout: str = "columns"
    number_pattern: str = "{classification}/{sequence}/{unit}"
    unit: str = "Kerja Sama"
    city: str = ""
    head_name: str = ""
    head_name_plain: str = ""
    head_acting: str = ""
    sekda_name: str = ""
    sekda_rank: str = ""
    sekda_nip: str = ""
    bureau_name: str = "Bagian Kerja Sama"
    bureau_head_name: str = ""
    bureau_head_rank: str = ""
    bureau_head_nip: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    emblem_national: str = ""
    emblem_region: str = ""
    classification: dict[str, str] = field(default_factory=lambda: {"default": "000.3"})


LETTER_TEXT_KEYS = ("unit", "city", "head_name", "head_name_plain", "head_acting", "sekda_name", "sekda_rank",
                    "sekda_nip", "bureau_name", "bureau_head_name", "bureau_head_rank", "bureau_head_nip", "address",
                    "phone", "email", "website", "emblem_national", "emblem_region", "number_pattern")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    extra_holidays: dict[date, str] = field(default_factory=dict)
    extra_working_days: frozenset[date] = frozenset()
    channels: tuple[str, ...] = ("console",)
    log_file: Path | None = None
    catch_up_days: int = 30
    steps: dict[str, dict] = field(default_factory=dict)
    smtp: Smtp | None = None
    contacts: Contacts = field(default_factory=Contacts)
    cron: str = "30 7 * * mon-fri"
    budget_lead_days: int = 30
    budget_windows: dict[str, str] = field(default_factory=dict)
    letters: Letters = field(default_factory=Letters)
    language: str | None = None  # id or en; see workflow.i18n.choose_language


DEFAULT = Config()  # the defaults are the dataclasses' own: a file only says what differs


def load_config(path: Path | None) -> Config:
    """Read the config file at ``path``; no path, or a default path that does not exist, is an empty config.

    :raises ConfigError: the file is not valid TOML or a value has the wrong type.
    """
    if path is None or not path.exists():
        return Config()
    import tomllib  # here, not at the top: most machines have no config file, and every command starts here

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(_("Cannot read the config file {path}: {error}.").format(path=path, error=err)) from err
    reader = _Reader(path)
    calendar = reader.table(raw, "calendar")
    holidays = reader.typed(calendar, "holidays", dict, {}, _("[calendar] holidays must be a table of date = \"name\""))
    working = reader.typed(calendar, "working_days", list, [], _("[calendar] working_days must be a list of dates"))
    reminders = reader.table(raw, "reminders")
    channels = tuple(reader.typed(reminders, "channels", list, list(DEFAULT.channels),
                                  _("[reminders] channels must be a list")))
    for channel in channels:
        reader.check(channel in CHANNELS, _("[reminders] channels: {value} is not one of {allowed}")
                     .format(value=channel, allowed=", ".join(CHANNELS)))
    steps = reader.typed(reminders, "steps", dict, {}, _("[reminders.steps] must hold one table per deadline kind"))
    for kind, plan in steps.items():
        reader.check(isinstance(plan, dict), _("[reminders.steps] must hold one table per deadline kind"))
        for offset in list(plan.get("before", [])) + ([plan["overdue_every"]] if plan.get("overdue_every") else []):
            reader.check(isinstance(offset, str) and STEP.match(offset),
                         _("[reminders.steps.{kind}] {value!r} is not a step; write 10wd, 7d or 3m")
                         .format(kind=kind, value=offset))
    log_file = reminders.get("log_file")
    reader.check("log" not in channels or log_file, _("[reminders] the log channel needs log_file"))
    contacts = reader.table(raw, "contacts")
    budget = reader.table(raw, "budget_calendar")
    windows = reader.typed(budget, "windows", dict, {}, _("[budget_calendar] windows must be a table"))
    for name, value in windows.items():
        reader.check(isinstance(value, str) and re.match(r"^\d\d-\d\d$", value),
                     _("[budget_calendar] windows.{name} must be \"MM-DD\"").format(name=name))
    smtp = _smtp(reader.table(raw, "smtp") or None, reader)
    reader.check("email" not in channels or smtp, _("[reminders] the email channel needs an [smtp] table"))
    return Config(
        path=path,
        extra_holidays={_as_date(key, path): str(name) for key, name in holidays.items()},
        extra_working_days=frozenset(_as_date(value, path) for value in working),
        channels=channels,
        log_file=Path(log_file) if log_file else None,
        catch_up_days=reader.typed(reminders, "catch_up_days", int, DEFAULT.catch_up_days,
                                   _("[reminders] catch_up_days must be a number")),
        steps=steps,
        smtp=smtp,
        contacts=Contacts(contacts.get("head_of_bureau"), dict(reader.table(contacts, "officers", "contacts")),
                          dict(reader.table(contacts, "opd", "contacts"))),
        cron=reader.typed(reader.table(raw, "scheduler"), "cron", str, DEFAULT.cron,
                          _("[scheduler] cron must be a crontab line")),
        budget_lead_days=reader.typed(budget, "lead_days", int, DEFAULT.budget_lead_days,
                                      _("[budget_calendar] lead_days must be a number")),
        budget_windows=windows,
        letters=_letters(reader.table(raw, "letters"), reader),
        language=_language(raw.get("language"), reader),
    )


def _language(value, reader: _Reader) -> str | None:
    reader.check(value in (None, "id", "en"), _("language must be \"id\" or \"en\""))
    return value


def _letters(table: dict, reader: _Reader) -> Letters:
    for key in LETTER_TEXT_KEYS:
        reader.check(isinstance(table.get(key, ""), str), _("[letters] {key} must be text").format(key=key))
    reader.check(table.get("paper", DEFAULT.letters.paper) in ("A4", "F4"), _("[letters] paper must be A4 or F4"))
    reader.check(table.get("bilingual_layout", DEFAULT.letters.bilingual_layout) in ("columns", "sequential"),
                 _("[letters] bilingual_layout must be columns or sequential"))
    reader.check(table.get("head_acting", "") in ("", "Plt.", "Pj.", "Plh.", "Pjs."),
                 _("[letters] head_acting must be empty or one of Plt., Pj., Plh., Pjs."))
    classification = reader.typed(table, "classification", dict, {}, _("[letters.classification] must be a table"))
    templates = table.get("templates")
    return Letters(templates=Path(templates).expanduser() if templates else None,
                   paper=table.get("paper", DEFAULT.letters.paper),
                   bilingual_layout=table.get("bilingual_layout", DEFAULT.letters.bilingual_layout),
                   classification=DEFAULT.letters.classification | classification,
                   **{key: table[key] for key in LETTER_TEXT_KEYS if key in table})


class _Reader:
    def __init__(self, path: Path):
        self.path = path

    def check(self, condition, message: str) -> None:
        if not condition:
            raise ConfigError(_("In {path}, {message}.").format(path=self.path, message=message))

    def table(self, parent: dict, key: str, within: str = "") -> dict:
        """The TOML table ``key`` of ``parent`` (empty when absent); a value of another shape is refused."""
        value = parent.get(key, {})
        self.check(isinstance(value, dict), _("[{name}] must be a table").format(name=f"{within}.{key}".strip(".")))
        return value

    def typed(self, table: dict, key: str, kind: type, default, message: str):
        value = table.get(key, default)
        self.check(isinstance(value, kind) and not (kind is int and isinstance(value, bool)), message)
        return value


def _smtp(table: dict | None, reader: _Reader) -> Smtp | None:
    if table is None:
        return None
    reader.check(table.get("host") and table.get("from"), _("[smtp] needs host and from"))
    security = table.get("security", "starttls")
    reader.check(security in ("starttls", "ssl", "none"), _("[smtp] security must be starttls, ssl or none"))
    password = table.get("password")
    if table.get("password_env"):
        password = os.environ.get(table["password_env"])
    port = reader.typed(table, "port", int, 465 if security == "ssl" else 587, _("[smtp] port must be a number"))
    return Smtp(table["host"], port, security, table.get("user"), password, table["from"])


def _as_date(value: object, path: Path) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(_("In {path}, {value!r} is not a date; write it as YYYY-MM-DD.")
                          .format(path=path, value=value)) from None
