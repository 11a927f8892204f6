"""The one place a case changes: :func:`open_case`, :func:`apply` and :func:`correct` (agreements a bureau already
has are recorded by workflow/agreements/importing.py, through :func:`writing` and :func:`next_ref`).

Each call is one database transaction: load the case with its version, check the input and the
guards, fire the machine, append the Event, close and open Deadlines, and write the new state
only if the version is still the one read. Anything refused raises a :class:`ProcedureError`
before a row is written. A fact dated before the case's last event, and a correction, change the timeline
before its end: the timeline is replayed (workflow/timeline.py) to check what follows and to bring the state and
the deadlines to it.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field as dataclass_field
from datetime import date, datetime, timezone
from typing import Callable

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, func, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import select

from db.models import Case, Deadline, Event, Partner, Region
from workflow import eligibility
from workflow.seal import seal
from workflow.bureau import Bureau
from workflow.chain import sealing
from workflow.errors import (ConcurrentChange, ConcurrentOpening, EventNotAllowed, GuardRefused, InvalidInput,
                             LateEntryRefused, LaterEventConflict, MachineRefused, NotEligible, RecordedByCommand,
                             StaleVersion, UnknownEvent)
from workflow.i18n import _, day
from workflow.inputs import check_text, officer_name
from workflow.machine import GuardContext, fire, next_events, refusal, return_state
from workflow.store import guard_context, load_case, load_region
from workflow.procedure import CASE_OPENED, EVENT_BY_NAME, INITIAL_STATE
from workflow.deadlines import update_deadlines
from workflow.event_data import jsonable, parse_data
from workflow.timeline import CORRECTION, DoesNotFit, corrected, place, replay, timeline

REF_PREFIX = "KS"

# The statement of every change, built once, like the reads of workflow/store.py.
_MOVE_CASE = (update(Case.__table__).where(Case.id == bindparam("case_id"), Case.version == bindparam("read"))
              .values(state=bindparam("to_state"), version=bindparam("read") + 1, updated_at=bindparam("now")))


@dataclass
class Outcome:
    """What one recorded event did."""

    ref: str
    event: str
    from_state: str | None
    state: str
    version: int
    opened: list[Deadline]
    closed: list[Deadline]
    on: date | None = None
    data: dict = dataclass_field(default_factory=dict)  # the event's data as recorded
    withdrawn: list[dict] = dataclass_field(default_factory=list)  # timers a late fact or a correction withdrew

    def as_dict(self) -> dict:
        """The JSON document of ``case advance --json``."""
        return {"ref": self.ref, "event": self.event, "from": self.from_state, "state": self.state,
                "version": self.version, "opened": [{"kind": d.kind, "due": d.due.isoformat()} for d in self.opened],
                "closed": [{"kind": d.kind, "status": d.status} for d in self.closed],
                "late_entry": bool(self.data.get("late_entry")), "withdrawn": self.withdrawn}


def open_case(bureau: Bureau, *, title: str, partner_name: str, country: str, partner_type: str,
              fields: list[str], on: date | None, actor: str, level_justification: str | None = None,
              note: str | None = None, precision: str = "day", links: dict[str, str] | None = None,
              alternatives: list[dict] | None = None, record_past: bool = False, owner: str | None = None) -> Outcome:
    """Open a case after checking the partner's eligibility (PP 28/2018 Pasal 27).

    :param precision: ``month`` or ``year`` when only that of ``on`` (its first day) is known.
    :param links: the cases this one renews, revives, implements or supersedes, by ref.
    :param record_past: a tie of the past back-filled on the day it began: what today's rules refuse is recorded
        with a flag naming the rule instead (values no list knows are still refused).
    :param owner: the officer who carries the case (workflow/owners.py), a plain name: letters, digits, spaces, . _ -;
        by default the one it is entered for (``--as``), else the login. Sealed in the opening event's data.
    :raises NotEligible: a rule of Pasal 27 or 36 refuses the partner.
    :raises InvalidInput: an empty title or partner, a date in the future, a link to no case.
    """
    country = country.strip().upper()
    title, partner_name = title.strip(), partner_name.strip()
    for what, text in (("--title", title), ("--partner", partner_name), ("--note", note),
                       ("--level-justification", level_justification)):
        check_text(text, what)
    owner = officer_name(owner, "--owner") if (owner or "").strip() else None
    if not title or not partner_name:
        raise InvalidInput(_("A case needs a title and a partner name."))
    justification = (level_justification or "").strip() or None
    with bureau.db.session() as session:
        region = load_region(session)
        on = on or bureau.today(region)
    _check_not_future(bureau, region, on)
    found = eligibility.findings(region.level, partner_type, country, fields, justification)
    if record_past and not fields:  # fields nobody wrote down: unknown, not a broken rule
        found = [finding for finding in found if finding[1] != "fields"]
    refused = [text for text, _column, rule in found if not (record_past and rule)]
    if refused:
        raise NotEligible(problems=" ".join(refused))
    actor, behalf = bureau.recorder(actor)
    data = {"partner": partner_name, "country": country, "partner_type": partner_type, "fields": list(fields)} | behalf
    data["owner"] = owner or behalf.get("on_behalf_of") or actor
    if not fields:
        data["fields_unknown"] = True
    if found:
        data["flags"] = [text for text, _column, _rule in found]  # only a back-filled tie gets this far
    if justification:
        data["level_justification"] = justification
    if precision != "day":
        data["on_precision"] = precision
    if alternatives:
        data["alternatives"] = alternatives  # other days sources give for the first contact
    for link, target in (links or {}).items():
        with bureau.db.session() as session:
            data[link] = load_case(session, target).ref  # a link to no case is refused, naming the ref
    for attempt in range(5):  # two officers opening cases at once may pick the same next ref: take the next one
        try:
            with bureau.db.session() as session, writing(bureau, session):
                partner = session.exec(select(Partner).where(Partner.name == partner_name,
                                                             Partner.country == country)).first()
                if partner is None:
                    partner = Partner(name=partner_name, country=country, partner_type=partner_type)
                    session.add(partner)
                    session.flush()
                elif partner.partner_type != partner_type:
                    raise InvalidInput(_("{name} ({country}) is already recorded as a {kind} partner, not {given}.")
                                       .format(name=partner_name, country=country, kind=partner.partner_type,
                                               given=partner_type))
                case = Case(ref=next_ref(session, on.year), title=title, kind=eligibility.kind_of(partner_type),
                            partner_id=partner.id, fields=list(fields), state=INITIAL_STATE, opened_on=on,
                            level_justification=justification)
                session.add(case)
                session.flush()
                opening = Event(case_id=case.id, seq=1, name=CASE_OPENED.name, actor=actor, occurred_on=on,
                                from_state=None, to_state=INITIAL_STATE, note=note, data=data)
                opening.hash = seal(opening, None)
                session.add(opening)
            return Outcome(case.ref, CASE_OPENED.name, None, INITIAL_STATE, case.version, [], [])
        except ConcurrentChange:
            if attempt == 4:
                raise


def apply(bureau: Bureau, ref: str, event: str, *, actor: str, on: date | None = None, note: str | None = None,
          doc_number: str | None = None, data: dict | None = None, expected_version: int | None = None,
          timer: dict | None = None, on_recorded: Callable | None = None, internal: bool = False,
          precision: str = "day", alternatives: list[dict] | None = None) -> Outcome:
    """Record that ``event`` happened to case ``ref`` on ``on``.

    :param on: the day it happened; today in the region when None.
    :param precision: ``month`` or ``year`` when only that of ``on`` (its first day) is known; kept with the event.
    :param alternatives: other days sources give for it, each ``{"date", "source"}``; kept with the event.
    :param data: the event's data (``--set``), as strings or typed values; checked against the table.
    :param expected_version: refuse if the case is no longer at this version (optimistic locking).
    :param internal: allow an event that only its own command records (activities, letters, recomputes).
    :param timer: how the reminder job came to apply a timer (deadline, start, rule, policy), kept with the event.
    :param on_recorded: called as ``on_recorded(session, case, event_row)`` inside the transaction, before
        the event row is sealed and written: it may complete the row (a letter's number) and add rows of its own
        that must be written together with the event or not at all. It may return a function, called with the
        event's id once the event is written, for rows that refer to it (the letter): an event is written once,
        sealed, and never updated.
    :raises UnknownEvent, CaseNotFound, EventNotAllowed, InvalidInput, ConcurrentChange:
    """
    spec = EVENT_BY_NAME.get(event)
    if spec is None:
        raise UnknownEvent(event=event)
    if spec.command and not internal:
        raise RecordedByCommand(event=event, command=spec.command)
    with bureau.db.session() as session:
        ctx = guard_context(session, bureau, ref, on)
        region, case, on = ctx.region, ctx.case, ctx.on
        if expected_version is not None and case.version != expected_version:
            raise StaleVersion(ref=ref, expected=expected_version, version=case.version)
        # A fact learnt late is checked at its place in the timeline (an import sums up what came before its day).
        late = on < max(e.occurred_on for e in ctx.history)
        if not late and case.state not in spec.sources:
            raise EventNotAllowed(event=event, ref=ref, state=case.state, allowed=_allowed_names(ctx))
        _check_date(bureau, region, case, on, precision)
        ctx.data = parse_data(spec, data or {})
        if precision != "day":
            ctx.data["on_precision"] = precision
        if alternatives:
            ctx.data["alternatives"] = alternatives
        if spec.name == "deadline_recomputed" and ctx.open_deadline(ctx.data["kind"]) is None:
            raise InvalidInput(_("{ref} has no open deadline {kind}.").format(ref=ref, kind=ctx.data["kind"]))
        note, doc_number = (note or "").strip() or None, (doc_number or "").strip() or None
        check_text(note, "--note")
        check_text(doc_number, "--doc-number")
        if spec.needs_note and not note:
            raise InvalidInput(_("{event} needs --note saying what was decided and why.").format(event=event))
        if spec.needs_doc_number and not doc_number:
            raise InvalidInput(_("{event} needs --doc-number, the number of the letter that proves it.")
                               .format(event=event))
        actor, behalf = bureau.recorder(actor)
        row = Event(case_id=case.id, seq=ctx.record[-1].seq + 1, name=event, actor=actor, occurred_on=on,
                    from_state=case.state, to_state=case.state, note=note, doc_number=doc_number,
                    data=jsonable(ctx.data) | behalf | ({"timer": timer} if timer else {})
                    | ({"late_entry": True} if late else {}))
        if late:
            return _rewrite(bureau, session, ctx, row, on_recorded)
        reason = refusal(spec, ctx)
        if reason:
            raise GuardRefused(event=event, ref=ref, reason=reason, allowed=_allowed_names(ctx))
        new_state = fire(event, ctx)
        if new_state is None:
            raise MachineRefused(event=event, ref=ref)

        row.to_state, version = new_state, case.version
        with writing(bureau, session, ref):
            _move(session, case, version, new_state)
            after = on_recorded(session, case, row) if on_recorded else None
            row.hash = seal(row, ctx.record[-1].hash)  # after the hook: it may complete the row
            session.add(row)
            session.flush()
            if after:
                after(row.id)
            owner = return_state(ctx.history + [row], new_state) if new_state == "suspended" else new_state
            opened, closed = update_deadlines(open_deadlines=ctx.open_deadlines, event_name=event, event_id=row.id,
                                              on=on, owner_state=owner, case_id=case.id, region=region,
                                              data=ctx.data, calendar=bureau.calendar)
            session.add_all(opened + closed)
        return Outcome(case.ref, event, row.from_state, new_state, version + 1, opened, closed, on, dict(row.data))


def correct(bureau: Bureau, ref: str, seq: int, *, actor: str, note: str | None) -> Outcome:
    """Record that event ``seq`` of case ``ref`` was a mistake: it stays in the record and leaves the timeline, and
    the state, the deadlines and the register follow as if it had not happened.

    :raises InvalidInput: no such event, no note, or an event that cannot be corrected (the opening, a correction,
        one already corrected, or one whose own command keeps rows of its own).
    :raises LaterEventConflict: an event after it no longer fits without it (timers applied since are withdrawn).
    """
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("A correction needs --note saying what was wrong."))
    check_text(note, "--note")
    with bureau.db.session() as session:
        ctx = guard_context(session, bureau, ref, None)
        target = next((e for e in ctx.record if e.seq == seq), None)
        problem = _uncorrectable(ctx.case.ref, target, seq, corrected(ctx.record))
        if problem:
            raise InvalidInput(problem)
        actor, behalf = bureau.recorder(actor)
        row = Event(case_id=ctx.case.id, seq=ctx.record[-1].seq + 1, name=CORRECTION, actor=actor,
                    occurred_on=ctx.on, from_state=ctx.case.state, to_state=ctx.case.state, note=note,
                    data={"corrects": seq, "event": target.name} | behalf)
        return _rewrite(bureau, session, ctx, row, None, check_from=place(target))


def _uncorrectable(ref: str, target: Event | None, seq: int, undone: dict) -> str | None:
    if target is None:
        return _("{ref} has no event #{seq}; kerjasama case history {ref} lists them.").format(ref=ref, seq=seq)
    if seq == 1:
        return _("#1 opened {ref}; a case opened by mistake is withdrawn (case_withdrawn), not corrected away.").format(
            ref=ref)
    if target.name == CORRECTION:
        return _("#{seq} is itself a correction; record the event again.").format(seq=seq)
    if seq in undone:
        return _("#{seq} was already corrected by #{by}.").format(seq=seq, by=undone[seq].seq)
    command = EVENT_BY_NAME[target.name].command or ("kerjasama action" if target.data.get("activity") else "")
    if command:
        return _("#{seq} {event} was recorded by {command}, which keeps rows of its own; change it there.").format(
            seq=seq, event=target.name, command=command)
    return None


def _rewrite(bureau: Bureau, session, ctx: GuardContext, row: Event, on_recorded: Callable | None,
             check_from: tuple | None = None) -> Outcome:
    """Write a fact that changes the timeline before its end (a late entry, a correction), and what follows from it.

    The timeline with ``row`` is replayed with the guards from the row's place (or ``check_from``): an event after it
    that no longer fits refuses the change, naming it; a timer the reminder job applied that no longer holds is
    withdrawn by a correction of its own. The state is the replay's, and the deadlines are brought to the replay's:
    rows it no longer opens are cancelled, new ones added, changed ones updated (ids kept, so their reminders stay
    with them).
    """
    case, today = ctx.case, bureau.today(ctx.region)
    stored = list(session.exec(select(Deadline).where(Deadline.case_id == case.id)))
    first = ctx.record[0]
    imported = [d for d in stored if d.opened_by_event_id == first.id] if first.name == "imported" else []
    try:
        replayed = replay(timeline(ctx.record + [row]), ctx=ctx, imported=imported,
                          check_from=check_from or place(row))
    except DoesNotFit as err:
        misfit = err.misfit
        if misfit.entry.event is row:
            raise LateEntryRefused(event=row.name, on=day(row.occurred_on), ref=case.ref, reason=misfit.reason) \
                from None
        change = (_("Correcting #{seq}").format(seq=row.data["corrects"]) if row.name == CORRECTION else
                  _("{event} on {on}").format(event=row.name, on=day(row.occurred_on)))
        raise LaterEventConflict(change=change, seq=misfit.entry.seq, event=misfit.entry.name,
                                 on=day(misfit.entry.occurred_on), reason=misfit.reason, ref=case.ref) from None
    if any(m.entry.event is row for m in replayed.withdrawn):  # a timer applied late must fit on its own day
        reason = next(m.reason for m in replayed.withdrawn if m.entry.event is row)
        raise LateEntryRefused(event=row.name, on=day(row.occurred_on), ref=case.ref, reason=reason)
    written = [row] + [
        Event(case_id=case.id, seq=row.seq + n, name=CORRECTION, actor=row.actor, occurred_on=today,
              from_state=case.state, to_state=replayed.state, data={"corrects": m.entry.seq, "event": m.entry.name,
                                                                    "withdrawn_after": row.seq},
              note=_("Withdrawn: {event} of {on} no longer holds after #{seq}: {reason}").format(
                  event=m.entry.name, on=day(m.entry.occurred_on), seq=row.seq, reason=m.reason))
        for n, m in enumerate(replayed.withdrawn, start=1)]
    placed = next((e for e in replayed.entries if e.event is row), None)
    row.from_state, row.to_state = (placed.from_state, placed.to_state) if placed else (case.state, replayed.state)
    before, version = case.state, case.version
    with writing(bureau, session, case.ref):
        _move(session, case, version, replayed.state)
        after = on_recorded(session, case, row) if on_recorded else None
        previous = ctx.record[-1].hash
        for event in written:
            event.hash = previous = seal(event, previous)
            session.add(event)
        session.flush()
        if after:
            after(row.id)
        opened, closed = _settle(session, stored, replayed.deadlines, row)
    return Outcome(case.ref, row.name, before, replayed.state, version + 1, opened, closed, row.occurred_on,
                   dict(row.data), withdrawn=[{"seq": m.entry.seq, "event": m.entry.name, "reason": m.reason}
                                              for m in replayed.withdrawn])


def _move(session, case: Case, version: int, state: str) -> None:
    """The case's new state, if it is still at the version read. Core, on the session's connection: the ORM's
    bulk-update path adds nothing here."""
    moved = session.connection().execute(_MOVE_CASE, {"case_id": case.id, "read": version, "to_state": state,
                                                      "now": datetime.now(timezone.utc)})
    if moved.rowcount != 1:
        raise ConcurrentChange(ref=case.ref)


def _settle(session, stored: list[Deadline], replayed: list[Deadline], row: Event) -> tuple[list, list]:
    """Bring the case's deadline rows to the replay's: each is known by its kind and the event that opened it."""
    by_key = {(d.kind, d.opened_by_event_id): d for d in stored}
    opened, closed = [], []
    for d in replayed:
        key = (d.kind, d.opened_by_event_id or row.id)  # None: opened or closed by the row, not stored when replayed
        closed_by = (d.closed_by_event_id or row.id) if d.status != "open" else None
        found = by_key.pop(key, None)
        if found is None:
            found = Deadline(case_id=d.case_id, kind=d.kind, starts_on=d.starts_on, due=d.due, status=d.status,
                             opened_by_event_id=key[1], closed_by_event_id=closed_by, closed_on=d.closed_on,
                             next_action_on=d.next_action_on if d.status == "open" else None, precision=d.precision)
            (opened if d.status == "open" else closed).append(found)
        elif (found.status, found.due, found.closed_by_event_id) != (d.status, d.due, closed_by):
            if found.status != "open" and d.status == "open":  # open again: its timer may come again
                found.next_action_on = min(found.next_action_on or d.due, d.due)
            (closed if d.status != "open" and found.status == "open" else opened).append(found)
            found.status, found.due, found.closed_by_event_id, found.closed_on = d.status, d.due, closed_by, d.closed_on
        session.add(found)
    for left in by_key.values():  # opened by an event that no longer opens it
        if left.status == "open":
            left.status, left.closed_by_event_id, left.closed_on = "cancelled", row.id, row.occurred_on
            closed.append(left)
            session.add(left)
    return opened, closed


def _allowed_names(ctx: GuardContext) -> str:
    names = [e.name for e, reason in next_events(ctx) if reason is None]
    return ", ".join(names) or _("nothing (the case is closed)")


def _check_not_future(bureau: Bureau, region: Region, on: date) -> None:
    today = bureau.today(region)
    if on > today:
        raise InvalidInput(_("--on {on} is in the future (today is {today}); record what has happened, on the day "
                             "it happened.").format(on=day(on), today=day(today)))


def _check_date(bureau: Bureau, region: Region, case: Case, on: date, precision: str = "day") -> None:
    _check_not_future(bureau, region, on)
    latest = on + {"day": relativedelta(), "month": relativedelta(months=1, days=-1),
                   "year": relativedelta(years=1, days=-1)}[precision]  # a month or a year may end after the opening
    if latest < case.opened_on:
        raise InvalidInput(_("--on {on} is before case {ref} was opened ({opened}).")
                           .format(on=day(on), ref=case.ref, opened=day(case.opened_on)))


def next_ref(session, year: int) -> str:
    prefix = f"{REF_PREFIX}-{year}-"
    query = select(Case.ref).where(Case.ref.startswith(prefix))
    if session.get_bind().dialect.name == "sqlite":
        # SQLite compares text byte by byte, so this range lets it find the year's refs through the unique
        # index rather than reading every ref ("." follows "-"). PostgreSQL's collations may not sort so.
        query = query.where(Case.ref >= prefix, Case.ref < f"{REF_PREFIX}-{year}.")
    # Longest first, so that KS-2026-10000 comes after KS-2026-9999.
    last = session.exec(query.order_by(func.length(Case.ref).desc(), Case.ref.desc()).limit(1)).first()
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


@contextmanager
def writing(bureau: Bureau, session, ref: str | None = None):
    """Commit what the block writes, its events chained (workflow/chain.py), or nothing: a clash on a unique key means
    a concurrent change."""
    try:
        with sealing(session) as seal_added:
            yield
            seal_added()
        session.commit()
    except ConcurrentChange:
        session.rollback()
        raise
    except IntegrityError:
        session.rollback()
        raise (ConcurrentChange(ref=ref) if ref else ConcurrentOpening()) from None
    except DBAPIError as err:
        session.rollback()
        raise bureau.db.unavailable(err) from None
