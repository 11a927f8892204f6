"""What a cooperation has brought, in figures: its indicators against their targets year by year, the cost planned
and spent by budget source, the activities planned and done, and the years in which nothing was carried out.

``kerjasama evaluate`` records an evaluation with the figures of its period beside its recommendation;
``kerjasama report benefit`` prints them for one agreement or the whole region. Nothing here is estimated: a year with
no value recorded shows none, a cost not recorded is counted as unknown, never as zero.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from db.models import Activity, Case
from workflow.indicators import measured
from workflow.procedure import BUDGET_SOURCES

SIGNINGS = ("agreement_signed", "agreement_renewed")


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
