"""The words an officer types for the program's codes: the stable English code, or its Indonesian name.

Every vocabulary (events, fields, partner types, layers, statuses...) keeps its English codes: scripts, templates
and the JSON output use them, and they never change once released. Beside each code, workflow/data/names.csv
gives the Indonesian name an officer types and reads (``permohonan_dprd_diterima``, ``budaya``, ``kota``), and
more names it accepts; the code's label, in either language, is accepted too. Matching ignores case, accents,
and whether words are joined by spaces, ``_`` or ``-``. A word that matches nothing is refused with the closest
names (did you mean).
"""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from functools import cache
from pathlib import Path

from workflow.i18n import N_, _, current_language
from workflow.indicator_catalogue import catalogue, unit_name

NAMES_FILE = Path(__file__).parent / "data" / "names.csv"

# What each vocabulary is called in a refusal, and where the officer finds its words.
WHAT = {
    "event": (N_("an event"), N_("kerjasama case show REF lists the next events of a case")),
    "field": (N_("a field of cooperation"), N_("kerjasama procedure --fields lists them")),
    "partner_type": (N_("a partner type"), ""),
    "layer": (N_("a paradiplomacy layer"), ""),
    "budget_source": (N_("a budget source"), ""),
    "activity_status": (N_("an activity status"), ""),
    "evaluation_kind": (N_("a kind of evaluation"), ""),
    "recommendation": (N_("a recommendation"), ""),
    "agreement_status": (N_("an agreement status"), ""),
    "stage": (N_("a stage"), N_("kerjasama procedure lists them")),
    "state": (N_("a state"), N_("kerjasama procedure lists them")),
    "council_silence": (N_("a rule for the council's silence"), ""),
    "role": (N_("a role"), ""),
    "ministry": (N_("a ministry"), ""),
    "reason": (N_("an ineligibility reason"), ""),
    "end_kind": (N_("a way an agreement ends"), ""),
    "instrument": (N_("an instrument"), ""),
    "deadline": (N_("a deadline"), N_("kerjasama procedure lists them")),
    "deadline_status": (N_("a deadline status"), ""),
    "datum": (N_("a datum of this event"), ""),
    "unit": (N_("a unit of time"), ""),
    "document_kind": (N_("a kind of document"), N_("kerjasama doc kinds lists them")),
    "trip_purpose": (N_("a purpose of an official trip"), N_("kerjasama trip purposes lists them")),
    "trip_status": (N_("a status of an official trip"), ""),
    "obligation": (N_("a duty an agreement sets"), ""),
    "indicator": (N_("an indicator of the catalogue"), N_("kerjasama indicator catalogue lists them")),
    "setting": (N_("a region setting"), ""),
    "country": (N_("a country"), N_("kerjasama procedure --countries lists them")),
}


class NotAWord(ValueError):
    """A word that names no code of its vocabulary; the message offers the closest. Callers that take input turn it
    into their own refusal (workflow.errors.InvalidInput), which in turn names codes through this module."""


def key(text: str) -> str:
    """``text`` as it is compared: lower case, accents dropped, words joined by one space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@cache
def _names() -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    """vocabulary -> code -> (Indonesian name, more names), from workflow/data/names.csv."""
    table: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {}
    with open(NAMES_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            also = tuple(a for a in row["also"].split("|") if a)
            table.setdefault(row["vocabulary"], {})[row["code"]] = (row["name_id"], also)
    return table


def _labels(vocabulary: str) -> dict[str, tuple[str, ...]]:
    """code -> the English texts that describe it (each is accepted in English and, translated, in Indonesian)."""
    from workflow import eligibility, procedure

    if vocabulary == "event":
        return {e.name: (e.label,) for e in procedure.EVENTS + (procedure.CASE_OPENED, procedure.IMPORTED,
                                                                procedure.CORRECTED)}
    if vocabulary in ("stage", "state"):
        return {s.name: (s.label,) for s in (procedure.STAGES if vocabulary == "stage" else procedure.STATES)}
    if vocabulary == "deadline":
        return {r.kind: (r.label,) for r in procedure.DEADLINE_RULES}
    if vocabulary == "field":
        return {f.code: (f.name_en, f.name_id) for f in eligibility.fields().values()}
    if vocabulary == "partner_type":
        return {code: (description,) for code, (_kind, description) in eligibility.PARTNER_TYPES.items()}
    if vocabulary == "country":
        return {c.code: (c.name_en, c.name_id) for c in eligibility.countries().values()}
    return {code: () for code in _names().get(vocabulary, {})}


@cache
def _index(vocabulary: str, language: str) -> dict[str, str]:
    """Every accepted word of ``vocabulary`` (as :func:`key` makes it) -> its code. A word that would stand for two
    codes is left out rather than guessed."""
    names = _names().get(vocabulary, {})
    labels = _labels(vocabulary)
    index: dict[str, str] = {}
    ambiguous: set[str] = set()
    tiers = [
        {code: (code,) for code in labels},
        {code: (names[code][0],) + names[code][1] for code in names},
        {code: texts + tuple(_(t) for t in texts) for code, texts in labels.items()},
    ]
    for tier in tiers:  # a code wins over a name, a name over a label
        claimed: dict[str, set[str]] = {}
        for code, words in tier.items():
            for word in words:
                claimed.setdefault(key(word), set()).add(code)
        for word, codes in claimed.items():
            if not word or word in index:
                continue
            if len(codes) > 1:
                ambiguous.add(word)
            else:
                index[word] = codes.pop()
    return {word: code for word, code in index.items() if word not in ambiguous}


def codes(vocabulary: str) -> tuple[str, ...]:
    return tuple(_labels(vocabulary))


def name(vocabulary: str, code: str) -> str:
    """How ``code`` is shown to an officer: its Indonesian name when speaking Indonesian, else the code."""
    if vocabulary == "country":
        from workflow.eligibility import country_name

        return country_name(code, current_language())
    if current_language() != "id":
        return code
    return _names().get(vocabulary, {}).get(code, (code,))[0]


def resolve(vocabulary: str, text: str) -> str:
    """The code ``text`` names in ``vocabulary``.

    :raises NotAWord: it names none; the message offers the closest words and says where to find them all.
    """
    index = _index(vocabulary, current_language())
    code = index.get(key(text))
    if code is not None:
        return code
    what, hint = WHAT[vocabulary]
    close = suggestions(vocabulary, text)
    message = _("{text} is not {what}.").format(text=text.strip()[:60], what=_(what))
    if close:
        message += " " + _("Did you mean {words}?").format(words=", ".join(close))
    elif len(codes(vocabulary)) <= 12:
        message += " " + _("Allowed: {words}.").format(words=", ".join(name(vocabulary, c) for c in codes(vocabulary)))
    if hint:
        message += f" ({_(hint)})"
    raise NotAWord(message)


def suggestions(vocabulary: str, text: str, limit: int = 3) -> list[str]:
    """The names closest to a word that matched nothing, as the officer would type them."""
    index = _index(vocabulary, current_language())
    typed = key(text)
    words = [w for w in index if typed and (w.startswith(typed) or typed in w.split())]
    words += difflib.get_close_matches(typed, list(index), n=limit * 3, cutoff=0.6)
    shown: list[str] = []
    for word in words:
        shown_name = name(vocabulary, index[word])
        if shown_name not in shown:
            shown.append(shown_name)
    return shown[:limit]


def completions(vocabulary: str, incomplete: str, among: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(word, its label) for shell completion: the names in the officer's language that begin with ``incomplete``,
    or the codes when the officer began typing one."""
    labels = _labels(vocabulary)
    typed = incomplete.casefold()
    found = []
    for code in among if among is not None else codes(vocabulary):
        label = _(labels.get(code, ("",))[0]) if labels.get(code) else ""
        for word in dict.fromkeys((name(vocabulary, code), code)):
            if word.casefold().startswith(typed):
                found.append((word, label))
                break
    return found


# The vocabulary of the values of an event's datum, by the datum's name.
DATUM_VOCABULARY = {"partner_type": "partner_type", "fields": "field", "field": "field", "layer": "layer",
                    "budget_source": "budget_source", "kind": "evaluation_kind", "recommendation": "recommendation",
                    "reason": "reason", "end_kind": "end_kind", "ministry": "ministry", "status": "activity_status",
                    "country": "country", "instrument": "instrument"}


def shown_datum(datum: str, value) -> str:
    """An event's datum as people read it, in their language: names for codes, a list as its items, a record as
    its values; never a Python repr."""
    if isinstance(value, (list, tuple)):
        return ", ".join(shown_datum(datum, v) for v in value)
    if isinstance(value, dict) and datum == "obligations":  # each duty an agreement's text sets, with its cadence
        return ", ".join(f"{name('obligation', kind)} {months} {name('unit', 'months')}"
                         for kind, months in value.items())
    if isinstance(value, dict) and datum == "targets":  # an indicator's target for each year
        return ", ".join(f"{year}: {target}" for year, target in value.items())
    if isinstance(value, dict) and datum == "figures":  # an evaluation's figures; kerjasama evaluate shows them whole
        return _("{done} of {planned} activities done, {indicators} indicator(s)").format(
            done=value["done"], planned=value["planned"], indicators=len(value["indicators"]))
    if isinstance(value, dict):
        return " ".join(shown_datum(datum, v) for v in value.values() if v not in (None, ""))
    if datum == "code" and isinstance(value, str) and value in catalogue():  # an indicator of the catalogue
        return catalogue()[value].name()
    if datum == "unit" and isinstance(value, str):  # an indicator's unit: a catalogue unit by its name
        return unit_name(value)
    vocabulary = DATUM_VOCABULARY.get(datum)
    if isinstance(value, str) and vocabulary:
        if datum == "fields" and ";" in value:
            return ", ".join(shown_datum(datum, v.strip()) for v in value.split(";") if v.strip())
        if datum == "kind" and value not in _labels(vocabulary):  # a document's kind, not an evaluation's
            vocabulary = "document_kind"
        return name(vocabulary, value) if value in _labels(vocabulary) else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
