"""The one place a case changes: :func:`open_case`, :func:`apply` and :func:`import_cases`.

Each call is one database transaction: load the case with its version, check the input and the
guards, fire the machine, append the Event, close and open Deadlines, and write the new state
only if the version is still the one read. Anything refused raises a :class:`ProcedureError`
before a row is written. :func:`import_cases` records agreements a bureau already has, each case
directly in its state with one ``imported`` event, all of them in one transaction; the rows it
takes were checked by workflow/agreements/importing.py.
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
from workflow.errors import (ConcurrentChange, ConcurrentOpening, EventNotAllowed, GuardRefused, InvalidInput,
                             MachineRefused, NotEligible, RecordedByCommand, StaleVersion, UnknownEvent)
from workflow.i18n import _, day
from workflow.machine import GuardContext, fire, next_events, refusal, return_state
from workflow.store import guard_context, load_case, load_region
from workflow.procedure import (CASE_OPENED, DEADLINE_RULE_BY_KIND, EVENT_BY_NAME, INITIAL_STATE,
                                Event as EventSpec)
from workflow.deadlines import due_date, rule_length, update_deadlines

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

    def as_dict(self) -> dict:
        """The JSON document of ``case advance --json``."""
        return {"ref": self.ref, "event": self.event, "from": self.from_state, "state": self.state,
                "version": self.version, "opened": [{"kind": d.kind, "due": d.due.isoformat()} for d in self.opened],
                "closed": [{"kind": d.kind, "status": d.status} for d in self.closed]}


def open_case(bureau: Bureau, *, title: str, partner_name: str, country: str, partner_type: str,
              fields: list[str], on: date | None, actor: str, level_justification: str | None = None,
              note: str | None = None, precision: str = "day", links: dict[str, str] | None = None,
              alternatives: list[dict] | None = None, record_past: bool = False) -> Outcome:
    """Open a case after checking the partner's eligibility (PP 28/2018 Pasal 27).

    :param precision: ``month`` or ``year`` when only that of ``on`` (its first day) is known.
    :param links: the cases this one renews, revives, implements or supersedes, by ref.
    :param record_past: a tie of the past back-filled on the day it began: what today's rules refuse is recorded
        with a flag naming the rule instead (values no list knows are still refused).
    :raises NotEligible: a rule of Pasal 27 or 36 refuses the partner.
    :raises InvalidInput: an empty title or partner, a date in the future, a link to no case.
    """
    country = country.strip().upper()
    title, partner_name = title.strip(), partner_name.strip()
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
    data = {"partner": partner_name, "country": country, "partner_type": partner_type, "fields": list(fields)}
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


@dataclass(frozen=True)
class ExistingCase:
    """An agreement or LoI the bureau already has, as :func:`import_cases` records it."""

    ref: str | None  # None: the next ref of the year it began
    title: str
    partner: str
    country: str
    partner_type: str
    fields: list[str]
    level_justification: str | None
    state: str
    days: dict[str, date]  # the first day of each date known (workflow.agreements.rows.DATES), and the expiry
    term_years: int | None  # None: no source states it; 0: no end date
    data: dict  # the imported event's data: the row's source, status and dates as given
    with_deadlines: bool = True  # False while its status is unknown: nothing to remind of until it is known


def import_cases(bureau: Bureau, cases: list[ExistingCase], *, actor: str) -> list[str]:
    """Record agreements the bureau already has, each in its state with one ``imported`` event; all or none.

    Cases with a given ref are written first, so that the refs numbered here come after them.
    Returns the refs, in the order of ``cases``.
    :raises ConcurrentChange: a case was opened at the same moment; nothing is written.
    """
    refs: dict[int, str] = {}
    with bureau.db.session() as session, writing(bureau, session):
        region = load_region(session)
        today = bureau.today(region)
        for index in sorted(range(len(cases)), key=lambda i: not cases[i].ref):
            refs[index] = _import_case(session, bureau, region, today, cases[index], actor)
    return [refs[index] for index in range(len(cases))]


def _import_case(session, bureau: Bureau, region: Region, today: date, existing: ExistingCase, actor: str) -> str:
    # The facts of the tie date it; the day a source described its status does only when nothing else is known.
    days = {key: day for key, day in existing.days.items() if key != "status_as_of"} or existing.days
    began = min(days.values(), default=today)  # the earliest fact known of the tie; with none, the import day
    partner = session.exec(select(Partner).where(Partner.name == existing.partner,
                                                 Partner.country == existing.country)).first()
    if partner is None:
        partner = Partner(name=existing.partner, country=existing.country, partner_type=existing.partner_type)
        session.add(partner)
        session.flush()
    case = Case(ref=existing.ref or next_ref(session, began.year), title=existing.title,
                kind=eligibility.kind_of(existing.partner_type), partner_id=partner.id, fields=existing.fields,
                state=existing.state, opened_on=began, level_justification=existing.level_justification)
    session.add(case)
    session.flush()
    # The event is dated by the last fact the row knows (an expiry still to come aside), so what is recorded
    # after it stays in order.
    event = Event(case_id=case.id, seq=1, name="imported", actor=actor,
                  occurred_on=max([d for d in days.values() if d <= today] or [began]),
                  from_state=None, to_state=existing.state,
                  note=_("Imported from {source}").format(source=existing.data["source"]), data=existing.data)
    event.hash = seal(event, None)
    session.add(event)
    session.flush()
    if existing.with_deadlines:
        session.add_all(_imported_deadlines(bureau, region, today, case.id, event.id, existing))
    return case.ref


def _imported_deadlines(bureau: Bureau, region: Region, today: date, case_id: int, event_id: int,
                        existing: ExistingCase) -> list[Deadline]:
    """The deadlines an imported case has open, as the procedure table's ``imported_in``/``imported_from`` say.

    Each starts on the day the row gives; one anchored on the expiry (the extension review) is counted from the
    expiry's due date. The reminder sweep looks at each from today, or from its due date when that has passed:
    a timer whose day has come is then applied at the next sweep, dated by its own day (the dormancy on the day
    it lapsed, the expiry on the expiry date).
    """
    deadlines, due = [], {}
    known_to = existing.data.get("precision", {})  # how precisely each of the row's dates is known
    for rule in DEADLINE_RULE_BY_KIND.values():  # table order: the expiry before what counts from it
        if rule.imported_instruments and existing.data.get("instrument") not in rule.imported_instruments:
            continue  # a Plan of Action's validity is its own, not an agreement's term
        column = next((d for d in rule.imported_from if existing.days.get(d)), None)
        starts_on = existing.days.get(column)
        if rule.due_given_by and existing.days.get(rule.due_given_by):  # the file gives the due date itself
            if existing.state not in rule.imported_in:
                continue
            due[rule.kind], column = existing.days[rule.due_given_by], rule.due_given_by
        else:
            counted_from = due.get("agreement_expiry") if rule.anchor == "expiry" else starts_on
            if existing.state not in rule.imported_in or counted_from is None or rule.due_given_by:
                continue
            length = rule_length(rule, region, {"term_years": existing.term_years})
            if not length:
                continue
            due[rule.kind] = due_date(rule, counted_from, length, bureau.calendar)
            column = "expires" if rule.anchor == "expiry" else column
        precision = known_to.get(column)
        deadlines.append(Deadline(case_id=case_id, kind=rule.kind, starts_on=starts_on or due[rule.kind],
                                  due=due[rule.kind], opened_by_event_id=event_id,
                                  next_action_on=min(today, due[rule.kind]),
                                  precision=precision if precision != "day" else None))
    return deadlines


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
        the event row is written: it may complete the row (a letter's number) and add rows of its own
        (outbox rows, the letter) that must be written together with the event or not at all.
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
        if case.state not in spec.sources:
            raise EventNotAllowed(event=event, ref=ref, state=case.state, allowed=_allowed_names(ctx))
        _check_date(bureau, region, case, ctx.history[-1], on, precision)
        ctx.data = parse_data(spec, data or {})
        if precision != "day":
            ctx.data["on_precision"] = precision
        if alternatives:
            ctx.data["alternatives"] = alternatives
        if spec.name == "deadline_recomputed" and ctx.open_deadline(ctx.data["kind"]) is None:
            raise InvalidInput(_("{ref} has no open deadline {kind}.").format(ref=ref, kind=ctx.data["kind"]))
        note, doc_number = (note or "").strip() or None, (doc_number or "").strip() or None
        if spec.needs_note and not note:
            raise InvalidInput(_("{event} needs --note saying what was decided and why.").format(event=event))
        if spec.needs_doc_number and not doc_number:
            raise InvalidInput(_("{event} needs --doc-number, the number of the letter that proves it.")
                               .format(event=event))
        reason = refusal(spec, ctx)
        if reason:
            raise GuardRefused(event=event, ref=ref, reason=reason, allowed=_allowed_names(ctx))
        new_state = fire(event, ctx)
        if new_state is None:
            raise MachineRefused(event=event, ref=ref)

        from_state, version = case.state, case.version
        with writing(bureau, session, ref):
            # Core, on the session's connection: the ORM's bulk-update path adds nothing here.
            changed = session.connection().execute(_MOVE_CASE, {"case_id": case.id, "read": version,
                                                                "to_state": new_state,
                                                                "now": datetime.now(timezone.utc)})
            if changed.rowcount != 1:
                raise ConcurrentChange(ref=ref)
            row = Event(case_id=case.id, seq=ctx.history[-1].seq + 1, name=event, actor=actor, occurred_on=on,
                        from_state=from_state, to_state=new_state, note=note, doc_number=doc_number,
                        data=_jsonable(ctx.data) | ({"timer": timer} if timer else {}))
            session.add(row)
            if on_recorded:
                on_recorded(session, case, row)
            row.hash = seal(row, ctx.history[-1].hash)  # after the hook: it may complete the row
            session.flush()
            owner = return_state(ctx.history + [row], new_state) if new_state == "suspended" else new_state
            opened, closed = update_deadlines(open_deadlines=ctx.open_deadlines, event_name=event, event_id=row.id,
                                              on=on, owner_state=owner, case_id=case.id, region=region,
                                              data=ctx.data, calendar=bureau.calendar)
            session.add_all(opened + closed)
        return Outcome(case.ref, event, from_state, new_state, version + 1, opened, closed, on, dict(row.data))


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


def _jsonable(data: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in data.items()}


def _allowed_names(ctx: GuardContext) -> str:
    names = [e.name for e, reason in next_events(ctx) if reason is None]
    return ", ".join(names) or _("nothing (the case is closed)")


def _check_not_future(bureau: Bureau, region: Region, on: date) -> None:
    today = bureau.today(region)
    if on > today:
        raise InvalidInput(_("--on {on} is in the future (today is {today}); record what has happened, on the day "
                             "it happened.").format(on=day(on), today=day(today)))


def _check_date(bureau: Bureau, region: Region, case: Case, last: Event, on: date, precision: str = "day") -> None:
    _check_not_future(bureau, region, on)
    latest = on + {"day": relativedelta(), "month": relativedelta(months=1, days=-1),
                   "year": relativedelta(years=1, days=-1)}[precision]  # a month or a year may end after the last event
    if latest < case.opened_on:
        raise InvalidInput(_("--on {on} is before case {ref} was opened ({opened}).")
                           .format(on=day(on), ref=case.ref, opened=day(case.opened_on)))
    if latest < last.occurred_on:
        raise InvalidInput(_("--on {on} is before the last recorded event of {ref} ({event} on {last}); "
                             "history is recorded in order.").format(on=day(on), ref=case.ref,
                                                                     event=last.name,
                                                                     last=day(last.occurred_on)))


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
    """Commit what the block writes, or nothing: a clash on a unique key means a concurrent change."""
    try:
        yield
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
