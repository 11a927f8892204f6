"""The bureau's report (one HTML file with inline SVG charts) and the public page of the region's agreements.

Both are Jinja templates in templates/reports/; the numbers and chart geometry are computed here.
The public site shows only what a citizen may read: partner, country, fields, dates, status and the
activities done, never notes, officer names or letters.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlmodel import select

from db.models import Activity, Case, Event
from workflow import eligibility
from workflow.agreements import in_indonesian, register
from workflow.board import board
from workflow.bureau import Bureau
from workflow.engine import load_region
from workflow.letters import BUILTIN_DIR, FILTERS
from workflow.procedure import STAGES, STATE_BY_NAME

REPORTS_DIR = BUILTIN_DIR.parent / "reports"
STAGE_COLOURS = {"initiation": "#9e9e9e", "mofa_mediation": "#5c6bc0", "council_approval": "#26a69a",
                 "signing": "#ffa726", "action_plan": "#8d6e63", "evaluation": "#43a047", "closed": "#e53935"}


def reports_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(REPORTS_DIR)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def bars(counts: dict[str, float], width: int = 420, row: int = 22) -> dict:
    """Geometry of a horizontal bar chart: one bar per key, scaled to the largest value."""
    top = max(counts.values(), default=0) or 1
    return {"height": row * len(counts) + 4, "width": width,
            "bars": [{"label": label, "value": value, "y": i * row, "w": round(value / top * (width - 190))}
                     for i, (label, value) in enumerate(counts.items())]}


def timeline(bureau: Bureau, today: date, limit: int = 40) -> dict:
    """Per case, the spans it spent in each stage, for a Gantt-like chart of the most recent cases."""
    stage_names = {s.name for s in STAGES}
    with bureau.db.session() as session:
        cases = session.exec(select(Case).order_by(Case.opened_on.desc()).limit(limit)).all()
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
        for event in by_case[case.id]:
            stage = STATE_BY_NAME[event.to_state].stage
            stage = stage if stage in stage_names else current  # suspended: still in the stage it left
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


def report_html(bureau: Bureau, today: date | None = None) -> str:
    """The whole report as one self-contained HTML file."""
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        activities = session.exec(select(Activity)).all()
    agreements = register(bureau)
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
        timeline=timeline(bureau, today), colours=STAGE_COLOURS)


def publish(bureau: Bureau, directory: Path, today: date | None = None) -> list[Path]:
    """Write the public site of the region's agreements into ``directory``; returns the files written."""
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        done = session.exec(select(Activity, Case.ref).join(Case, Case.id == Activity.case_id)
                            .where(Activity.status == "done").order_by(Activity.done_on)).all()
    activities = defaultdict(list)
    for activity, ref in done:
        activities[ref].append({"title": activity.title, "done_on": activity.done_on, "field": activity.field})
    countries, fields = eligibility.countries(), eligibility.fields()
    public = [{"ref": r["ref"], "partner": r["partner"],
               "country": countries[r["country"]].name_id if r["country"] in countries else r["country"],
               "instrument": r["instrument"], "fields": [fields[f].name_id for f in r["fields"] if f in fields],
               "signed_on": in_indonesian(r["signed_on"]), "expiry": in_indonesian(r["expiry"]), "status": r["status"],
               "activities": activities.get(r["ref"], [])}
              for r in register(bureau)]
    env = reports_environment()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, template, context in [("index.html", "public_index.html", {"agreements": public}),
                                    *[(f"{a['ref']}.html", "public_agreement.html", {"agreement": a})
                                      for a in public]]:
        path = directory / name
        path.write_text(env.get_template(template).render(region=region, today=today, **context), encoding="utf-8")
        written.append(path)
    return written
