"""``kerjasama obligation``: the duties an agreement's clauses put on the parties, with their cadence."""
from __future__ import annotations

import click

from workflow.commands.case import print_outcome
from workflow.commands.shared import DATE, actor_option, as_date, json_option, on_option, pass_app
from workflow.commands.terms import REF, Term


@click.group()
def obligation():
    """Duties the agreement's clauses set (Joint Working Group meetings, joint reports, reviews of the plan of
    action), each reminded when due."""


@obligation.command(name="add")
@click.argument("ref", type=REF)
@click.argument("kind", type=Term("obligation"))
@click.option("--every", "every_months", required=True, type=click.IntRange(1, 120), metavar="MONTHS",
              help="How often, in months, as the agreement's text says (12: once a year).")
@click.option("--first-due", type=DATE, help="When it is first due; default a cadence after the day it began.")
@click.option("--note", help="The article that sets it, e.g. \"Pasal 6 ayat (3)\".")
@on_option("Day the duty began (YYYY-MM-DD); default the day the agreement was signed.")
@actor_option
@json_option
@pass_app
def add_(app, ref, kind, every_months, first_due, note, on, actor, as_json):
    """Record a duty the agreement sets, with its cadence; it is reminded like the procedure's deadlines.

    Example: kerjasama obligation add KS-2023-0001 pertemuan_kelompok_kerja --every 12 --first-due "8 Mei 2026"
    """
    from workflow.obligations import add_obligation

    print_outcome(add_obligation(app.bureau, ref, kind, every_months=every_months,
                                 first_due=first_due.date() if first_due else None, actor=actor, on=as_date(on),
                                 note=note), as_json)


@obligation.command(name="met")
@click.argument("ref", type=REF)
@click.argument("kind", type=Term("obligation"))
@click.option("--note", help="What was done (the meeting's place, the report's subject).")
@click.option("--doc-number", help="Number of the minutes, the report or the review that proves it.")
@on_option("Day it was done (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def met_(app, ref, kind, note, doc_number, on, actor, as_json):
    """Record a duty done; the next one falls due a cadence after the due date it met.

    Example: kerjasama obligation met KS-2023-0001 pertemuan_kelompok_kerja --on "20 Mei 2026" --doc-number 12/JWG
    """
    from workflow.obligations import meet_obligation

    print_outcome(meet_obligation(app.bureau, ref, kind, actor=actor, on=as_date(on), note=note,
                                  doc_number=doc_number), as_json)
