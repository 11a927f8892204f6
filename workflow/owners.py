"""Who carries each case: its owner, how a case changes hands, and who carries what.

The owner is a fact of the record, never a column. The opening names it (``case open --owner``; by default the name
given with ``--as``, else the login) and each ``case_assigned`` event hands the case on, keeping the owner before for
the record (``case assign``; ``case reassign`` when an officer leaves). A corrected assignment drops out of the
timeline (workflow/timeline.py), so the owner falls back to the one before it. A case recorded before cases had owners
is carried by whoever opened it (on whose behalf, else the login), an imported one by whoever imported it. A case's
reminders go to its owner.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable

from sqlalchemy import or_
from sqlmodel import select

from db.models import Case, Deadline, Event
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply
from workflow.errors import ConcurrentChange, InvalidInput
from workflow.i18n import _, day
from workflow.inputs import check_text, officer_name
from workflow.procedure import TERMINAL_STATES
from workflow.store import history_of, load_case, load_region
from workflow.timeline import CORRECTION, corrected, place, timeline

ASSIGNED = "case_assigned"
# Of every case's events, those that say who carries it: the first (its opening or import), the assignments, and the
# corrections (which may undo an assignment).
_RELEVANT = (select(Event.case_id, Event.seq, Event.name, Event.occurred_on, Event.actor, Event.data)
             .where(or_(Event.seq == 1, Event.name.in_((ASSIGNED, CORRECTION)))))


def owner_of(events: Iterable) -> str:
    """The owner the events of one case leave: the last assignment that stands, else the one its first event names.

    :param events: the case's record (its Event rows, in any order), its timeline (workflow/timeline.py), or a
        timeline cut at a day for the owner as of that day. Rows with ``seq``, ``name``, ``occurred_on``, ``actor``
        and ``data`` do; only the first event, the assignments and the corrections matter.
    """
    events = list(events)
    undone = corrected(events)  # a timeline holds no correction: nothing to undo
    standing = sorted((e for e in events if e.name != CORRECTION and e.seq not in undone), key=place)
    for event in reversed(standing):
        if event.name == ASSIGNED:
            return event.data["owner"]
    first = standing[0]  # the opening, or the import: it always leads
    return first.data.get("owner") or first.data.get("on_behalf_of") or first.actor


def owners(session) -> dict[int, str]:
    """The owner of every case of the register, by case id, from one query of the events that say who carries it."""
    by_case: dict[int, list] = defaultdict(list)
    for row in session.exec(_RELEVANT):
        by_case[row.case_id].append(row)
    return {case_id: owner_of(rows) for case_id, rows in by_case.items()}


def owner_name(name: str | None, what: str) -> str:
    """``name`` as a name to look an owner up by (``--from``, ``board --owner``), its spaces tidied. Not held to
    :func:`officer_name`'s rule: an owner by default is the name given with ``--as``, which may be any text."""
    check_text(name, what)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_("{what} needs the name of an officer.").format(what=what))
    return name


def assign(bureau: Bureau, ref: str, officer: str, *, actor: str | None, on: date | None = None,
           note: str | None = None) -> Outcome:
    """Hand case ``ref`` to ``officer`` from ``on`` (today when None): a ``case_assigned`` event that keeps the owner
    before as ``previous_owner``.

    :raises InvalidInput: not a plain name; the case is closed or already theirs; ``on`` before the case's opening or
        before its last assignment (which would stay the one that counts).
    :raises StaleVersion: another officer changed the case at the same moment; nothing is recorded.
    """
    officer = officer_name(officer, "OFFICER")
    with bureau.db.session() as session:
        case = load_case(session, ref)
        current = _assignable(case, history_of(session, case), officer, on)
    return _record(bureau, case, officer, current, actor=actor, on=on, note=note)


def reassign(bureau: Bureau, old: str, new: str, *, actor: str | None, on: date | None = None,
             note: str | None = None) -> dict:
    """Hand every open case that ``old`` carries to ``new`` (an officer leaves): one ``case_assigned`` each.

    Every case is checked before the first is handed on. Each is recorded in its own transaction: a case another
    officer changes at the same moment is read again and handed on if ``old`` still carries it, and running the
    command again hands on whatever is left.
    :returns: ``{"from", "to", "cases": [{"ref", "title"}], "left": [...]}``: the cases handed on, by ref, and those
        changed by someone else at the same moment three times over, left with ``old``.
    :raises InvalidInput: ``old`` carries no open case; ``new`` is not a plain name, or is ``old``; a case cannot be
        handed on on ``on``.
    """
    old, new = owner_name(old, "--from"), officer_name(new, "--to")
    if old == new:
        raise InvalidInput(_("--from and --to both name {name}; nothing to hand on.").format(name=new))
    with bureau.db.session() as session:
        load_region(session)
        carried = owners(session)
        open_cases = session.exec(select(Case).where(Case.state.not_in(TERMINAL_STATES)).order_by(Case.ref)).all()
        theirs = [case for case in open_cases if carried.get(case.id) == old]
        if not theirs:
            others = sorted({carried[case.id] for case in open_cases if case.id in carried}, key=str.casefold)
            raise InvalidInput(_("{name} carries no open case; nothing to hand on. Owners of open cases: {owners}.")
                               .format(name=old, owners=", ".join(others) or "-"))
        planned = [(case, _assignable(case, history_of(session, case), new, on)) for case in theirs]
    moved, left = [], []
    for case, current in planned:
        for attempt in range(3):
            try:
                _record(bureau, case, new, current, actor=actor, on=on, note=note)
                moved.append({"ref": case.ref, "title": case.title})
                break
            except ConcurrentChange:  # changed since it was read: hand it on if it is still theirs
                with bureau.db.session() as session:
                    case = load_case(session, case.ref)
                    record = history_of(session, case)
                if case.state in TERMINAL_STATES or owner_of(record) != old:
                    break
                if attempt == 2:
                    left.append({"ref": case.ref, "title": case.title})
                    break
                current = _assignable(case, record, new, on)
    return {"from": old, "to": new, "cases": moved, "left": left}


def workload(bureau: Bureau, today: date | None = None) -> dict:
    """Who carries what: for each owner of open cases, the cases, their open deadlines, how many are overdue, and
    the nearest due date; the busiest first.

    Three queries, whatever the size of the register: the open cases, the events that say who carries them, and the
    open deadlines.
    """
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        refs = dict(session.exec(select(Case.id, Case.ref).where(Case.state.not_in(TERMINAL_STATES))
                                 .order_by(Case.ref)).all())
        carried = owners(session)
        deadlines = session.exec(select(Deadline.case_id, Deadline.kind, Deadline.due)
                                 .where(Deadline.status == "open").order_by(Deadline.due, Deadline.id)).all()
    rows: dict[str, dict] = {}
    for case_id, ref in refs.items():
        owner = carried[case_id]
        row = rows.setdefault(owner, {"owner": owner, "cases": 0, "refs": [], "deadlines": 0, "overdue": 0,
                                      "nearest": None})
        row["cases"] += 1
        row["refs"].append(ref)
    for case_id, kind, due in deadlines:
        if case_id not in refs:
            continue
        row = rows[carried[case_id]]
        row["deadlines"] += 1
        row["overdue"] += due < today
        if row["nearest"] is None:  # soonest first
            row["nearest"] = {"due": due.isoformat(), "ref": refs[case_id], "kind": kind, "days": (due - today).days}
    busiest = sorted(rows.values(), key=lambda r: (-r["cases"], r["owner"].casefold()))
    return {"today": today.isoformat(), "owners": busiest}


def _assignable(case: Case, record: list, officer: str, on: date | None) -> str:
    """The owner case ``case`` has now, when it may be handed to ``officer`` on ``on``; else a refusal."""
    if case.state in TERMINAL_STATES:
        raise InvalidInput(_("{ref} is closed ({state}); only an open case is handed on.").format(
            ref=case.ref, state=case.state))
    current = owner_of(record)
    if current == officer:
        raise InvalidInput(_("{ref} is already carried by {owner}.").format(ref=case.ref, owner=officer))
    if on is not None and on < case.opened_on:
        raise InvalidInput(_("--on {on} is before case {ref} was opened ({opened}).")
                           .format(on=day(on), ref=case.ref, opened=day(case.opened_on)))
    assigned = [e for e in timeline(record) if e.name == ASSIGNED]
    if on is not None and assigned and on < assigned[-1].occurred_on:
        raise InvalidInput(_("{ref} was handed to {owner} on {day}, after {on}; a hand-over dated before it would not "
                             "count. Give a day from {day} on.").format(
            ref=case.ref, owner=assigned[-1].data["owner"], day=day(assigned[-1].occurred_on), on=day(on)))
    return current


def _record(bureau: Bureau, case: Case, officer: str, current: str, *, actor: str | None, on: date | None,
            note: str | None) -> Outcome:
    """The ``case_assigned`` event, if the case is still at the version read (else :class:`StaleVersion`)."""
    return apply(bureau, case.ref, ASSIGNED, actor=actor, on=on, note=note, expected_version=case.version,
                 data={"owner": officer, "previous_owner": current})
