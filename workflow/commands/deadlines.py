"""``kerjasama deadlines``: the open deadlines of every case, and their recomputation."""
from __future__ import annotations

import click

from workflow.commands.shared import (actor_option, as_date, days_left, emit_json, json_option, on_option,
                                      pager_option, pass_app, show, table)
from workflow.i18n import _, day
from workflow.vocabulary import name as term


@click.group(invoke_without_command=True)
@click.option("--overdue", is_flag=True, help="Only deadlines already past due.")
@click.option("--within", type=click.IntRange(min=0, max=36_500), metavar="DAYS",
              help="Only deadlines due from today to DAYS on (with --overdue: and those past due).")
@on_option("Count from this day (YYYY-MM-DD); default today.")
@click.option("--ics", is_flag=True, help="Print an iCalendar file instead, for Outlook or Google Calendar.")
@json_option
@pager_option
@click.pass_context
def deadlines(ctx, overdue, within, on, ics, as_json):
    """Open deadlines of all cases by due date. Example: kerjasama deadlines --within 30"""
    if ctx.invoked_subcommand:
        return
    ctx.obj.read_only = True  # the listing only reads (as @pass_reader); recompute records
    from workflow.cases import upcoming_deadlines

    report = upcoming_deadlines(ctx.obj.bureau, as_date(on), overdue=overdue, within=within)
    if ics:
        from workflow.ics import deadlines_ics

        return click.echo(deadlines_ics(ctx.obj.bureau, ctx.obj.config, report).decode(), nl=False)
    if as_json:
        return emit_json(report)
    if not report["deadlines"]:
        return click.echo(_("No open deadlines."), err=True)
    show(table([[day(d["due"]), days_left(d), d["ref"], term("deadline", d["kind"]), term("state", d["state"]),
                 _("{n} failed").format(n=d["undelivered"]) if d["undelivered"] else ""] for d in report["deadlines"]],
               [_("DUE"), _("LEFT"), _("REF"), _("DEADLINE"), _("STATE"), _("REMINDERS")]))


@deadlines.command()
@click.option("--apply", "record", is_flag=True, help="Record the moves; without it, only show them.")
@actor_option
@json_option
@pass_app
def recompute(app, record, actor, as_json):
    """Show which open deadlines move after a calendar change; --apply records the moves.

    Example: kerjasama deadlines recompute --apply
    """
    from workflow.recompute import recompute_deadlines

    moves = recompute_deadlines(app.bureau, actor=actor, record=record)
    if as_json:
        return emit_json({"applied": record, "moves": moves})
    if not moves:
        return click.echo(_("No open deadline moves."), err=True)
    click.echo(table([[m["ref"], term("deadline", m["kind"]), day(m["due"]), day(m["new_due"]),
                       f'{m["shift_working_days"]:+d}']
                      for m in moves], [_("REF"), _("DEADLINE"), _("DUE"), _("NEW DUE"), _("WORKING DAYS")]))
    if not record:
        click.echo(_("Nothing changed; run with --apply to record these moves."), err=True)
