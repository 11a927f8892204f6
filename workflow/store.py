"""Reads several modules share: the region, a case, its history, and everything its guards look at.

Nothing here writes; workflow/engine.py is the one writer. The statements are built once: building an expression
costs SQLAlchemy more than running it (only the compiled SQL is cached), and every event reads through them.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, literal_column
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner, Region
from workflow.bureau import Bureau
from workflow.errors import CaseNotFound, InvalidInput, RegionNotSetUp
from workflow.i18n import _, day
from workflow.machine import GuardContext
from workflow.timeline import timeline

_CASE_PARTNER_REGION = (select(Case, Partner, Region).join(Partner, Partner.id == Case.partner_id)
                        .outerjoin(Region, Region.id == 1).where(Case.ref == bindparam("ref")))
_HISTORY = select(Event).where(Event.case_id == bindparam("case_id")).order_by(Event.seq)
# A case's few open deadlines through the case_id index, never the (status, ...) indexes over every open deadline
# of the register: not ORDER BY due (they are sorted in Python), and the status compared as an expression
# (``status || ''``), which no index serves, since without table statistics SQLite's choice between the indexes
# follows the width of the row.
_OPEN_DEADLINES = select(Deadline).where(Deadline.case_id == bindparam("case_id"),
                                         Deadline.status.concat(literal_column("''")) == "open")


def load_case(session, ref: str) -> Case:
    """The case ``ref``; raises :class:`CaseNotFound`."""
    case = session.exec(select(Case).where(Case.ref == ref.strip().upper())).first()
    if case is None:
        raise CaseNotFound(ref=ref)
    return case


def guard_context(session, bureau: Bureau, ref: str, on: date | None) -> GuardContext:
    """Case ``ref`` with everything its guards may look at, for an event on ``on`` (today in the region when None).

    Three queries: the case with its partner and the region, its history, its open deadlines.
    :raises RegionNotSetUp, CaseNotFound:
    """
    found = session.exec(_CASE_PARTNER_REGION, params={"ref": ref.strip().upper()}).first()
    if found is None or found[2] is None:
        load_region(session)  # no region at all is said first
        raise CaseNotFound(ref=ref)
    case, partner, region = found
    record = history_of(session, case)
    deadlines = sorted(session.exec(_OPEN_DEADLINES, params={"case_id": case.id}), key=lambda d: (d.due, d.id))
    return GuardContext(state=case.state, region=region, case=case, partner=partner, history=timeline(record),
                        open_deadlines=deadlines, on=on or bureau.today(region), calendar=bureau.calendar,
                        record=record)


def as_of(session, ctx: GuardContext) -> GuardContext:
    """The case of ``ctx`` as the record stands for the end of day ``ctx.on``: the events dated up to it, and the
    deadlines they had open then.

    :raises InvalidInput: the case had not begun by then.
    """
    entries = [e for e in ctx.history if e.occurred_on <= ctx.on]
    if not entries or ctx.history[0].occurred_on > ctx.on:
        raise InvalidInput(_("{ref} begins on {day} in the record; there is nothing to show before.").format(
            ref=ctx.case.ref, day=day(ctx.history[0].occurred_on)))
    standing = {e.id for e in entries}
    deadlines = session.exec(select(Deadline).where(Deadline.case_id == ctx.case.id)).all()
    ctx.open_deadlines = sorted((d for d in deadlines if d.opened_by_event_id in standing and (
        d.closed_on is None or d.closed_on > ctx.on or d.closed_by_event_id not in standing)),
        key=lambda d: (d.due, d.id))
    ctx.history, ctx.state = entries, entries[-1].to_state
    return ctx


def history_of(session, case: Case) -> list[Event]:
    """The events of ``case`` as recorded (by seq; :func:`workflow.timeline.timeline` reads what happened)."""
    return list(session.exec(_HISTORY, params={"case_id": case.id}))


def load_region(session) -> Region:
    """The region of this database; raises :class:`RegionNotSetUp` before ``kerjasama init``."""
    region = session.get(Region, 1)
    if region is None:
        raise RegionNotSetUp()
    return region
