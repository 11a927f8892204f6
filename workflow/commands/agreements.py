"""The register of agreements and LoIs, importing existing ones, and export for backup."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workflow.commands.shared import (actor_option, as_date, emit_json, envelope, is_terminal, json_option, on_option,
                                      output_option, pager_option, pass_app, pass_reader, show, table, write_output)
from workflow.i18n import _
from workflow.vocabulary import name as term
from workflow.commands.terms import COUNTRY, Term


@click.command(name="register")
@click.option("--status", type=Term("agreement_status"), help="Only agreements with this status.")
@click.option("--country", type=COUNTRY, help="Only agreements with partners in this country: its name in Indonesian "
              "or English, or its ISO code (Jepang, Japan, JP).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV separated by commas, for scripts.")
@click.option("--excel", is_flag=True,
              help="With --csv: the CSV Excel opens by a double click on Indonesian settings: separated by ; "
                   "(its list separator), UTF-8 with a byte-order mark.")
@click.option("--xlsx", is_flag=True, help="An Excel workbook (give -o FILE.xlsx): real dates, a frozen header and a "
                                           "filter, in the columns import reads back.")
@click.option("--indicators", is_flag=True,
              help="With --csv: the agreements' indicators instead, one row per baseline, target and figure, as the "
                   "workbook's indicator sheet has them; kerjasama import reads them back.")
@output_option
@on_option("The register as it stood on this day (YYYY-MM-DD); default today.")
@json_option
@pager_option
@pass_reader
def register_(app, status, country, as_csv, excel, xlsx, indicators, output, on, as_json):
    """Every agreement and LoI of the region with its status.

    On a terminal the table fits its width (long partner names are cut with …) and a long one is shown through the
    pager; into a pipe or a file every line is whole.

    For Excel, --xlsx -o register.xlsx writes a workbook that kerjasama import reads back, and --csv --excel writes
    CSV that Excel set to Indonesian opens as columns; --csv alone is comma-separated CSV for scripts. The workbook
    has a sheet of the agreements' indicators; --indicators --csv writes that table as CSV.

    Example: kerjasama register --status dormant
    """
    from workflow.agreements import as_csv as to_csv, indicator_csv, register, register_workbook

    chosen = _register_format(as_csv, excel, xlsx, as_json, output, indicators)
    query = {"status": status, "country": country, "on": as_date(on)}
    if indicators:
        return write_output(indicator_csv(app.bureau, excel=excel, **query).encode("utf-8"), output, "csv")
    if chosen == "xlsx":
        return write_output(register_workbook(app.bureau, **query), output, "xlsx")
    rows = register(app.bureau, **query)
    if chosen == "json" and not output:
        return emit_json(rows)
    if chosen in ("json", "csv"):
        text = envelope(rows) + "\n" if chosen == "json" else to_csv(rows, excel=excel)
        return write_output(text.encode("utf-8"), output, chosen)
    if not rows:
        return click.echo(_("No agreements."), err=True)
    show(table([[r["ref"], r["instrument"], term("agreement_status", r["status"]), r["signed_on"] or "-",
                 r["expiry"] or "-",
                 r["last_activity"] or "-", f'{r["partner"]} ({r["country"]})'] for r in rows],
               [_("REF"), _("TYPE"), _("STATUS"), _("SIGNED"), _("EXPIRES"), _("LAST ACTIVITY"), _("PARTNER")],
               free=[6]))


def _register_format(as_csv: bool, excel: bool, xlsx: bool, as_json: bool, output, indicators: bool) -> str:
    """table, csv, xlsx or json; refused before the database is read when the options do not go together."""
    if indicators and not as_csv:
        raise click.UsageError(_("--indicators writes the indicator table as CSV: give --indicators --csv; "
                                 "a workbook (--xlsx) has it as a sheet."))
    if sum((as_csv, xlsx, as_json)) > 1:
        raise click.UsageError(_("Choose one of --csv, --xlsx and --json."))
    if excel and not as_csv:
        raise click.UsageError(_("--excel shapes CSV for Excel: give --csv --excel, or --xlsx for a workbook."))
    if output and not (as_csv or xlsx or as_json):
        raise click.UsageError(_("-o writes --csv, --xlsx or --json; the table is for the screen."))
    if xlsx and not output and is_terminal(sys.stdout):
        raise click.UsageError(_("A workbook goes to a file: give -o FILE.xlsx."))
    return "csv" if as_csv else "xlsx" if xlsx else "json" if as_json else "table"


@click.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be created; write nothing.")
@click.option("--indicators", "indicators_only", is_flag=True,
              help="Only the indicator sheet of a workbook whose agreements are in the database already.")
@actor_option
@json_option
@pass_app
def import_(app, path, dry_run, indicators_only, actor, as_json):
    """Load existing agreements (CSV, JSON list or Excel workbook), or restore a kerjasama export (JSON).

    One agreement, LoI or other instrument per row, with the columns ref, title, partner, country, partner_type,
    fields (separated by ;), instrument, first_contact, loi_signed, mou_signed, partner_signed, term_years,
    renewal_every, expires, status, status_as_of, last_activity, ended, end_kind, renews, revives, implements,
    supersedes, level_justification, source, note. Dates are 2009-04-17, 2009-04 or 2009; an empty cell is unknown.
    From an .xlsx, the first sheet is read, its first row naming the columns; a date may be an Excel date or text.
    Its indicator sheet (as kerjasama register --xlsx writes it) is read after the agreements, and so is a CSV of
    that table (kerjasama register --indicators --csv) on its own: what is on record already is left as it is.
    --dry-run lists what would be recorded, what stays unknown and every problem by the column to correct.
    Example: kerjasama import agreements.csv --dry-run
    """
    from workflow.agreements import import_file

    result = import_file(app.bureau, path, actor=actor, dry_run=dry_run, indicators_only=indicators_only)
    if as_json:
        emit_json(result)
    elif "restored" in result:
        return click.echo(", ".join(f"{name}: {n}" for name, n in result["restored"].items()))
    else:
        if "imported" in result:
            _print_import(result, dry_run)
        if "indicators" in result:
            _print_indicators(result["indicators"])
    if result.get("problems") or result.get("indicators", {}).get("problems"):
        click.get_current_context().exit(1)


def _print_import(result: dict, dry_run: bool) -> None:
    for row in result.get("would_import", result.get("cases", [])):
        flags = _(" ({n} flag(s))").format(n=len(row["flags"])) if row["flags"] else ""
        click.echo(f'line {row["line"]}: {row["ref"]} {row["partner"]} -> {row["state"]}{flags}')
    if result.get("unknown"):
        click.echo(_("Recorded as unknown: {counts}").format(counts=", ".join(
            _("{column} in {n} row(s)").format(column=column, n=n) for column, n in result["unknown"].items())))
    for group in result.get("problems", []):
        click.echo(_("To correct in {column} ({n}): {problems}").format(
            column=group["column"], n=group["count"], problems="; ".join(group["problems"])), err=True)
    if not dry_run:
        click.echo(_("{n} agreement(s) imported.").format(n=result["imported"]), err=True)
    elif result.get("problems"):
        click.echo(_("Dry run: nothing written; correct the rows above, then import."), err=True)
    else:
        click.echo(_("Dry run: nothing written."), err=True)


def _print_indicators(summary: dict) -> None:
    for problem in summary["problems"]:
        click.echo(problem, err=True)
    text = (_("Indicators of {file}: {indicators} indicator(s), {targets} target(s), {figures} figure(s) to record; "
              "{on_record} row(s) on record already.") if summary["dry_run"] else
            _("Indicators of {file}: {indicators} indicator(s), {targets} target(s), {figures} figure(s) recorded; "
              "{on_record} row(s) on record already."))
    click.echo(text.format(**summary), err=True)


@click.command(name="export")
@output_option
@pass_reader
def export_(app, output):
    """Everything (cases, events, deadlines, letters, action plans, evaluations, indicators) as JSON that import
    reads back.

    Example: kerjasama export -o padang.json
    """
    from workflow.agreements import export_all

    data = json.dumps(export_all(app.bureau), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    write_output(data, output, "json")
