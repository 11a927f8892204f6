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
    unknown = sorted(set(given) - set(fields))
    if unknown:
        takes = ", ".join(fields) or _("nothing")
        raise InvalidInput(_("{event} takes no datum {name}; it takes: {takes}.")
                           .format(event=spec.name, name=unknown[0], takes=takes))
    result = {}
    for name, field in fields.items():
        if name not in given or given[name] in (None, ""):
            if field.required:
                raise InvalidInput(_("{event} needs --set {name}=VALUE ({help}).")
                                   .format(event=spec.name, name=name, help=_(field.help)))
            if field.default is not None:
                result[name] = field.default
            continue
        result[name] = _convert(spec.name, field, given[name])
    return result


def _convert(event: str, field, value):
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
            return date.fromisoformat(text)
        if field.type == "choice":
            if text not in field.choices:
                raise ValueError
            return text
        return text
    except ValueError:
        allowed = {"int": _("a whole number from {lo} to {hi}").format(lo=field.minimum, hi=field.maximum),
                   "date": _("a date YYYY-MM-DD"),
                   "choice": _("one of {choices}").format(choices=", ".join(field.choices))}.get(field.type, "")
        raise InvalidInput(_("{event}: {name}={value} is not allowed; give {allowed}.")
                           .format(event=event, name=field.name, value=text, allowed=allowed)) from None


def jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def typed(spec: EventSpec, data: dict) -> dict:
    """An event's stored data with its dates as dates again, as the deadline rules and guards read them."""
    dates = {f.name for f in spec.data if f.type == "date"}
    return {k: date.fromisoformat(v) if k in dates and isinstance(v, str) else v for k, v in data.items()}
