"""The Jinja filters of letters: Indonesian and English dates, money and numbers in words.

Dates, money and numbers come from Babel and num2words, not hand-written tables; only Roman numerals are
computed here. The report templates use the same filters (workflow/reports/environment.py).
"""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words


def tanggal(day: date) -> str:
    """5 Januari 2025"""
    return format_date(day, "d MMMM y", locale="id")


def date_en(day: date) -> str:
    """5 January 2025"""
    return format_date(day, "d MMMM y", locale="en")


def hari_tanggal(day: date) -> str:
    """Senin, 5 Januari 2025"""
    return format_date(day, "EEEE, d MMMM y", locale="id")


def rupiah(amount) -> str:
    """Rp15.000.000,00: always two decimals, as official letters write money.

    A fixed pattern rather than the locale's currency format: CLDR changes the rupiah's default digits between
    releases (Babel 2.19 prints ``Rp15.000.000``), and a letter must not change with a library upgrade.
    """
    return format_decimal(amount, "'Rp'#,##0.00", locale="id")


def words(number, language: str = "id") -> str:
    """empat puluh lima"""
    return num2words(number, lang=language)


def terbilang(number, language: str = "id") -> str:
    """45 (empat puluh lima)"""
    return f"{number} ({num2words(number, lang=language)})"


def roman(number: int) -> str:
    """IV"""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letter in numerals:
        while number >= value:
            result, number = result + letter, number - value
    return result


FILTERS = {"tanggal": tanggal, "date_en": date_en, "hari_tanggal": hari_tanggal, "rupiah": rupiah, "words": words,
           "terbilang": terbilang, "roman": roman}
