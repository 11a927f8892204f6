"""Duties an agreement's clauses put on the parties, each recurring with its text's cadence: the Joint Working
Group's meetings, joint reports, reviews of the plan of action (workflow/procedure.py, ``OBLIGATION_MET``).

``kerjasama obligation add`` records one with its cadence and first due date; ``obligation met`` records it done,
which opens the next one a cadence after the due date it met. Each open one is a deadline, reminded like the
procedure's own.
"""
from __future__ import annotations

from datetime import date

from workflow.bureau import Bureau
from workflow.engine import Outcome, apply
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import OBLIGATION_MET
from workflow.store import history_of, load_case
from workflow.timeline import timeline
from workflow.vocabulary import name as term


def add_obligation(bureau: Bureau, ref: str, obligation: str, *, every_months: int, first_due: date, actor: str,
                   on: date | None = None, note: str | None = None, doc_number: str | None = None) -> Outcome:
    """Record that the agreement of case ``ref`` requires ``obligation`` every ``every_months`` months, first due
    on ``first_due``; recording it again changes the cadence and the next due date."""
    return apply(bureau, ref, f"{obligation}_set", actor=actor, on=on, note=note, doc_number=doc_number,
                 data={"every_months": every_months, "first_due": first_due}, internal=True)


def meet_obligation(bureau: Bureau, ref: str, obligation: str, *, actor: str, on: date | None = None,
                    note: str | None = None, doc_number: str | None = None) -> Outcome:
    """Record ``obligation`` done for case ``ref`` (the minutes, the report, the review: ``doc_number``); the next
    one falls due a cadence after the due date it met.

    :raises InvalidInput: the case has no such obligation on record.
    """
    cadence = cadences(bureau, ref).get(obligation)
    if cadence is None:
        raise InvalidInput(_("{ref} has no {obligation} on record; record it first with kerjasama obligation add "
                             "{ref} {obligation} --every MONTHS --first-due DATE.").format(
            ref=ref, obligation=term("obligation", obligation)))
    return apply(bureau, ref, OBLIGATION_MET[obligation], actor=actor, on=on, note=note, doc_number=doc_number,
                 data={"every_months": cadence}, internal=True)


def cadences(bureau: Bureau, ref: str) -> dict[str, int]:
    """Each obligation of case ``ref`` on record, with its cadence in months as last recorded."""
    with bureau.db.session() as session:
        history = timeline(history_of(session, load_case(session, ref)))
    found = {}
    for event in history:
        if event.name.endswith("_set") and event.name[:-len("_set")] in OBLIGATION_MET:
            found[event.name[:-len("_set")]] = int(event.data["every_months"])
    return found
