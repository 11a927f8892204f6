"""Official trips abroad (perjalanan dinas luar negeri): plan, permit, return, report, cancel, and the lists."""
from __future__ import annotations

import click

from workflow.commands.case import print_outcome
from workflow.commands.shared import (DATE, Rupiah, actor_option, as_date, emit_json, json_option, on_option, plain,
                                      pager_option, pass_app, pass_reader, show, table)
from workflow.commands.terms import COUNTRY, REF
from workflow.i18n import _, day
from workflow.vocabulary import name as term


class TripNumber(click.ParamType):
    """The number of a trip, as kerjasama trip list shows it; its placeholder in the officer's language."""

    name = "trip"

    def get_metavar(self, param, ctx):
        return _("TRIP")

    def convert(self, value, param, ctx):
        return click.INT.convert(value, param, ctx)


TRIP = TripNumber()


@click.group()
def trip():
    """Official trips abroad of a case: the President's permit, the delegation's cap, the return and the report."""


def _money(amount: int | None) -> str:
    from workflow.letters import rupiah

    return rupiah(amount) if amount is not None else "-"


def _delegation(trip: dict) -> str:
    return f"{trip['delegation']}/{trip['cap']}" if trip["cap"] is not None else str(trip["delegation"])


@trip.command(name="purposes")
@json_option
@pager_option
def trip_purposes(as_json):
    """The purposes of the circular's table and the most each may send. Example: kerjasama trip purposes"""
    from workflow.trips import CIRCULAR, purposes

    rows = list(purposes().values())
    if as_json:
        return emit_json([{"purpose": p.code, "point": p.point, "cap": p.cap, "per_working_group": p.per_working_group,
                           "lead_days": p.lead_days, "name_id": p.name_id, "name_en": p.name_en} for p in rows])
    show(table([[term("trip_purpose", p.code), p.point, p.cap if p.cap is not None else p.note(), p.name()]
                for p in rows], [_("PURPOSE"), _("POINT"), _("AT MOST"), _("WHAT IT COVERS")])
         + "\n" + _("Source: {circular} (23 December 2024), point 3; a meeting adds 2 for each working group.")
         .format(circular=CIRCULAR))


@trip.command(name="plan")
@click.argument("ref", type=REF)
@click.option("--purpose", required=True, help="The purpose, a row of the circular's table (kerjasama trip purposes).")
@click.option("--depart", "departs_on", required=True, type=DATE, help="Day of departure.")
@click.option("--return", "returns_on", required=True, type=DATE, help="Day of return.")
@click.option("--destination", required=True, type=COUNTRY, help="Country of destination.")
@click.option("--delegate", "delegates", multiple=True, metavar="\"NAME (ROLE)\"",
              help="A member of the delegation with the role in brackets; once for each.")
@click.option("--activity", type=int, help="Number of the action-plan activity the trip serves.")
@click.option("--host-confirmation", type=DATE, help="Day of the host's official confirmation.")
@click.option("--kemlu-recommendation", metavar="NUMBER",
              help="Number of Kemlu's recommendation, needed for a country without diplomatic relations.")
@click.option("--cost", type=Rupiah(), help="Indicative cost in rupiah.")
@click.option("--working-groups", type=int, default=0, help="Working groups of a meeting; each adds 2 to its cap.")
@click.option("--record-past", is_flag=True,
              help="Record a trip that has departed: what the circular would refuse is flagged instead.")
@on_option("Day it was planned (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def trip_plan(app, ref, purpose, departs_on, returns_on, destination, delegates, activity, host_confirmation,
              kemlu_recommendation, cost, working_groups, record_past, on, actor, as_json):
    """Plan an official trip abroad: the delegation is checked against its purpose's cap and the permit request
    falls due 7 days before departure.

    Example: kerjasama trip plan KS-2023-0001 --purpose meeting --depart 2026-05-10 --return 2026-05-16
    --destination DE --delegate "Fadly Amran (Wali Kota)" --delegate "Rudy Rinaldy (Kepala Bagian Kerja Sama)"
    """
    from workflow.trips import flag_texts, plan_trip

    planned = plan_trip(app.bureau, ref, actor=actor, purpose=purpose, destination=destination,
                        departs_on=as_date(departs_on), returns_on=as_date(returns_on), delegates=list(delegates),
                        on=as_date(on), activity=activity, host_confirmation=as_date(host_confirmation),
                        kemlu_recommendation=kemlu_recommendation, cost=cost, working_groups=working_groups,
                        record_past=record_past)
    found = planned.trip
    if as_json:
        return emit_json(plain(found) | {"warnings": planned.warnings})
    click.echo(_("{ref}: trip {trip} planned: {purpose} to {country}, {out} to {back}, delegation {delegation}.")
               .format(ref=found["ref"], trip=found["trip"], purpose=term("trip_purpose", found["purpose"]),
                       country=term("country", found["destination"]), out=day(found["departs_on"]),
                       back=day(found["returns_on"]), delegation=_delegation(found)))
    click.echo("  " + _("permit request due {due}").format(due=day(found["permit_due"])))
    for line in flag_texts(found):
        click.echo("  " + _("flagged: {flag}").format(flag=line))
    for warning in planned.warnings:
        click.echo(_("Warning: {text}").format(text=warning), err=True)


@trip.command(name="list")
@click.argument("ref", type=REF, required=False)
@json_option
@pager_option
@pass_reader
def trip_list(app, ref, as_json):
    """The official trips abroad, of one case or of all. Example: kerjasama trip list KS-2023-0001"""
    from workflow.trips import trips_of

    rows = trips_of(app.bureau, ref)
    if as_json:
        return emit_json(plain(rows))
    if not rows:
        return click.echo(_("No official trips abroad on record; plan one with kerjasama trip plan REF."), err=True)
    show(table([[t["trip"], t["ref"], term("trip_purpose", t["purpose"]), term("country", t["destination"]),
                 day(t["departs_on"]), day(t["returned_on"] or t["returns_on"]), _delegation(t),
                 term("trip_status", t["status"]), _money(t["cost"])] for t in rows],
               [_("TRIP"), _("REF"), _("PURPOSE"), _("TO"), _("DEPARTS"), _("RETURNS"), _("DELEGATION"),
                _("STATUS"), _("COST")]))


@trip.command(name="show")
@click.argument("trip_id", type=TRIP)
@json_option
@pager_option
@pass_reader
def trip_show(app, trip_id, as_json):
    """One trip: its purpose and cap, delegation, permit, return and report. Example: kerjasama trip show 3"""
    from workflow.trips import CIRCULAR, flag_texts, purposes, trip_detail

    t = trip_detail(app.bureau, trip_id)
    if as_json:
        return emit_json(plain(t))
    spec = purposes()[t["purpose"]]
    step = lambda when, what: day(when) + (f" ({what})" if what else "") if when else "-"  # noqa: E731
    lines = [f"{_('Trip')} {t['trip']}  {t['ref']}  {t['title']}",
             "  " + _("Purpose:     {purpose} ({circular} angka {point}: {name})").format(
                 purpose=term("trip_purpose", t["purpose"]), circular=CIRCULAR, point=spec.point, name=spec.name()),
             "  " + _("Destination: {country}").format(country=term("country", t["destination"])),
             "  " + _("Dates:       {out} to {back}").format(out=day(t["departs_on"]), back=day(t["returns_on"])),
             "  " + _("Delegation:  {n}, at most {cap}").format(
                 n=t["delegation"], cap=t["cap"] if t["cap"] is not None else spec.note())]
    lines += [f"    {n}. {d['name']} ({d['role']})" for n, d in enumerate(t["delegates"], start=1)]
    lines += ["  " + _("Host's confirmation: {on}").format(on=day(t["host_confirmed_on"])),
              "  " + _("Kemlu recommendation: {number}").format(number=t["kemlu_recommendation"] or "-"),
              "  " + _("Cost:        {cost}").format(cost=_money(t["cost"])),
              "  " + _("Permit:      due {due}; requested {requested}; granted {granted}").format(
                  due=day(t["permit_due"]), requested=step(t["permit_requested_on"], None),
                  granted=step(t["permit_granted_on"], t["permit_number"])),
              "  " + _("Returned:    {on}").format(on=day(t["returned_on"])),
              "  " + _("Report:      due {due}; submitted {on}").format(
                  due=day(t["report_due"]), on=step(t["reported_on"], t["report_number"])),
              "  " + _("Status:      {status}").format(status=term("trip_status", t["status"]))]
    lines += ["  " + _("flagged: {flag}").format(flag=line) for line in flag_texts(t)]
    show("\n".join(lines))


@trip.command(name="permit")
@click.argument("trip_id", type=TRIP)
@click.option("--requested/--granted", "requested", default=True,
              help="The request sent through the PDLN system (default), or the President's permit granted.")
@click.option("--doc-number", help="Number of the permit (with --granted) or of the request's letter.")
@click.option("--host-confirmation", type=DATE, help="Day of the host's official confirmation, if it came since.")
@on_option()
@actor_option
@json_option
@pass_app
def trip_permit(app, trip_id, requested, doc_number, host_confirmation, on, actor, as_json):
    """Record the permit request through the PDLN system, or the permit granted.

    Example: kerjasama trip permit 3 --granted --doc-number "B-123/Kemensetneg/D-4/LN.00/05/2026" --on 2026-05-02
    """
    from workflow.trips import record_permit

    print_outcome(record_permit(app.bureau, trip_id, actor=actor, granted=not requested, on=as_date(on),
                                doc_number=doc_number, host_confirmation=as_date(host_confirmation)), as_json)


@trip.command(name="return")
@click.argument("trip_id", type=TRIP)
@on_option("Day the delegation came back (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def trip_return(app, trip_id, on, actor, as_json):
    """Record the delegation's return; the trip report falls due. Example: kerjasama trip return 3 --on 2026-05-16"""
    from workflow.trips import record_return

    print_outcome(record_return(app.bureau, trip_id, actor=actor, on=as_date(on)), as_json)


@trip.command(name="report")
@click.argument("trip_id", type=TRIP)
@click.option("--doc-number", help="Number of the report's letter.")
@on_option("Day the report was submitted (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def trip_report(app, trip_id, doc_number, on, actor, as_json):
    """Record the trip report submitted. Example: kerjasama trip report 3 --on 2026-05-28"""
    from workflow.trips import record_report

    print_outcome(record_report(app.bureau, trip_id, actor=actor, on=as_date(on), doc_number=doc_number), as_json)


@trip.command(name="cancel")
@click.argument("trip_id", type=TRIP)
@click.option("--note", required=True, help="Why: the trip will not be made, or its permit was refused.")
@on_option()
@actor_option
@json_option
@pass_app
def trip_cancel(app, trip_id, note, on, actor, as_json):
    """Record that a trip will not be made. Example: kerjasama trip cancel 3 --note "Permit refused\""""
    from workflow.trips import cancel_trip

    print_outcome(cancel_trip(app.bureau, trip_id, actor=actor, note=note, on=as_date(on)), as_json)
