"""What a cooperation has brought, in figures: its indicators against their targets year by year, the cost planned
and spent by budget source, the activities planned and done, and the years in which nothing was carried out.

``kerjasama evaluate`` records an evaluation with the figures of its period beside its recommendation;
``kerjasama benefit`` reports them for one agreement or the whole region (workflow/reports/benefit.py). Nothing here
is estimated: a year with no value recorded shows none, a cost not recorded is counted as unknown, never as zero.

Read as of a day, the record is what the events dated up to it leave: the indicators added and the targets set by
then, the figures measured by then, the activities added by then with the step each had reached.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from db.models import Activity, Case, Event
from workflow.indicators import measured
from workflow.procedure import BUDGET_SOURCES

ACTIVITY_STEPS = ("proposed", "budgeted", "done", "cancelled")  # in the order an activity may take them
INDICATOR_EVENTS = ("indicator_added", "indicator_targets_set")


def period_figures(session, case: Case, start: date, end: date) -> dict:
    """The figures of case ``case`` for the days ``start`` to ``end``: each indicator's target and figure for each
    year of the period, the cost of its activities planned for those years and spent on those done in it, and the
    activities done per year."""
    years = list(range(start.year, end.year + 1))
    activities = session.exec(select(Activity).where(Activity.case_id == case.id,
                                                     Activity.status != "cancelled")).all()
    planned = [a for a in activities if a.fiscal_year in years]
    done = [a for a in activities if a.done_on and start <= a.done_on <= end]
    indicators = [{"number": i["number"], "code": i["code"], "name": i["name"], "unit": i["unit"],
                   "activity": i["activity"], "baseline": i["baseline"], "baseline_year": i["baseline_year"],
                   "years": [year_figure(i, year) for year in years]}
                  for i in measured(session, [case])[0]]
    length_in_years = ((end - start).days + 1) / 365.25
    return {"from": start.isoformat(), "to": end.isoformat(), "years": years, "indicators": indicators,
            "costs": costs(planned, done), "planned": len(planned), "done": len(done),
            "done_per_year": round(len(done) / length_in_years, 1)}


def year_figure(indicator: dict, year: int) -> dict:
    """An indicator's target and figure for ``year`` and how much of the target the figure reached, in percent
    (None when either is missing or the target is zero)."""
    target = indicator["targets"].get(year)
    actual = indicator["actual"].get(year)
    value = actual["value"] if actual else None
    reached = None
    if target is not None and value is not None and Decimal(target) > 0:
        reached = float(round(Decimal(value) / Decimal(target) * 100, 1))
    return {"year": year, "target": target, "value": value, "reached": reached,
            "source": actual["source"] if actual else None, "document": actual["document"] if actual else None}


def costs(planned: list[Activity], done: list[Activity]) -> dict:
    """Rupiah planned for ``planned`` and spent on ``done``, in all and by budget source; ``unknown`` counts the
    done activities whose cost was not recorded."""
    by_source = {source: {"planned": sum(a.cost for a in planned if a.budget_source == source),
                          "spent": sum(a.spent for a in done if a.budget_source == source and a.spent is not None)}
                 for source in BUDGET_SOURCES}
    return {"planned": sum(a.cost for a in planned), "spent": sum(a.spent for a in done if a.spent is not None),
            "unknown": sum(1 for a in done if a.spent is None),
            "by_source": {source: sums for source, sums in by_source.items() if sums["planned"] or sums["spent"]}}


def as_of(activity: Activity, day: date) -> Activity:
    """The activity as it stood on ``day`` (a copy: the row is not changed): the last step it had taken by then as its
    status, the later steps' days unset, and what it cost only once it was done."""
    days = {step: getattr(activity, f"{step}_on") for step in ACTIVITY_STEPS}
    reached = [step for step, on in days.items() if on and on <= day]
    later = {f"{step}_on": None for step in ACTIVITY_STEPS if step not in reached}
    status = max(reached, key=lambda step: (days[step], ACTIVITY_STEPS.index(step)), default="planned")
    return activity.model_copy(update={"status": status} | later | ({} if status == "done" else {"spent": None}))


def activities_as_of(session, cases: list[Case], day: date) -> dict[int, list[Activity]]:
    """The activities of each of ``cases`` added by ``day``, by case id, each as it stood then (:func:`as_of`)."""
    found: dict[int, list[Activity]] = {case.id: [] for case in cases}
    for activity in session.exec(select(Activity).where(Activity.case_id.in_(list(found)), Activity.added_on <= day)
                                 .order_by(Activity.case_id, Activity.number)):
        found[activity.case_id].append(as_of(activity, day))
    return found


def measured_as_of(session, cases: list[Case], day: date) -> list[list[dict]]:
    """:func:`workflow.indicators.measured` as the record stood on ``day``: the indicators added by then, with the
    targets set by then and the figures measured by then (the last of each year standing)."""
    events = session.exec(select(Event).where(Event.case_id.in_([case.id for case in cases]),
                                              Event.name.in_(INDICATOR_EVENTS), Event.occurred_on <= day)).all()
    targets: dict[tuple[int, int], dict[int, str]] = {}
    for event in sorted(events, key=lambda e: (e.occurred_on, e.seq)):
        targets.setdefault((event.case_id, event.data["indicator"]), {}).update(
            {int(year): text for year, text in event.data.get("targets", {}).items()})
    shown = []
    for case, indicators in zip(cases, measured(session, cases)):
        kept = []
        for indicator in indicators:
            if (case.id, indicator["number"]) not in targets:
                continue  # added after ``day``
            values = [v for v in indicator["values"] if v["on"] <= day]
            set_by_then = dict(sorted(targets[(case.id, indicator["number"])].items()))
            actual = {v["year"]: {key: v[key] for key in ("value", "on", "precision", "source", "document")}
                      for v in values}
            kept.append(indicator | {"targets": set_by_then, "actual": actual, "values": values,
                                     "years": sorted(set(set_by_then) | set(actual))})
        shown.append(kept)
    return shown


def indicator_years(indicator: dict) -> list[dict]:
    """An indicator's target and figure for every year from the first it has either for to the last: a year between
    with neither is listed too, with neither."""
    years = indicator["years"]
    return [year_figure(indicator, year) for year in range(years[0], years[-1] + 1)] if years else []


def source_costs(activities: list[Activity]) -> dict:
    """What the action plan costs: rupiah planned for its activities (the cancelled left out) and spent on those done,
    in all and by budget source; ``unknown`` counts the done activities whose cost was not recorded, which are in no
    sum."""
    kept = [a for a in activities if a.status != "cancelled"]

    def sums(chosen: list[Activity]) -> dict:
        done = [a for a in chosen if a.status == "done"]
        return {"planned": sum(a.cost for a in chosen), "spent": sum(a.spent for a in done if a.spent is not None),
                "unknown": sum(1 for a in done if a.spent is None), "done": len(done), "activities": len(chosen)}

    by_source = {source: sums([a for a in kept if a.budget_source == source]) for source in BUDGET_SOURCES}
    return sums(kept) | {"by_source": {source: found for source, found in by_source.items() if found["activities"]}}


def yearly(activities: list[Activity], signed: date, until: date, record_from: date | None = None) -> list[dict]:
    """Every calendar year from the signing's to ``until``'s, with the activities carried out in it and what they
    cost.

    ``dormant`` is True for a year in which no activity was carried out, None for one the record cannot tell: a year
    up to that of ``record_from`` (the day an agreement was entered from the bureau's old register, which lists no
    activities) with none on record. ``partial``: ``until`` falls inside the year, so it is counted up to that day.

    :param activities: as they stood on ``until`` (:func:`activities_as_of`).
    """
    kept = [a for a in activities if a.status != "cancelled"]
    rows = []
    for year in range(signed.year, until.year + 1):
        done = [a for a in kept if a.status == "done" and a.done_on.year == year]
        unknown = not done and record_from is not None and year <= record_from.year
        rows.append({"year": year, "done": len(done), "titles": [a.title for a in done],
                     "spent": sum(a.spent for a in done if a.spent is not None),
                     "unknown": sum(1 for a in done if a.spent is None),
                     "dormant": None if unknown else not done,
                     "partial": year == until.year and until < date(year, 12, 31)})
    return rows
