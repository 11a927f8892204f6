"""Indicators of what a cooperation brings: an agreement's or an activity's indicators, from the shared catalogue
(workflow/data/indicators.csv) or the bureau's own, each with a unit, a baseline, a target per year and the values
recorded against them with their source and, where one is archived, the document that proves them.

Every change is an event of the case (``indicator_added``, ``indicator_targets_set``, ``indicator_measured``)
carrying the indicator's number; the Indicator and IndicatorValue rows are written in the same transaction, so the
history and the figures never disagree. Figures are kept as the decimals they were written as: ``12,50`` stays
``12.50`` and ``3,2 miliar`` is ``3200000000``; nothing is rounded, summed into a year it was not recorded for, or
filled in where no value was recorded.
"""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from db.indicators import Indicator, IndicatorValue
from db.models import Activity, Case
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.indicator_catalogue import catalogue, unit_name
from workflow.inputs import check_text
from workflow.money import parse_figure
from workflow.store import load_case, load_region

OWN = "own"  # the code of an indicator the bureau names itself


def add_indicator(bureau: Bureau, ref: str, code: str | None, *, actor: str, on: date | None = None,
                  name: str | None = None, unit: str | None = None, activity: int | None = None,
                  baseline: str | None = None, baseline_year: int | None = None,
                  targets: dict[int, str] | None = None) -> Outcome:
    """Give the agreement of case ``ref`` (or its activity ``activity``) an indicator: ``code`` of the catalogue,
    or none with the bureau's own ``name`` and ``unit``.

    :param baseline: the figure before the agreement, as written, with the year it is for.
    :param targets: year -> the figure aimed at, as written.
    :raises InvalidInput: an unknown code, an own indicator without its name or unit, a baseline without its year,
        a figure that is not one, or an activity the case does not have.
    """
    if code is None and not (name and unit):
        raise InvalidInput(_("An indicator of the bureau's own needs --name and --unit; one of the catalogue needs "
                             "its code (kerjasama indicator catalogue lists them)."))
    if code is not None and code not in catalogue():
        raise InvalidInput(_("{code} is not in the catalogue; kerjasama indicator catalogue lists them.")
                           .format(code=code))
    if (baseline is None) != (baseline_year is None):
        raise InvalidInput(_("A baseline needs its year and a year its baseline: give --baseline and "
                             "--baseline-year together."))
    check_text(name, "--name")
    check_text(unit, "--unit")
    unit = unit or catalogue()[code].unit
    data = {"code": code or OWN, "unit": unit, "name": name, "activity": activity,
            "baseline": _figure(baseline, "--baseline"), "baseline_year": baseline_year}
    targets = _targets(targets or {})

    def write(session, case, row):
        if activity is not None and session.exec(select(Activity.id).where(
                Activity.case_id == case.id, Activity.number == activity)).first() is None:
            raise InvalidInput(_("{ref} has no activity {number}; kerjasama action list {ref} shows them.")
                               .format(ref=case.ref, number=activity))
        last = session.exec(select(Indicator.number).where(Indicator.case_id == case.id)
                            .order_by(Indicator.number.desc())).first()
        number = (last or 0) + 1
        row.data = row.data | {"indicator": number, "targets": targets}
        session.add(Indicator(case_id=case.id, number=number, code=code or OWN, name=name, unit=unit,
                              activity_number=activity, baseline=data["baseline"], baseline_year=baseline_year,
                              targets=targets, added_on=row.occurred_on))

    return apply(bureau, ref, "indicator_added", actor=actor, on=on, on_recorded=write, internal=True,
                 data={k: v for k, v in data.items() if v is not None})


def set_targets(bureau: Bureau, ref: str, number: int, targets: dict[int, str], *, actor: str,
                on: date | None = None) -> Outcome:
    """Set the targets of indicator ``number`` for the years given; a year set again takes the new target, the
    others keep theirs.

    :raises InvalidInput: no such indicator, no target given, or a figure that is not one.
    """
    if not targets:
        raise InvalidInput(_("Give at least one target as YEAR=FIGURE, e.g. --target 2026=20."))
    targets = _targets(targets)

    def write(session, case, row):
        stored = _row(session, case, number)
        stored.targets = stored.targets | targets
        row.data = row.data | {"targets": targets}
        session.add(stored)

    return apply(bureau, ref, "indicator_targets_set", actor=actor, on=on, on_recorded=write, internal=True,
                 data={"indicator": number})


def record_value(bureau: Bureau, ref: str, number: int, *, year: int, value: str, source: str, actor: str,
                 on: date | None = None, precision: str = "day", document: str | None = None) -> Outcome:
    """Record the figure of indicator ``number`` for ``year``, established on ``on`` (the report's day, the survey's)
    and taken from ``source``; a later figure for the same year replaces it in the figures, and both stay on record.

    :param document: an archived document of the case that proves it: its number or the start of its SHA-256.
    :raises InvalidInput: no such indicator or document, no source, or a figure that is not one.
    """
    if not (source or "").strip():
        raise InvalidInput(_("A figure needs --source: where it comes from (a report, an OPD's data, a survey)."))
    check_text(source, "--source")
    figure_text = _figure(value, "--value")
    sha = _document_sha(bureau, ref, document) if document else None

    def write(session, case, row):
        indicator_id = _row(session, case, number).id
        return lambda event_id: session.add(IndicatorValue(
            indicator_id=indicator_id, event_id=event_id, year=year, value=figure_text, measured_on=row.occurred_on,
            precision=precision, source=source.strip(), document_sha256=sha))

    data = {"indicator": number, "year": year, "value": figure_text, "source": source.strip()}
    return apply(bureau, ref, "indicator_measured", actor=actor, on=on, precision=precision, on_recorded=write,
                 internal=True, data=data | ({"document": sha} if sha else {}))


def indicators_of(bureau: Bureau, ref: str) -> list[dict]:
    """The indicators of case ``ref`` with their targets and the figure of each year (the last recorded for it)."""
    with bureau.db.session() as session:
        load_region(session)
        return measured(session, [load_case(session, ref)])[0]


def measured(session, cases: list[Case]) -> list[list[dict]]:
    """The indicators of each of ``cases``, in the order given, each with its targets and yearly figures."""
    ids = [case.id for case in cases]
    indicators = session.exec(select(Indicator).where(Indicator.case_id.in_(ids))
                              .order_by(Indicator.case_id, Indicator.number)).all()
    values: dict[int, list[IndicatorValue]] = {}
    for value in session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(
            [i.id for i in indicators])).order_by(IndicatorValue.measured_on, IndicatorValue.id)):
        values.setdefault(value.indicator_id, []).append(value)
    by_case: dict[int, list[dict]] = {case_id: [] for case_id in ids}
    for indicator in indicators:
        by_case[indicator.case_id].append(_as_dict(indicator, values.get(indicator.id, [])))
    return [by_case[case_id] for case_id in ids]


def _as_dict(indicator: Indicator, values: list[IndicatorValue]) -> dict:
    actual = {v.year: {"value": v.value, "on": v.measured_on, "precision": v.precision, "source": v.source,
                       "document": v.document_sha256} for v in values}  # measured in order: the last one stands
    targets = {int(year): figure_text for year, figure_text in indicator.targets.items()}
    return {"number": indicator.number, "code": indicator.code,
            "name": indicator.name or catalogue()[indicator.code].name(), "unit": indicator.unit,
            "unit_name": unit_name(indicator.unit), "activity": indicator.activity_number,
            "baseline": indicator.baseline, "baseline_year": indicator.baseline_year, "targets": targets,
            "actual": actual, "years": sorted(set(targets) | set(actual)),
            "values": [{"year": v.year, "value": v.value, "on": v.measured_on, "precision": v.precision,
                        "source": v.source, "document": v.document_sha256} for v in values]}


def _figure(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return parse_figure(str(text))
    except ValueError as reason:
        raise InvalidInput(_("{option} {text}: {reason}.").format(option=option, text=text, reason=reason)) from None


def _targets(targets: dict[int, str]) -> dict[str, str]:
    """Targets as stored: the year as text (a JSON key), the figure as a decimal."""
    return {str(year): _figure(text, f"--target {year}=") for year, text in sorted(targets.items())}


def _row(session, case: Case, number: int) -> Indicator:
    """Indicator ``number`` of ``case``, read in the transaction that records the change to it.

    :raises InvalidInput: the case has no such indicator (the transaction then writes nothing).
    """
    found = session.exec(select(Indicator).where(Indicator.case_id == case.id, Indicator.number == number)).first()
    if found is None:
        raise InvalidInput(_("{ref} has no indicator {number}; kerjasama indicator list {ref} shows them.")
                           .format(ref=case.ref, number=number))
    return found


def _document_sha(bureau: Bureau, ref: str, key: str) -> str:
    """The SHA-256 of the archived document ``key`` of case ``ref`` (its number, or the start of its hash)."""
    from workflow.documents import located

    owner, sha = located(bureau, key)
    if owner != ref.strip().upper():
        raise InvalidInput(_("Document {key} belongs to {other}, not to {ref}.").format(key=key, other=owner, ref=ref))
    return sha
