"""The bureau's report (``kerjasama report``): one self-contained HTML file with inline SVG charts of the pipeline,
the time cases spent in each stage, dormant and expiring agreements and the activities, in the region's language.

The template is templates/reports/report.html; the numbers are computed here and the chart geometry in
workflow/reports/charts.py, so the template only places what it is given.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.models import Activity, Case, Event, Partner
from workflow.benefits import as_of
from workflow.chain import head
from workflow.agreements import register
from workflow.board import board
from workflow.eligibility import country_name
from workflow.bureau import Bureau
from workflow.i18n import N_, _, current_language, speaking
from workflow.store import load_region
from workflow.timeline import timeline as case_timeline
from workflow.trips import purposes, trip_costs, trips_of
from workflow.machine import stages_of
from workflow.procedure import STAGES
from workflow.reports.charts import bar_chart, timeline_chart
from workflow.reports.environment import reports_environment
from workflow.reports.statuses import shown_status, status_groups

STAGE_COLOURS = {"initiation": "#9e9e9e", "mofa_mediation": "#5c6bc0", "council_approval": "#26a69a",
                 "signing": "#ffa726", "action_plan": "#8d6e63", "evaluation": "#43a047", "closed": "#e53935"}
STAGE_LABELS = {stage.name: stage.label for stage in STAGES}
LAYER_LABELS = {"economic": N_("Economic"), "multidimensional": N_("Multidimensional"), "political": N_("Political")}
FUNDING_LABELS = {"planned": N_("Planned"), "proposed": N_("Proposed for the Renja/RKPD"),
                  "budgeted": N_("Budgeted in the APBD"), "done": N_("Done")}
# An official trip's steps, latest first: the status it has on a day is that of the latest step taken by then.
TRIP_STEPS = (("cancelled_on", "cancelled", N_("Cancelled")), ("reported_on", "reported", N_("Reported")),
              ("returned_on", "returned", N_("Returned, report due")),
              ("permit_granted_on", "permitted", N_("Permit granted")),
              ("permit_requested_on", "permit_requested", N_("Permit requested")))


def stage_spans(bureau: Bureau, today: date, limit: int = 40) -> dict:
    """The ``limit`` cases opened most recently by ``today``, oldest first, each with its partner and the spans it
    spent in each stage; a closed case's last span has no end (``None``)."""
    with bureau.db.session() as session:
        cases = session.exec(select(Case, Partner.name).join(Partner, Partner.id == Case.partner_id)
                             .where(Case.opened_on <= today).order_by(Case.opened_on.desc(), Case.ref.desc())
                             .limit(limit)).all()
        events = session.exec(select(Event).where(Event.case_id.in_([c.id for c, _name in cases]))
                              .order_by(Event.case_id, Event.seq)).all()
    by_case = defaultdict(list)
    for event in events:
        by_case[event.case_id].append(event)
    rows = []
    for case, partner in sorted(cases, key=lambda found: (found[0].opened_on, found[0].ref)):
        segments, current, since = [], None, None
        entries = [e for e in case_timeline(by_case[case.id]) if e.occurred_on <= today]
        for event, stage in zip(entries, stages_of(entries)):
            if stage != current:
                if current:
                    segments.append((current, since, event.occurred_on))
                current, since = stage, event.occurred_on
        if current:
            segments.append((current, since, today if current != "closed" else None))
        rows.append({"ref": case.ref, "partner": partner, "segments": segments})
    start = min((c.opened_on for c, _name in cases), default=today)
    return {"rows": rows, "start": start, "end": today}


def report_html(bureau: Bureau, today: date | None = None) -> str:
    """The whole report as one self-contained HTML file; with ``today``, as the record stands for that day."""
    asked = today
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        activities = [as_of(a, today) for a in session.exec(select(Activity).where(Activity.added_on <= today))]
        anchor = head(session)
    agreements = [row | {"status": shown_status(row)} for row in register(bureau, on=asked)]
    pipeline = board(bureau, today)
    spans = stage_spans(bureau, today)
    # The official trips abroad departing in the report's year or planned for later, as planned by its day, and what
    # the year's trips cost.
    trips = [t | {"status": trip_status(t, today)} for t in trips_of(bureau)
             if t["planned_on"] <= today and t["departs_on"].year >= today.year]
    with speaking(region.language):
        return _render(region, today, agreements, pipeline, activities, spans, anchor,
                       {"trips": shown_trips(trips), "costs": trip_costs(bureau, today.year, today)})


def trip_status(trip: dict, today: date) -> str:
    return next((status for column, status, _label in TRIP_STEPS if trip[column] and trip[column] <= today),
                "planned")


def shown_trips(trips: list[dict]) -> list[dict]:
    """The trips with their purpose, destination and status in the language being spoken."""
    labels = {status: label for _column, status, label in TRIP_STEPS} | {"planned": N_("Planned")}
    return [t | {"purpose_name": purposes()[t["purpose"]].name(), "status_name": _(labels[t["status"]]),
                 "country": country_name(t["destination"], current_language())} for t in trips]


def _render(region, today: date, agreements: list[dict], pipeline: dict, activities: list[Activity], spans: dict,
            anchor: str, trips: dict) -> str:
    """The report's charts and tables in the language being spoken."""
    by_stage = {s["stage"]: len(s["cases"]) for s in pipeline["stages"]}
    by_opd = Counter(a.lead_opd for a in activities if a.status != "cancelled")
    by_layer = Counter(a.layer for a in activities if a.status != "cancelled")
    funding = defaultdict(int)
    for a in activities:
        funding[a.status] += a.cost
    horizon = today + relativedelta(months=12)
    expiring = [r for r in agreements if r["status"] == "active" and r["expiry"]
                and r["expiry"][:10] <= horizon.isoformat()]
    stage_labels = {name: _(label) for name, label in STAGE_LABELS.items()}
    return reports_environment().get_template("report.html").render(
        region=region, today=today, agreements=agreements, pipeline=pipeline, stage_labels=stage_labels,
        stage_chart=bar_chart({stage_labels[s.name]: by_stage.get(s.name, 0) for s in STAGES if s.name != "closed"},
                              _("cases")),
        status_groups=status_groups([r["status"] for r in agreements]),
        dormant=[r for r in agreements if r["status"] == "dormant"], expiring=expiring,
        opd_chart=bar_chart(dict(by_opd.most_common(12)), _("activities")),
        layer_chart=bar_chart({_(LAYER_LABELS.get(k, k)): n for k, n in by_layer.items()}, _("activities")),
        funding_chart=bar_chart({_(FUNDING_LABELS[k]): funding[k] for k in FUNDING_LABELS if k in funding},
                                money=True),
        timeline=timeline_chart(spans["rows"], spans["start"], spans["end"], stage_labels), spans=spans,
        colours=STAGE_COLOURS, anchor=anchor, trips=trips)
