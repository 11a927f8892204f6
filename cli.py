"""The ``kerjasama`` command: parse, call one function of workflow/, print.

Every refusal becomes one line on stderr and exit code 1; usage errors are click's, exit code 2.
``--json`` prints one JSON document on stdout and nothing else.
"""
from __future__ import annotations

import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path

import click
from platformdirs import user_cache_dir, user_config_dir, user_data_dir
from sqlalchemy.exc import DBAPIError

from workflow.i18n import _, day

DEFAULT_DB = Path(user_data_dir("kerjasama")) / "kerjasama.db"
DEFAULT_CONFIG = Path(user_config_dir("kerjasama")) / "config.toml"
DATE = click.DateTime(formats=["%Y-%m-%d"])


class App:
    """Settings of one invocation; the database handle is built on first use."""

    def __init__(self, db_url: str, config_path: Path):
        self.db_url = db_url
        self.config_path = config_path
        self._bureau = None
        self._config = None

    @property
    def config(self):
        if self._config is None:
            from workflow.config import load_config

            self._config = load_config(self.config_path)
        return self._config

    @property
    def bureau(self):
        if self._bureau is None:
            from db.session import Database
            from workflow.bureau import Bureau

            self._bureau = Bureau.from_config(Database(self.db_url), self.config,
                                              Path(user_cache_dir("kerjasama")) / "holidays.json")
            self._bureau.db.ensure_schema()
        return self._bureau

    def close(self) -> None:
        if self._bureau is not None:
            self._bureau.db.dispose()


class Kerjasama(click.Group):
    """Speaks the officer's language, and turns every known error into one line and exit code 1."""

    def main(self, args=None, **extra):
        from workflow.i18n import choose_language, set_language, translate_commands

        args = list(sys.argv[1:] if args is None else args)
        config = _given(args, "--config") or os.environ.get("KERJASAMA_CONFIG") or str(DEFAULT_CONFIG)
        set_language(choose_language(_given(args, "--lang"), _configured_language(Path(config))))
        if any("\x00" in arg for arg in args):  # the OS refuses such a path or value with a bare ValueError
            click.echo(_("Error: an argument contains a NUL character."), err=True)
            raise SystemExit(2)
        translate_commands(self)  # before click parses, so --help is in that language too
        return super().main(args, **extra)

    def invoke(self, ctx):
        from workflow.errors import KerjasamaError

        try:
            return super().invoke(ctx)
        except KerjasamaError as err:
            raise click.ClickException(str(err)) from None
        except DBAPIError as err:
            app = ctx.find_object(App)
            message = str(app.bureau.db.unavailable(err)) if app and app._bureau else str(err.orig).splitlines()[0]
            raise click.ClickException(message) from None


def _given(args: list[str], option: str) -> str | None:
    """The value of a group option in the raw arguments, read before click parses them."""
    for i, arg in enumerate(args):
        if arg == option and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def _configured_language(path: Path) -> str | None:
    from workflow.config import load_config
    from workflow.errors import ConfigError

    try:
        return load_config(path).language
    except ConfigError:
        return None  # the command reports a broken config itself


pass_app = click.make_pass_decorator(App)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")


def on_option(help_text: str = "Day it happened (YYYY-MM-DD); default today."):
    return click.option("--on", type=DATE, help=help_text)


def actor_option(f):
    return click.option("--as", "actor", default=lambda: os.environ.get("KERJASAMA_ACTOR") or getpass.getuser(),
                        show_default="$KERJASAMA_ACTOR or your login", help="Who records it.")(f)


def as_date(value) -> date | None:
    return value.date() if value is not None else None


def emit_json(document) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def key_values(items: tuple[str, ...]) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a dict."""
    pairs = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(_("write KEY=VALUE, e.g. term_years=5"), param_hint="--set")
        pairs[key.strip()] = value
    return pairs


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(len(headers))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines)


format_option = click.option("--format", "fmt", type=click.Choice(["html", "pdf", "txt"]), default="html",
                             show_default=True, help="html to print or open, pdf to file, txt for SRIKANDI.")
output_option = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                             help="Write to this file instead of standard output.")
template_set_option = click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                                   help="An option of the template (letter vars lists them), or hal, sifat, "
                                        "lampiran, di, layout.")


def write_output(data: bytes, output: Path | None, fmt: str) -> None:
    if output:
        output.write_bytes(data)
        return click.echo(_("Wrote {path}").format(path=output), err=True)
    stream = click.get_binary_stream("stdout")
    if fmt == "pdf" and stream.isatty():
        raise click.UsageError(_("A PDF goes to a file: give -o PATH."))
    stream.write(data)


@click.group(cls=Kerjasama)
@click.version_option(package_name="kerjasama", prog_name="kerjasama")  # read only when asked: it costs 10 ms
@click.option("--db", "db_url", envvar="KERJASAMA_DATABASE_URL", default=str(DEFAULT_DB), show_default=True,
              help="Database URL (postgresql://USER@HOST/NAME) or SQLite file. Env: KERJASAMA_DATABASE_URL.")
@click.option("--config", "config_path", envvar="KERJASAMA_CONFIG", type=click.Path(path_type=Path),
              default=str(DEFAULT_CONFIG), show_default=True, help="Config file (calendar overrides). "
              "Env: KERJASAMA_CONFIG.")
@click.option("--lang", type=click.Choice(["id", "en"]),
              help="Language: id (Bahasa Indonesia) or en. Default: KERJASAMA_LANG, the config, the locale, id.")
@click.pass_context
def cli(ctx, db_url, config_path, lang):
    """Foreign cooperation cases of a region, carried through the procedure of PP 28/2018."""
    ctx.obj = App(db_url, config_path)
    ctx.call_on_close(ctx.obj.close)


@cli.command()
@click.option("--name", help="Name of the region, e.g. \"Kota Padang\".")
@click.option("--level", type=click.Choice(["provinsi", "kabupaten", "kota"]), help="Administrative level.")
@click.option("--province", help="Province the kabupaten/kota lies in.")
@click.option("--head-title", help="Title of the head of region (default from the level: Gubernur, Bupati, "
              "Wali Kota).")
@click.option("--council-silence", type=click.Choice(["deemed_approval", "escalate"]),
              help="What a DPRD silent past 45 working days means (default deemed_approval).")
@click.option("--timezone", type=click.Choice(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]),
              help="Time zone of the region (default Asia/Jakarta).")
@click.option("--dormancy-months", type=int, help="Months without activity before an agreement is dormant "
              "(default 12).")
@click.option("--loi-validity-months", type=int, help="Months an LoI stays valid (default 60).")
@click.option("--signing-report-days", type=int, help="Days to report a signing to the Minister (default 30).")
@click.option("--loi-lapse/--no-loi-lapse", default=None,
              help="Let the reminder job record loi_expired when an LoI's validity ends (default off).")
@json_option
@pass_app
def init(app, as_json, **settings):
    """Set up the region, or change its settings; safe to run again.

    Example: kerjasama init --name "Kota Padang" --level kota --province "Sumatera Barat"
    """
    from workflow.region import SETTINGS, init_region

    region, changes = init_region(app.bureau, **settings)
    if as_json:
        return emit_json({k: getattr(region, k) for k in SETTINGS} | {"changed": sorted(changes)})
    if not changes:
        click.echo(_("{name} is set up; nothing changed.").format(name=region.name))
    for key, (old, new) in changes.items():
        click.echo(f"{key}: {old if old is not None else '-'} -> {new}")


@cli.group()
def case():
    """Open, advance and read cooperation cases."""


@case.command(name="open")
@click.option("--title", required=True, help="Short title, e.g. \"Sister city Padang - Hildesheim\".")
@click.option("--partner", "partner_name", required=True, help="Name of the foreign partner.")
@click.option("--country", required=True, help="Partner's country, ISO 3166 code (DE, JP, VN...).")
@click.option("--partner-type", required=True, type=click.Choice(
    ["province", "city", "intergovernmental", "non_profit", "development_partner", "university",
     "other_institution", "political_party"]),
    help="province/city: a foreign regional government (KSDPL); the others: a foreign institution (KSDLL).")
@click.option("--field", "fields", multiple=True, required=True, help="Field of cooperation; repeat for several "
              "(kerjasama procedure --fields lists them).")
@click.option("--level-justification", help="Why a partner of another level is accepted (equal territory, "
              "PP 28/2018 Pasal 27 ayat (3)).")
@click.option("--note", help="What started the case (letter, visit, referral).")
@on_option("Day the initiative was received (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def open_(app, title, partner_name, country, partner_type, fields, level_justification, note, on, actor, as_json):
    """Open a case; prints its reference.

    Example: kerjasama case open --title "Sister city Padang - Hildesheim" --partner Hildesheim --country DE
    --partner-type city --field culture --field education --on 2023-01-16
    """
    from workflow.engine import open_case

    outcome = open_case(app.bureau, title=title, partner_name=partner_name, country=country,
                        partner_type=partner_type, fields=list(fields), on=as_date(on),
                        actor=actor, level_justification=level_justification, note=note)
    if as_json:
        return emit_json({"ref": outcome.ref, "state": outcome.state, "version": outcome.version})
    click.echo(outcome.ref)


@case.command(name="list")
@click.option("--stage", help="Only cases in this stage.")
@click.option("--state", help="Only cases in this state.")
@json_option
@pass_app
def list_(app, stage, state, as_json):
    """List the cases, newest first. Example: kerjasama case list --stage council_approval"""
    from workflow.cases import list_cases

    rows = list_cases(app.bureau, stage=stage, state=state)
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No cases."), err=True)
    click.echo(table([[r["ref"], r["stage"], r["state"], f'{r["partner"]} ({r["country"]})', r["title"]]
                      for r in rows], [_("REF"), _("STAGE"), _("STATE"), _("PARTNER"), _("TITLE")]))


@case.command()
@click.argument("ref")
@on_option("Show as of this day (YYYY-MM-DD); default today.")
@json_option
@pass_app
def show(app, ref, on, as_json):
    """Where a case stands and what can happen next. Example: kerjasama case show KS-2026-0007"""
    from workflow.cases import show_case

    report = show_case(app.bureau, ref, as_date(on))
    if as_json:
        return emit_json(report)
    click.echo(format_case(report))


def format_case(r: dict) -> str:
    partner = r["partner"]

    def label(text: str) -> str:  # labels line up in any language
        return f"  {text + ':':<10}"

    lines = [
        f'{r["ref"]}  {r["title"]}',
        (f'{label(_("Partner"))}{partner["name"]} ({partner["type"]}), {partner["country_name"]} · '
         f'{r["kind"].upper()} · {", ".join(r["fields"])}'),
        f'{label(_("Stage"))}{r["stage"]} - {r["stage_label"]}',
        f'{label(_("State"))}{r["state"]} - {r["state_label"]}',
        (f'{label(_("Last"))}{r["last_event"]["event"]} {_("on")} {day(r["last_event"]["on"], True)} · '
         f'{_("opened")} {day(r["opened_on"])} · {_("version")} {r["version"]}'),
    ]
    if r["resumes_to"]:
        lines.append(f'  {_("Resumes to")}: {r["resumes_to"]}')
    if r["level_justification"]:
        lines.append(f'  {_("Level accepted because")}: {r["level_justification"]}')
    lines.append("")
    lines.append(_("Open deadlines (as of {today}):").format(today=day(r["today"], True)))
    if not r["deadlines"]:
        lines.append("  -")
    for d in r["deadlines"]:
        lines.append(f'  {d["kind"]:<24} {_("due")} {day(d["due"]):<17} {days_left(d):<28} {d["basis"]}')
    lines.append("")
    lines.append(_("Next:"))
    if not r["allowed_events"]:
        lines.append("  -")
    for e in r["allowed_events"]:
        needs = f'  {_("needs")}: {"; ".join(e["needs"])}' if e["needs"] else ""
        lines.append(f'  {e["event"]:<32} -> {e["to"]:<24}{needs}')
    for e in r["blocked_events"]:
        lines.append(f'  {e["event"]:<32} {_("not now")}: {e["reason"]}')
    if r["allowed_events"]:
        lines.append("")
        lines.append(_("Record one with: kerjasama case advance {ref} EVENT --on YYYY-MM-DD").format(ref=r["ref"]))
    return "\n".join(lines)


def days_left(d: dict) -> str:
    unit = _("working day(s)") if d["day_unit"] == "working" else _("day(s)")
    if d["days_left"] < 0:
        return _("{n} {unit} overdue").format(n=-d["days_left"], unit=unit)
    if d["days_left"] == 0:
        return _("due today")
    return _("{n} {unit} left").format(n=d["days_left"], unit=unit)


@case.command()
@click.argument("ref")
@click.argument("event")
@on_option()
@click.option("--note", help="What happened; required for decisions (returns, rejections, withdrawals).")
@click.option("--doc-number", help="Number of the letter or decision that proves it.")
@click.option("--set", "data", multiple=True, metavar="KEY=VALUE", help="A datum the event takes, e.g. "
              "--set term_years=5; case show lists what each event needs.")
@actor_option
@json_option
@pass_app
def advance(app, ref, event, on, note, doc_number, data, actor, as_json):
    """Record EVENT for case REF. Example: kerjasama case advance KS-2026-0007 dprd_request_received --on 2026-03-02"""
    from workflow.engine import apply

    outcome = apply(app.bureau, ref, event, actor=actor, on=as_date(on), note=note,
                    doc_number=doc_number, data=key_values(data))
    opened = [{"kind": d.kind, "due": d.due.isoformat()} for d in outcome.opened]
    closed = [{"kind": d.kind, "status": d.status} for d in outcome.closed]
    if as_json:
        return emit_json({"ref": outcome.ref, "event": outcome.event, "from": outcome.from_state,
                          "state": outcome.state, "version": outcome.version, "opened": opened, "closed": closed})
    click.echo(f"{outcome.ref}: {outcome.event}: {outcome.from_state} -> {outcome.state}")
    for d in opened:
        click.echo("  " + _("opened {kind}, due {due}").format(**d))
    for d in closed:
        click.echo("  " + _("closed {kind} ({status})").format(**d))


@case.command()
@click.argument("ref")
@json_option
@pass_app
def history(app, ref, as_json):
    """The events of a case, oldest first. Example: kerjasama case history KS-2026-0007"""
    from workflow.cases import case_history

    report = case_history(app.bureau, ref)
    if as_json:
        return emit_json(report)
    click.echo(f'{report["ref"]}  {report["title"]}')
    for e in report["events"]:
        moved = f'{e["from"] or "-"} -> {e["to"]}' if e["from"] != e["to"] else e["to"]
        click.echo(f'{e["seq"]:>3}  {day(e["on"]):<17} {e["event"]:<32} {moved}   {_("by")} {e["actor"]}, '
                   f'{_("recorded")} {e["recorded_at"]}')
        for label, value in ((_("note"), e["note"]), (_("document"), e["doc_number"])):
            if value:
                click.echo(f"       {label}: {value}")
        if e["data"]:
            click.echo("       " + ", ".join(f"{k}={v}" for k, v in e["data"].items()))
        for item in e["opened"]:
            click.echo("       + " + item)
        for item in e["closed"]:
            click.echo("       - " + item)


@cli.group(invoke_without_command=True)
@click.option("--overdue", is_flag=True, help="Only deadlines already past due.")
@click.option("--within", type=click.IntRange(min=0), metavar="DAYS",
              help="Only deadlines due from today to DAYS on (with --overdue: and those past due).")
@on_option("Count from this day (YYYY-MM-DD); default today.")
@click.option("--ics", is_flag=True, help="Print an iCalendar file instead, for Outlook or Google Calendar.")
@json_option
@click.pass_context
def deadlines(ctx, overdue, within, on, ics, as_json):
    """Open deadlines of all cases by due date. Example: kerjasama deadlines --within 30"""
    if ctx.invoked_subcommand:
        return
    from workflow.cases import upcoming_deadlines

    report = upcoming_deadlines(ctx.obj.bureau, as_date(on), overdue=overdue, within=within)
    if ics:
        from workflow.ics import deadlines_calendar

        return click.echo(deadlines_calendar(report).decode(), nl=False)
    if as_json:
        return emit_json(report)
    if not report["deadlines"]:
        return click.echo(_("No open deadlines."), err=True)
    click.echo(table([[day(d["due"]), days_left(d), d["ref"], d["kind"], d["state"],
                       _("{n} failed").format(n=d["undelivered"]) if d["undelivered"] else ""]
                      for d in report["deadlines"]],
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
    click.echo(table([[m["ref"], m["kind"], m["due"], m["new_due"], f'{m["shift_working_days"]:+d}']
                      for m in moves], [_("REF"), _("DEADLINE"), _("DUE"), _("NEW DUE"), _("WORKING DAYS")]))
    if not record:
        click.echo(_("Nothing changed; run with --apply to record these moves."), err=True)


@cli.command()
@click.option("--now", help="Moment of the sweep: 2026-06-27 or 2026-06-27T07:30+07:00; default now.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded and applied; write and send nothing.")
@json_option
@pass_app
def remind(app, now, dry_run, as_json):
    """Run one reminder sweep: record and deliver the reminders due, apply the timers due.

    Example: kerjasama remind --now 2026-06-27
    """
    from workflow.reminders import channels_for, parse_now, summary, sweep

    console = (lambda text: click.echo(text, err=True)) if as_json else click.echo
    report = sweep(app.bureau, app.config, parse_now(now), channels_for(app.config, console), dry_run=dry_run)
    if as_json:
        return emit_json(report.as_dict())
    if dry_run:
        for r in report.recorded:
            click.echo(_("would remind: {ref} {kind} {step} (due {due})").format(
                ref=r.get("ref", r.get("key")), kind=r["kind"], step=r["step"], due=r["due"]))
        for t in report.timers:
            click.echo(_("would try: {ref} {events} on {on}").format(ref=t["ref"], events=" or ".join(t["events"]),
                                                                     on=t["on"]))
        return
    for failure in report.failed:
        click.echo(_("not delivered: {key} by {channel}: {error}; retried from {at}").format(
            key=failure["key"], channel=failure["channel"], error=failure["error"], at=failure["next_attempt_at"]),
            err=True)
    click.echo(summary(report), err=True)


@cli.command()
@pass_app
def scheduler(app):
    """Run the reminder sweep now and then on the config's cron (default working days 07:30) until stopped."""
    from workflow.reminders import channels_for
    from workflow.scheduler import run_scheduler

    run_scheduler(app.bureau, app.config, channels_for(app.config, click.echo),
                  log=lambda line: click.echo(line, err=True))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "mermaid", "json"]), default="table",
              show_default=True, help="table for reading, mermaid for a diagram, json for tools.")
@click.option("--countries", is_flag=True, help="List partner countries and their diplomatic status instead.")
@click.option("--fields", "list_fields", is_flag=True, help="List the fields of cooperation instead.")
@json_option
def procedure(fmt, countries, list_fields, as_json):
    """The procedure: states, events and deadlines with their legal basis. Example: kerjasama procedure
    --format mermaid"""
    from workflow import eligibility
    from workflow.describe import mermaid, procedure_rows

    if as_json:
        fmt = "json"
    if countries:
        rows = [[c.code, c.name_en, c.name_id, _("yes") if c.relations else _("none"), c.note]
                for c in eligibility.countries().values()]
        return click.echo(table(rows, [_("CODE"), _("COUNTRY"), _("NEGARA"), _("RELATIONS"), _("NOTE")]))
    if list_fields:
        rows = [[f.code, _("allowed") if f.allowed else _("EXCLUDED"), f.name_en, f.basis]
                for f in eligibility.fields().values()]
        return click.echo(table(rows, [_("FIELD"), _("STATUS"), _("NAME"), _("BASIS")]))
    if fmt == "mermaid":
        return click.echo(mermaid(), nl=False)
    rows = procedure_rows()
    if fmt == "json":
        return emit_json(rows)
    for stage in rows["stages"]:
        click.echo(f'{stage["stage"]}: {stage["label"]}  [{stage["basis"]}]')
        for state in stage["states"]:
            click.echo(f"    {state}")
    click.echo("")
    click.echo(table([[e["event"], ",".join(e["from"]) if len(e["from"]) < 4 else _("{n} states").format(
        n=len(e["from"])), e["to"], e["basis"]] for e in rows["events"]],
        [_("EVENT"), _("FROM"), _("TO"), _("BASIS")]))
    click.echo("")
    click.echo(table([[d["kind"], f'{d["length"]} {d["unit"]}', ",".join(d["opened_by"]), d["basis"]]
                      for d in rows["deadlines"]], [_("DEADLINE"), _("LENGTH"), _("OPENED BY"), _("BASIS")]))


@cli.command()
@click.option("--demo-db", type=click.Path(path_type=Path), default=str(DEFAULT_DB.with_name("demo.db")),
              show_default=True, help="SQLite file for the demo; it is recreated on each run.")
@pass_app
def demo(app, demo_db):
    """Walk a realistic case (Kota Padang - Hildesheim) from opening to implementation on a demo database."""
    from workflow.cases import show_case
    from workflow.demo import run_demo

    demo_db.unlink(missing_ok=True)
    demo_app = App(str(demo_db), app.config_path)
    click.get_current_context().call_on_close(demo_app.close)
    for outcome in run_demo(demo_app.bureau):
        opened = ", ".join(f"{d.kind} {_('due')} {d.due.isoformat()}" for d in outcome.opened)
        click.echo(f"{outcome.event:<34} -> {outcome.state:<24} {opened}")
    click.echo("")
    click.echo(format_case(show_case(demo_app.bureau, outcome.ref)))
    click.echo("")
    click.echo(_("Explore it: kerjasama --db {db} case history {ref}").format(db=demo_db, ref=outcome.ref))


@case.command()
@click.argument("ref")
@click.option("--note", required=True, help="The decision to reactivate the tie, and by whom.")
@click.option("--doc-number", help="Number of the decision or disposition.")
@on_option()
@actor_option
@pass_app
def revive(app, ref, note, doc_number, on, actor):
    """Record the decision to reactivate a dormant agreement with a new action plan.

    Example: kerjasama case revive KS-2013-0004 --note "Wali Kota decided to revive the tie" --on 2026-02-02
    """
    from workflow.engine import apply

    outcome = apply(app.bureau, ref, "case_revived", actor=actor, on=as_date(on), note=note, doc_number=doc_number)
    click.echo(f"{outcome.ref}: {outcome.event}: {outcome.from_state} -> {outcome.state}")


@case.command()
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True,
              help="html to read, pdf to file as an annex.")
@output_option
@pass_app
def chronology(app, ref, fmt, output):
    """The case's full history with its seals checked, as an annex for auditors.

    Example: kerjasama case chronology KS-2023-0001 --format pdf -o chronology.pdf
    """
    from workflow.audit import chronology_html

    html = chronology_html(app.bureau, ref)
    if fmt == "pdf":
        from workflow.letters import render_pdf

        return write_output(render_pdf(html), output, fmt)
    write_output(html.encode("utf-8"), output, fmt)


@cli.group()
def action():
    """The action plan of an agreement: activities, their OPDs, budgets and status."""


@action.command(name="add")
@click.argument("ref")
@click.option("--title", required=True, help="What will be done.")
@click.option("--lead-opd", required=True, help="The OPD that leads and budgets it, e.g. \"Dinas Pendidikan\".")
@click.option("--partner-unit", help="The partner's unit.")
@click.option("--field", "field_", required=True, help="Field of cooperation (kerjasama procedure --fields).")
@click.option("--layer", required=True, type=click.Choice(["economic", "multidimensional", "political"]),
              help="Paradiplomacy layer.")
@click.option("--year", "fiscal_year", required=True, type=int, help="Fiscal year it is planned for.")
@click.option("--cost", required=True, type=click.IntRange(min=0), help="Indicative cost in rupiah.")
@click.option("--source", "budget_source", required=True,
              type=click.Choice(["apbd_opd", "partner", "central", "other"]),
              help="Who pays: the APBD of the OPD, the partner, a central ministry, other.")
@click.option("--output", required=True, help="The output, e.g. \"10 teachers exchanged\".")
@click.option("--indicator", required=True, help="How it is measured.")
@on_option("Day it was added (YYYY-MM-DD); default today.")
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

    outcome = add_activity(app.bureau, ref, actor=actor, on=as_date(on), title=title, lead_opd=lead_opd,
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
@click.argument("ref")
@json_option
@pass_app
def action_list(app, ref, as_json):
    """The activities of a case's action plan. Example: kerjasama action list KS-2023-0001"""
    from workflow.actions import activities_of

    rows = activities_of(app.bureau, app.config, ref)
    if as_json:
        return emit_json([{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows])
    if not rows:
        return click.echo(_("No activities yet; add them with kerjasama action add {ref}.").format(ref=ref), err=True)
    from workflow.letters import rupiah

    click.echo(table([[r["number"], r["status"], r["year"], r["earliest"]["year"], r["lead_opd"], rupiah(r["cost"]),
                       r["title"]] for r in rows],
                     [_("NO"), _("STATUS"), _("YEAR"), _("EARLIEST"), _("OPD"), _("COST"), _("ACTIVITY")]))


@action.command(name="update")
@click.argument("ref")
@click.argument("number", type=int)
@click.option("--status", type=click.Choice(["proposed", "budgeted", "done", "cancelled"]),
              help="proposed: in the Renja/RKPD; budgeted: in the APBD/APBD-P; done; cancelled.")
@click.option("--year", "fiscal_year", type=int, help="New fiscal year.")
@click.option("--cost", type=click.IntRange(min=0), help="New indicative cost in rupiah.")
@click.option("--lead-opd", help="New lead OPD.")
@click.option("--source", "budget_source", type=click.Choice(["apbd_opd", "partner", "central", "other"]),
              help="New budget source.")
@on_option()
@actor_option
@pass_app
def action_update(app, ref, number, status, fiscal_year, cost, lead_opd, budget_source, on, actor):
    """Change an activity's status or plan. Example: kerjasama action update KS-2023-0001 1 --status budgeted"""
    from workflow.actions import update_activity

    outcome = update_activity(app.bureau, ref, number, actor=actor, on=as_date(on), status=status,
                              fiscal_year=fiscal_year, cost=cost, lead_opd=lead_opd, budget_source=budget_source)
    click.echo(f"{outcome.ref}: {outcome.event}: {outcome.from_state} -> {outcome.state}")


@cli.command()
@click.argument("ref")
@click.option("--kind", required=True, type=click.Choice(["semester", "annual", "pre_expiry"]),
              help="semester: OPD progress; annual: TKKSD evaluation; pre_expiry: the review before expiry.")
@click.option("--recommendation", required=True, type=click.Choice(["continue", "amend", "extend", "terminate"]),
              help="What the evaluation recommends; amend, extend and terminate open that step as a deadline.")
@click.option("--from", "period_from", required=True, type=DATE, help="First day evaluated.")
@click.option("--to", "period_to", required=True, type=DATE, help="Last day evaluated.")
@click.option("--outputs", default="", help="Outputs achieved.")
@click.option("--indicators", default="", help="Indicators reached.")
@click.option("--problems", default="", help="Problems and their causes.")
@on_option()
@actor_option
@pass_app
def evaluate(app, ref, kind, recommendation, period_from, period_to, outputs, indicators, problems, on, actor):
    """Record a periodic evaluation of an agreement in force.

    Example: kerjasama evaluate KS-2023-0001 --kind annual --recommendation extend --from 2025-01-01 --to 2025-12-31
    """
    from workflow.actions import record_evaluation

    outcome = record_evaluation(app.bureau, ref, actor=actor, on=as_date(on), kind=kind,
                                recommendation=recommendation, period_from=period_from.date(),
                                period_to=period_to.date(), outputs=outputs, indicators=indicators, problems=problems)
    click.echo(_("{ref}: evaluation recorded: {done} of {planned} planned activities done; {state}.").format(
        ref=outcome.ref, done=outcome.data["done"], planned=outcome.data["planned"], state=outcome.state))
    for d in outcome.opened:
        click.echo("  " + _("opened {kind}, due {due}").format(kind=d.kind, due=d.due.isoformat()))


@cli.command(name="board")
@on_option("As of this day (YYYY-MM-DD); default today.")
@json_option
@pass_app
def board_(app, on, as_json):
    """Open cases by stage: days in stage, overdue deadlines, whom each waits on. Example: kerjasama board"""
    from workflow.board import board

    report = board(app.bureau, as_date(on))
    if as_json:
        return emit_json(report)
    for stage in report["stages"]:
        click.echo(f'{stage["stage"]} ({len(stage["cases"])})')
        click.echo(table([[c["ref"], c["state"], c["days_in_stage"], c["waiting_on"], ", ".join(c["overdue"]) or "-",
                           f'{c["partner"]} ({c["country"]})'] for c in stage["cases"]],
                         [_("  REF"), _("STATE"), _("DAYS"), _("WAITS ON"), _("OVERDUE"), _("PARTNER")]))
        click.echo("")


@cli.command(name="register")
@click.option("--status", type=click.Choice(["active", "dormant", "expired", "terminated", "loi_only"]),
              help="Only agreements with this status.")
@click.option("--country", help="Only agreements with partners in this country (ISO code).")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV, for a spreadsheet.")
@json_option
@pass_app
def register_(app, status, country, as_csv, as_json):
    """Every agreement and LoI of the region with its status. Example: kerjasama register --status dormant"""
    from workflow.agreements import as_csv as to_csv, register

    rows = register(app.bureau, status=status, country=country)
    if as_json:
        return emit_json(rows)
    if as_csv:
        return click.echo(to_csv(rows), nl=False)
    if not rows:
        return click.echo(_("No agreements."), err=True)
    click.echo(table([[r["ref"], r["instrument"], r["status"], r["signed_on"] or "-", r["expiry"] or "-",
                       r["last_activity"] or "-", f'{r["partner"]} ({r["country"]})'] for r in rows],
                     [_("REF"), _("TYPE"), _("STATUS"), _("SIGNED"), _("EXPIRES"), _("LAST ACTIVITY"), _("PARTNER")]))


@cli.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be created; write nothing.")
@actor_option
@json_option
@pass_app
def import_(app, path, dry_run, actor, as_json):
    """Load existing agreements (CSV or JSON list), or restore a kerjasama export (JSON).

    A CSV has the columns ref, title, partner, country, partner_type, fields (separated by ;), loi_signed,
    mou_signed, term_years, status (active, dormant, expired, terminated, loi_only), last_activity, ended,
    renews, level_justification, source. Dates are 2009-04-17, 2009-04 or 2009.
    Example: kerjasama import agreements.csv --dry-run
    """
    from workflow.agreements import import_file

    result = import_file(app.bureau, path, actor=actor, dry_run=dry_run)
    if as_json:
        return emit_json(result)
    if "restored" in result:
        return click.echo(", ".join(f"{name}: {n}" for name, n in result["restored"].items()))
    for row in result.get("would_import", result.get("cases", [])):
        click.echo(f'line {row["line"]}: {row["ref"]} {row["partner"]} -> {row["state"]}')
    click.echo(_("{n} agreement(s) imported.").format(n=result["imported"]) if not dry_run
               else _("Dry run: nothing written."), err=True)


@cli.command(name="export")
@output_option
@pass_app
def export_(app, output):
    """Everything (cases, events, deadlines, letters, action plans, evaluations) as JSON that import reads back.

    Example: kerjasama export -o padang.json
    """
    from workflow.dump import export_all

    data = json.dumps(export_all(app.bureau), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    write_output(data, output, "json")


@cli.command(name="report")
@output_option
@on_option("As of this day (YYYY-MM-DD); default today.")
@pass_app
def report_(app, output, on):
    """The bureau's report as one HTML file: pipeline, time in stage, dormant and expiring agreements, activities.

    Example: kerjasama report -o report.html
    """
    from workflow.report import report_html

    write_output(report_html(app.bureau, as_date(on)).encode("utf-8"), output, "html")


@cli.command(name="publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_app
def publish_(app, directory):
    """Write the public site of the region's agreements (no notes, names or letters) into DIRECTORY.

    Example: kerjasama publish /var/www/kerjasama
    """
    from workflow.report import publish

    written = publish(app.bureau, directory)
    click.echo(_("Wrote {n} pages into {directory}.").format(n=len(written), directory=directory), err=True)


@cli.group()
def audit():
    """Checks for auditors (Inspektorat, BPK): the sealed history of every case."""


@audit.command(name="verify")
@click.argument("ref", required=False)
@json_option
@pass_app
def audit_verify(app, ref, as_json):
    """Recompute the seals of the history and name the first event that does not match.

    Example: kerjasama audit verify KS-2023-0001
    """
    from workflow.audit import verify

    report = verify(app.bureau, ref)
    if as_json:
        emit_json(report)
    elif not report["broken"]:
        click.echo(_("{events} events of {cases} case(s): every seal matches.").format(**report))
    for item in report["broken"] if not as_json else []:
        click.echo(_("{ref}: event {seq} ({event}, {on}): {problem}.").format(**item), err=True)
    if report["broken"]:
        raise SystemExit(1)


@cli.group()
def letter():
    """Letters and proposals from the templates of templates/letters/ (and the config's own directory)."""


@letter.command(name="templates")
@json_option
@pass_app
def templates_(app, as_json):
    """The letter templates: name, document, stages and languages. Example: kerjasama letter templates"""
    from workflow.letters import environment, template_info, template_names

    env = environment(app.config.letters.templates)
    rows = [template_info(env, name) for name in template_names(env)]
    if as_json:
        return emit_json([{"name": t.name, "document": t.document, "title": t.title, "stages": list(t.stages),
                           "languages": list(t.languages), "path": t.path} for t in rows])
    click.echo(table([[t.name, t.document, "/".join(t.languages), ", ".join(t.stages), t.title] for t in rows],
                     [_("TEMPLATE"), _("DOC"), _("LANG"), _("STAGES"), _("TITLE")]))


@letter.command(name="vars")
@click.argument("template")
@pass_app
def vars_(app, template):
    """The variables a template sees, with their types and the sample case's values.

    Example: kerjasama letter vars d09_dprd_request.html
    """
    from workflow.letters import describe_context, environment, sample_context, template_info

    info = template_info(environment(app.config.letters.templates), template)
    click.echo(f"{info.name}: {info.document} {info.title}")
    click.echo("\n".join(describe_context(sample_context(app.config, info))))
    if info.options:
        click.echo(_("Options (--set NAME=VALUE):"))
        for name, default in info.options.items():
            click.echo(f"  {name} = {default!r}  {info.help.get(name, '')}")


@letter.command(name="lint")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@pass_app
def lint_(app, path):
    """Render every template against the sample case; report each fault with file and line.

    PATH is a directory of templates to check (default: the config's and the built-in ones).
    Example: kerjasama letter lint ~/templates
    """
    from workflow.letters import lint

    problems = lint(app.config, path)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(_("All templates render."), err=True)


@letter.command()
@click.argument("template")
@format_option
@output_option
@template_set_option
@pass_app
def preview(app, template, fmt, output, settings):
    """Render TEMPLATE against the built-in sample case. Example: kerjasama letter preview d13_mou.html"""
    from workflow.letters import environment, render, sample_context, template_info

    env = environment(app.config.letters.templates)
    context = sample_context(app.config, template_info(env, template), key_values(settings))
    write_output(render(env, template, context, fmt), output, fmt)


@letter.command(name="render")
@click.argument("ref")
@click.argument("template")
@format_option
@output_option
@template_set_option
@on_option("Date of the letter (YYYY-MM-DD); default today.")
@pass_app
def render_(app, ref, template, fmt, output, settings, on):
    """A draft of a case's letter, without a number and without recording it.

    Example: kerjasama letter render KS-2026-0007 d09_dprd_request.html --format pdf -o d09.pdf
    """
    from workflow.letters import draft

    data = draft(app.bureau, app.config, ref, template, on=as_date(on), options=key_values(settings), fmt=fmt)
    write_output(data, output, fmt)


@letter.command(name="issue")
@click.argument("ref")
@click.argument("template")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True,
              help="pdf also keeps a PDF in the register.")
@output_option
@template_set_option
@on_option("Date of the letter (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def issue_(app, ref, template, fmt, output, settings, on, actor, as_json):
    """Give a case's letter its number from the register, record it, and keep it as rendered.

    Example: kerjasama letter issue KS-2026-0007 d09_dprd_request.html --format pdf -o d09.pdf
    """
    from workflow.letters import issue

    letter_row = issue(app.bureau, app.config, ref, template, actor=actor, on=as_date(on),
                       options=key_values(settings), pdf=fmt == "pdf")
    if output:
        output.write_bytes(letter_row.pdf if fmt == "pdf" else letter_row.html.encode("utf-8"))
    if as_json:
        return emit_json({"number": letter_row.number, "date": letter_row.issued_on.isoformat(), "ref": ref,
                          "template": template, "hal": letter_row.hal, "output": str(output) if output else None})
    click.echo(letter_row.number)


@letter.command(name="list")
@click.argument("ref", required=False)
@json_option
@pass_app
def list_letters(app, ref, as_json):
    """Issued letters, newest first. Example: kerjasama letter list KS-2026-0007"""
    from workflow.letters import letters_of

    rows = letters_of(app.bureau, ref)
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No letters issued."), err=True)
    click.echo(table([[r["number"], r["date"], r["ref"], r["template"], r["hal"]] for r in rows],
                     [_("NUMBER"), _("DATE"), _("REF"), _("TEMPLATE"), _("HAL")]))


@letter.command(name="show")
@click.argument("number")
@click.option("--year", type=int, help="The year, when the number was used in several.")
@format_option
@output_option
@pass_app
def show_letter(app, number, year, fmt, output):
    """An issued letter exactly as it was kept. Example: kerjasama letter show 000.3/12/Kerja Sama -o d09.html"""
    from workflow.letters import stored

    write_output(stored(app.bureau, number, year, fmt), output, fmt)


if __name__ == "__main__":
    cli()
