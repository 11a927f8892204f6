"""Action plans and evaluations: what keeps a signed agreement alive (UU 23/2014 Pasal 327, 368; PP 12/2019).

Every change is an event of the case (``activity_planned``, ``activity_updated``, ``activity_recorded``,
``evaluation_recorded``); the Activity and Evaluation rows are written in the same transaction, so the
history and the plan never disagree.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.models import Activity, Case, Evaluation
from workflow import eligibility
from workflow.benefits import period_figures
from workflow.bureau import Bureau
from workflow.config import Config
from workflow.engine import Outcome, apply
from workflow.store import load_case, load_region
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.procedure import BUDGET_WINDOWS, NEXT_ACTIVITY_STATUS


def window_day(config: Config, name: str, year: int) -> date:
    default = next(w.date for w in BUDGET_WINDOWS if w.name == name)
    month, day = map(int, config.budget_windows.get(name, default).split("-"))
    return date(year, month, day)


def earliest_fundable(added_on: date, config: Config) -> dict:
    """The first fiscal year an activity added on ``added_on`` can still be funded in (the APBD calendar).

    A new activity reaches this year's budget only through the KUA-PPAS change (APBD-P, PP 12/2019
    Pasal 169, by the first week of August); it reaches next year's APBD only if the OPD lists it in
    the Renja/RKPD drafted January to May. Later than both, it waits a year more.
    """
    year = added_on.year
    change, rkpd = window_day(config, "kua_ppas_change_submission", year), window_day(config, "rkpd_input", year)
    regular = year + 1 if added_on <= rkpd else year + 2
    if added_on <= change:
        return {"year": year, "route": "APBD-P", "regular_year": regular,
                "why": _("APBD-P {year} if the OPD gets it into the KUA-PPAS change by {change} (PP 12/2019 Pasal "
                         "169); in the regular APBD from {regular}.").format(year=year, change=change.isoformat(),
                                                                             regular=regular)}
    return {"year": regular, "route": "APBD", "regular_year": regular,
            "why": _("The KUA-PPAS change of {year} closed on {change} and the Renja/RKPD for {next} on {rkpd}: the "
                     "regular APBD of {regular} is the first, unless an OPD still fits it into its RKA.").format(
                year=year, change=change.isoformat(), next=year + 1, rkpd=rkpd.isoformat(), regular=regular)}


def add_activity(bureau: Bureau, ref: str, *, actor: str, on: date | None = None, precision: str = "day",
                 **fields) -> Outcome:
    """Add an activity to the case's action plan (event ``activity_planned``).

    :param fields: title, lead_opd, field, layer, fiscal_year, cost, budget_source, output, indicator,
        partner_unit (see the event's data in workflow/procedure.py).
    """
    if fields.get("field") not in eligibility.fields() or not eligibility.fields()[fields["field"]].allowed:
        allowed = ", ".join(code for code, f in eligibility.fields().items() if f.allowed)
        raise InvalidInput(_("An activity's field must be one of: {allowed}.").format(allowed=allowed))

    def write(session, case, row):
        last = session.exec(select(Activity.number).where(Activity.case_id == case.id)
                            .order_by(Activity.number.desc())).first()
        number = (last or 0) + 1
        row.data = row.data | {"activity": number}
        data = dict(row.data)
        session.add(Activity(case_id=case.id, number=number, title=data["title"], lead_opd=data["lead_opd"],
                             partner_unit=data.get("partner_unit"), field=data["field"], layer=data["layer"],
                             fiscal_year=data["fiscal_year"], cost=data["cost"], budget_source=data["budget_source"],
                             output=data["output"], indicator=data["indicator"], added_on=row.occurred_on))

    return apply(bureau, ref, "activity_planned", actor=actor, on=on, precision=precision, on_recorded=write,
                 internal=True, data={k: v for k, v in fields.items() if v is not None})


def update_activity(bureau: Bureau, ref: str, number: int, *, actor: str, on: date | None = None,
                    status: str | None = None, spent: int | None = None, **changes) -> Outcome:
    """Change an activity: its status (proposed, budgeted, done, cancelled) or its year, cost, OPD or source.

    Marking it done records ``activity_recorded``, which also revives a dormant agreement, with what it cost
    (``spent``, in rupiah) when known.
    :raises InvalidInput: no such activity, or a status it cannot move to from where it is.
    """
    with bureau.db.session() as session:
        case = load_case(session, ref)
        activity = session.exec(select(Activity).where(Activity.case_id == case.id, Activity.number == number)).first()
    if activity is None:
        raise InvalidInput(_("{ref} has no activity {number}; kerjasama action list {ref} shows them.")
                           .format(ref=ref, number=number))
    if status and status not in NEXT_ACTIVITY_STATUS[activity.status]:
        allowed = ", ".join(NEXT_ACTIVITY_STATUS[activity.status]) or _("nothing")
        raise InvalidInput(_("Activity {number} of {ref} is {status}; it can become: {allowed}.").format(
            number=number, ref=ref, status=activity.status, allowed=allowed))
    changes = {k: v for k, v in changes.items() if v is not None}

    def write(session, case, row):
        stored = session.get(Activity, activity.id)
        for key, value in parse_changes(row.data).items():
            setattr(stored, key, value)
        if status:
            stored.status = status
            setattr(stored, f"{status}_on", row.occurred_on)
        if "spent" in row.data:
            stored.spent = row.data["spent"]
        session.add(stored)

    if spent is not None and status != "done":
        raise InvalidInput(_("--spent is what a done activity cost: give it with --status done."))
    if status == "done":
        if changes:
            raise InvalidInput(_("Record the activity as done on its own, then change anything else."))
        return apply(bureau, ref, "activity_recorded", actor=actor, on=on, on_recorded=write, internal=True,
                     data={"activity": number} | ({"spent": spent} if spent is not None else {}))
    if not status and not changes:
        raise InvalidInput(_("Say what changes: --status, --year, --cost, --lead-opd or --source."))
    data = {"activity": number} | ({"status": status} if status else {}) | changes
    return apply(bureau, ref, "activity_updated", actor=actor, on=on, data=data, on_recorded=write, internal=True)


def parse_changes(data: dict) -> dict:
    return {k: data[k] for k in ("fiscal_year", "cost", "lead_opd", "budget_source") if k in data}


def activities_of(bureau: Bureau, config: Config, ref: str) -> list[dict]:
    """The case's activities with the earliest fiscal year each can be funded in."""
    with bureau.db.session() as session:
        load_region(session)
        case = load_case(session, ref)
        rows = session.exec(select(Activity).where(Activity.case_id == case.id).order_by(Activity.number)).all()
    return [activity_dict(a) | {"earliest": earliest_fundable(a.added_on, config)} for a in rows]


def activity_dict(a: Activity) -> dict:
    return {"number": a.number, "activity": a.title, "title": a.title, "lead_opd": a.lead_opd,
            "partner_unit": a.partner_unit or "", "field": a.field, "layer": a.layer, "year": a.fiscal_year,
            "cost": a.cost, "spent": a.spent, "source": a.budget_source, "output": a.output, "indicator": a.indicator,
            "status": a.status, "added_on": a.added_on, "done_on": a.done_on}


def record_evaluation(bureau: Bureau, ref: str, *, actor: str, on: date | None = None, kind: str,
                      recommendation: str, period_from: date, period_to: date, outputs: str = "",
                      indicators: str = "", problems: str = "") -> Outcome:
    """Record a periodic evaluation with the figures of its period beside its recommendation
    (workflow.benefits.period_figures): the indicators against their targets, the cost planned and spent, the
    activities planned and done, counted from the record.

    A recommendation to amend, extend or terminate opens a deadline for that step.
    """
    if period_to < period_from:
        raise InvalidInput(_("The evaluated period ends ({to}) before it starts ({start}).")
                           .format(to=period_to.isoformat(), start=period_from.isoformat()))

    def write(session, case, row):
        figures = period_figures(session, case, period_from, period_to)
        row.data = row.data | {"planned": figures["planned"], "done": figures["done"], "figures": figures}
        return lambda event_id: session.add(Evaluation(
            case_id=case.id, event_id=event_id, kind=kind, period_from=period_from, period_to=period_to,
            planned=figures["planned"], done=figures["done"], outputs=outputs, indicators=indicators,
            problems=problems, recommendation=recommendation, recorded_on=row.occurred_on, figures=figures))

    return apply(bureau, ref, "evaluation_recorded", actor=actor, on=on, on_recorded=write, internal=True,
                 data={"kind": kind, "recommendation": recommendation, "period_from": period_from.isoformat(),
                       "period_to": period_to.isoformat(), "outputs": outputs, "indicators": indicators,
                       "problems": problems})


def evaluation_figures(bureau: Bureau, ref: str, period_from: date, period_to: date) -> dict:
    """The figures an evaluation of case ``ref`` for the period would be recorded with, recording nothing."""
    with bureau.db.session() as session:
        load_region(session)
        return period_figures(session, load_case(session, ref), period_from, period_to)


def last_evaluation(session, case: Case) -> dict | None:
    row = session.exec(select(Evaluation).where(Evaluation.case_id == case.id).order_by(Evaluation.id.desc())).first()
    if row is None:
        return None
    return {"kind": row.kind, "period_from": row.period_from, "period_to": row.period_to, "planned": row.planned,
            "done": row.done, "outputs": row.outputs, "indicators": row.indicators, "problems": row.problems,
            "recommendation": row.recommendation, "recorded_on": row.recorded_on, "figures": row.figures}
