"""A case's timeline: its events in the order they happened, without those a correction undid.

The record (the events by ``seq``) only grows; the timeline is read from it. A fact learnt late takes its place by
the day it happened; a corrected event and the correction itself drop out. The first event (``case_opened`` or
``imported``) always leads: an imported row sums up everything before its date, so a fact dated earlier is read
against the state the row gave. The state before and after each event follows from the procedure table (the event's
destination, the state it returns to, or the state it stays in), so a late fact that changes the state also changes
the state the internal events after it left the case in.

:func:`replay` goes through a timeline as the engine would have recorded it, with the guards and the deadlines: the
engine calls it before it writes a late entry or a correction, to find what no longer fits and what it changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from db.models import Deadline
from workflow.deadlines import update_deadlines
from workflow.event_data import typed
from workflow.i18n import _, day
from workflow.machine import GuardContext, fire, refusal, return_state
from workflow.procedure import CORRECTED, EVENT_BY_NAME, RETURN

CORRECTION = CORRECTED.name


class Entry:
    """An event at its place in the timeline, with the states before and after it there; reads through to the event
    (never changes the stored row)."""

    __slots__ = ("event", "from_state", "to_state")

    def __init__(self, event, from_state: str | None, to_state: str):
        self.event, self.from_state, self.to_state = event, from_state, to_state

    def __getattr__(self, name):
        return getattr(self.event, name)


def place(event) -> tuple:
    """Where ``event`` sorts in its case's timeline."""
    return (event.seq != 1, event.occurred_on, event.seq)


def corrected(record: list) -> dict[int, object]:
    """The seqs of the events a correction undid, each with the correction."""
    return {e.data["corrects"]: e for e in record if e.name == CORRECTION}


def timeline(record: list) -> list[Entry]:
    """The events of ``record`` (any order) that stand, in the order they happened, each with its states there."""
    undone = corrected(record)
    entries: list[Entry] = []
    for event in sorted((e for e in record if e.name != CORRECTION and e.seq not in undone), key=place):
        state = entries[-1].to_state if entries else None
        entries.append(Entry(event, state, _state_after(event, state, entries)))
    return entries


def _state_after(event, state: str | None, before: list[Entry]) -> str:
    spec = EVENT_BY_NAME.get(event.name)
    if state is None or spec is None:  # the first event gives the state
        return event.to_state
    if spec.dest == RETURN:
        return return_state(before, state) or event.to_state
    return spec.dest or state


@dataclass
class Misfit:
    """An event the timeline no longer allows, and the reason the procedure gives."""

    entry: Entry
    reason: str


@dataclass
class Replayed:
    state: str
    entries: list[Entry]
    deadlines: list[Deadline]  # every deadline the timeline opens, with its status at its end (rows not stored)
    withdrawn: list[Misfit] = field(default_factory=list)  # timers the timeline no longer allows


class DoesNotFit(Exception):
    def __init__(self, misfit: Misfit):
        super().__init__(misfit.reason)
        self.misfit = misfit


def replay(entries: list[Entry], *, ctx: GuardContext, imported: list[Deadline], check_from: tuple) -> Replayed:
    """Go through ``entries`` with the guards and the deadline rules, as the engine would have recorded them.

    :param ctx: the case's context (region, case, partner, calendar); its history and deadlines are not used.
    :param imported: the deadlines the first event opened, when it is an import (their rows are copied, not changed).
    :param check_from: events at this place or after it are checked again (those before it are as recorded).
    :raises DoesNotFit: an event at or after ``check_from`` that the procedure does not allow there; a timer the
        reminder job applied is withdrawn instead.
    """
    first = entries[0]
    deadlines = [Deadline(**{c: getattr(d, c) for c in ("case_id", "kind", "starts_on", "due", "opened_by_event_id",
                                                        "precision")}, status="open") for d in imported]
    kept, withdrawn, state = [first], [], first.to_state
    for entry in entries[1:]:
        spec = EVENT_BY_NAME[entry.name]
        step = GuardContext(state=state, region=ctx.region, case=ctx.case, partner=ctx.partner, history=kept,
                            open_deadlines=[d for d in deadlines if d.status == "open"], on=entry.occurred_on,
                            data=typed(spec, entry.data), calendar=ctx.calendar)
        if place(entry) >= check_from:
            reason = _misfit(spec, step, entry, first)
            after = None if reason else fire(entry.name, step)
            if after is None:
                reason = reason or _("the procedure machine refused it.")
                if entry.data.get("timer"):
                    withdrawn.append(Misfit(entry, reason))
                    continue
                raise DoesNotFit(Misfit(Entry(entry.event, state, state), reason))
        else:
            after = _state_after(entry.event, state, kept)
        placed = Entry(entry.event, state, after)
        owner = return_state(kept + [placed], after) if after == "suspended" else after
        # Against a fact older than the import, the deadlines the import counts from its later dates stand.
        held = {d.kind for d in step.open_deadlines if d.starts_on > entry.occurred_on} \
            if entry.occurred_on < first.occurred_on else set()
        opened, _closed = update_deadlines(open_deadlines=[d for d in step.open_deadlines if d.kind not in held],
                                           event_name=entry.name, event_id=entry.id, on=entry.occurred_on,
                                           owner_state=owner, case_id=ctx.case.id, region=ctx.region, data=step.data,
                                           calendar=ctx.calendar)
        deadlines += [d for d in opened if d.kind not in held]
        kept.append(placed)
        state = after
    return Replayed(state, kept, deadlines, withdrawn)


def _misfit(spec, step: GuardContext, entry: Entry, first: Entry) -> str | None:
    if step.state not in spec.sources:
        return _("a case in state {state} cannot record it.").format(state=step.state)
    if entry.occurred_on < first.occurred_on and spec.dest is not None:
        return _("the agreement was imported as {state} on {day}, which sums up what came before; a change of state "
                 "before that day contradicts the import.").format(state=first.to_state, day=day(first.occurred_on))
    return refusal(spec, step)
