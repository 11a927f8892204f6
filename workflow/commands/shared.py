"""What the commands share: the context object of one invocation, common options, and output helpers."""
from __future__ import annotations

import functools
import json
import os
from datetime import date, datetime, time
from pathlib import Path

import click
from platformdirs import user_cache_dir, user_config_dir, user_data_dir

from workflow.i18n import _

DEFAULT_DB = Path(user_data_dir("kerjasama")) / "kerjasama.db"
DEFAULT_CONFIG = Path(user_config_dir("kerjasama")) / "config.toml"


class Day(click.ParamType):
    """A day as people write it (``5 Maret 2014``, ``05-03-2014``, ``2014-03-05``; see
    :func:`workflow.partial_dates.partial_date`), as a datetime at midnight like click's DateTime gave."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        found = _written_date(self, value, param, ctx, _(
            "write e.g. 5 Maret 2014, 05-03-2014, 5/3/2014 or 2014-03-05 (day, month, year)"))
        if found.precision != "day":
            self.fail(_("{value} is a month or a year; give the day, e.g. 5 Maret 2014").format(value=value),
                      param, ctx)
        return datetime.combine(found.day, time())


DATE = Day()


class FactDate(click.ParamType):
    """The day a fact happened, or only its month or year when that is all that is known."""

    name = "YYYY-MM-DD|YYYY-MM|YYYY"

    def convert(self, value, param, ctx):
        if hasattr(value, "precision"):
            return value
        return _written_date(self, value, param, ctx, _(
            "write e.g. 5 Maret 2014, 05-03-2014, 5/3/2014 or 2014-03-05 (day, month, year), or Maret 2014, "
            "03-2014, 2014-03 or 2014 when only the month or the year is known"))


def _written_date(kind: click.ParamType, value, param, ctx, forms: str):
    from workflow.partial_dates import NoSuchDay, partial_date

    try:
        found = partial_date(value)
    except NoSuchDay:
        kind.fail(_("{value} is not in the calendar").format(value=value), param, ctx)
    except ValueError:
        found = None
    if found is None:
        kind.fail(_("{value} is not a date; {forms}").format(value=value, forms=forms), param, ctx)
    return found


class Rupiah(click.ParamType):
    """An amount of whole rupiah as people write it: ``350000000``, ``350.000.000``, ``Rp 350.000.000,00``,
    ``350 juta``, ``1,5 miliar`` (see :func:`workflow.money.parse_rupiah`)."""

    name = "RUPIAH"

    def convert(self, value, param, ctx):
        from workflow.money import parse_rupiah

        if isinstance(value, int):
            return value
        try:
            return parse_rupiah(value)
        except ValueError as reason:
            self.fail(_("{value} is not an amount of rupiah: {reason}; write e.g. 350000000, 350.000.000, "
                        "Rp 350.000.000,00, 350 juta or 1,5 miliar").format(value=value, reason=reason), param, ctx)


class App:
    """Settings of one invocation; the database handle is built on first use."""

    def __init__(self, db_url: str, config_path: Path):
        self.db_url = db_url
        self.config_path = config_path
        self.read_only = False  # set by @pass_reader: the command only reads the database
        self._bureau = None
        self._config = None

    @property
    def config(self):
        if self._config is None:
            from workflow.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    @property
    def bureau(self):
        if self._bureau is None:
            from db.session import Database
            from workflow.bureau import Bureau

            self._bureau = Bureau.from_config(Database(self.db_url, read_only=self.read_only), self.config,
                                              Path(user_cache_dir("kerjasama")) / "holidays.json")
            self._bureau.identify = True  # facts entered on the command line are recorded under the login
            self._bureau.db.ensure_schema()
        return self._bureau

    def on_database(self, db_url: str) -> App:
        """The same settings on another database (the demo's)."""
        return App(db_url, self.config_path)

    def close(self) -> None:
        if self._bureau is not None:
            self._bureau.db.dispose()


pass_app = click.make_pass_decorator(App)


def pass_reader(f):
    """``pass_app`` for a command that only reads: it opens the database read-only and never upgrades its schema, so
    it works on a copy the user may not write (an auditor's) and cannot change what it reports on."""
    @click.pass_context
    def reader(ctx, *args, **kwargs):
        app = ctx.find_object(App)
        app.read_only = True
        return ctx.invoke(f, app, *args, **kwargs)
    return functools.update_wrapper(reader, f)


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")


def _writable(ctx, param, path: Path | None) -> Path | None:
    """Refuse an output path that cannot be written, before any work is done (a letter's number taken, a report
    built)."""
    if path is None:
        return None
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.BadParameter(_("the folder {folder} does not exist.").format(folder=folder))
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise click.BadParameter(_("{path} is not a plain file.").format(path=path))
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise click.BadParameter(_("{path} cannot be written here.").format(path=path))
    return path


output_option = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), callback=_writable,
                             help="Write to this file instead of standard output.")


class AlsoDated(click.ParamType):
    """Another day a source gives for a fact, with the source: ``2001-05 (city site)``."""

    name = "DATE (SOURCE)"

    def convert(self, value, param, ctx):
        from workflow.partial_dates import sourced_date

        dated = sourced_date(value)
        if dated is None:
            self.fail(_("{value} is not a date with its source; write \"2001-05-17 (city site)\"").format(
                value=value), param, ctx)
        return {"date": dated[0].shown(), "source": dated[1]}


also_dated_option = click.option(
    "--also-dated", "also_dated", multiple=True, type=AlsoDated(), metavar="\"DATE (SOURCE)\"",
    help="Another day a source gives for it, e.g. --also-dated \"2001-05 (city site)\"; kept beside --on.")


def on_option(help_text: str = "Day it happened (YYYY-MM-DD); default today."):
    return click.option("--on", type=DATE, help=help_text)


def fact_date_option(help_text: str = "Day it happened (YYYY-MM-DD), or its month or year when only that is "
                                      "known; default today."):
    return click.option("--on", type=FactDate(), help=help_text)


def actor_option(f):
    return click.option("--as", "actor", default=lambda: os.environ.get("KERJASAMA_ACTOR"),
                        show_default="$KERJASAMA_ACTOR", metavar="NAME",
                        help="On whose behalf you enter it; your login (PostgreSQL role or system login) is recorded "
                             "as who entered it.")(f)


def as_date(value) -> date | None:
    """The day of an --on option: a date, or the first day of a month or year known only to that."""
    if value is None:
        return None
    return value.day if hasattr(value, "precision") else value.date()


def precision_of(value) -> str:
    return getattr(value, "precision", "day")


def emit_json(document) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def key_values(items: tuple[str, ...]) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a dict."""
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(_("write KEY=VALUE, e.g. term_years=5"), param_hint="--set")
        pairs[key.strip()] = value
    return pairs


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


def write_output(data: bytes, output: Path | None, fmt: str) -> None:
    if output:
        output.write_bytes(data)
        return click.echo(_("Wrote {path}").format(path=output), err=True)
    stream = click.get_binary_stream("stdout")
    if fmt == "pdf" and stream.isatty():
        raise click.UsageError(_("A PDF goes to a file: give -o PATH."))
    stream.write(data)


def days_left(deadline: dict) -> str:
    """The distance of a listed deadline in words."""
    from workflow.deadlines import left_text

    text = left_text(deadline["days_left"], deadline["day_unit"] == "working")
    if deadline.get("precision", "day") != "day":  # counted from a date known only to its month or year
        text += " " + {"month": _("(from a month)"), "year": _("(from a year)")}[deadline["precision"]]
    return text
