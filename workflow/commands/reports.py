"""Reports for readers outside the bureau: the bureau report, the public site, the auditors' check."""
from __future__ import annotations

from pathlib import Path

import click

from workflow.commands.shared import as_date, emit_json, json_option, on_option, output_option, pass_app, write_output
from workflow.i18n import _


@click.command(name="report")
@output_option
@on_option("As of this day (YYYY-MM-DD); default today.")
@pass_app
def report_(app, output, on):
    """The bureau's report as one HTML file: pipeline, time in stage, dormant and expiring agreements, activities.

    Example: kerjasama report -o report.html
    """
    from workflow.reports import report_html

    write_output(report_html(app.bureau, as_date(on)).encode("utf-8"), output, "html")


@click.command(name="publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_app
def publish_(app, directory):
    """Write the public site of the region's agreements (no notes, names or letters) into DIRECTORY.

    Example: kerjasama publish /var/www/kerjasama
    """
    from workflow.reports import publish

    written = publish(app.bureau, directory)
    click.echo(_("Wrote {n} pages into {directory}.").format(n=len(written), directory=directory), err=True)


@click.group()
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
        click.get_current_context().exit(1)
