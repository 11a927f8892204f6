"""Official trips abroad (perjalanan dinas luar negeri, PDLN) of a case: planned with a delegation the circular caps
by purpose, the President's permit requested through the State Secretariat's PDLN system, the return and the report.

Every step is an event of the case (``trip_planned``, ``trip_permit_requested``, ``trip_permit_granted``,
``trip_returned``, ``trip_report_submitted``, ``trip_cancelled``) carrying the trip's number; the Trip rows are
written in the same transaction, so the history and the trips never disagree. The events open and meet the deadlines
``trip_permit_request`` and ``trip_report`` of the procedure table, which remind like the procedure's own. The
engine keeps one open deadline of a kind per case, so a case carries one trip at a time, from its plan to its report.

Rules: SE Mensesneg B-32/M/S/LN.00/12/2024 (23 December 2024), its table of purposes and caps in
workflow/data/trip_purposes.csv with the news reports it was taken from.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sqlmodel import select

from db.models import Case, Partner
from db.trips import Trip, TripDelegate
from workflow import eligibility
from workflow.bureau import Bureau
from workflow.engine import Outcome, apply
from workflow.errors import InvalidInput
from workflow.i18n import N_, _, current_language, day
from workflow.inputs import check_text
from workflow.store import load_case, load_region
from workflow.vocabulary import name as term

PURPOSES_FILE = Path(__file__).parent / "data" / "trip_purposes.csv"
CIRCULAR = "SE Mensesneg B-32/M/S/LN.00/12/2024"
# The report is due "paling lambat dua minggu setelah kepulangan" (the circular, as Bloomberg Technoz of 27 December
# 2024 and tvOnenews quote it); a region sets its own with kerjasama init --trip-report-days.
TRIP_REPORT_DAYS = 14
OPEN_STATUSES = ("planned", "permit_requested", "permitted", "returned")  # the trip still owes a step
BEFORE_DEPARTURE = ("planned", "permit_requested", "permitted")
# What a trip's record may show that the circular would not have; shown with the trip, never refused after the fact.
FLAGS = {
    "over_cap": N_("a delegation of {n} over the cap of {cap} for its purpose ({circular} angka {point})"),
    "no_kemlu_recommendation": N_("{country} has no diplomatic relations with Indonesia and no Kemlu recommendation "
                                  "is on record ({circular} angka 4)"),
    "permit_requested_late": N_("the permit was requested after {due}, less than {days} days before departure "
                                "({circular} angka 4)"),
    "no_host_confirmation": N_("the permit was requested without the host's official confirmation on record"),
    "no_permit": N_("returned with no permit of the President on record ({circular} angka 5)"),
}
DELEGATE = re.compile(r"^\s*(?P<name>[^()]*?)\s*\((?P<role>[^()]+)\)\s*$")


@dataclass(frozen=True)
class Purpose:
    code: str
    point: str  # the circular's point and letter, e.g. 3m
    cap: int | None  # None: no number, the request or a minister decides (note)
    per_working_group: int | None
    lead_days: int
    name_id: str
    name_en: str
    note_id: str
    note_en: str

    def cap_for(self, working_groups: int) -> int | None:
        return None if self.cap is None else self.cap + (self.per_working_group or 0) * working_groups

    def name(self) -> str:
        return self.name_id if current_language() == "id" else self.name_en

    def note(self) -> str:
        return self.note_id if current_language() == "id" else self.note_en


@cache
def purposes() -> dict[str, Purpose]:
    """The circular's table of purposes, by code (workflow/data/trip_purposes.csv)."""
    with open(PURPOSES_FILE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    number = lambda text: int(text) if text else None  # noqa: E731
    return {r["code"]: Purpose(r["code"], r["point"], number(r["cap"]), number(r["per_working_group"]),
                               int(r["lead_days"]), r["name_id"], r["name_en"], r["note_id"], r["note_en"])
            for r in rows}


def purpose_of(text: str) -> Purpose:
    """The purpose ``text`` names: its code or its Indonesian name (workflow/data/names.csv, vocabulary trip_purpose).

    :raises InvalidInput: it names none; the message offers the closest.
    """
    from workflow.vocabulary import NotAWord, resolve

    try:
        return purposes()[resolve("trip_purpose", text)]
    except NotAWord as refused:
        raise InvalidInput(str(refused)) from None


def delegate_of(text: str) -> tuple[str, str]:
    """A member of the delegation as written, ``"Fadly Amran (Wali Kota)"``: (name, role)."""
    found = DELEGATE.match(text or "")
    if not found or not found["name"] or not found["role"].strip():
        raise InvalidInput(_("--delegate {text}: write the name and the role in brackets, e.g. --delegate "
                             "\"Fadly Amran (Wali Kota)\".").format(text=text))
    check_text(found["name"], "--delegate")
    return found["name"], found["role"].strip()


@dataclass
class Planned:
    outcome: Outcome
    trip: dict
    warnings: list[str]


def plan_trip(bureau: Bureau, ref: str, *, actor: str, purpose: str, destination: str, departs_on: date,
              returns_on: date, delegates: list[str], on: date | None = None, activity: int | None = None,
              host_confirmation: date | None = None, kemlu_recommendation: str | None = None, cost: int | None = None,
              working_groups: int = 0, record_past: bool = False) -> Planned:
    """Plan an official trip abroad for case ``ref`` (event ``trip_planned``): the permit request falls due the
    purpose's lead days before departure.

    :param record_past: a trip that has departed, back-filled: a delegation over the cap and a missing Kemlu
        recommendation are recorded with a flag instead of refused; ``on`` (the day it was planned) must be given.
    :raises InvalidInput: a rule of the circular refuses it (the message names it), or a value that cannot be.
    """
    spec = purpose_of(purpose)
    country = destination.strip().upper()
    if country == "ID" or country not in eligibility.countries():
        raise InvalidInput(_("{code} is not a country abroad; give an ISO 3166 code such as DE, JP or VN.").format(
            code=country))
    members = [delegate_of(text) for text in delegates]
    if not members:
        raise InvalidInput(_("Name each member of the delegation with --delegate \"NAME (ROLE)\"."))
    if len({name.casefold() for name, _role in members}) < len(members):
        raise InvalidInput(_("A member of the delegation is named twice."))
    if working_groups and not spec.per_working_group:
        raise InvalidInput(_("--working-groups counts the working groups of a meeting (purpose {meeting}, {circular} "
                             "angka 3m); {purpose} has none.").format(
            circular=CIRCULAR, meeting=term("trip_purpose", "meeting"), purpose=term("trip_purpose", spec.code)))
    note = (kemlu_recommendation or "").strip() or None
    check_text(note, "--kemlu-recommendation")
    with bureau.db.session() as session:
        today = bureau.today(load_region(session))
        case = load_case(session, ref)
        if activity and not _has_activity(session, case, activity):
            raise InvalidInput(_("{ref} has no activity {number}; kerjasama action list {ref} shows them.").format(
                ref=case.ref, number=activity))
    if record_past and (on is None or departs_on > today):
        raise InvalidInput(_("--record-past is for a trip that has departed, with --on the day it was planned."))
    on = on or today
    if returns_on < departs_on:
        raise InvalidInput(_("The return ({back}) is before the departure ({out}).").format(
            back=day(returns_on), out=day(departs_on)))
    if departs_on < on:
        raise InvalidInput(_("A trip is planned before it departs ({out}); a trip that has departed is recorded with "
                             "--record-past.").format(out=day(departs_on)))
    cap, flags = spec.cap_for(working_groups), []
    if cap is not None and len(members) > cap:
        if not record_past:
            raise InvalidInput(_("A delegation of {n} is over the cap of {cap} for {purpose} ({circular} angka "
                                 "{point}: {name}); send fewer, or choose the purpose the trip has.").format(
                n=len(members), cap=cap, purpose=term("trip_purpose", spec.code), circular=CIRCULAR, point=spec.point,
                name=spec.name()))
        flags.append("over_cap")
    if not eligibility.countries()[country].relations and not note:
        if not record_past:
            raise InvalidInput(_("{country} has no diplomatic relations with Indonesia: the permit request needs "
                                 "Kemlu's recommendation ({circular} angka 4); give its number with "
                                 "--kemlu-recommendation.").format(country=term("country", country), circular=CIRCULAR))
        flags.append("no_kemlu_recommendation")
    permit_due = departs_on - timedelta(days=spec.lead_days)
    warnings = [] if record_past or permit_due >= on else [_(
        "The permit request was due on {due}, {days} days before departure ({circular} angka 4): it is late "
        "already.").format(due=day(permit_due), days=spec.lead_days, circular=CIRCULAR)]
    if not host_confirmation:
        warnings.append(_("The permit request needs the host's official confirmation; record its day with "
                          "kerjasama trip permit --host-confirmation when it comes."))
    delegation = [{"name": name, "role": role} for name, role in members]

    def write(session, case, row):
        _one_trip_at_a_time(session, case, on)
        trip = Trip(case_id=case.id, activity_number=activity, purpose=spec.code, destination=country,
                    departs_on=departs_on, returns_on=returns_on, working_groups=working_groups,
                    host_confirmed_on=host_confirmation, kemlu_recommendation=note, cost=cost, planned_on=on,
                    permit_due=permit_due, flags=flags)
        session.add(trip)
        session.flush()
        session.add_all(TripDelegate(trip_id=trip.id, position=n, name=name, role=role)
                        for n, (name, role) in enumerate(members, start=1))
        row.data = row.data | {"trip": trip.id, "delegates": delegation} | _words(spec, country) | (
            {"flags": flags} if flags else {})

    data = {"purpose": spec.code, "country": country, "departs_on": departs_on, "returns_on": returns_on,
            "permit_due": permit_due, "delegation": len(members), "cap": cap, "working_groups": working_groups or None,
            "activity": activity, "host_confirmation": host_confirmation, "kemlu_recommendation": note,
            "cost": cost}
    outcome = apply(bureau, ref, "trip_planned", actor=actor, on=on, on_recorded=write, internal=True,
                    data={k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items() if v is not None})
    return Planned(outcome, trip_detail(bureau, outcome.data["trip"]), warnings)


def _one_trip_at_a_time(session, case: Case, on: date) -> None:
    """A case's trip deadlines are open once per kind (workflow/deadlines.py), so a trip whose plan-to-report span
    overlapped another's would close the other's deadlines: refused, naming the trip in the way. Trips of the past are
    therefore recorded in the order they happened."""
    for other in session.exec(select(Trip).where(Trip.case_id == case.id)).all():
        end = other.reported_on or other.cancelled_on
        if end is None:
            raise InvalidInput(_("{ref} carries trip {trip} to {country}, still {status}; a case carries one trip at a "
                                 "time, from its plan to its report: carry it to its report (kerjasama trip report "
                                 "{trip}), or cancel it before it departs (kerjasama trip cancel {trip}).").format(
                ref=case.ref, trip=other.id, country=term("country", other.destination),
                status=term("trip_status", other.status)))
        if end > on:
            raise InvalidInput(_("Trip {trip} of {ref} ran until {end}, after {on}: a case carries one trip at a time, "
                                 "from its plan to its report, so a trip of the past is recorded before any later "
                                 "one.").format(trip=other.id, ref=case.ref, end=day(end), on=day(on)))


def _words(spec: Purpose, country: str) -> dict:
    """What a letter prints of the purpose and the destination (the letter's context has only the events' data)."""
    return {"purpose_id": spec.name_id, "point": spec.point, "country_id": eligibility.country_name(country, "id")}


def record_permit(bureau: Bureau, trip_id: int, *, actor: str, granted: bool = False, on: date | None = None,
                  doc_number: str | None = None, host_confirmation: date | None = None) -> Outcome:
    """The permit requested through the PDLN system (``trip_permit_requested``), or the President's permit granted
    (``trip_permit_granted``, with its number); either meets the ``trip_permit_request`` deadline. A request after
    its due date, or without the host's confirmation on record, is recorded with a flag."""
    trip, ref, on = _trip_and_day(bureau, trip_id, on)
    allowed = ("planned", "permit_requested") if granted else ("planned",)
    _check_step(trip, allowed, on)
    event = "trip_permit_granted" if granted else "trip_permit_requested"

    def write(session, case, row):
        stored = _locked(session, trip_id, allowed)
        stored.host_confirmed_on = host_confirmation or stored.host_confirmed_on
        flags = []
        if not granted:
            flags += ["permit_requested_late"] if on > stored.permit_due else []
            flags += [] if stored.host_confirmed_on else ["no_host_confirmation"]
            stored.status, stored.permit_requested_on = "permit_requested", on
        else:
            stored.status, stored.permit_granted_on, stored.permit_number = "permitted", on, row.doc_number
        stored.flags = stored.flags + [f for f in flags if f not in stored.flags]
        row.data = row.data | ({"flags": flags} if flags else {})
        session.add(stored)

    data = {"trip": trip_id} | ({"host_confirmation": host_confirmation.isoformat()} if host_confirmation else {})
    return apply(bureau, ref, event, actor=actor, on=on, doc_number=doc_number, data=data, on_recorded=write,
                 internal=True)


def record_return(bureau: Bureau, trip_id: int, *, actor: str, on: date | None = None) -> Outcome:
    """The delegation came back (``trip_returned``): the report falls due the region's days after it."""
    trip, ref, on = _trip_and_day(bureau, trip_id, on)
    _check_step(trip, BEFORE_DEPARTURE, on)
    if on < trip.departs_on:
        raise InvalidInput(_("Trip {trip} departs on {out}; it cannot return before.").format(
            trip=trip_id, out=day(trip.departs_on)))
    with bureau.db.session() as session:
        days = load_region(session).trip_report_days or TRIP_REPORT_DAYS
        delegation = _delegates(session, trip_id)

    def write(session, case, row):
        stored = _locked(session, trip_id, BEFORE_DEPARTURE)
        flags = [] if stored.status == "permitted" else ["no_permit"]
        stored.status, stored.returned_on, stored.report_due = "returned", on, on + timedelta(days=days)
        stored.flags = stored.flags + [f for f in flags if f not in stored.flags]
        session.add(stored)
        row.data = row.data | {"delegates": delegation, "purpose": stored.purpose} | _words(
            purposes()[stored.purpose], stored.destination) | ({"flags": flags} if flags else {})

    return apply(bureau, ref, "trip_returned", actor=actor, on=on, on_recorded=write, internal=True,
                 data={"trip": trip_id, "trip_report_days": days, "departs_on": trip.departs_on.isoformat()})


def record_report(bureau: Bureau, trip_id: int, *, actor: str, on: date | None = None,
                  doc_number: str | None = None) -> Outcome:
    """The trip report submitted (``trip_report_submitted``); meets the ``trip_report`` deadline."""
    trip, ref, on = _trip_and_day(bureau, trip_id, on)
    _check_step(trip, ("returned",), on)

    def write(session, case, row):
        stored = _locked(session, trip_id, ("returned",))
        stored.status, stored.reported_on, stored.report_number = "reported", on, row.doc_number
        session.add(stored)

    return apply(bureau, ref, "trip_report_submitted", actor=actor, on=on, doc_number=doc_number,
                 data={"trip": trip_id}, on_recorded=write, internal=True)


def cancel_trip(bureau: Bureau, trip_id: int, *, actor: str, note: str | None, on: date | None = None) -> Outcome:
    """A trip that will not be made, or whose permit was refused (``trip_cancelled``, with why)."""
    trip, ref, on = _trip_and_day(bureau, trip_id, on)
    _check_step(trip, BEFORE_DEPARTURE, on)

    def write(session, case, row):
        stored = _locked(session, trip_id, BEFORE_DEPARTURE)
        stored.status, stored.cancelled_on = "cancelled", on
        session.add(stored)

    return apply(bureau, ref, "trip_cancelled", actor=actor, on=on, note=note, data={"trip": trip_id},
                 on_recorded=write, internal=True)


def _trip_and_day(bureau: Bureau, trip_id: int, on: date | None) -> tuple[Trip, str, date]:
    with bureau.db.session() as session:
        today = bureau.today(load_region(session))
        trip = session.get(Trip, trip_id)
        if trip is None:
            raise InvalidInput(_("No trip {trip}; kerjasama trip list shows the trips.").format(trip=trip_id))
        ref = session.get(Case, trip.case_id).ref
    return trip, ref, on or today


def _check_step(trip: Trip, allowed: tuple[str, ...], on: date) -> None:
    if trip.status not in allowed:
        raise InvalidInput(_("Trip {trip} is {status}; that step is for a trip that is {allowed}.").format(
            trip=trip.id, status=term("trip_status", trip.status),
            allowed=", ".join(term("trip_status", code) for code in allowed)))
    if on < trip.planned_on:
        raise InvalidInput(_("--on {on} is before trip {trip} was planned ({planned}).").format(
            on=day(on), trip=trip.id, planned=day(trip.planned_on)))


def _locked(session, trip_id: int, allowed: tuple[str, ...]) -> Trip:
    """The trip as this transaction finds it: a step another officer recorded meanwhile refuses this one."""
    stored = session.get(Trip, trip_id)
    if stored.status not in allowed:
        raise InvalidInput(_("Trip {trip} is {status} now; nothing was recorded.").format(
            trip=trip_id, status=term("trip_status", stored.status)))
    return stored


def _delegates(session, trip_id: int) -> list[dict]:
    rows = session.exec(select(TripDelegate).where(TripDelegate.trip_id == trip_id).order_by(TripDelegate.position))
    return [{"name": d.name, "role": d.role} for d in rows]


def flag_texts(trip: dict) -> list[str]:
    """A trip's flags as sentences in the officer's language."""
    spec = purposes()[trip["purpose"]]
    values = {"n": len(trip["delegates"]), "cap": trip["cap"], "point": spec.point, "circular": CIRCULAR,
              "country": term("country", trip["destination"]), "due": day(trip["permit_due"]), "days": spec.lead_days}
    return [_(FLAGS[flag]).format(**values) for flag in trip["flags"]]


def _as_dict(trip: Trip, ref: str, delegates: list[dict]) -> dict:
    spec = purposes()[trip.purpose]
    return {"trip": trip.id, "ref": ref, "purpose": trip.purpose, "point": spec.point,
            "cap": spec.cap_for(trip.working_groups), "working_groups": trip.working_groups,
            "destination": trip.destination, "departs_on": trip.departs_on, "returns_on": trip.returns_on,
            "delegates": delegates, "delegation": len(delegates), "activity": trip.activity_number,
            "host_confirmed_on": trip.host_confirmed_on, "kemlu_recommendation": trip.kemlu_recommendation,
            "cost": trip.cost, "status": trip.status, "planned_on": trip.planned_on, "permit_due": trip.permit_due,
            "permit_requested_on": trip.permit_requested_on, "permit_granted_on": trip.permit_granted_on,
            "permit_number": trip.permit_number, "returned_on": trip.returned_on, "report_due": trip.report_due,
            "reported_on": trip.reported_on, "report_number": trip.report_number, "cancelled_on": trip.cancelled_on,
            "flags": list(trip.flags)}


def _listed(session, query) -> list[dict]:
    found = session.exec(query.order_by(Trip.departs_on, Trip.id)).all()
    people: dict[int, list[dict]] = {trip.id: [] for trip, _ref in found}
    if people:
        for d in session.exec(select(TripDelegate).where(TripDelegate.trip_id.in_(list(people)))
                              .order_by(TripDelegate.trip_id, TripDelegate.position)):
            people[d.trip_id].append({"name": d.name, "role": d.role})
    return [_as_dict(trip, ref, people[trip.id]) for trip, ref in found]


def trips_of(bureau: Bureau, ref: str | None = None) -> list[dict]:
    """The trips of case ``ref`` (every case's when None), by departure: each as a dict of codes and dates."""
    with bureau.db.session() as session:
        return trips_in(session, load_case(session, ref) if ref is not None else None)


def _has_activity(session, case: Case, number: int) -> bool:
    from db.action_plans import Activity  # only planning a trip asks; case show lists trips without the plan tables

    return session.exec(select(Activity).where(Activity.case_id == case.id, Activity.number == number)).first() \
        is not None


def trips_in(session, case: Case | None) -> list[dict]:
    """:func:`trips_of` in a session already open, for ``case`` (every case's when None)."""
    query = select(Trip, Case.ref).join(Case, Case.id == Trip.case_id)
    return _listed(session, query if case is None else query.where(Trip.case_id == case.id))


def trip_detail(bureau: Bureau, trip_id: int) -> dict:
    """One trip with its case's title and partner."""
    with bureau.db.session() as session:
        found = _listed(session, select(Trip, Case.ref).join(Case, Case.id == Trip.case_id).where(Trip.id == trip_id))
        if not found:
            raise InvalidInput(_("No trip {trip}; kerjasama trip list shows the trips.").format(trip=trip_id))
        case, partner = session.exec(select(Case, Partner.name).join(Partner, Partner.id == Case.partner_id)
                                     .where(Case.ref == found[0]["ref"])).one()
    return found[0] | {"title": case.title, "partner": partner}


def trip_costs(bureau: Bureau, year: int, today: date | None = None) -> dict:
    """What the trips departing in ``year`` cost, as planned by ``today`` (default: all on record), beside the year
    before: Inpres 1/2025 and SE Mendagri 900/833/SJ (2025) halved the regions' official travel, so the bureau
    compares. Cancelled trips are counted apart; a trip without a cost is counted, not guessed."""
    def year_of(y: int) -> dict:
        start, end = date(y, 1, 1), date(y, 12, 31)
        with bureau.db.session() as session:
            query = select(Trip).where(Trip.departs_on >= start, Trip.departs_on <= end)
            if today is not None:
                query = query.where(Trip.planned_on <= today)
            found = session.exec(query).all()
        made = [t for t in found if not (t.cancelled_on and (today is None or t.cancelled_on <= today))]
        by_purpose: dict[str, int] = {}
        for trip in made:
            by_purpose[trip.purpose] = by_purpose.get(trip.purpose, 0) + (trip.cost or 0)
        return {"trips": len(made), "cost": sum(t.cost or 0 for t in made),
                "without_cost": sum(1 for t in made if t.cost is None), "cancelled": len(found) - len(made),
                "by_purpose": by_purpose}

    return {"year": year} | year_of(year) | {"previous_year": year_of(year - 1)}
