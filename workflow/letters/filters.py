"""The Jinja filters of letters: Indonesian and English dates, money and numbers in words.

Dates, money and numbers come from Babel and num2words, not hand-written tables; only Roman numerals are
computed here. The report templates use the same filters (workflow/reports/environment.py).

A filter given a value of the wrong kind (``{{ 5 | tanggal }}``, a date that is None) raises :class:`FilterMisuse`,
which the renderer reports as ``file:line: ...``: Babel would print today's date for None, a value nobody gave.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from numbers import Number

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2.exceptions import TemplateRuntimeError
from num2words import num2words

from workflow.i18n import _
from workflow.indicator_catalogue import catalogue, figure, unit_name

# A date known only to its month prints the month and year, one known only to its year the year: never a day.
PATTERNS = {"day": "d MMMM y", "month": "MMMM y", "year": "y"}


class FilterMisuse(TemplateRuntimeError):
    """A filter applied to a value it cannot print."""


class PartialDay:
    """A date known only to its month or its year, as letters print it (``Maret 2014``, ``2014``).

    It is not a date on purpose: a template that compares it, subtracts it or asks for its day fails on lint's
    imported sample case instead of printing a day no source gives.
    """

    __slots__ = ("first", "precision")

    def __init__(self, first: date, precision: str):
        self.first, self.precision = first, precision

    @property
    def year(self) -> int:
        return self.first.year

    def __str__(self) -> str:
        return self.first.isoformat()[:7] if self.precision == "month" else str(self.first.year)

    def __eq__(self, other) -> bool:
        return isinstance(other, PartialDay) and (self.first, self.precision) == (other.first, other.precision)

    def __hash__(self) -> int:
        return hash((self.first, self.precision))

    def __repr__(self) -> str:
        return f"PartialDay({self})"


def known_date(day: date | None, precision: str | None = "day") -> date | PartialDay | None:
    """``day`` as a letter may print it: the date itself when known to the day, else what is known of it."""
    if day is None or precision in (None, "day"):
        return day
    return PartialDay(day, precision)


def _formatted(value, filter_name: str, locale: str, pattern: str = "d MMMM y") -> str:
    if isinstance(value, PartialDay):
        return format_date(value.first, PATTERNS[value.precision], locale=locale)
    if isinstance(value, date):
        return format_date(value, pattern, locale=locale)
    raise FilterMisuse(_("{filter} prints a date; it was given {value!r} ({kind})").format(
        filter=filter_name, value=value, kind=type(value).__name__))


def _number(value, filter_name: str):
    if isinstance(value, Number) and not isinstance(value, bool) or isinstance(value, Decimal):
        return value
    raise FilterMisuse(_("{filter} prints a number; it was given {value!r} ({kind})").format(
        filter=filter_name, value=value, kind=type(value).__name__))


def tanggal(day) -> str:
    """5 Januari 2025; Januari 2025 or 2025 for a date known only to its month or year"""
    return _formatted(day, "tanggal", "id")


def date_en(day) -> str:
    """5 January 2025; January 2025 or 2025"""
    return _formatted(day, "date_en", "en")


def hari_tanggal(day) -> str:
    """Senin, 5 Januari 2025; the weekday of a date known only to its month or year is not known: Januari 2025"""
    return _formatted(day, "hari_tanggal", "id", "EEEE, d MMMM y")


def kata_tanggal(day) -> str:
    """tanggal 5 Januari 2025, bulan Januari 2025 or tahun 2025: the date with the word a sentence needs before it
    ("ditandatangani pada {{ d | kata_tanggal }}"), which is not the same for a date known only to its month or year"""
    word = {"month": "bulan", "year": "tahun"}.get(getattr(day, "precision", "day"), "tanggal")
    return f"{word} {_formatted(day, 'kata_tanggal', 'id')}"


def on_date(day) -> str:
    """on 5 January 2025, in January 2025 or in 2025"""
    word = "in" if getattr(day, "precision", "day") in ("month", "year") else "on"
    return f"{word} {_formatted(day, 'on_date', 'en')}"


def rupiah(amount) -> str:
    """Rp15.000.000,00: always two decimals, as official letters write money.

    A fixed pattern rather than the locale's currency format: CLDR changes the rupiah's default digits between
    releases (Babel 2.19 prints ``Rp15.000.000``), and a letter must not change with a library upgrade.
    """
    return format_decimal(_number(amount, "rupiah"), "'Rp'#,##0.00", locale="id")


def angka(value) -> str:
    """1.500, 12,50: a recorded figure (workflow/indicators.py) the Indonesian way, with the decimals it was written
    with; "-" when none was recorded"""
    if value is not None and not isinstance(value, (str, int, Decimal)) or isinstance(value, bool):
        raise FilterMisuse(_("angka prints a recorded figure; it was given {value!r}").format(value=value))
    return figure(None if value is None else str(value), "id")


def satuan(unit: str) -> str:
    """orang, delegasi: an indicator's unit in Indonesian (the bureau's own as written)"""
    return unit_name(unit, "id")


def nama_indikator(indicator: dict) -> str:
    """An indicator's name in Indonesian: the catalogue's, or the one the bureau gave its own"""
    kind = catalogue().get(indicator.get("code"))
    return kind.name_id if kind else indicator["name"]


def words(number, language: str = "id") -> str:
    """empat puluh lima"""
    return num2words(_number(number, "words"), lang=language)


def terbilang(number, language: str = "id") -> str:
    """45 (empat puluh lima)"""
    return f"{number} ({num2words(_number(number, 'terbilang'), lang=language)})"


def roman(number: int) -> str:
    """IV"""
    if not isinstance(_number(number, "roman"), int) or number < 1:
        raise FilterMisuse(_("roman prints a whole number from 1; it was given {value!r}").format(value=number))
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letter in numerals:
        while number >= value:
            result, number = result + letter, number - value
    return result


FILTERS = {"tanggal": tanggal, "date_en": date_en, "hari_tanggal": hari_tanggal, "kata_tanggal": kata_tanggal,
           "on_date": on_date, "rupiah": rupiah, "words": words, "terbilang": terbilang, "roman": roman,
           "angka": angka, "satuan": satuan, "nama_indikator": nama_indikator}
