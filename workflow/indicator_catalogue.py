"""The shared catalogue of indicators (workflow/data/indicators.csv) and how figures and units are written: light,
so that letters and reports can print them without the database."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from workflow.i18n import current_language

CATALOGUE_FILE = Path(__file__).parent / "data" / "indicators.csv"


@dataclass(frozen=True)
class Kind:
    """An indicator of the shared catalogue."""

    code: str
    unit: str
    unit_id: str
    unit_en: str
    name_id: str
    name_en: str
    group: str

    def name(self) -> str:
        return self.name_id if current_language() == "id" else self.name_en


@cache
def catalogue() -> dict[str, Kind]:
    """The shared catalogue, by code."""
    with open(CATALOGUE_FILE, encoding="utf-8", newline="") as f:
        return {row["code"]: Kind(**row) for row in csv.DictReader(line for line in f if not line.startswith("#"))}


def unit_name(unit: str, language: str | None = None) -> str:
    """A unit as the language (by default the one spoken) writes it: a catalogue unit by its name, the bureau's own
    as written."""
    known = {kind.unit: kind for kind in catalogue().values()}
    if unit not in known:
        return unit
    return known[unit].unit_id if (language or current_language()) == "id" else known[unit].unit_en


def figure(value: str | None, language: str | None = None) -> str:
    """A recorded figure as the language (by default the one spoken) writes it, with the decimals it was written
    with (``1.500``, ``12,50``); ``-`` when none is recorded."""
    from babel.numbers import format_decimal  # here, not at the top: the vocabulary, and so every --help, loads this

    if value in (None, ""):
        return "-"
    decimals = len(value.partition(".")[2])
    return format_decimal(Decimal(value), "#,##0" + ("." + "0" * decimals if decimals else ""),
                          locale=language or current_language())
