"""``kerjasama case advance REF`` without an event, in a terminal: the next steps as a numbered menu, then a question
for each value the chosen step needs, each with its rule; nothing is recorded until the officer confirms.

Only in a terminal: a script or a cron job that leaves out the event gets one line naming the events allowed now,
never a question it cannot answer.
"""
from __future__ import annotations

import sys

import click

from workflow.errors import InvalidInput
from workflow.i18n import _, day
from workflow.vocabulary import DATUM_VOCABULARY, name as term


def in_a_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_for_step(app, ref: str) -> dict:
    """The step the officer chooses for case ``ref`` and its values, as keyword arguments of ``engine.apply``.

    :raises InvalidInput: not in a terminal (the allowed events named), or no step can be recorded now.
    """
    from workflow.cases import show_case
    from workflow.procedure import EVENT_BY_NAME

    shown = show_case(app.bureau, ref)
    steps = [e for e in shown["allowed_events"] if not EVENT_BY_NAME[e["event"]].command]
    elsewhere = [e for e in shown["allowed_events"] if EVENT_BY_NAME[e["event"]].command]
    if not in_a_terminal():
        raise InvalidInput(_("Name the event to record for {ref}; allowed now: {events}. In a terminal, leave it out "
                             "to choose from a menu.").format(ref=shown["ref"], events=", ".join(
                                 term("event", e["event"]) for e in steps) or "-"))
    if not steps:
        raise InvalidInput(_("Nothing can be recorded for {ref} now ({state}).").format(
            ref=shown["ref"], state=term("state", shown["state"])))
    click.echo(_("Next steps for {ref} ({state}):").format(ref=shown["ref"], state=term("state", shown["state"])))
    for number, step in enumerate(steps, 1):
        click.echo(f'  {number:>2}  {term("event", step["event"])}: {step["label"]} -> {term("state", step["to"])}')
        needs = _needs_in_words(EVENT_BY_NAME[step["event"]])
        if needs:
            click.echo(f'      {_("needs")}: {"; ".join(needs)}')
    for step in elsewhere:
        click.echo(f'   -  {term("event", step["event"])}: {EVENT_BY_NAME[step["event"]].command}')
    chosen = steps[click.prompt(_("Number of the step"), type=click.IntRange(1, len(steps))) - 1]
    spec = EVENT_BY_NAME[chosen["event"]]
    on = click.prompt(_("Day it happened, not the day you type it (e.g. 5 Maret 2014, 05-03-2014; a month or a year "
                        "when only that is known; Enter: today)"), default="", show_default=False,
                      value_proc=_day_or_today)
    answers = {"event": spec.name, "on": on.day if on else None, "precision": on.precision if on else "day",
               "data": _ask_data(spec)}
    answers["note"] = _ask_text(_("Note: what happened, and why"), spec.needs_note)
    answers["doc_number"] = _ask_text(_("Number of the letter or decision that proves it"), spec.needs_doc_number)
    when = day(on.day) if on and on.precision == "day" else on.shown() if on else _("today")
    if not click.confirm(_("Record {event} for {ref}, on {day}?").format(event=term("event", spec.name),
                                                                         ref=shown["ref"], day=when), default=True):
        raise InvalidInput(_("Nothing recorded."))
    return answers


def _needs_in_words(spec) -> list[str]:
    """What a step asks for, as the questions will name it (``case show`` names the options instead)."""
    from workflow.procedure import GUARD_BY_NAME

    needs = [term("datum", f.name) for f in spec.data if f.required]
    if spec.needs_note:
        needs.append(_("a note"))
    if spec.needs_doc_number:
        needs.append(_("the number of the letter or decision"))
    return needs + [_(GUARD_BY_NAME[g].needs) for g in spec.guards if g != "partner_eligible"]


def _ask_data(spec) -> dict:
    from workflow.event_data import convert_datum

    data = {}
    for field in spec.data:
        rule = _(field.help)
        if field.choices:
            vocabulary = DATUM_VOCABULARY.get(field.name)
            rule += "; " + ", ".join(term(vocabulary, c) if vocabulary else c for c in field.choices)
        if not field.required:
            rule += "; " + _("Enter: none")

        def checked(text, field=field):
            if not text.strip():
                return ""
            try:
                convert_datum(spec.name, field, text)
            except InvalidInput as refused:
                raise click.BadParameter(str(refused)) from None
            return text

        while True:
            value = click.prompt(f'{term("datum", field.name)} ({rule})', default="", show_default=False,
                                 value_proc=checked)
            if value or not field.required:
                break
            click.echo(_("This step needs it."), err=True)
        if value:
            data[field.name] = value
    return data


def _ask_text(question: str, required: bool) -> str | None:
    while True:
        text = click.prompt(question + ("" if required else f' ({_("Enter: none")})'), default="", show_default=False)
        if text.strip() or not required:
            return text.strip() or None
        click.echo(_("This step needs it."), err=True)


def _day_or_today(text: str):
    from workflow.commands.shared import FactDate

    if not text.strip():
        return None
    try:
        return FactDate().convert(text, None, None)
    except click.BadParameter as refused:
        raise click.BadParameter(refused.message) from None
