"""An event's data (``--set name=value``): checked and converted against the procedure table when it is recorded,
stored as JSON, and read back with its types."""
from __future__ import annotations

from datetime import date

from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.inputs import check_text
from workflow.procedure import Event as EventSpec


def parse_data(spec: EventSpec, given: dict) -> dict:
    """Check and convert the data given for an event; fill defaults.

    :raises InvalidInput: a datum the event does not take, a missing required one, or a bad value.
    """
    fields = {f.name: f for f in spec.data}
    given = {_datum_name(spec, fields, key): value for key, value in given.items()}
    result = {}
    for name, field in fields.items():
        if name not in given or given[name] in (None, ""):
            if field.required:
                from workflow.vocabulary import name as term

                raise InvalidInput(_("{event} needs --set {name}=VALUE ({help}).")
                                   .format(event=term("event", spec.name), name=term("datum", name),
                                           help=_(field.help)))
            if field.default is not None:
                result[name] = field.default
            continue
        result[name] = convert_datum(spec.name, field, given[name])
    return result


def _datum_name(spec: EventSpec, fields: dict, key: str) -> str:
    """The datum ``key`` names: its code (``term_years``) or its Indonesian name (``jangka_waktu_tahun``)."""
    from workflow.vocabulary import NotAWord, name, resolve

    if key in fields:
        return key
    try:
        code = resolve("datum", key)
    except NotAWord:
        code = None
    if code in fields:
        return code
    takes = ", ".join(name("datum", f) for f in fields) or _("nothing")
    raise InvalidInput(_("{event} takes no datum {name}; it takes: {takes}.")
                       .format(event=name("event", spec.name), name=key, takes=takes))


def convert_datum(event: str, field, value):
    """``value`` given for datum ``field`` of ``event``, checked and converted.

    :raises InvalidInput: not a value the datum takes; the message says what it takes.
    """
    text = str(value).strip()
    check_text(text, f"--set {field.name}")
    try:
        if field.type == "int":
            number = int(text)
            if (field.minimum is not None and number < field.minimum) or \
                    (field.maximum is not None and number > field.maximum):
                raise ValueError
            return number
        if field.type == "date":
            return _day(text)
        if field.type == "choice":
            return _choice(field, text)
        if field.name == "fields":  # the fields a text names: each as its code when it names one, else as written
            return ";".join(_field_code(part.strip()) for part in text.split(";") if part.strip())
        return text
    except ValueError:
        from workflow.vocabulary import DATUM_VOCABULARY, name

        choices = [name(DATUM_VOCABULARY[field.name], c) if field.name in DATUM_VOCABULARY else c
                   for c in field.choices]
        allowed = {"int": _("a whole number from {lo} to {hi}").format(lo=field.minimum, hi=field.maximum),
                   "date": _("a date, e.g. 5 Maret 2014 or 2014-03-05"),
                   "choice": _("one of {choices}").format(choices=", ".join(choices))}.get(field.type, "")
        raise InvalidInput(_("{event}: {name}={value} is not allowed; give {allowed}.")
                           .format(event=name("event", event), name=name("datum", field.name), value=text,
                                   allowed=allowed)) from None


def _day(text: str) -> date:
    from workflow.partial_dates import partial_date

    found = partial_date(text)
    if found is None or found.precision != "day":
        raise ValueError
    return found.day


def _choice(field, text: str) -> str:
    from workflow.vocabulary import DATUM_VOCABULARY, NotAWord, resolve

    if text in field.choices:
        return text
    try:
        code = resolve(DATUM_VOCABULARY[field.name], text) if field.name in DATUM_VOCABULARY else None
    except NotAWord:
        code = None
    if code not in field.choices:
        raise ValueError
    return code


def _field_code(text: str) -> str:
    from workflow.vocabulary import NotAWord, resolve

    try:
        return resolve("field", text)
    except NotAWord:
        return text


def jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def typed(spec: EventSpec, data: dict) -> dict:
    """An event's stored data with its dates as dates again, as the deadline rules and guards read them."""
    dates = {f.name for f in spec.data if f.type == "date"}
    return {k: date.fromisoformat(v) if k in dates and isinstance(v, str) else v for k, v in data.items()}
