"""The one Jinja environment every report renders with: the bureau's report, the public site and the chronology.

Strict like the letters' environment: a name a template uses and its context lacks is an error at render time,
not a blank in a page that is published or handed to auditors. The money and Indonesian date filters are the
letters' (``tanggal``, ``rupiah``, ...); ``long_date`` and ``number`` follow the language being spoken, since a
report is read in the region's language. Not sandboxed: unlike letters, reports have no user templates, only the
built-in ones in templates/reports/.

Fixed text in a template is written in English as ``{{ _("...") }}`` and translated by the program's catalogue,
like every other message (workflow/commands/catalogue.py collects them from the templates).
"""
from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

import templates as builtin_templates
from workflow.i18n import _, current_language
from workflow.letters import FILTERS
from workflow.partial_dates import partial_date

REPORTS_DIR = Path(builtin_templates.__file__).parent / "reports"


def long_date(value: date | str | None, weekday: bool = False) -> str:
    """A date for people in the language spoken: ``3 November 2012``; a partial one as ``November 2012`` or
    ``2012``; ``-`` when unknown."""
    if not value:
        return "-"
    language = current_language()
    if isinstance(value, date):
        return format_date(value, "EEEE, d MMMM y" if weekday else "d MMMM y", locale=language)
    found = partial_date(value[:10])
    if found is None:
        return value
    pattern = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}[found.precision]
    return format_date(found.day, pattern, locale=language)


def number(value) -> str:
    """A count or an axis tick as the language writes it (``1.500`` or ``1,500``; ``2,5`` or ``2.5``)."""
    return format_decimal(value, locale=current_language())


def _ngettext(singular: str, plural: str, n: int) -> str:
    """Indonesian has one form; the English source has two."""
    return _(singular) if n == 1 else _(plural)


@cache
def reports_environment() -> Environment:
    """Built once per process, so each template is compiled once however many pages ``publish`` writes. ``_``
    looks the language up when a page is rendered, so one environment serves every language."""
    env = Environment(loader=FileSystemLoader(str(REPORTS_DIR)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(_, _ngettext, newstyle=False)
    env.filters.update(FILTERS)
    env.filters.update({"long_date": long_date, "number": number})
    env.globals["language"] = current_language
    return env
