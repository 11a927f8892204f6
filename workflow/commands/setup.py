"""Setting up: the region (init), the procedure table, and the demo case."""
from __future__ import annotations

from pathlib import Path

import click

from workflow import eligibility
from workflow.commands.case import format_case
from workflow.commands.shared import (DEFAULT_DB, actor_option, emit_json, json_option, pager_option, pass_app, show,
                                      table)
from workflow.i18n import LANGUAGES, _, basis, current_language, day
from workflow.vocabulary import name as term
from workflow.commands.terms import Term
from workflow.procedure import STATE_BY_NAME, TIMEZONES


@click.command()
@click.option("--name", help="Name of the region, e.g. \"Kota Padang\".")
@click.option("--level", type=click.Choice(eligibility.REGION_LEVELS), help="Administrative level.")
@click.option("--province", help="Province the kabupaten/kota lies in.")
@click.option("--head-title", help="Title of the head of region (default from the level: Gubernur, Bupati, "
              "Wali Kota).")
@click.option("--council-silence", type=Term("council_silence"),
              help="What a DPRD silent past 45 working days means (default deemed_approval).")
@click.option("--timezone", type=click.Choice(TIMEZONES),
              help="Time zone of the region (default Asia/Jakarta).")
@click.option("--dormancy-months", type=int, help="Months without activity before an agreement is dormant "
              "(default 12).")
@click.option("--loi-validity-months", type=int, help="Months an LoI stays valid (default 60).")
@click.option("--signing-report-days", type=int, help="Days to report a signing to the Minister (default 30).")
@click.option("--trip-report-days", type=int, help="Days to report an official trip abroad after the return "
              "(default 14, the two weeks of SE Mensesneg B-32/M/S/LN.00/12/2024).")
@click.option("--language", type=click.Choice(LANGUAGES),
              help="Language of the reminders the job sends, whatever the server's locale (default id).")
@click.option("--loi-lapse/--no-loi-lapse", default=None,
              help="Let the reminder job record loi_expired when an LoI's validity ends (default off).")
@actor_option
@json_option
@pass_app
def init(app, as_json, actor, **settings):
    """Set up the region, or change its settings; safe to run again.

    Example: kerjasama init --name "Kota Padang" --level kota --province "Sumatera Barat"
    """
    from workflow.region import SETTINGS, init_region

    region, changes = init_region(app.bureau, actor=actor, **settings)
    if as_json:
        return emit_json({k: getattr(region, k) for k in SETTINGS} | {"changed": sorted(changes)})
    if not changes:
        click.echo(_("{name} is set up; nothing changed.").format(name=region.name))
    for key, (old, new) in changes.items():
        click.echo(f"{term('setting', key)}: {shown_setting(key, old)} -> {shown_setting(key, new)}")


def shown_setting(key: str, value) -> str:
    if value is None:
        return "-"
    if key == "council_silence":
        return term("council_silence", value)
    return (_("yes") if value else _("no")) if isinstance(value, bool) else str(value)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "mermaid", "json"]), default="table",
              show_default=True, help="table for reading, mermaid for a diagram, json for tools.")
@click.option("--countries", is_flag=True, help="List partner countries and their diplomatic status instead.")
@click.option("--fields", "list_fields", is_flag=True, help="List the fields of cooperation instead.")
@json_option
@pager_option
def procedure(fmt, countries, list_fields, as_json):
    """The procedure: states, events and deadlines with their legal basis. Example: kerjasama procedure
    --format mermaid"""
    from workflow.describe import mermaid, procedure_rows

    if as_json:
        fmt = "json"
    if countries:
        rows = [[c.code, c.name_en, c.name_id, _("yes") if c.relations else _("none"), c.note_in(current_language())]
                for c in eligibility.countries().values()]
        return show(table(rows, [_("CODE"), _("COUNTRY"), _("NEGARA"), _("RELATIONS"), _("NOTE")]))
    if list_fields:
        rows = [[term("field", f.code), _("allowed") if f.allowed else _("EXCLUDED"),
                 f.name_id if current_language() == "id" else f.name_en, basis(f.basis)]
                for f in eligibility.fields().values()]
        return show(table(rows, [_("FIELD"), _("STATUS"), _("NAME"), _("BASIS")]))
    if fmt == "mermaid":
        return click.echo(mermaid(), nl=False)
    rows = procedure_rows()
    if fmt == "json":
        return emit_json(rows)
    lines = []
    for stage in rows["stages"]:
        lines.append(f'{term("stage", stage["stage"])}: {stage["label"]}  [{stage["basis"]}]')
        lines += [f'    {term("state", state)}' for state in stage["states"]]
    lines.append("")
    lines.append(table([[term("event", e["event"]), ",".join(term("state", s) for s in e["from"]) if len(e["from"]) < 4
                         else _("{n} states").format(n=len(e["from"])),
                         term("state", e["to"]) if e["to"] in STATE_BY_NAME else e["to"], e["basis"]]
                        for e in rows["events"]], [_("EVENT"), _("FROM"), _("TO"), _("BASIS")]))
    lines.append("")
    lines.append(table([[term("deadline", d["kind"]),
                         f'{term("setting", d["length"]) or "-"} {term("unit", d["unit"])}',
                         ",".join(term("event", e) for e in d["opened_by"]), d["basis"]] for d in rows["deadlines"]],
                       [_("DEADLINE"), _("LENGTH"), _("OPENED BY"), _("BASIS")]))
    show("\n".join(lines))


@click.command()
@click.option("--demo-db", type=click.Path(path_type=Path), default=str(DEFAULT_DB.with_name("demo.db")),
              show_default=True, help="SQLite file for the demo; it is recreated on each run.")
@pass_app
def demo(app, demo_db):
    """Walk a realistic case (Kota Padang - Hildesheim) from opening to implementation on a demo database."""
    from workflow.cases import show_case
    from workflow.demo import run_demo

    demo_db.unlink(missing_ok=True)
    demo_app = app.on_database(str(demo_db))
    click.get_current_context().call_on_close(demo_app.close)
    for outcome in run_demo(demo_app.bureau):
        opened = ", ".join(f"{term('deadline', d.kind)} {_('due')} {day(d.due)}" for d in outcome.opened)
        click.echo(f"{term('event', outcome.event):<34} -> {term('state', outcome.state):<24} {opened}")
    click.echo("")
    click.echo(format_case(show_case(demo_app.bureau, outcome.ref)))
    click.echo("")
    click.echo(_("Explore it: kerjasama --db {db} case history {ref}").format(db=demo_db, ref=outcome.ref))


@click.group()
def admin():
    """Roles on a shared PostgreSQL database: who may record, change settings, run the job, or only read."""


@admin.command(name="roles")
@pass_app
def admin_roles(app):
    """Create the group roles (officer, head, scheduler, auditor), grant their privileges and make the history
    append-only; run it as the database's owner after each upgrade.

    Example: kerjasama --db postgresql://owner@db/kerjasama admin roles
    """
    from workflow.roles import set_up_roles

    for line in set_up_roles(app.bureau):
        click.echo(line)


@admin.command(name="grant")
@click.argument("login")
@click.argument("role", type=Term("role"))
@pass_app
def admin_grant(app, login, role):
    """Make LOGIN (a PostgreSQL login role, created without a password if missing) a member of ROLE only.

    Example: kerjasama admin grant siti officer
    """
    from workflow.roles import grant

    group = grant(app.bureau, login, role)
    click.echo(_("{login} is now {group}; set its password with psql's \\password {login} unless the server "
                 "authenticates it otherwise.").format(login=login, group=group))
