"""The one Jinja environment every report renders with: the bureau's report, the public site and the chronology.

Strict like the letters' environment: a name a template uses and its context lacks is an error at render time,
not a blank in a page that is published or handed to auditors. The date and money filters are the letters'
(``tanggal``, ``rupiah``, ...), so a date reads the same in a letter, a report and the public site. Not sandboxed:
unlike letters, reports have no user templates, only the built-in ones in templates/reports/.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

import templates as builtin_templates
from workflow.letters import FILTERS

REPORTS_DIR = Path(builtin_templates.__file__).parent / "reports"


@cache
def reports_environment() -> Environment:
    """Built once per process, so each template is compiled once however many pages ``publish`` writes."""
    env = Environment(loader=FileSystemLoader(str(REPORTS_DIR)), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env
