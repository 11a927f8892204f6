"""Reports for readers outside the bureau: the bureau report, the public site, the auditors' check."""
from __future__ import annotations

from pathlib import Path

import click

from workflow.commands.shared import (as_date, emit_json, json_option, on_option, output_option, pass_reader,
                                      write_output)
from workflow.commands.terms import REF
from workflow.i18n import _


@click.command(name="report")
@output_option
@on_option("As of this day (YYYY-MM-DD); default today.")
@pass_reader
def report_(app, output, on):
    """The bureau's report as one HTML file in the region's language: pipeline, time in stage, dormant and expiring
    agreements, activities.

    Example: kerjasama report -o report.html
    """
    from workflow.reports import report_html

    write_output(report_html(app.bureau, as_date(on)).encode("utf-8"), output, "html")


@click.command(name="benefit")
@click.argument("ref", type=REF, required=False)
@output_option
@click.option("--pdf", "as_pdf", is_flag=True, help="Write PDF instead of HTML (needs -o).")
@on_option("As of this day (YYYY-MM-DD); default today.")
@pass_reader
def benefit_(app, ref, output, as_pdf, on):
    """What the cooperation brought, for the DPRD and the public, in the region's language (or --lang): for agreement
    REF what was promised and done, the indicators year by year, the costs and the dormant years; without REF the
    region's summary.

    Example: kerjasama benefit KS-2023-0001 --pdf -o benefit.pdf
    """
    from workflow.reports.benefit import benefit_report

    if as_pdf and output is None:
        raise click.UsageError(_("A PDF goes to a file: give -o PATH."))
    write_output(benefit_report(app.bureau, ref, as_date(on), pdf=as_pdf), output, "pdf" if as_pdf else "html")


@click.command(name="publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@pass_reader
def publish_(app, directory):
    """Write the public site of the region's agreements (no notes, names or letters) into DIRECTORY, in the region's
    language: an index with the counts by status, a page per agreement, and the register as register.csv and
    register.json.

    Example: kerjasama publish /var/www/kerjasama
    """
    from workflow.reports import publish

    written = publish(app.bureau, directory)
    pages = [path for path in written if path.suffix == ".html"]
    downloads = ", ".join(path.name for path in written if path.suffix != ".html")
    click.echo(_("Wrote {n} pages and the downloads {downloads} into {directory}.").format(
        n=len(pages), downloads=downloads, directory=directory), err=True)


@click.group()
def audit():
    """Checks for auditors (Inspektorat, BPK): the sealed history of every case."""


@audit.command(name="verify")
@click.argument("ref", type=REF, required=False)
@click.option("--anchor", "anchors", multiple=True, metavar="COUNT:HEAD",
              help="An anchor printed earlier (kerjasama audit anchor, a letter, a report); may be repeated.")
@json_option
@pass_reader
def audit_verify(app, ref, anchors, as_json):
    """Recompute the seals of the history and the region's chain, check the state, deadlines, letters and settings
    against them, and name what does not match.

    Example: kerjasama audit verify --anchor 1234:9f2c4e1ab07d3c55
    """
    from workflow.audit import verify
    from workflow.chain import parse_anchor

    report = verify(app.bureau, ref, tuple(parse_anchor(a) for a in anchors),
                    documents_folder=app.config.documents_folder)
    failed = report["broken"] or report["problems"]
    if as_json:
        emit_json(report)
    elif not failed:
        click.echo(_("{events} events of {cases} case(s): every seal matches; the chain holds {length} entries, "
                     "head {head}.").format(**report, **report["chain"]))
        if anchors:
            click.echo(_("The chain still leads to every anchor given."))
    for item in report["broken"] if not as_json else []:
        click.echo(_("{ref}: event {seq} ({event}, {on}): {problem}.").format(**item), err=True)
    for item in report["problems"] if not as_json else []:
        click.echo(_("{where}: {problem}.").format(**item), err=True)
    if report["unsealed_letters"] and not as_json:
        click.echo(_("{n} letter(s) were issued before letters were sealed; their text is not checked.").format(
            n=report["unsealed_letters"]), err=True)
    if failed:
        click.get_current_context().exit(1)


@audit.command(name="anchor")
@json_option
@pass_reader
def audit_anchor(app, as_json):
    """Print the head of the region's chain: a checkpoint to hand to the Inspektorat, which audit verify --anchor
    later checks.

    Example: kerjasama audit anchor
    """
    from workflow.chain import current_anchor

    anchor = current_anchor(app.bureau)
    if as_json:
        return emit_json(anchor)
    click.echo(anchor["anchor"])
    click.echo(_("{region}, {at}: {length} entries. Keep this line outside the database; kerjasama audit verify "
                 "--anchor {anchor} later proves nothing recorded up to here was changed.").format(**anchor),
               err=True)
