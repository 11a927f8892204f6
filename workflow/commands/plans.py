"""After signing: the action plan's activities, evaluations, and the board of open cases."""
from __future__ import annotations

from datetime import date

import click

from workflow.commands.shared import (DATE, actor_option, as_date, emit_json, fact_date_option, json_option,
                                      on_option, pager_option, pass_app, pass_reader, precision_of, show, table)
from workflow.commands.shared import Rupiah
from workflow.commands.case import print_outcome
from workflow.i18n import _, current_language, day
from workflow.vocabulary import name as term
from workflow.commands.terms import FIELD, REF, Term


@click.group()
def action():
    """The action plan of an agreement: activities, their OPDs, budgets and status."""


@action.command(name="add")
@click.argument("ref", type=REF)
@click.option("--title", required=True, help="What will be done.")
@click.option("--lead-opd", required=True, help="The OPD that leads and budgets it, e.g. \"Dinas Pendidikan\".")
@click.option("--partner-unit", help="The partner's unit.")
@click.option("--field", "field_", required=True, type=FIELD,
              help="Field of cooperation (kerjasama procedure --fields).")
@click.option("--layer", required=True, type=Term("layer"),
              help="Paradiplomacy layer.")
@click.option("--year", "fiscal_year", required=True, type=int, help="Fiscal year it is planned for.")
@click.option("--cost", required=True, type=Rupiah(), help="Indicative cost in rupiah.")
@click.option("--source", "budget_source", required=True,
              type=Term("budget_source"),
              help="Who pays: the APBD of the OPD, the partner, a central ministry, other.")
@click.option("--output", required=True, help="The output, e.g. \"10 teachers exchanged\".")
@click.option("--indicator", required=True, help="How it is measured.")
@fact_date_option("Day it was added (YYYY-MM-DD), or its month or year when only that is known; default today.")
@actor_option
@json_option
@pass_app
def action_add(app, ref, title, lead_opd, partner_unit, field_, layer, fiscal_year, cost, budget_source, output,
               indicator, on, actor, as_json):
    """Add an activity to a case's action plan; says the earliest year it can be funded.

    Example: kerjasama action add KS-2023-0001 --title "Teacher exchange" --lead-opd "Dinas Pendidikan"
    --field education --layer multidimensional --year 2027 --cost 350000000 --source apbd_opd
    --output "10 teachers" --indicator "teachers exchanged"
    """
    from workflow.actions import add_activity, earliest_fundable

    outcome = add_activity(app.bureau, ref, actor=actor, on=as_date(on), precision=precision_of(on), title=title,
                           lead_opd=lead_opd,
                           partner_unit=partner_unit, field=field_, layer=layer, fiscal_year=fiscal_year, cost=cost,
                           budget_source=budget_source, output=output, indicator=indicator)
    earliest = earliest_fundable(outcome.on, app.config)
    if as_json:
        return emit_json({"ref": outcome.ref, "activity": outcome.data["activity"], "earliest": earliest})
    click.echo(_("{ref}: activity {n} added. Earliest funding: {year} ({route}). {why}").format(
        ref=outcome.ref, n=outcome.data["activity"], year=earliest["year"], route=earliest["route"],
        why=earliest["why"]))
    if fiscal_year < earliest["year"]:
        click.echo(_("Warning: planned for {year}, but it cannot be funded before {earliest}.").format(
            year=fiscal_year, earliest=earliest["year"]), err=True)


@action.command(name="list")
@click.argument("ref", type=REF)
@json_option
@pager_option
@pass_reader
def action_list(app, ref, as_json):
    """The activities of a case's action plan. Example: kerjasama action list KS-2023-0001"""
    from workflow.actions import activities_of

    rows = activities_of(app.bureau, app.config, ref)
    if as_json:
        return emit_json([{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows])
    if not rows:
        return click.echo(_("No activities yet; add them with kerjasama action add {ref}.").format(ref=ref), err=True)
    from workflow.letters import rupiah

    show(table([[r["number"], term("activity_status", r["status"]), r["year"], r["earliest"]["year"], r["lead_opd"],
                 rupiah(r["cost"]), rupiah(r["spent"]) if r["spent"] is not None else "-", r["title"]] for r in rows],
               [_("NO"), _("STATUS"), _("YEAR"), _("EARLIEST"), _("OPD"), _("COST"), _("SPENT"), _("ACTIVITY")]))


@action.command(name="update")
@click.argument("ref", type=REF)
@click.argument("number", type=int)
@click.option("--status", type=Term("activity_status"),
              help="proposed: in the Renja/RKPD; budgeted: in the APBD/APBD-P; done; cancelled.")
@click.option("--year", "fiscal_year", type=int, help="New fiscal year.")
@click.option("--cost", type=Rupiah(), help="New indicative cost in rupiah.")
@click.option("--lead-opd", help="New lead OPD.")
@click.option("--source", "budget_source", type=Term("budget_source"),
              help="New budget source.")
@click.option("--spent", type=Rupiah(), help="With --status done: what it cost, in rupiah, when known.")
@on_option()
@actor_option
@json_option
@pass_app
def action_update(app, ref, number, status, fiscal_year, cost, lead_opd, budget_source, spent, on, actor, as_json):
    """Change an activity's status or plan. Example: kerjasama action update KS-2023-0001 1 --status budgeted"""
    from workflow.actions import update_activity

    outcome = update_activity(app.bureau, ref, number, actor=actor, on=as_date(on), status=status, spent=spent,
                              fiscal_year=fiscal_year, cost=cost, lead_opd=lead_opd, budget_source=budget_source)
    print_outcome(outcome, as_json)


@click.command()
@click.argument("ref", type=REF)
@click.option("--kind", type=Term("evaluation_kind"),
              help="semester: OPD progress; annual: TKKSD evaluation; pre_expiry: the review before expiry.")
@click.option("--recommendation", type=Term("recommendation"),
              help="What the evaluation recommends; amend, extend and terminate open that step as a deadline.")
@click.option("--from", "period_from", required=True, type=DATE, help="First day evaluated.")
@click.option("--to", "period_to", required=True, type=DATE, help="Last day evaluated.")
@click.option("--outputs", default="", help="Outputs achieved.")
@click.option("--indicators", default="", help="Indicators reached.")
@click.option("--problems", default="", help="Problems and their causes.")
@click.option("--dry-run", is_flag=True, help="Show the figures of the period; record nothing (no --kind or "
              "--recommendation needed).")
@on_option()
@actor_option
@pass_app
def evaluate(app, ref, kind, recommendation, period_from, period_to, outputs, indicators, problems, dry_run, on,
             actor):
    """Record a periodic evaluation of an agreement in force, with the figures of its period: indicators against
    their targets, cost planned and spent, activities done per year.

    Example: kerjasama evaluate KS-2023-0001 --kind annual --recommendation extend --from 2025-01-01 --to 2025-12-31
    """
    from workflow.actions import evaluation_figures, record_evaluation

    if dry_run:
        return click.echo(figures_text(evaluation_figures(app.bureau, ref, period_from.date(), period_to.date()))
                          .lstrip("\n"))
    for value, option in ((kind, "--kind"), (recommendation, "--recommendation")):
        if value is None:
            raise click.MissingParameter(param_hint=option, param_type="option")
    outcome = record_evaluation(app.bureau, ref, actor=actor, on=as_date(on), kind=kind,
                                recommendation=recommendation, period_from=period_from.date(),
                                period_to=period_to.date(), outputs=outputs, indicators=indicators, problems=problems)
    click.echo(_("{ref}: evaluation recorded: {done} of {planned} planned activities done; {state}.").format(
        ref=outcome.ref, done=outcome.data["done"], planned=outcome.data["planned"], state=outcome.state))
    for d in outcome.opened:
        click.echo("  " + _("opened {kind}, due {due}").format(kind=term("deadline", d.kind), due=day(d.due)))
    click.echo(figures_text(outcome.data["figures"]))


def figures_text(figures: dict) -> str:
    """An evaluation's figures as a bureau reads them: each indicator's target and figure per year, the cost
    planned and spent, the activities done per year."""
    from babel.numbers import format_decimal

    from workflow.indicator_catalogue import figure
    from workflow.letters import rupiah

    def tenths(value: float) -> str:
        return format_decimal(value, "#,##0.0", locale=current_language())

    costs, years = figures["costs"], figures["years"]
    lines = ["", _("Cost: {planned} planned for {years}, {spent} spent on the activities done").format(
        planned=rupiah(costs["planned"]), spent=rupiah(costs["spent"]),
        years=str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}")
        + (_(" ({n} without their cost recorded)").format(n=costs["unknown"]) if costs["unknown"] else "") + ".",
        _("Activities: {done} done, {rate} a year.").format(done=figures["done"],
                                                            rate=tenths(figures["done_per_year"]))]
    if not figures["indicators"]:
        return "\n".join(lines + [_("No indicators; kerjasama indicator add gives the agreement its own.")])
    rows = [[f'{i["number"]}. {i["name"]}', y["year"], figure(y["target"]), figure(y["value"]),
             f'{tenths(y["reached"])}%' if y["reached"] is not None else "-"]
            for i in figures["indicators"] for y in i["years"]]
    return "\n".join(lines + ["", table(rows, [_("INDICATOR"), _("YEAR"), _("TARGET"), _("FIGURE"), _("REACHED")])])


@click.command(name="board")
@on_option("As of this day (YYYY-MM-DD); default today.")
@click.option("--owner", metavar="NAME", help="Only the cases this officer carries (kerjasama case owners lists "
              "who carries what).")
@json_option
@pager_option
@pass_reader
def board_(app, on, owner, as_json):
    """Open cases by stage: days in stage, overdue deadlines, whom each waits on, who carries it.

    Example: kerjasama board --owner siti
    """
    from workflow.board import board

    report = board(app.bureau, as_date(on), owner=owner)
    if as_json:
        return emit_json(report)
    if report["owner"] and not report["stages"]:
        return click.echo(_("{name} carries no open case.").format(name=report["owner"]), err=True)
    lines = []
    for stage in report["stages"]:
        lines.append(f'{term("stage", stage["stage"])} ({len(stage["cases"])})')
        lines.append(table([[c["ref"], term("state", c["state"]), c["days_in_stage"], c["waiting_on"],
                             ", ".join(term("deadline", kind) for kind in c["overdue"]) or "-",
                             ", ".join(term("document_kind", kind) for kind in c["missing_documents"]) or "-",
                             c["owner"], f'{c["partner"]} ({c["country"]})'] for c in stage["cases"]],
                           [_("  REF"), _("STATE"), _("DAYS"), _("WAITS ON"), _("OVERDUE"), _("NOT ARCHIVED"),
                            _("OWNER"), _("PARTNER")]))
        lines.append("")
    show("\n".join(lines))
