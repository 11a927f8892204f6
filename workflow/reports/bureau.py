"""The bureau's report (``kerjasama report``): one self-contained HTML file with inline SVG charts of the pipeline,
the time cases spent in each stage, dormant and expiring agreements and the activities.

The template is templates/reports/report.html; the numbers and the chart geometry are computed here, so the
template only places what it is given.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Activity, Case, Event
from workflow.chain import head
from workflow.agreements import register
from workflow.board import board
from workflow.bureau import Bureau
from workflow.store import load_region
from workflow.timeline import timeline as case_timeline
from workflow.machine import stages_of
from workflow.procedure import STAGES
from workflow.reports.environment import reports_environment

STAGE_COLOURS = {"initiation": "#9e9e9e", "mofa_mediation": "#5c6bc0", "council_approval": "#26a69a",
                 "signing": "#ffa726", "action_plan": "#8d6e63", "evaluation": "#43a047", "closed": "#e53935"}


def bars(counts: dict[str, float], width: int = 420, row: int = 22) -> dict:
    """Geometry of a horizontal bar chart: one bar per key, scaled to the largest value."""
    top = max(counts.values(), default=0) or 1
    return {"height": row * len(counts) + 4, "width": width,
            "bars": [{"label": label, "value": value, "y": i * row, "w": round(value / top * (width - 190))}
                     for i, (label, value) in enumerate(counts.items())]}


def timeline(bureau: Bureau, today: date, limit: int = 40) -> dict:
    """Per case, the spans it spent in each stage, for a Gantt-like chart of the most recent cases."""
    with bureau.db.session() as session:
        cases = session.exec(select(Case).where(Case.opened_on <= today).order_by(Case.opened_on.desc())
                             .limit(limit)).all()
        events = session.exec(select(Event).where(Event.case_id.in_([c.id for c in cases]))
                              .order_by(Event.case_id, Event.seq)).all()
    by_case = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(event)
    start = min((c.opened_on for c in cases), default=today)
    span = max((today - start).days, 1)
    rows = []
    for i, case in enumerate(sorted(cases, key=lambda c: c.opened_on)):
        segments, current, since = [], None, None
        entries = [e for e in case_timeline(by_case[case.id]) if e.occurred_on <= today]
        for event, stage in zip(entries, stages_of(entries)):
            if stage != current:
                if current:
                    segments.append((current, since, event.occurred_on))
                current, since = stage, event.occurred_on
        if current:
            segments.append((current, since, today if current != "closed" else since + relativedelta(days=30)))
        rows.append({"ref": case.ref, "y": i * 18, "segments": [
            {"stage": s, "x": round((a - start).days / span * 600), "w": max(2, round((b - a).days / span * 600)),
             "days": (b - a).days, "colour": STAGE_COLOURS[s]} for s, a, b in segments]})
    return {"rows": rows, "height": len(rows) * 18 + 20, "start": start, "end": today}


def _as_of(activity: Activity, today: date) -> Activity:
    """The activity with the status it had on ``today`` (a copy: the row is not changed)."""
    reached = [(getattr(activity, f"{s}_on"), n, s) for n, s in enumerate(("proposed", "budgeted", "done", "cancelled"))
               if getattr(activity, f"{s}_on") and getattr(activity, f"{s}_on") <= today]
    return activity.model_copy(update={"status": max(reached)[2] if reached else "planned"})


def report_html(bureau: Bureau, today: date | None = None) -> str:
    """The whole report as one self-contained HTML file; with ``today``, as the record stands for that day."""
    asked = today
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        activities = [_as_of(a, today) for a in session.exec(select(Activity).where(Activity.added_on <= today))]
        anchor = head(session)
    agreements = register(bureau, on=asked)
    pipeline = board(bureau, today)
    by_stage = {s["stage"]: len(s["cases"]) for s in pipeline["stages"]}
    by_opd = Counter(a.lead_opd for a in activities if a.status != "cancelled")
    by_layer = Counter(a.layer for a in activities if a.status != "cancelled")
    funding = defaultdict(int)
    for a in activities:
        funding[a.status] += a.cost
    horizon = today + relativedelta(months=12)
    expiring = [r for r in agreements if r["status"] == "active" and r["expiry"]
                and r["expiry"][:10] <= horizon.isoformat()]
    return reports_environment().get_template("report.html").render(
        region=region, today=today, agreements=agreements, pipeline=pipeline,
        stage_chart=bars({s.name: by_stage.get(s.name, 0) for s in STAGES if s.name != "closed"}),
        status_counts=Counter(r["status"] for r in agreements),
        dormant=[r for r in agreements if r["status"] == "dormant"], expiring=expiring,
        opd_chart=bars(dict(by_opd.most_common(12))), layer_chart=bars(dict(by_layer)),
        funding_chart=bars({k: funding[k] for k in ("planned", "proposed", "budgeted", "done") if k in funding}),
        timeline=timeline(bureau, today), colours=STAGE_COLOURS, anchor=anchor)
