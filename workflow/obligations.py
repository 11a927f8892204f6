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
from workflow.i18n import _, day
from workflow.procedure import OBLIGATION_MET
from workflow.store import history_of, load_case
from workflow.timeline import timeline
from workflow.vocabulary import name as term


SIGNINGS = ("agreement_signed", "agreement_renewed")


def add_obligation(bureau: Bureau, ref: str, obligation: str, *, every_months: int, first_due: date | None = None,
                   actor: str, on: date | None = None, note: str | None = None,
                   doc_number: str | None = None) -> Outcome:
    """Record that the agreement of case ``ref`` requires ``obligation`` every ``every_months`` months, first due
    on ``first_due`` (by default a cadence after the day it began); recording it again changes the cadence and the
    next due date.

    :param on: the day the duty began; by default the day the agreement was signed (or renewed), since its text set
        it then, so that duties met before the day they are typed in take their place after it.
    """
    if on is None:
        on = _signed_on(_history(bureau, ref))
    data = {"every_months": every_months} | ({"first_due": first_due} if first_due else {})
    return apply(bureau, ref, f"{obligation}_set", actor=actor, on=on, note=note, doc_number=doc_number, data=data,
                 internal=True)


def take_up_obligations(bureau: Bureau, ref: str, *, actor: str) -> list[Outcome]:
    """Record the duties the signed text of case ``ref`` sets and that are not on record yet, each from the signing
    day and first due a cadence after it: "the Joint Working Group shall meet at least once a year" is due a year
    after the signing at the latest. Nothing before the agreement is signed.

    The signed text is the last agreement letter issued for the case and not void whose template lists
    ``obligations`` (D13's Joint Working Group clause); the letter's event keeps what it listed.
    """
    history = _history(bureau, ref)
    signed_on = _signed_on(history)
    text = _signed_text(history)
    if signed_on is None or text is None:
        return []
    on_record = _on_record(history)
    return [add_obligation(bureau, ref, kind, every_months=months, actor=actor, on=signed_on,
                           note=_("Set by the text issued as letter {number}").format(number=text.doc_number))
            for kind, months in text.data["obligations"].items() if kind not in on_record]


def meet_obligation(bureau: Bureau, ref: str, obligation: str, *, actor: str, on: date | None = None,
                    note: str | None = None, doc_number: str | None = None) -> Outcome:
    """Record ``obligation`` done for case ``ref`` (the minutes, the report, the review: ``doc_number``); the next
    one falls due a cadence after the due date it met.

    :raises InvalidInput: the case has no such obligation on record.
    """
    cadence, since = _on_record(_history(bureau, ref)).get(obligation, (None, None))
    if cadence is None:
        raise InvalidInput(_("{ref} has no {obligation} on record; record it first with kerjasama obligation add "
                             "{ref} {obligation} --every MONTHS --first-due DATE.").format(
            ref=ref, obligation=term("obligation", obligation)))
    if on is not None and on < since:
        raise InvalidInput(_("{ref}: {obligation} is on record from {since}; a day before it cannot meet it. Record "
                             "the duty from an earlier day with kerjasama obligation add --on DATE.").format(
            ref=ref, obligation=term("obligation", obligation), since=day(since)))
    return apply(bureau, ref, OBLIGATION_MET[obligation], actor=actor, on=on, note=note, doc_number=doc_number,
                 data={"every_months": cadence}, internal=True)


def cadences(bureau: Bureau, ref: str) -> dict[str, int]:
    """Each obligation of case ``ref`` on record, with its cadence in months as last recorded."""
    return {obligation: cadence for obligation, (cadence, _since) in _on_record(_history(bureau, ref)).items()}


def _on_record(history: list) -> dict[str, tuple[int, date]]:
    """Each obligation in a case's ``history``: its cadence as last recorded, and the day it was first recorded
    from."""
    found: dict[str, tuple[int, date]] = {}
    for event in history:
        obligation = event.name.removesuffix("_set")
        if event.name.endswith("_set") and obligation in OBLIGATION_MET:
            since = found.get(obligation, (None, event.occurred_on))[1]
            found[obligation] = (int(event.data["every_months"]), since)
    return found


def _signed_on(history: list) -> date | None:
    signed = [e.occurred_on for e in history if e.name in SIGNINGS]
    return signed[-1] if signed else None


def _signed_text(history: list):
    """The ``letter_issued`` event of the last agreement text issued and not void, or None."""
    voided = {(e.data["number"], e.data["year"]) for e in history if e.name == "letter_voided"}
    texts = [e for e in history if e.name == "letter_issued" and "obligations" in e.data
             and (e.doc_number, e.occurred_on.year) not in voided]
    return texts[-1] if texts else None


def _history(bureau: Bureau, ref: str) -> list:
    with bureau.db.session() as session:
        return timeline(history_of(session, load_case(session, ref)))
