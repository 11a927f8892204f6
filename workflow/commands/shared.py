"""What the commands share: the context object of one invocation, common options, and output helpers."""
from __future__ import annotations

import functools
import json
import os
import shutil
import sys
import unicodedata
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


JSON_FORMAT = 1  # the version of the envelope below; it changes only when a script would have to change


def envelope(document, error: dict | None = None, command: str | None = None) -> str:
    """The one JSON document every ``--json`` prints (README "JSON output"): which command, whether it did what was
    asked, and what it gives (``data``) or why not (``error``)::

        {"format": 1, "command": "case show", "ok": true, "data": {...}}
        {"format": 1, "command": "case advance", "ok": false, "error": {"message": "...", "exit_code": 1}}
    """
    if command is None:
        ctx = click.get_current_context(silent=True)
        command = " ".join(ctx.command_path.split()[1:]) if ctx else ""
    body = {"error": error} if error else {"data": document}
    return json.dumps({"format": JSON_FORMAT, "command": command, "ok": not error} | body, ensure_ascii=False,
                      indent=2)


def plain(value):
    """``value`` with its dates as ISO text and its keys as text, for JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def emit_json(document) -> None:
    click.echo(envelope(document))


def key_values(items: tuple[str, ...]) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a dict."""
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(_("write KEY=VALUE, e.g. term_years=5"), param_hint="--set")
        pairs[key.strip()] = value
    return pairs


MIN_FREE_WIDTH = 10  # a free-text column is cut no narrower than this: enough to recognise a partner


def table(rows: list[list[str]], headers: list[str], width: int | None = None, free: list[int] | None = None) -> str:
    """Columns two spaces apart, each as wide as its widest cell, fitted to ``width``.

    :param width: the most a line may take; by default the terminal's when standard output is one (see
        :func:`terminal_width`), and no limit otherwise, so that scripts and grep read whole cells.
    :param free: the columns (by index) that may be narrowed, widest first, their cells cut with "…"; by default those
        holding prose or lists (see :func:`_prose`: titles, partners, legal bases), which leaves refs, dates, numbers,
        codes and short phrases ("12 day(s) left") whole.

    To fit, a heading wider than its column's cells first wraps at its spaces (``LAST`` over ``ACTIVITY``), then the
    free columns narrow down to :data:`MIN_FREE_WIDTH`, then such headings are cut (an Indonesian heading is often
    longer than the dates below it). A table that cannot fit even so is printed wider.
    """
    body = [[str(cell) for cell in row] for row in rows]
    content = [max((text_width(row[i]) for row in body), default=0) for i in range(len(headers))]
    widths = [max(wide, text_width(str(header))) for wide, header in zip(content, headers)]
    width = terminal_width() if width is None else width
    if width:
        if free is None:
            free = [i for i in range(len(headers)) if any(_prose(row[i]) for row in body)]
        wide_headings = [i for i in range(len(headers)) if text_width(str(headers[i])) > content[i]]
        widths = _fitted(widths, width, [
            {i: max([content[i]] + [text_width(word) for word in str(headers[i]).split()]) for i in wide_headings},
            {i: min(widths[i], MIN_FREE_WIDTH) for i in free},
            {i: max(content[i], 1) for i in wide_headings}])
    heading = [_wrapped(str(header), w) for header, w in zip(headers, widths)]
    depth = max(map(len, heading), default=1)  # lines of the headings, some wrapped
    lines = [[parts[n] if n < len(parts) else "" for parts in heading] for n in range(depth)]
    return "\n".join("  ".join(_fit(cell, w) for cell, w in zip(row, widths)).rstrip() for row in lines + body)


def terminal_width() -> int | None:
    """The width of the terminal standard output is (``COLUMNS`` overrides it), or None when it is a pipe or a file."""
    return shutil.get_terminal_size().columns if is_terminal(sys.stdout) else None


def is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (a person reads it), not a pipe or a file (a script does)."""
    return stream is not None and stream.isatty()


def _prose(cell: str) -> bool:
    """A cell of words or of a list, long enough that its first words still tell what it is."""
    return text_width(cell) > 2 * MIN_FREE_WIDTH and (" " in cell or "," in cell)


def _fitted(widths: list[int], width: int, stages: list[dict[int, int]]) -> list[int]:
    """The widths narrowed until the line fits: stage by stage, each narrowing its columns (index: narrowest) one
    character at a time, the widest first."""
    widths = list(widths)
    for floors in stages:
        while sum(widths) + 2 * (len(widths) - 1) > width:
            narrowable = [i for i in floors if widths[i] > floors[i]]
            if not narrowable:
                break
            widths[max(narrowable, key=lambda i: widths[i])] -= 1
    return widths


def _wrapped(heading: str, width: int) -> list[str]:
    """A heading on as many lines as its words need to fit ``width``; a word still too long is cut."""
    if text_width(heading) <= width:
        return [heading]
    lines: list[str] = []
    for word in heading.split():
        if lines and text_width(lines[-1]) + 1 + text_width(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _fit(cell: str, width: int) -> str:
    """``cell`` padded to ``width`` terminal columns, or cut to it with "…"."""
    shown = text_width(cell)
    if shown <= width:
        return cell + " " * (width - shown)
    kept, used = "", 0
    for character in cell:
        if used + _char_width(character) > width - 1:
            break
        kept, used = kept + character, used + _char_width(character)
    return kept + "…" + " " * max(width - 1 - used, 0)


def text_width(text: str) -> int:
    """The terminal columns ``text`` takes: two for a wide character (a Chinese, Japanese or Korean partner's name as
    written), none for a combining accent."""
    return sum(map(_char_width, text))


def _char_width(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in "WF" else 1


NO_PAGER = "kerjasama.no_pager"


def _remember_no_pager(ctx, param, value) -> None:
    if value:
        ctx.meta[NO_PAGER] = True


pager_option = click.option("--no-pager", is_flag=True, expose_value=False, callback=_remember_no_pager,
                            help="Print everything at once instead of through a pager (also KERJASAMA_PAGER=0).")


def show(text: str) -> None:
    """Print a command's output for a person: through the pager (``PAGER``, else less) when it is longer than the
    terminal's page and standard output is a terminal; as it is otherwise, and always into a pipe or a file."""
    if _paged(text):
        return click.echo_via_pager(text)
    click.echo(text)


def _paged(text: str) -> bool:
    context = click.get_current_context(silent=True)
    if context is not None and context.meta.get(NO_PAGER):
        return False
    if os.environ.get("KERJASAMA_PAGER", "").strip().lower() in ("0", "no", "off", "false"):
        return False
    if not (is_terminal(sys.stdin) and is_terminal(sys.stdout)):  # click pages only then, and so do we
        return False
    return text.count("\n") + 1 >= shutil.get_terminal_size().lines


def write_output(data: bytes, output: Path | None, fmt: str) -> None:
    if output:
        output.write_bytes(data)
        return click.echo(_("Wrote {path}").format(path=output), err=True)
    if fmt == "pdf" and is_terminal(sys.stdout):
        raise click.UsageError(_("A PDF goes to a file: give -o PATH."))
    click.echo(data, nl=False)  # bytes, as they are (click deprecates get_binary_stream)


def days_left(deadline: dict) -> str:
    """The distance of a listed deadline in words."""
    from workflow.deadlines import left_text

    text = left_text(deadline["days_left"], deadline["day_unit"] == "working")
    if deadline.get("precision", "day") != "day":  # counted from a date known only to its month or year
        text += " " + {"month": _("(from a month)"), "year": _("(from a year)")}[deadline["precision"]]
    return text
