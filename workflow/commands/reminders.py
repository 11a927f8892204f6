"""The reminder job: one sweep (``remind``) or the long-running scheduler."""
from __future__ import annotations

import click

from workflow.commands.shared import emit_json, json_option, pass_app
from workflow.i18n import _


@click.command()
@click.option("--now", help="Moment of the sweep: 2026-06-27 or 2026-06-27T07:30+07:00; default now.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded and applied; write and send nothing.")
@json_option
@pass_app
def remind(app, now, dry_run, as_json):
    """Run one reminder sweep: record and deliver the reminders due, apply the timers due.

    Example: kerjasama remind --now 2026-06-27
    """
    from workflow.reminders import parse_now, reminder_channels, summary, sweep

    console = (lambda text: click.echo(text, err=True)) if as_json else click.echo
    report = sweep(app.bureau, app.config, parse_now(now), reminder_channels(app.bureau, app.config, console),
                   dry_run=dry_run)
    if as_json:
        emit_json(report.as_dict())
    elif dry_run:
        for r in report.recorded:
            click.echo(_("would remind: {ref} {kind} {step} (due {due})").format(
                ref=r.get("ref", r.get("key")), kind=r["kind"], step=r["step"], due=r["due"]))
        for t in report.timers:
            click.echo(_("would try: {ref} {events} on {on}").format(ref=t["ref"], events=" or ".join(t["events"]),
                                                                     on=t["on"]))
    else:
        for item in report.unaddressed:
            click.echo(_("no e-mail address for {recipients} ({ref}, {key}); add them to [contacts] in the config")
                       .format(recipients=", ".join(item["recipients"]), ref=item["ref"], key=item["key"]), err=True)
        for failure in report.failed:
            click.echo(_("not delivered: {key} by {channel}: {error}; retried from {at}").format(
                key=failure["key"], channel=failure["channel"], error=failure["error"],
                at=failure["next_attempt_at"]), err=True)
        click.echo(summary(report), err=True)
    if report.failed or report.unaddressed:  # a job runner or a monitor sees that mail did not go out
        click.get_current_context().exit(1)


@click.command()
@pass_app
def scheduler(app):
    """Run the reminder sweep now and then on the config's cron (default working days 07:30) until stopped."""
    from workflow.reminders import reminder_channels, run_scheduler

    run_scheduler(app.bureau, app.config, reminder_channels(app.bureau, app.config, click.echo),
                  log=lambda line: click.echo(line, err=True))
