"""Eligibility of a foreign partner (PP 28/2018 Pasal 27, 36; UU 23/2014 Pasal 10, 367).

Checked when a case is opened and again before each submission, because a country's relations or
the data files may change while a case runs for two years.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workflow.i18n import N_, _, basis, current_language

DATA_DIR = Path(__file__).parent / "data"

REGION_LEVELS = ("provinsi", "kabupaten", "kota")
HEAD_TITLES = {"provinsi": "Gubernur", "kabupaten": "Bupati", "kota": "Wali Kota"}

# Partner types: the two levels of a foreign regional government (KSDPL) and the kinds of foreign
# institution (KSDLL) of PP 28/2018 Pasal 25 and 36.
PARTNER_TYPES = {
    "province": ("ksdpl", N_("first-tier region: province, state, prefecture, oblast")),
    "city": ("ksdpl", N_("second-tier region: city, municipality, county, regency")),
    "intergovernmental": ("ksdll", N_("intergovernmental organisation")),
    "non_profit": ("ksdll", N_("foreign non-profit legal entity")),
    "development_partner": ("ksdll", N_("foreign development partner")),
    "university": ("ksdll", N_("university or other foreign institution (needs central approval)")),
    "other_institution": ("ksdll", N_("other foreign institution (needs central approval)")),
    "political_party": ("ksdll", N_("political party (not allowed)")),
}
# Which Indonesian level matches which partner level (Pasal 24, 27 ayat (3)).
MATCHING_PARTNER_TYPE = {"provinsi": "province", "kabupaten": "city", "kota": "city"}


@dataclass(frozen=True)
class Country:
    code: str
    name_en: str
    name_id: str
    relations: bool
    note: str
    note_id: str

    def name_in(self, language: str) -> str:
        return self.name_id if language == "id" else self.name_en

    def note_in(self, language: str) -> str:
        return self.note_id if language == "id" else self.note


@dataclass(frozen=True)
class Field:
    code: str
    allowed: bool
    name_en: str
    name_id: str
    basis: str


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@cache
def countries() -> dict[str, Country]:
    """The partner countries of workflow/data/countries.csv by ISO 3166 code."""
    return {row["code"]: Country(row["code"], row["name_en"], row["name_id"], row["relations"] == "yes", row["note"],
                                 row["note_id"])
            for row in _read_csv("countries.csv")}


@cache
def fields() -> dict[str, Field]:
    """The fields of cooperation of workflow/data/fields.csv by code."""
    return {row["code"]: Field(row["code"], row["allowed"] == "yes", row["name_en"], row["name_id"], row["basis"])
            for row in _read_csv("fields.csv")}


def country_name(code: str, language: str = "id") -> str:
    """A country's name in Indonesian (``id``) or English, or its code when the list does not know it."""
    country = countries().get(code)
    if country is None:
        return code
    return country.name_in(language)


def kind_of(partner_type: str) -> str:
    """``ksdpl`` for a foreign regional government, ``ksdll`` for a foreign institution."""
    return PARTNER_TYPES[partner_type][0]


def problems(region_level: str, partner_type: str, country: str, field_codes: list[str],
             level_justification: str | None) -> list[str]:
    """Every eligibility rule the partner fails, each as one sentence naming its article.

    :param level_justification: the officer's recorded reason to accept a partner of another
        level (equal territory can stand in for equal status: Pasal 27 ayat (3) says "and/or").
    """
    found = findings(region_level, partner_type, country, field_codes, level_justification)
    return [text for text, _column, _rule in found]


def findings(region_level: str, partner_type: str, country: str, field_codes: list[str],
             level_justification: str | None) -> list[tuple[str, str, bool]]:
    """What :func:`problems` says, each with the input it is about (country, partner_type, fields) and whether it
    is a rule of law (True: a tie of the past may have broken it, and an import records it with a flag) or a value
    the lists do not know (False: a typo to correct)."""
    found = []
    known = countries()
    if country == "ID":
        found.append((_("The partner must be abroad; domestic cooperation follows PP 28/2018 Pasal 4-22, "
                        "not this procedure."), "country", False))
    elif country not in known:
        found.append((_("Unknown country code {code}; use an ISO 3166 code such as DE, JP or VN "
                        "(kerjasama procedure --countries lists them).").format(code=country), "country", False))
    elif not known[country].relations:
        found.append((_("{country} ({code}): {note}; PP 28/2018 Pasal 27 ayat (1) huruf a requires diplomatic "
                        "relations with Indonesia.").format(country=known[country].name_in(current_language()),
                                                            code=country,
                                                            note=known[country].note_in(current_language())),
                      "country", True))
    if partner_type == "political_party":
        found.append((_("A foreign political party cannot be a partner (PP 28/2018 Penjelasan Pasal 36); allowed: "
                        "intergovernmental, non_profit, development_partner, university, other_institution."),
                      "partner_type", True))
    if kind_of(partner_type) == "ksdpl":
        expected = MATCHING_PARTNER_TYPE[region_level]
        if partner_type != expected and not level_justification:
            found.append((_("A {level} cooperates with a partner of the same level ({expected}), PP 28/2018 Pasal "
                            "27 ayat (3); to accept a {partner} partner on equal territory, record why with "
                            "--level-justification.").format(level=region_level, expected=expected,
                                                             partner=partner_type), "partner_type", True))
    if not field_codes:
        found.append((_("Name at least one field of cooperation (UU 23/2014 Pasal 367 ayat (1))."), "fields", True))
    known_fields = fields()
    for code in field_codes:
        item = known_fields.get(code)
        if item is None:
            allowed = ", ".join(f.code for f in known_fields.values() if f.allowed)
            found.append((_("Unknown field {field}; allowed: {allowed}.").format(field=code, allowed=allowed),
                          "fields", False))
        elif not item.allowed:
            found.append((_("The field {field} ({name}) is not open to regions: {basis}.")
                          .format(field=code, name=item.name_id if current_language() == "id" else item.name_en,
                                  basis=basis(item.basis)), "fields", True))
    return found
