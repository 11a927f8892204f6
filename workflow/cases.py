"""What officers read: a case, the list of cases, a history, the deadlines. Plain JSON-ready dicts."""
from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import select

from db.models import Case, Deadline, Partner
from workflow import eligibility
from workflow.bureau import Bureau
from workflow.deadlines import days_left
from workflow.store import as_of, guard_context, history_of, load_case, load_region
from workflow.timeline import corrected, timeline
from workflow.vocabulary import key, name as term
from workflow.errors import InvalidInput
from workflow.i18n import _, basis, current_language
from workflow.machine import case_stage, next_events
from workflow.procedure import DEADLINE_RULE_BY_KIND, GUARD_BY_NAME, RETURN, STAGE_BY_NAME, STATE_BY_NAME, STATES


def show_case(bureau: Bureau, ref: str, today: date | None = None) -> dict:
    """Where case ``ref`` stands: stage, state, open deadlines with days left, and what may happen next.

    :param today: the day to show it as of; before the case's latest event, as the events dated up to it leave it.
    """
    # Imported here, not at the top: the deadlines and the lists read neither the archive's tables nor the trips',
    # and need not load the engine that handing a case on records through.
    from workflow.proofs import missing_proofs
    from workflow.owners import owner_of
    from workflow.trips import trips_in

    with bureau.db.session() as session:
        ctx = guard_context(session, bureau, ref, today)
        if ctx.on < max(e.occurred_on for e in ctx.history):
            ctx = as_of(session, ctx)
        case, today, state = ctx.case, ctx.on, ctx.state
        stage = case_stage(state, ctx.history)
        last = ctx.history[-1]
        allowed, blocked = [], []
        for event, reason in next_events(ctx):
            if reason:
                blocked.append({"event": event.name, "reason": reason})
            else:
                allowed.append({"event": event.name, "label": _(event.label), "to": _destination(event, ctx),
                                "needs": _needs(event), "basis": basis(event.basis)})
        report = {
            "ref": case.ref, "title": case.title, "kind": case.kind,
            "partner": _partner(ctx.partner), "fields": list(case.fields),
            "level_justification": case.level_justification,
            "opened_on": case.opened_on.isoformat(), "owner": owner_of(ctx.history),
            "stage": stage, "stage_label": _(STAGE_BY_NAME[stage].label),
            "state": state, "state_label": _(STATE_BY_NAME[state].label),
            "resumes_to": ctx.return_state if state == "suspended" else None,
            "version": case.version, "today": today.isoformat(),
            "last_event": {"event": last.name, "on": last.occurred_on.isoformat()},
            "deadlines": [_deadline(bureau, d, today) for d in ctx.open_deadlines],
            "allowed_events": allowed, "blocked_events": blocked, "flags": flags_of(ctx.history),
            "missing_documents": missing_proofs(session, case, ctx.history),
            "trips": [{key: value.isoformat() if isinstance(value, date) else value for key, value in trip.items()}
                      for trip in trips_in(session, case)],
        }
        return report


def flags_of(history: list) -> list[str]:
    """What the record holds out of the procedure's order or in disagreement: kept as it happened, and said."""
    flags = []
    for event in history:
        flags += event.data.get("flags", []) if event.name in ("imported", "case_opened") else []
        if event.name != "imported" and event.data.get("alternatives"):
            flags.append(_("sources disagree on the day of {event}: {day}; {others}").format(
                event=event.name, day=_shown(event), others="; ".join(
                    f"{a['date']} ({a['source'] or '?'})" for a in event.data["alternatives"])))
        if event.name == "late_loi_signed":
            flags.append(_("an LoI was signed on {day}, after the agreement (PP 28/2018 Pasal 28 puts it before)")
                         .format(day=_shown(event)))
    named = {e.name: {f.strip() for f in e.data["fields"].split(";") if f.strip()}
             for e in history if e.name in ("dprd_approved", "agreement_signed") and e.data.get("fields")}
    if len(named) == 2 and named["dprd_approved"] != named["agreement_signed"]:
        flags.append(_("the fields the DPRD approved ({approved}) differ from those signed ({signed})").format(
            approved=", ".join(sorted(named["dprd_approved"])), signed=", ".join(sorted(named["agreement_signed"]))))
    return flags


def list_cases(bureau: Bureau, stage: str | None = None, state: str | None = None) -> list[dict]:
    """Every case, newest first, optionally only those in one stage or state."""
    if stage and stage not in STAGE_BY_NAME:
        raise InvalidInput(_("Unknown stage {stage}; stages: {stages}.")
                           .format(stage=stage, stages=", ".join(STAGE_BY_NAME)))
    if state and state not in STATE_BY_NAME:
        raise InvalidInput(_("Unknown state {state}; states: {states}.")
                           .format(state=state, states=", ".join(STATE_BY_NAME)))
    query = select(Case, Partner).join(Partner, Partner.id == Case.partner_id).order_by(Case.id.desc())
    if state:
        query = query.where(Case.state == state)
    if stage:
        query = query.where(Case.state.in_([s.name for s in STATES if s.stage == stage]))
    with bureau.db.session() as session:
        load_region(session)
        rows = []
        for case, partner in session.exec(query):
            history = timeline(history_of(session, case)) if case.state == "suspended" else []
            rows.append({"ref": case.ref, "title": case.title, "partner": partner.name, "country": partner.country,
                         "stage": case_stage(case.state, history), "state": case.state,
                         "opened_on": case.opened_on.isoformat()})
        return rows


def find_cases(bureau: Bureau, text: str) -> list[dict]:
    """The cases whose ref, title, partner or country (code, Indonesian or English name) hold every word of ``text``,
    whatever the case and the accents: ``kerjasama cari busan``, ``cari jepang kota``."""
    words = key(text).split()
    if not words:
        raise InvalidInput(_("Give a word to look for: part of a partner, a title, a country or a ref."))
    found = []
    for row in list_cases(bureau):
        where = key(" ".join([row["ref"], row["title"], row["partner"], row["country"],
                              eligibility.country_name(row["country"], "id"),
                              eligibility.country_name(row["country"], "en")]))
        if all(word in where for word in words):
            found.append(row)
    return found


def refs_starting(bureau: Bureau, prefix: str) -> list[str]:
    """The refs that begin with ``prefix`` (in any case), for shell completion."""
    with bureau.db.session() as session:
        query = select(Case.ref).where(func.upper(Case.ref).startswith(prefix.upper(), autoescape=True))
        return list(session.exec(query.order_by(Case.ref)))


def case_history(bureau: Bureau, ref: str) -> dict:
    """The events of case ``ref`` as recorded (by seq), with the deadlines each opened or closed, which were late
    entries and which a correction undid; ``timeline`` gives the seqs that stand, in the order they happened."""
    with bureau.db.session() as session:
        region = load_region(session)
        case = load_case(session, ref)
        events = history_of(session, case)
        deadlines = session.exec(select(Deadline).where(Deadline.case_id == case.id)).all()
        zone = ZoneInfo(region.timezone)
        undone = corrected(events)
        rows = []
        for event in events:
            rows.append({
                "seq": event.seq, "event": event.name, "on": _shown(event),
                "from": event.from_state, "to": event.to_state, "actor": event.actor,
                "on_behalf_of": event.data.get("on_behalf_of"),
                "recorded_at": event.recorded_at.astimezone(zone).isoformat(timespec="seconds"),
                "note": event.note, "doc_number": event.doc_number, "data": event.data,
                "opened": [f"{d.kind} {d.due.isoformat()}" for d in deadlines if d.opened_by_event_id == event.id],
                "closed": [f"{d.kind} {d.status}" for d in deadlines if d.closed_by_event_id == event.id],
                "late_entry": bool(event.data.get("late_entry")),
                "corrected_by": undone[event.seq].seq if event.seq in undone else None,
            })
        return {"ref": case.ref, "title": case.title, "events": rows,
                "timeline": [e.seq for e in timeline(events)]}


def upcoming_deadlines(bureau: Bureau, today: date | None = None, overdue: bool = False,
                       within: int | None = None) -> dict:
    """Open deadlines of all cases by due date.

    :param overdue: those already past due.
    :param within: those due from today to N days on; with ``overdue`` as well, both together.
    """
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        # Columns, not rows as objects: a national register lists thousands of deadlines.
        query = (select(Deadline.id, Deadline.kind, Deadline.due, Deadline.precision, Case.ref, Case.state)
                 .join(Case, Case.id == Deadline.case_id)
                 .where(Deadline.status == "open").order_by(Deadline.due, Case.ref))
        if within is not None:
            query = query.where(Deadline.due <= today + timedelta(days=within))
            if not overdue:
                query = query.where(Deadline.due >= today)
        elif overdue:
            query = query.where(Deadline.due < today)
        found = session.exec(query).all()
        failing = _failing_deliveries(session) if found else {}
        rows = [dict(id=row.id, ref=row.ref, state=row.state, undelivered=failing.get(row.id, 0),
                     **_deadline(bureau, row, today)) for row in found]
        return {"today": today.isoformat(), "deadlines": rows}


def _failing_deliveries(session) -> dict[int, int]:
    """Deliveries that failed and wait for a retry, by deadline: few, found through the deliveries' status index."""
    from db.outbox import Delivery, Reminder  # only `deadlines` asks; `case show` starts without the outbox tables

    rows = session.exec(select(Reminder.deadline_id, func.count()).join(Delivery, Delivery.reminder_id == Reminder.id)
                        .where(Delivery.status == "failed").group_by(Reminder.deadline_id)).all()
    return dict(rows)


def _deadline(bureau: Bureau, deadline, today: date) -> dict:
    """A deadline (a Deadline, or a row with its kind and due) as shown, with the days left."""
    rule = DEADLINE_RULE_BY_KIND[deadline.kind]
    return {"kind": deadline.kind, "label": _(rule.label), "due": deadline.due.isoformat(),
            "status": "overdue" if deadline.due < today else "open",
            "days_left": days_left(rule, deadline.due, today, bureau.calendar),
            "day_unit": "working" if rule.unit == "working_days" else "calendar", "basis": basis(rule.basis),
            "precision": getattr(deadline, "precision", None) or "day"}


def _destination(event, ctx) -> str:
    if event.dest is None:
        return ctx.state
    return ctx.return_state if event.dest == RETURN else event.dest


def _needs(event) -> list[str]:
    if event.command:
        return [event.command]
    needs = [f'--set {term("datum", f.name)}=… ({_(f.help)})' for f in event.data if f.required]
    needs += [f'[--set {term("datum", f.name)}=… ({_(f.help)})]' for f in event.data if not f.required]
    if event.needs_note:
        needs.append("--note")
    if event.needs_doc_number:
        needs.append("--doc-number")
    needs += [_(GUARD_BY_NAME[g].needs) for g in event.guards if g != "partner_eligible"]
    return needs


def _partner(partner: Partner) -> dict:
    return {"name": partner.name, "country": partner.country,
            "country_name": eligibility.country_name(partner.country, current_language()),
            "type": partner.partner_type}


def _shown(event) -> str:
    """The day of an event as it is known: ``2014-03-05``, ``2014-03`` or ``2014``."""
    precision = event.data.get("on_precision", "day")
    return {"day": event.occurred_on.isoformat(), "month": event.occurred_on.isoformat()[:7],
            "year": str(event.occurred_on.year)}[precision]
