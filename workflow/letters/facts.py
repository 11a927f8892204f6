"""What a letter knows of a case's history: each event's day as precisely as it is known, the deadlines, and for an
agreement loaded with ``kerjasama import`` the facts of its register row.

An imported agreement has one ``imported`` event whose data keeps the row (workflow/agreements/importing.py): its
signing, the LoI, the last activity. Letters read those facts where they read the events they stand for
(``events.agreement_signed.on``, ``events.loi_signed.on``), so a template prints the register's facts without
knowing how the case came into the database. A fact no source gives is left out, and the template prints its
blank; a date known only to its month or year stays so (workflow.letters.filters.PartialDay).
"""
from __future__ import annotations

from datetime import date

from workflow.letters.filters import known_date
from workflow.partial_dates import partial_date
from workflow.procedure import EVENT_BY_NAME

# The event each dated fact of an import file stands for (workflow.procedure.IMPORTED_DATES).
IMPORTED_EVENTS = {"loi_signed": "loi_signed", "mou_signed": "agreement_signed", "last_activity": "activity_recorded"}
# What the signing's event data says, as ``agreement_signed --set`` records it.
SIGNING_FACTS = ("term_years", "partner_signed", "expires", "instrument")
# The instrument's name in the letters' two languages; an imported row names its instrument (INSTRUMENTS).
INSTRUMENT_NAMES = {
    "mou": ("Memorandum Saling Pengertian", "Memorandum of Understanding"),
    "loi": ("Pernyataan Kehendak Kerja Sama", "Letter of Intent"),
    "poa": ("Rencana Aksi", "Plan of Action"),
    "moa": ("Memorandum Kesepakatan", "Memorandum of Agreement"),
    "pks": ("Perjanjian Kerja Sama", "Cooperation Agreement"),
    "charter": ("Piagam Kerja Sama", "Charter of Cooperation"),
    "other": ("Naskah Kerja Sama", "Cooperation Agreement"),
}


def events_of(history: list) -> dict:
    """The last event of each kind, by name; an imported agreement's facts first, so that an event recorded since
    (a new activity) replaces the fact it updates."""
    events = {}
    for event in history:
        if event.name == "imported":
            events |= imported_events(event.data or {})
        events[event.name] = {"on": known_date(event.occurred_on, (event.data or {}).get("on_precision")),
                              "doc_number": event.doc_number, "note": event.note,
                              "data": dated(event.name, event.data or {})}
    return events


def dated(name: str, data: dict) -> dict:
    """An event's data with the values its event declares as dates (``partner_signed``, ``expires``) as dates,
    or what is known of them, instead of the text they are stored as."""
    spec = EVENT_BY_NAME.get(name)
    dates = {field.name for field in spec.data if field.type == "date"} if spec else set()
    return {key: (_as_date(value) or value) if key in dates and isinstance(value, str) else value
            for key, value in data.items()}


def imported_events(data: dict) -> dict:
    """The events an import row's dates stand for, each with the day as precisely as the row gives it."""
    events = {}
    for column, name in IMPORTED_EVENTS.items():
        day = _fact_date(data, column)
        if day is None:
            continue
        facts = {key: data[key] for key in SIGNING_FACTS if data.get(key) is not None} if name == "agreement_signed" \
            else {}
        events[name] = {"on": day, "doc_number": None, "note": None, "data": dated(name, facts) | {"imported": True}}
    return events


def deadlines_of(deadlines: list) -> dict:
    """Each kind's deadline; a due date counted from a date known only to its month or year is known only so."""
    return {d.kind: {"due": known_date(d.due, getattr(d, "precision", None)),
                     "starts_on": known_date(d.starts_on, getattr(d, "precision", None)), "status": d.status}
            for d in sorted(deadlines, key=lambda d: d.id or 0)}


def instrument_of(history: list) -> str:
    """The kind of agreement the case is about: an imported row names it; a case carried here signs an MoU, and so
    does an imported LoI carried on (the LoI is the step before the agreement, not the agreement)."""
    imported = next((e.data for e in history if e.name == "imported"), None) or {}
    return imported.get("instrument") if imported.get("instrument") in INSTRUMENT_NAMES.keys() - {"loi"} else "mou"


def fields_unknown(case, history: list) -> bool:
    """No field on record because no source gives them (an imported row without fields), not because there are
    none."""
    return not case.fields and any((e.data or {}).get("fields_unknown") for e in history if e.name == "imported")


def _fact_date(data: dict, column: str) -> date | object | None:
    """The row's date of ``column`` with its precision; None when not given."""
    return _as_date(str(data.get(column) or ""))


def _as_date(text: str) -> date | object | None:
    """A stored date ("2014-03-05", "2014-03" or "2014") with its precision; None when it is none."""
    try:
        found = partial_date(text)
    except ValueError:  # a row restored from an older export may say something else: not a fact to print
        return None
    return known_date(found.day, found.precision) if found else None
