"""The benefit report (``kerjasama benefit``): what a cooperation promised and what it brought, for the DPRD and the
public, as one HTML file or a PDF, in the region's language (or the one chosen: English for the partner).

For one agreement: what was promised (its fields, its term, the activities planned with their outputs, the
indicators with their baselines and targets), what was done (the activities carried out, with their cost planned and
spent), each indicator year by year against its target with the source of each figure, the costs by budget source,
the official trips abroad and the dormant years. For the region: one page with a row per agreement in force or ended
that has activities or indicators, the totals per year of each indicator where the figures can be added up, and the
costs by budget source.

Nothing is estimated: a year without a recorded figure shows none (never a zero), a done activity whose cost is not
recorded is counted as of unknown cost (never as costing nothing). No notes, no officer's name: only what a citizen
may read. The numbers are computed here (from workflow/benefits.py), the charts' geometry in
workflow/reports/charts.py; templates/reports/benefit.html and benefit_region.html place them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import select

from db.models import Case, Document, Event
from workflow import eligibility
from workflow.agreements import register
from workflow.benefits import activities_as_of, indicator_years, measured_as_of, source_costs, yearly
from workflow.bureau import Bureau
from workflow.chain import head
from workflow.document_kinds import kinds
from workflow.errors import InvalidInput
from workflow.i18n import N_, _, current_language, speaking
from workflow.indicator_catalogue import catalogue, figure
from workflow.indicators import OWN
from workflow.letters import rupiah
from workflow.partial_dates import partial_date
from workflow.procedure import BUDGET_SOURCES
from workflow.reports.bureau import FUNDING_LABELS, shown_trips, trip_status
from workflow.reports.charts import paired_chart
from workflow.reports.environment import reports_environment
from workflow.reports.statuses import GROUPS, LABELS, shown_status
from workflow.store import load_case, load_region
from workflow.trips import trips_in

# The agreements the region's page sums up: those in force or ended, not the letters of intent.
REPORTED = tuple(GROUPS["In force"]) + tuple(GROUPS["Ended"])
SOURCE_LABELS = {"apbd_opd": N_("Regional budget (APBD, through the OPDs)"), "partner": N_("The partner"),
                 "central": N_("Central government (APBN)"), "other": N_("Other sources")}
STATUS_LABELS = FUNDING_LABELS | {"cancelled": N_("Cancelled")}


def benefit_report(bureau: Bureau, ref: str | None = None, today: date | None = None, pdf: bool = False) -> bytes:
    """The benefit report of agreement ``ref``, or of the whole region when None, as HTML or PDF bytes; with
    ``today``, as the record stood on that day."""
    page = agreement_html(bureau, ref, today) if ref else region_html(bureau, today)
    if pdf:
        from workflow.letters.rendering import render_pdf

        return render_pdf(page)
    return page.encode("utf-8")


def agreement_html(bureau: Bureau, ref: str, today: date | None = None) -> str:
    """The benefit report of one agreement, as one self-contained HTML file."""
    with bureau.db.session() as session:
        region = load_region(session)
        ref = load_case(session, ref).ref
    day = _day(bureau, region, today)
    rows = [row for row in register(bureau, on=today) if row["ref"] == ref]
    if not rows:
        raise InvalidInput(_("{ref} has no agreement or letter of intent signed yet: there is nothing to report on.")
                           .format(ref=ref))
    with speaking(region.language):
        [agreement], anchor = _gathered(bureau, region, rows, day)
        return reports_environment().get_template("benefit.html").render(
            region=region, today=day, a=agreement, anchor=anchor, source_labels=SOURCE_LABELS)


def region_html(bureau: Bureau, today: date | None = None) -> str:
    """The region's page: a row per agreement in force or ended that has activities or indicators, the totals per
    year of each indicator in one unit, the costs by budget source."""
    with bureau.db.session() as session:
        region = load_region(session)
    day = _day(bureau, region, today)
    rows = [row for row in register(bureau, on=today) if shown_status(row) in REPORTED]
    with speaking(region.language):
        agreements, anchor = _gathered(bureau, region, rows, day)
        agreements = [a for a in agreements if a["activities"] or a["indicators"]]
        costs = source_costs([activity for a in agreements for activity in a["rows"]])
        return reports_environment().get_template("benefit_region.html").render(
            region=region, today=day, agreements=agreements, totals=totals(agreements), anchor=anchor,
            costs=_costs(costs), source_labels=SOURCE_LABELS)


def _day(bureau: Bureau, region, asked: date | None) -> date:
    """The day the report reads the record as of: today, or an earlier day asked for; a later one would count the
    years still to come as dormant.

    :raises InvalidInput: a day after today.
    """
    today = bureau.today(region)
    if asked is not None and asked > today:
        raise InvalidInput(_("--on {on} is in the future (today is {today}); a report reads the record up to today.")
                           .format(on=asked.isoformat(), today=today.isoformat()))
    return asked or today


def _gathered(bureau: Bureau, region, rows: list[dict], day: date) -> tuple[list[dict], str]:
    """Each register row's figures as of ``day`` (in the language spoken), and the audit anchor.

    The activities of an agreement entered from the bureau's old register are on record from the day it was entered
    (the import's recording, in the region's time zone), unless earlier ones were entered since."""
    with bureau.db.session() as session:
        cases = {case.ref: case for case in session.exec(select(Case).where(Case.ref.in_([r["ref"] for r in rows])))}
        ordered = [cases[row["ref"]] for row in rows]
        activities = activities_as_of(session, ordered, day)
        indicators = measured_as_of(session, ordered, day)
        zone = ZoneInfo(region.timezone)
        entered = select(Event.case_id, Event.recorded_at).where(Event.case_id.in_([case.id for case in ordered]),
                                                                 Event.name == "imported")
        imported = {case_id: recorded.astimezone(zone).date() for case_id, recorded in session.exec(entered)}
        trips = [t for t in trips_in(session, None) if t["planned_on"] <= day and t["ref"] in cases]
        shas = {v["document"] for found in indicators for i in found for v in i["values"] if v["document"]}
        documents = {(d.case_id, d.sha256): d for d in session.exec(select(Document).where(Document.sha256.in_(shas)))}
        anchor = head(session)
    trips = shown_trips([t | {"status": trip_status(t, day)} for t in trips])
    found = []
    for row, case, measured in zip(rows, ordered, indicators):
        plan = activities[case.id]
        found.append(_agreement(row, day, plan, [_indicator(i, plan, case.id, documents) for i in measured],
                                [t for t in trips if t["ref"] == case.ref], imported.get(case.id)))
    return found, anchor


def _agreement(row: dict, day: date, plan: list, indicators: list[dict], trips: list[dict],
               imported_on: date | None) -> dict:
    language = current_language()
    fields = eligibility.fields()
    status = shown_status(row)
    signed = partial_date(row["signed_on"]) if row["signed_on"] else None
    ended = partial_date(row["ended"]) if row.get("ended") else None
    if ended is None and status in GROUPS["Ended"] and row["expiry"]:
        ended = partial_date(row["expiry"])
    # The years are counted to the end of the agreement, or to the report's day while it is in force; an agreement
    # that has ended on a day not on record has no years to count, and none is guessed.
    until = min(ended.day, day) if ended else None if status in GROUPS["Ended"] else day
    years = yearly(plan, signed.day, until, imported_on) if signed and until and signed.day <= until else []
    made = [t for t in trips if t["status"] != "cancelled"]
    return {"ref": row["ref"], "title": row["title"], "partner": row["partner"],
            "country": eligibility.country_name(row["country"], language), "instrument": row["instrument"],
            "fields": [getattr(fields[f], f"name_{language}") for f in row["fields"] or [] if f in fields],
            "fields_known": row["fields"] is not None, "signed_on": row["signed_on"], "term_years": row["term_years"],
            "expiry": row["expiry"], "ended": row.get("ended"), "status": status,
            "status_label": _(LABELS[status]) if status in LABELS else status,
            "rows": plan, "activities": [_activity(a) for a in plan], "indicators": indicators,
            "costs": _costs(source_costs(plan)), "years": years, "until": until, "imported_on": imported_on,
            "dormant": [y["year"] for y in years if y["dormant"]],
            "unrecorded": [y["year"] for y in years if y["dormant"] is None],
            "trips": trips, "trip_cost": sum(t["cost"] or 0 for t in made),
            "trips_without_cost": sum(1 for t in made if t["cost"] is None), "trips_made": len(made)}


def _activity(a) -> dict:
    return {"number": a.number, "title": a.title, "lead_opd": a.lead_opd, "year": a.fiscal_year, "output": a.output,
            "indicator": a.indicator, "cost": a.cost, "spent": a.spent, "source": _(SOURCE_LABELS[a.budget_source]),
            "status": a.status, "status_label": _(STATUS_LABELS[a.status]), "done_on": a.done_on}


def _indicator(indicator: dict, plan: list, case_id: int, documents: dict) -> dict:
    """An indicator with its years (target, figure, source, the archived document that proves it) and its chart."""
    shown = plain_indicator(indicator)
    for year in shown["rows"]:
        year["document"] = _document(documents.get((case_id, year["document"])))
    activity = next((a for a in plan if a.number == indicator["activity"]), None)
    return indicator | shown | {"activity_title": activity.title if activity else None,
                                "chart": indicator_chart(shown)}


def plain_indicator(indicator: dict) -> dict:
    """What the reports and the public site show of an indicator (:func:`workflow.indicators.measured`): its name,
    unit and baseline, and every year from the first it has a target or figure for to the last, each with its target,
    figure, how much of the target the figure reached, the figure's source and the SHA-256 of the document that
    proves it (None: no document). A year without a figure has ``value`` None, never zero."""
    money = indicator["unit"] == "rupiah"
    rows = [year | {"target_text": shown_figure(year["target"], money),
                    "value_text": shown_figure(year["value"], money)} for year in indicator_years(indicator)]
    return {"name": indicator["name"], "code": indicator["code"], "unit": indicator["unit"],
            "unit_name": indicator["unit_name"], "baseline": indicator["baseline"],
            "baseline_year": indicator["baseline_year"], "baseline_text": shown_figure(indicator["baseline"], money),
            "money": money, "rows": rows}


def indicator_chart(indicator: dict) -> dict | None:
    """The chart of :func:`plain_indicator`: the baseline, then each year's target beside its figure; None when the
    indicator has no year with a target or a figure."""
    if not indicator["rows"]:
        return None
    groups = _year_groups(indicator["rows"], indicator["money"])
    if indicator["baseline"] is not None:
        groups.insert(0, {"label": _("Baseline ({year})").format(year=indicator["baseline_year"]), "bars": [
            {"kind": "baseline", "value": Decimal(indicator["baseline"]), "text": indicator["baseline_text"]}]})
    return paired_chart(groups, indicator["unit_name"], money=indicator["money"])


def _year_groups(rows: list[dict], money: bool, label=lambda row: str(row["year"])) -> list[dict]:
    """The bars of each year (:func:`_year_group`); years in a row with neither a target nor a figure are one group
    (``2018–2025``), so that a long silence does not fill the chart, while the table lists each of them."""
    groups, empty = [], []

    def close_silence():
        if empty:
            years = str(empty[0]) if len(empty) == 1 else f"{empty[0]}\u2013{empty[-1]}"
            groups.append({"label": years, "bars": [{"kind": "figure", "value": None,
                                                     "text": _("no target set, no figure recorded")}]})
            empty.clear()

    for row in rows:
        if row["target"] is None and row["value"] is None:
            empty.append(row["year"])
            continue
        close_silence()
        groups.append(_year_group(row["target"], row["value"], money, label(row)))
    close_silence()
    return groups


def _year_group(target: str | None, value: str | None, money: bool, label: str) -> dict:
    """A year's bars: its target (outlined) and its figure (filled); one not recorded is not drawn but named."""
    return {"label": label, "bars": [
        {"kind": "target", "value": None if target is None else Decimal(target),
         "text": _("no target set") if target is None else _("target {value}").format(
             value=shown_figure(target, money))},
        {"kind": "figure", "value": None if value is None else Decimal(value),
         "text": _("not recorded") if value is None else shown_figure(value, money)}]}


def published_figures(session, cases: list[Case], day: date, files: dict[str, str]) -> list[dict]:
    """For the public site, each of ``cases``'s indicators year by year and its costs planned and spent by budget
    source, as data (the page and the JSON download show the same): a figure's document only as the ``file`` of the
    site it was published as (``files``: SHA-256 to file), and nothing of the activities not carried out."""
    plans = activities_as_of(session, cases, day)
    found = []
    for case, measured in zip(cases, measured_as_of(session, cases, day)):
        indicators = [plain_indicator(indicator) for indicator in measured]
        for indicator in indicators:
            for year in indicator["rows"]:
                year["document"] = files.get(year["document"])
        found.append({"indicators": indicators, "costs": source_costs(plans[case.id])})
    return found


def shown_figure(value: str | None, money: bool = False) -> str:
    """A recorded figure as the report prints it: rupiah in full, other figures with the decimals they were written
    with; ``-`` when none is recorded."""
    if value is None or not money:
        return figure(value)
    return rupiah(Decimal(value))


def _document(document: Document | None) -> dict | None:
    """The archived document that proves a figure: its number, kind, date, and whether it is public."""
    if document is None:
        return None
    return {"id": document.id, "kind": kinds()[document.kind].title() if document.kind in kinds() else document.kind,
            "dated": document.dated_on, "public": document.public, "sha256": document.sha256}


def _costs(costs: dict) -> dict:
    return costs | {"chart": costs_chart(costs)}


def costs_chart(costs: dict) -> dict:
    """The chart of :func:`workflow.benefits.source_costs`: per budget source, planned outlined and spent filled;
    what was spent on activities whose cost is not recorded is named, never drawn as zero."""
    groups = []
    for source in BUDGET_SOURCES:
        if source not in costs["by_source"]:
            continue
        sums = costs["by_source"][source]
        bars = [{"kind": "planned", "value": sums["planned"],
                 "text": _("planned {amount}").format(amount=rupiah(sums["planned"]))}]
        if not sums["done"]:
            bars.append({"kind": "spent", "value": None, "text": _("no activity carried out yet")})
        elif sums["unknown"] == sums["done"]:
            bars.append({"kind": "spent", "value": None, "text": _(
                "spent: not recorded for the {n} activity(ies) carried out").format(n=sums["done"])})
        else:
            bars.append({"kind": "spent", "value": sums["spent"],
                         "text": _("spent {amount}").format(amount=rupiah(sums["spent"]))})
            if sums["unknown"]:
                bars.append({"kind": "spent", "value": None, "text": _(
                    "and {n} activity(ies) whose cost is not recorded").format(n=sums["unknown"])})
        groups.append({"label": _(SOURCE_LABELS[source]), "bars": bars})
    return paired_chart(groups, money=True)


def totals(agreements: list[dict]) -> list[dict]:
    """Each indicator's figures and targets added up per year across ``agreements``, only where they can be: those
    of one catalogue code in one unit, or the bureau's own of one name in one unit. A year's total says how many of
    the agreements that have the indicator recorded a figure for it: one that did not is left out, not counted as
    zero."""
    groups: dict[tuple, list[tuple[str, dict]]] = {}
    for agreement in agreements:
        for indicator in agreement["indicators"]:
            key = ((indicator["code"], indicator["unit"]) if indicator["code"] != OWN
                   else (OWN, indicator["name"], indicator["unit"]))
            groups.setdefault(key, []).append((agreement["ref"], indicator))
    found = []
    for key, members in groups.items():
        years = sorted({year for _ref, indicator in members for year in indicator["years"]})
        if not years:
            continue
        refs = sorted({ref for ref, _indicator in members})
        money = members[0][1]["money"]
        rows = []
        for year in range(years[0], years[-1] + 1):
            figures = [(ref, i["actual"][year]["value"]) for ref, i in members if year in i["actual"]]
            targets = [(ref, i["targets"][year]) for ref, i in members if year in i["targets"]]
            aimed, recorded = {ref for ref, _v in targets}, {ref for ref, _v in figures}
            row = {"year": year, "value": _sum(figures), "recorded_by": len(recorded), "target": _sum(targets),
                   "targets_by": len(aimed), "same": aimed == recorded}
            rows.append(row | {"value_text": shown_figure(row["value"], money),
                               "target_text": shown_figure(row["target"], money)})
        groups_drawn = _year_groups(rows, money, lambda row: _year_label(row, len(refs)))
        first = members[0][1]
        found.append({"code": key[0], "name": catalogue()[key[0]].name() if key[0] != OWN else first["name"],
                      "unit": first["unit"], "unit_name": first["unit_name"], "money": money, "agreements": len(refs),
                      "refs": refs, "rows": rows, "chart": paired_chart(groups_drawn, first["unit_name"], money=money)})
    return sorted(found, key=lambda t: (t["code"] == OWN, t["name"].casefold(), t["unit"]))


def _year_label(row: dict, agreements: int) -> str:
    """A year of the totals, saying which part of the agreements its target and its figure add up when not all."""
    targets, figures = row["targets_by"], row["recorded_by"]
    if agreements == 1 or targets in (0, agreements) and figures in (0, agreements):
        return str(row["year"])
    if row["same"]:
        text = _("{year}: target and figure of {n} of the {total} agreements")
    elif not figures:
        text = _("{year}: targets of {n} of the {total} agreements")
    elif not targets:
        text = _("{year}: figures of {n} of the {total} agreements")
    else:
        text = _("{year}: targets of {targets}, figures of {figures} of the {total} agreements")
    return text.format(year=row["year"], n=targets or figures, targets=targets, figures=figures, total=agreements)


def _sum(pairs: list[tuple[str, str]]) -> str | None:
    """The figures added up, as a decimal written like them; None when there are none (nothing recorded)."""
    if not pairs:
        return None
    return format(sum((Decimal(value) for _ref, value in pairs), Decimal(0)), "f")
