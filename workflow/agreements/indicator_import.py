"""Loading a register's indicator table (workflow/agreements/indicator_table.py): the indicator sheet of a workbook
``kerjasama import`` reads, or that table saved as CSV.

Every row is checked, against the others and against the record, before anything is written: its agreement (in the
database, or among the agreements of the same workbook), the state that agreement was in on the row's day, the
indicator's number (a new indicator takes the next one), its activity and its document. What is already on record
as the row gives it is left as it is, so a file imported again records nothing twice; a row that contradicts the
record is refused, naming it. Then each new indicator, target and figure is recorded through workflow/indicators.py,
as the commands record them: each a sealed event of its case.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from dateutil.relativedelta import relativedelta
from sqlmodel import select

from db.indicators import Indicator, IndicatorValue
from db.models import Activity, Case, Document, Event
from workflow.agreements.indicator_table import Line, read_lines
from workflow.bureau import Bureau
from workflow.errors import InvalidInput, KerjasamaError
from workflow.i18n import _
from workflow.indicator_catalogue import catalogue
from workflow.indicators import OWN, add_indicator, record_value, set_targets
from workflow.procedure import MEASURED_STATES
from workflow.store import load_region
from workflow.timeline import timeline

SPAN = {"day": relativedelta(), "month": relativedelta(months=1, days=-1), "year": relativedelta(years=1, days=-1)}


@dataclass
class Agreement:
    """What the checks need of an agreement: one in the database, or one the same workbook imports."""

    ref: str
    opened_on: date
    states: list[tuple[bool, date, str]]  # its timeline: (first event, day, state after), in order
    activities: set[int] = field(default_factory=set)
    documents: dict[str, int] = field(default_factory=dict)  # SHA-256: the number of its document with it
    indicators: dict[int, Indicator] = field(default_factory=dict)
    values: dict[int, list[IndicatorValue]] = field(default_factory=dict)  # by indicator number
    planned: set[int] = field(default_factory=set)  # the numbers of the indicators the file adds

    def state_on(self, day: date) -> str | None:
        """The state an event dated ``day`` finds: the engine places it after the events of that day or before."""
        return ([state for first, on, state in self.states if first or on <= day] or [None])[-1]


class IndicatorsRefused(InvalidInput):
    def __init__(self, problems: list[str]):
        super().__init__(_("Nothing imported: {problems}").format(problems="; ".join(problems)))
        self.problems = problems


@dataclass
class Prepared:
    """A checked table: what it would record (``steps``, in order), how much of it is on record, what is wrong."""

    where: str
    steps: list[Callable[[str], object]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)  # indicators, targets, figures to record; on_record
    problems: list[str] = field(default_factory=list)

    def summary(self, dry_run: bool) -> dict:
        return {"file": self.where, "dry_run": dry_run, "on_record": self.counts["on_record"],
                **{kind: self.counts[kind] for kind in ("indicators", "targets", "figures")},
                "problems": self.problems}


def import_indicators(bureau: Bureau, header: list[str], rows: list[tuple[int, dict]], where: str, *, actor: str,
                      dry_run: bool = False) -> dict:
    """Load an indicator table whose agreements are all in the database; all rows or none.

    :raises IndicatorsRefused: every problem, each naming its file and row.
    """
    prepared = prepare(bureau, header, rows, where)
    if prepared.problems and not dry_run:
        raise IndicatorsRefused(prepared.problems)
    return prepared.summary(dry_run) if dry_run else record(prepared, actor)


def record(prepared: Prepared, actor: str) -> dict:
    """Record what :func:`prepare` checked, step by step (each step one sealed event).

    :raises InvalidInput: a step the record refused after all (a change made meanwhile): the steps before it stay
        recorded, and importing the file again records the rest, since what is on record is left as it is.
    """
    for done, step in enumerate(prepared.steps):
        try:
            step(actor)
        except KerjasamaError as err:
            message = _("{where}: {done} of {total} indicator changes recorded, then: {error}; import the file again "
                        "to record the rest.")
            raise InvalidInput(message.format(where=prepared.where, done=done, total=len(prepared.steps),
                                              error=str(err).rstrip("."))) from None
    return prepared.summary(False)


def prepare(bureau: Bureau, header: list[str], rows: list[tuple[int, dict]], where: str,
            coming: dict[str, Agreement] | None = None) -> Prepared:
    """Check the table's rows and plan what to record.

    :param header: the column names of the table's first row.
    :param coming: the agreements the same workbook imports, by ref, as they will be recorded.
    """
    with bureau.db.session() as session:
        today = bureau.today(load_region(session))
    lines = read_lines(rows, header, where, today)
    agreements = recorded(bureau, {line.ref for line in lines}) | (coming or {})
    prepared, groups, order, unknown = Prepared(where), {}, {}, set()
    for line in lines:
        order.setdefault(line.ref, len(order))
        if not line.problems:
            groups.setdefault((line.ref, line.number), []).append(line)
    for (ref, number), group in sorted(groups.items(), key=lambda g: (order[g[0][0]], g[0][1])):
        if ref in agreements:
            _plan(bureau, prepared, agreements[ref], number, group, today)
        elif ref not in unknown:  # said once, on its first row
            unknown.add(ref)
            group[0].refuse(_("{ref} is neither in the database nor among the agreements of the file").format(
                ref=ref))
    prepared.problems = [p for line in lines for p in line.problems]
    if prepared.problems:
        prepared.steps = []
    return prepared


def _plan(bureau: Bureau, prepared: Prepared, agreement: Agreement, number: int, group: list[Line],
          today: date) -> None:
    """The steps of one indicator: added with the targets agreed with it, targets set later, figures recorded."""
    ref, baselines = agreement.ref, [line for line in group if line.kind == "baseline"]
    for extra in baselines[1:]:
        extra.refuse(_("indicator {number} of {ref} has its baseline row already ({where})").format(
            number=number, ref=ref, where=baselines[0].where))
    existing = agreement.indicators.get(number)
    if existing is not None:
        defined = _on_record(prepared, existing, baselines[0]) if baselines else _as_defined(existing)
    elif not baselines:
        return group[0].refuse(_("{ref} has no indicator {number}; a new indicator is added by its row of kind "
                                 "baseline").format(ref=ref, number=number))
    else:
        defined = _defined(agreement, number, baselines[0], today)
        if defined is None:
            return None
        agreement.planned.add(number)
        prepared.counts["indicators"] += 1
    for line in group:
        _same_indicator(line, defined, number, ref)
    if any(line.problems for line in group):
        return None
    added_on = baselines[0].on if baselines and existing is None else False  # False: added before
    with_add, later = _targets(prepared, agreement, number, existing, group, added_on, today)
    if existing is None:
        line = baselines[0]
        prepared.steps.append(lambda actor: add_indicator(
            bureau, ref, None if defined["code"] == OWN else defined["code"], actor=actor, on=_day(line),
            name=defined["name"], unit=defined["unit"], activity=defined["activity"],
            baseline=_written(defined["baseline"]), baseline_year=defined["baseline_year"],
            targets={year: _written(value) for year, value in with_add.items()}))
    for on, targets in sorted(later.items(), key=lambda t: (t[0] is None, t[0] or today)):
        prepared.steps.append(lambda actor, on=on, targets=targets: set_targets(
            bureau, ref, number, {year: _written(value) for year, value in targets.items()}, actor=actor, on=on))
    _figures(bureau, prepared, agreement, number, [line for line in group if line.kind == "figure"], today)


def _defined(agreement: Agreement, number: int, line: Line, today: date) -> dict | None:
    """The indicator a baseline row adds; None with the row refused when it cannot be one."""
    code = line.code or (OWN if line.name else None)
    if code is None or code == OWN and not (line.name and line.unit):
        line.refuse(_("a new indicator needs its code of the catalogue, or {own} with its name and unit").format(
            own=OWN))
        return None
    expected = max(set(agreement.indicators) | agreement.planned, default=0) + 1
    if number != expected:
        line.refuse(_("the next indicator of {ref} is number {expected}; number new ones in order").format(
            ref=agreement.ref, expected=expected))
    if line.activity is not None and line.activity not in agreement.activities:
        line.refuse(_("{ref} has no activity {number}; kerjasama action list {ref} shows them.").format(
            ref=agreement.ref, number=line.activity).rstrip("."))
    _check_day(line, agreement, today)
    if line.problems:
        return None
    return {"code": code, "name": line.name, "unit": line.unit or catalogue()[code].unit,
            "activity": line.activity, "baseline": line.value, "baseline_year": line.year}


def _as_defined(indicator: Indicator) -> dict:
    return {"code": indicator.code, "name": indicator.name, "unit": indicator.unit,
            "activity": indicator.activity_number, "baseline": indicator.baseline,
            "baseline_year": indicator.baseline_year}


def _on_record(prepared: Prepared, indicator: Indicator, line: Line) -> dict:
    """An indicator on record: its baseline row must give it as it is (the day too, when the row gives one)."""
    recorded_as = _as_defined(indicator)
    given = {"code": line.code or recorded_as["code"], "name": line.name, "unit": line.unit or recorded_as["unit"],
             "activity": line.activity, "baseline": line.value, "baseline_year": line.year}
    if given != recorded_as or line.on is not None and line.on.day != indicator.added_on:
        shown = recorded_as | {"on": indicator.added_on.isoformat()}
        line.refuse(_("indicator {number} of {ref} is on record otherwise ({recorded}); kerjasama indicator list "
                      "{ref} shows it").format(number=indicator.number, ref=line.ref, recorded=", ".join(
                          f"{key} {value}" for key, value in shown.items() if value is not None)))
    else:
        prepared.counts["on_record"] += 1
    return recorded_as


def _same_indicator(line: Line, defined: dict, number: int, ref: str) -> None:
    """A target's or figure's row names its indicator as the indicator is, or leaves the cell empty."""
    if line.kind == "baseline":
        return None
    for column, given in (("code", line.code), ("name", line.name), ("unit", line.unit),
                          ("activity", line.activity)):
        if given is not None and given != defined[column]:
            return line.refuse(_("{column} {value} is not that of indicator {number} of {ref} ({expected})").format(
                column=column, value=given, number=number, ref=ref, expected=defined[column] or "-"))
    return None


def _targets(prepared: Prepared, agreement: Agreement, number: int, existing: Indicator | None, group: list[Line],
             added_on, today: date) -> tuple[dict[int, str], dict[date | None, dict[int, str]]]:
    """The targets to record: those agreed the day the indicator is added, and the others by the day they were set
    (None: today)."""
    with_add, later, seen = {}, {}, {}
    recorded_targets = existing.targets if existing is not None else {}
    for line in (line for line in group if line.kind == "target"):
        if line.year in seen:
            line.refuse(_("the target of {year} is given twice ({where})").format(
                year=line.year, where=seen[line.year]))
            continue
        seen[line.year] = line.where
        on_record = recorded_targets.get(str(line.year))
        if on_record == line.value:
            prepared.counts["on_record"] += 1
        elif on_record is not None:
            line.refuse(_("indicator {number} of {ref} has the target {value} for {year} on record; change it with "
                          "kerjasama indicator target").format(number=number, ref=agreement.ref, value=on_record,
                                                               year=line.year))
        elif _check_day(line, agreement, today):
            prepared.counts["targets"] += 1
            if added_on is not False and _day(line) == (added_on.day if added_on else None):
                with_add[line.year] = line.value
            else:
                later.setdefault(_day(line), {})[line.year] = line.value
    return with_add, later


def _figures(bureau: Bureau, prepared: Prepared, agreement: Agreement, number: int, lines: list[Line],
             today: date) -> None:
    """Each figure not on record, recorded in the order of the file; one on record as the row gives it is left."""
    on_record = Counter(_figure_key(value) for value in agreement.values.get(number, []))
    for line in lines:
        key = (line.year, line.value, line.on.day, line.on.precision, line.source, line.document)
        if on_record[key]:
            on_record[key] -= 1
            prepared.counts["on_record"] += 1
            continue
        clash = next((v for v in agreement.values.get(number, [])
                      if (v.year, v.measured_on, v.precision) == (line.year, line.on.day, line.on.precision)), None)
        if clash is not None:
            line.refuse(_("indicator {number} of {ref} has the figure {value} for {year} established on {on} on "
                          "record ({source})").format(number=number, ref=agreement.ref, value=_written(clash.value),
                                                      year=clash.year, on=line.on.shown(), source=clash.source))
            continue
        if line.document and line.document not in agreement.documents:
            line.refuse(_("{ref} has no archived document with SHA-256 {sha}; kerjasama doc list {ref} shows them")
                        .format(ref=agreement.ref, sha=line.document[:12] + "…"))
            continue
        if _check_day(line, agreement, today):
            prepared.counts["figures"] += 1
            document = agreement.documents.get(line.document) if line.document else None
            prepared.steps.append(lambda actor, line=line, document=document: record_value(
                bureau, agreement.ref, number, year=line.year, value=_written(line.value), source=line.source,
                actor=actor, on=line.on.day, precision=line.on.precision,
                document=str(document) if document else None))


def _figure_key(value: IndicatorValue) -> tuple:
    return (value.year, value.value, value.measured_on, value.precision, value.source, value.document_sha256)


def _check_day(line: Line, agreement: Agreement, today: date) -> bool:
    """Whether the agreement could record the row on its day (today when it gives none), as the engine checks it."""
    on, precision = (line.on.day, line.on.precision) if line.on else (today, "day")
    if on + SPAN[precision] < agreement.opened_on:
        line.refuse(_("{on} is before {ref} was opened ({opened})").format(
            on=line.on.shown() if line.on else on.isoformat(), ref=agreement.ref,
            opened=agreement.opened_on.isoformat()))
        return False
    state = agreement.state_on(on)
    if state not in MEASURED_STATES:
        line.refuse(_("{ref} was {state} on {on}; indicators are recorded for agreements in the states {allowed}")
                    .format(ref=agreement.ref, state=state, on=on.isoformat(), allowed=", ".join(MEASURED_STATES)))
        return False
    return True


def _day(line: Line) -> date | None:
    return line.on.day if line.on else None


def _written(value: str | None) -> str | None:
    """A figure as kept (12.50) as workflow/indicators.py reads what officers write (12,50)."""
    return value.replace(".", ",") if value else value


def recorded(bureau: Bureau, refs: set[str]) -> dict[str, Agreement]:
    """The agreements of ``refs`` that are in the database, with their timelines, activities, documents, indicators
    and figures."""
    with bureau.db.session() as session:
        cases = session.exec(select(Case).where(Case.ref.in_(sorted(refs)))).all()
        ids = [case.id for case in cases]
        events = session.exec(select(Event).where(Event.case_id.in_(ids)).order_by(Event.case_id, Event.seq)).all()
        activities = session.exec(select(Activity.case_id, Activity.number).where(Activity.case_id.in_(ids))).all()
        documents = session.exec(select(Document.case_id, Document.sha256, Document.id)
                                 .where(Document.case_id.in_(ids)).order_by(Document.id.desc())).all()
        indicators = session.exec(select(Indicator).where(Indicator.case_id.in_(ids))).all()
        values = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id.in_(
            [i.id for i in indicators])).order_by(IndicatorValue.measured_on, IndicatorValue.id)).all()
    found = {case.id: Agreement(case.ref, case.opened_on, []) for case in cases}
    record: dict[int, list[Event]] = {}
    for event in events:
        record.setdefault(event.case_id, []).append(event)
    for case_id, agreement in found.items():
        agreement.states = [(e.seq == 1, e.occurred_on, e.to_state) for e in timeline(record.get(case_id, []))]
    for case_id, number in activities:
        found[case_id].activities.add(number)
    for case_id, sha, number in documents:  # the first archived with the hash last: it stands
        found[case_id].documents[sha] = number
    numbers = {}
    for indicator in indicators:
        found[indicator.case_id].indicators[indicator.number] = indicator
        numbers[indicator.id] = (indicator.case_id, indicator.number)
    for value in values:
        case_id, number = numbers[value.indicator_id]
        found[case_id].values.setdefault(number, []).append(value)
    return {agreement.ref: agreement for agreement in found.values()}
