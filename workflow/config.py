"""The deployment's config file (TOML): what an administrator edits by hand on the machine.

Region identity and procedure policies live in the database (``kerjasama init``). Every key this module reads is in
the commented file ``kerjasama config init`` writes (workflow/config_template.py), with its default and what it
does. ``load_config`` refuses a file with problems, listing them all; ``config_problems`` lists them, one line each,
and adds what only this machine can tell: a file or folder the config names that is not there.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from workflow.errors import ConfigError
from workflow.i18n import _

CHANNELS = ("console", "log", "email")
STEP = re.compile(r"^([1-9]\d{0,2})(wd|d|m)$")  # 1 to 999: 0 would remind on one day forever


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None
    sender: str
    ca_file: str | None = None  # the certificate authority of a server with its own (self-signed) certificate


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
KEYS = {  # the tables a config file may have and the keys of each; anything else is reported, as a typo would be
    "calendar": ("holidays", "working_days"),
    "reminders": ("channels", "log_file", "catch_up_days", "steps"),
    "smtp": ("host", "port", "security", "user", "password", "password_env", "from", "ca_file"),
    "contacts": ("head_of_bureau", "officers", "opd"),
    "scheduler": ("cron",),
    "budget_calendar": ("lead_days", "windows"),
    "letters": ("templates", "paper", "bilingual_layout", "classification", *LETTER_TEXT_KEYS),
    "documents": ("folder",),
}


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
    documents_folder: Path | None = None  # where archived files are kept; None: in the database (workflow/documents.py)


DEFAULT = Config()  # the defaults are the dataclasses' own: a file only says what differs


def load_config(path: Path | None) -> Config:
    """Read the config file at ``path``; no path, or a default path that does not exist, is an empty config.

    :raises ConfigError: the file is not valid TOML, or has problems (wrong types, values the reminder job could
        not use, unknown keys): one error listing them all, each with its line.
    """
    if path is None or not path.exists():
        return Config()
    config, reader = _read(path)
    if reader.problems:
        raise ConfigError(reader.report())
    return config


def config_problems(path: Path) -> tuple[Config | None, list[str]]:
    """The config file at ``path`` as far as it can be read (None when it cannot be read at all), and every problem
    of it, one line each naming its key (``path:line: [smtp] port ...``): what load_config refuses, and the files and
    folders it names that are not on this machine."""
    try:
        config, reader = _read(path)
    except ConfigError as err:
        return None, [str(err)]
    _files(config, reader)
    return config, [f"{path}:{line}: {problem}" if line else f"{path}: {problem}" for line, problem in reader.sorted()]


def _files(config: Config, reader: _Reader) -> None:
    """What the file names that the machine lacks: found only when the program uses it, which may be at night."""
    letters = config.letters
    reader.check(not letters.templates or letters.templates.is_dir(), ("letters", "templates"),
                 _("[letters] templates: the folder {path} does not exist").format(path=letters.templates))
    for key in ("emblem_national", "emblem_region"):
        value = getattr(letters, key)
        reader.check(not value or Path(value).expanduser().is_file(), ("letters", key),
                     _("[letters] {key}: the image {path} does not exist").format(key=key, path=value))
    folder = config.log_file.expanduser().parent if config.log_file else None
    reader.check(not folder or folder.is_dir(), ("reminders", "log_file"),
                 _("[reminders] log_file: the folder {path} does not exist").format(path=folder))
    reader.check(not config.documents_folder or config.documents_folder.is_dir(), ("documents", "folder"),
                 _("[documents] folder: the folder {path} does not exist").format(path=config.documents_folder))
    ca_file = config.smtp.ca_file if config.smtp else None
    reader.check(not ca_file or Path(ca_file).expanduser().is_file(), ("smtp", "ca_file"),
                 _("[smtp] ca_file: the file {path} does not exist").format(path=ca_file))
    smtp = reader.raw.get("smtp")
    variable = smtp.get("password_env") if isinstance(smtp, dict) else None
    reader.check(not isinstance(variable, str) or variable in os.environ, ("smtp", "password_env"),
                 _("[smtp] password_env: the environment variable {name} is not set here").format(name=variable))


def _read(path: Path) -> tuple[Config, _Reader]:
    """The config of the file at ``path`` and the reader that noted its problems.

    :raises ConfigError: the file cannot be read or is not TOML.
    """
    import tomllib  # here, not at the top: most machines have no config file, and every command starts here

    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(_("Cannot read the config file {path}: {error}.").format(path=path, error=err)) from err
    reader = _Reader(path, text, raw)
    reader.known(raw, (), (*KEYS, "language"))
    smtp = _smtp(raw, reader)
    budget = reader.table(raw, ("budget_calendar",), KEYS["budget_calendar"])
    folder = reader.text(reader.table(raw, ("documents",), KEYS["documents"]), ("documents", "folder"))
    folder = (path.parent / Path(folder).expanduser()).resolve() if folder else None  # relative: beside the file
    config = Config(
        path=path, **_calendar(raw, reader), **_reminders(raw, reader, smtp), smtp=smtp, documents_folder=folder,
        contacts=_contacts(raw, reader), cron=_cron(reader.table(raw, ("scheduler",), KEYS["scheduler"]), reader),
        budget_lead_days=reader.number(budget, ("budget_calendar", "lead_days"), DEFAULT.budget_lead_days, 365,
                                       _("[budget_calendar] lead_days must be a whole number from 0 to 365")),
        budget_windows=_windows(budget, reader), letters=_letters(raw, reader), language=_language(raw, reader))
    return config, reader


def _calendar(raw: dict, reader: _Reader) -> dict:
    where = ("calendar",)
    table = reader.table(raw, where, KEYS["calendar"])
    holidays = reader.texts(table, (*where, "holidays"), _("[calendar] holidays must be a table of date = \"name\""))
    working = reader.typed(table, (*where, "working_days"), list, [],
                           _("[calendar] working_days must be a list of dates"))
    days = {key: _as_date(key, (*where, "holidays", key), reader) for key in holidays}
    return {"extra_holidays": {days[key]: name for key, name in holidays.items() if days[key]},
            "extra_working_days": frozenset(filter(None, (_as_date(value, (*where, "working_days"), reader)
                                                          for value in working)))}


def _reminders(raw: dict, reader: _Reader, smtp: Smtp | None) -> dict:
    from workflow.procedure import DEADLINE_RULE_BY_KIND

    where = ("reminders",)
    table = reader.table(raw, where, KEYS["reminders"])
    at = (*where, "channels")
    channels = tuple(reader.typed(table, at, list, list(DEFAULT.channels), _("[reminders] channels must be a list")))
    for channel in channels:
        reader.check(channel in CHANNELS, at, _("[reminders] channels: {value} is not one of {allowed}")
                     .format(value=channel, allowed=", ".join(CHANNELS)))
    reader.check("email" not in channels or smtp, at, _("[reminders] the email channel needs an [smtp] table"))
    log_file = reader.text(table, (*where, "log_file"))
    reader.check("log" not in channels or table.get("log_file"), (*where, "log_file"),
                 _("[reminders] the log channel needs log_file"))
    one_table = _("[reminders.steps] must hold one table per deadline kind")
    steps = reader.table(table, (*where, "steps"), sorted(DEADLINE_RULE_BY_KIND), one_table)
    for kind in steps:
        at = (*where, "steps", kind)
        _plan(reader.table(steps, at, ("before", "on_due", "overdue_every"), one_table), at, reader)
    return {"channels": channels, "log_file": Path(log_file) if log_file else None, "steps": steps,
            "catch_up_days": reader.number(table, (*where, "catch_up_days"), DEFAULT.catch_up_days, 365,
                                           _("[reminders] catch_up_days must be a whole number from 0 to 365"))}


def _plan(plan: dict, where: tuple, reader: _Reader) -> None:
    """One deadline kind's steps: ``before`` a list of steps, ``on_due`` true or false, ``overdue_every`` a step
    ("" for no reminders once overdue)."""
    table = ".".join(where)
    before = reader.typed(plan, (*where, "before"), list, [], _("[{table}] before must be a list of steps, such as "
                                                                "[\"10wd\", \"3wd\"]").format(table=table))
    reader.typed(plan, (*where, "on_due"), bool, True, _("[{table}] on_due must be true or false").format(table=table))
    offsets = [("before", offset) for offset in before]
    offsets += [("overdue_every", plan["overdue_every"])] if plan.get("overdue_every", "") != "" else []
    for key, offset in offsets:
        reader.check(isinstance(offset, str) and STEP.match(offset), (*where, key),
                     _("[{table}] {key}: {value!r} is not a step; write 1 to 999 followed by wd (working days), "
                       "d (days) or m (months), such as 10wd, 7d or 3m").format(table=table, key=key, value=offset))


def _smtp(raw: dict, reader: _Reader) -> Smtp | None:
    where = ("smtp",)
    table = reader.table(raw, where, KEYS["smtp"])
    if not table:
        return None
    reader.check(table.get("host") and table.get("from"), where, _("[smtp] needs host and from"))
    text = {key: reader.text(table, (*where, key), None)
            for key in ("host", "from", "user", "password", "password_env", "ca_file")}
    security = table.get("security", "starttls")
    reader.check(security in ("starttls", "ssl", "none"), (*where, "security"),
                 _("[smtp] security must be starttls, ssl or none"))
    port = reader.number(table, (*where, "port"), 465 if security == "ssl" else 587, 65535,
                         _("[smtp] port must be a whole number from 1 to 65535"), low=1)
    password = os.environ.get(text["password_env"]) if text["password_env"] else text["password"]
    return Smtp(text["host"], port, security, text["user"], password, text["from"], text["ca_file"])


def _contacts(raw: dict, reader: _Reader) -> Contacts:
    where = ("contacts",)
    table = reader.table(raw, where, KEYS["contacts"])
    return Contacts(reader.text(table, (*where, "head_of_bureau"), None), reader.texts(table, (*where, "officers")),
                    reader.texts(table, (*where, "opd")))


def _cron(table: dict, reader: _Reader) -> str:
    where = ("scheduler", "cron")
    cron = reader.typed(table, where, str, DEFAULT.cron, _("[scheduler] cron must be a crontab line"))
    if cron != DEFAULT.cron:
        from apscheduler.triggers.cron import CronTrigger

        try:
            trigger = CronTrigger.from_crontab(cron, timezone=timezone.utc)
        except ValueError as err:
            reader.problem(where, _("[scheduler] cron {cron!r} is not a crontab line: {error}.")
                           .format(cron=cron, error=err))
        else:  # "0 7 30 2 *" is a valid line for a day that never comes: the job would never run
            reader.check(trigger.get_next_fire_time(None, datetime.now(timezone.utc)), where,
                         _("[scheduler] cron {cron!r} never runs; check its day and month").format(cron=cron))
    return cron


def _windows(budget: dict, reader: _Reader) -> dict[str, str]:
    """Each window's "MM-DD"; the sweep makes a date of it in every year, so 02-29 would break three years in four."""
    from workflow.procedure import BUDGET_WINDOWS

    where = ("budget_calendar", "windows")
    windows = reader.table(budget, where, [window.name for window in BUDGET_WINDOWS],
                           _("[budget_calendar] windows must be a table"))
    for name, value in windows.items():
        if value == "02-29":
            reader.problem((*where, name), _("[budget_calendar] windows.{name}: \"02-29\" is not a day in most "
                                             "years; use \"02-28\" or \"03-01\"").format(name=name))
            continue
        try:  # 2001: a year without 29 February
            valid = bool(re.fullmatch(r"\d\d-\d\d", value) and date(2001, int(value[:2]), int(value[3:])))
        except (TypeError, ValueError):
            valid = False
        reader.check(valid, (*where, name), _("[budget_calendar] windows.{name} must be a day of the year written "
                                              "\"MM-DD\", such as \"07-14\"").format(name=name))
    return windows


def _language(raw: dict, reader: _Reader) -> str | None:
    value = raw.get("language")
    valid = reader.check(value in (None, "id", "en"), ("language",), _("language must be \"id\" or \"en\""))
    return value if valid else None


def _letters(raw: dict, reader: _Reader) -> Letters:
    where = ("letters",)
    table = reader.table(raw, where, KEYS["letters"])
    texts = {key: reader.text(table, (*where, key)) for key in (*LETTER_TEXT_KEYS, "templates") if key in table}
    reader.check(table.get("paper", DEFAULT.letters.paper) in ("A4", "F4"), (*where, "paper"),
                 _("[letters] paper must be A4 or F4"))
    reader.check(table.get("bilingual_layout", DEFAULT.letters.bilingual_layout) in ("columns", "sequential"),
                 (*where, "bilingual_layout"), _("[letters] bilingual_layout must be columns or sequential"))
    reader.check(texts.get("head_acting", "") in ("", "Plt.", "Pj.", "Plh.", "Pjs."), (*where, "head_acting"),
                 _("[letters] head_acting must be empty or one of Plt., Pj., Plh., Pjs."))
    pattern = texts.get("number_pattern", DEFAULT.letters.number_pattern)
    try:  # as workflow.letters.context.letter_number fills it, for a draft ("…") and a registered letter
        [pattern.format(classification="000.3", sequence=sequence, unit="", year=2026) for sequence in ("…", 1)]
    except (LookupError, ValueError, AttributeError, TypeError):
        reader.problem((*where, "number_pattern"),
                       _("[letters] number_pattern {pattern!r} cannot be filled in; it may use {{classification}}, "
                         "{{sequence}}, {{unit}} and {{year}}").format(pattern=pattern))
    templates = texts.pop("templates", "")
    return Letters(templates=Path(templates).expanduser() if templates else None,
                   paper=table.get("paper", DEFAULT.letters.paper),
                   bilingual_layout=table.get("bilingual_layout", DEFAULT.letters.bilingual_layout),
                   classification=DEFAULT.letters.classification | reader.texts(table, (*where, "classification")),
                   **texts)


def _as_date(value: object, where: tuple, reader: _Reader) -> date | None:
    """A date written as a TOML date or as "YYYY-MM-DD"; anything else is a problem, and None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        reader.problem(where, _("[{table}] {key}: {value!r} is not a date; write it as YYYY-MM-DD")
                       .format(table=where[0], key=".".join(where[1:]), value=str(value)))
        return None


class _Reader:
    """Takes values out of the parsed file, noting every problem with its line instead of stopping at the first.

    ``where`` is a key's path, ("smtp", "port"); a value of the wrong type is noted and its default used instead.
    """

    def __init__(self, path: Path, text: str, raw: dict):
        self.path, self.lines, self.raw, self.problems = path, _key_lines(text), raw, []

    def problem(self, where: tuple, message: str) -> None:
        line = next((self.lines[where[:n]] for n in range(len(where), 0, -1) if where[:n] in self.lines), None)
        self.problems.append((line, message))  # a key not in the file, or in an inline table: its table's line

    def check(self, condition, where: tuple, message: str) -> bool:
        if not condition:
            self.problem(where, message)
        return bool(condition)

    def sorted(self) -> list[tuple[int | None, str]]:
        return sorted(dict.fromkeys(self.problems), key=lambda problem: problem[0] or 0)

    def report(self) -> str:
        problems = self.sorted()
        head = _("1 problem in {path}:") if len(problems) == 1 else _("{count} problems in {path}:")
        return "\n  ".join([head.format(count=len(problems), path=self.path)] + [
            _("line {line}, {problem}").format(line=line, problem=problem) if line else problem
            for line, problem in problems])

    def typed(self, table: dict, where: tuple, kind: type, default, message: str):
        if where[-1] not in table:
            return default
        value = table[where[-1]]
        right = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        return value if self.check(right, where, message) else default

    def number(self, table: dict, where: tuple, default: int, high: int, message: str, low: int = 0) -> int:
        value = self.typed(table, where, int, default, message)
        return value if self.check(low <= value <= high, where, message) else default

    def text(self, table: dict, where: tuple, default: str | None = "") -> str | None:
        return self.typed(table, where, str, default,
                          _("[{table}] {key} must be text").format(table=".".join(where[:-1]), key=where[-1]))

    def table(self, parent: dict, where: tuple, allowed=None, message: str | None = None) -> dict:
        """The TOML table at ``where`` (empty when absent or of another shape); keys not ``allowed`` are noted."""
        value = self.typed(parent, where, dict, {}, message or _("[{name}] must be a table")
                           .format(name=".".join(where)))
        if allowed is not None:
            self.known(value, where, allowed)
        return value

    def texts(self, parent: dict, where: tuple, message: str | None = None) -> dict[str, str]:
        """A table of text values, such as officers' addresses."""
        table = self.table(parent, where, message=message)
        return {key: value for key, value in table.items() if self.text(table, (*where, key), None) is not None}

    def known(self, table: dict, where: tuple, allowed) -> None:
        message = (_("[{table}] {key} is not a known key; use one of {allowed}") if where
                   else _("{key} is not a known table or key; use one of {allowed}"))
        for key in [key for key in table if key not in allowed]:
            self.problem((*where, key), message.format(table=".".join(where), key=key, allowed=", ".join(allowed)))


# tomllib gives no line numbers: the lines of keys are found in the text. A key is bare, "quoted" or 'literal'.
_KEY = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[\w-]+)"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(#.*)?$")  # [table] or [[array of tables]]
_ASSIGNMENT = re.compile(rf"\s*({_DOTTED})\s*=")  # key = ..., "a key" = ..., dotted.key = ...


def _key_lines(text: str) -> dict[tuple, int]:
    """The line of each key path written in ``text``: ("smtp", "port") -> 14, a table's path -> its header's line.

    A table opened only by a longer header or dotted key ([reminders.steps.x] opens [reminders]) gets that line.
    """
    lines, table, in_string = {}, (), False
    for number, line in enumerate(text.splitlines(), 1):
        header, assignment = _HEADER.match(line), _ASSIGNMENT.match(line)
        if not in_string and (header or assignment):
            path = _parts(header[1]) if header else table + _parts(assignment[1])
            table = path if header else table
            for n in range(1, len(path)):
                lines.setdefault(path[:n], number)
            lines[path] = number
        if (line.count('"""') + line.count("'''")) % 2:  # a multi-line string opens or closes: skip its lines
            in_string = not in_string
    return lines


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part[1:-1] if part[0] in "\"'" else part for part in re.findall(_KEY, dotted))
