"""``kerjasama letter``: letters and proposals from the templates, and the letter register."""
from __future__ import annotations

import json
from pathlib import Path

import click

from workflow.commands.shared import (actor_option, as_date, emit_json, json_option, key_values, on_option,
                                      output_option, pass_app, pass_reader, table, write_output)
from workflow.commands.terms import REF, TEMPLATE
from workflow.i18n import _
from workflow.vocabulary import name as term

format_option = click.option("--format", "fmt", type=click.Choice(["html", "pdf", "txt"]), default="html",
                             show_default=True, help="html to print or open, pdf to file, txt for SRIKANDI.")
template_set_option = click.option("--set", "settings", multiple=True, metavar="NAME=VALUE",
                                   help="An option of the template (letter vars lists them), or hal, sifat, "
                                        "lampiran, di, layout.")


@click.group()
def letter():
    """Letters and proposals from the templates of templates/letters/ (and the config's own directory)."""


@letter.command(name="templates")
@json_option
@pass_app
def templates_(app, as_json):
    """The letter templates: name, document, stages and languages. Example: kerjasama letter templates"""
    from workflow.letters.samples import templates_table

    rows = templates_table(app.config)
    if as_json:
        return emit_json(rows)
    click.echo(table([[t["name"], t["document"], "/".join(t["languages"]),
                       ", ".join(term("state", state) for state in t["stages"]), t["title"]] for t in rows],
                     [_("TEMPLATE"), _("DOC"), _("LANG"), _("STATES"), _("TITLE")]))


@letter.command(name="vars")
@click.argument("template", type=TEMPLATE)
@json_option
@pass_app
def vars_(app, template, as_json):
    """The variables a template sees, with their types and the sample case's values.

    Example: kerjasama letter vars d09_dprd_request.html
    """
    from workflow.letters.samples import template_variables

    info, variables = template_variables(app.config, template)
    if as_json:
        options = {name: {"default": default, "help": info.help.get(name, "")}
                   for name, default in info.options.items()}
        return emit_json({"template": info.name, "document": info.document, "title": info.title,
                          "variables": variables, "options": options})
    click.echo(f"{info.name}: {info.document} {info.title}")
    click.echo("\n".join(variables))
    if info.options:
        click.echo(_("Options (--set NAME=VALUE):"))
        for name, default in info.options.items():
            click.echo(f"  {name} = {json.dumps(default, ensure_ascii=False)}  {info.help.get(name, '')}")


@letter.command(name="lint")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_option
@pass_app
def lint_(app, path, as_json):
    """Check every template: its front matter against the schema, then render it against the sample cases (each
    state it claims, an imported agreement, a province's cooperation with a university); report each fault as
    file:line.

    PATH is a directory of templates to check (default: the config's and the built-in ones).
    Example: kerjasama letter lint ~/templates
    """
    from workflow.letters import lint

    problems = lint(app.config, path)
    if as_json:
        emit_json({"problems": problems})
    for problem in [] if as_json else problems:
        click.echo(problem, err=True)
    if problems:
        click.get_current_context().exit(1)
    if not as_json:
        click.echo(_("All templates render."), err=True)


@letter.command()
@click.argument("template", type=TEMPLATE)
@format_option
@output_option
@template_set_option
@pass_reader
def preview(app, template, fmt, output, settings):
    """Render TEMPLATE against the built-in sample case, for the database's region (the sample region when the
    database has none); stderr says which. Example: kerjasama letter preview d13_mou.html"""
    from workflow.letters.samples import preview as render_preview

    data, which = render_preview(app.config, template, key_values(settings), fmt, lambda: app.bureau, warn)
    click.echo(which, err=True)
    write_output(data, output, fmt)


def warn(line: str) -> None:
    """A warning about a letter (an emblem the config names that is not there), one line on stderr."""
    click.echo(line, err=True)


@letter.command(name="render")
@click.argument("ref", type=REF)
@click.argument("template", type=TEMPLATE)
@format_option
@output_option
@template_set_option
@on_option("Date of the letter (YYYY-MM-DD); default today.")
@pass_reader
def render_(app, ref, template, fmt, output, settings, on):
    """A draft of a case's letter, without a number and without recording it.

    Example: kerjasama letter render KS-2026-0007 d09_dprd_request.html --format pdf -o d09.pdf
    """
    from workflow.letters import draft

    data = draft(app.bureau, app.config, ref, template, on=as_date(on), options=key_values(settings), fmt=fmt,
                 warn=warn)
    write_output(data, output, fmt)


@letter.command(name="issue")
@click.argument("ref", type=REF)
@click.argument("template", type=TEMPLATE)
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
    from workflow.letters import issue, issued_before

    for earlier in issued_before(app.bureau, ref, template):
        click.echo(_("Warning: {template} was already issued for {ref} as {number} on {date}; this one takes a new "
                     "number (kerjasama letter void NUMBER --note ... voids the one that does not stand).")
                   .format(template=template, ref=earlier["ref"], number=earlier["number"], date=earlier["date"]),
                   err=True)
    letter_row = issue(app.bureau, app.config, ref, template, actor=actor, on=as_date(on),
                       options=key_values(settings), pdf=fmt == "pdf", warn=warn)
    if output:
        output.write_bytes(letter_row.pdf if fmt == "pdf" else letter_row.html.encode("utf-8"))
    if as_json:
        return emit_json({"number": letter_row.number, "date": letter_row.issued_on.isoformat(), "ref": ref,
                          "template": template, "hal": letter_row.hal, "output": str(output) if output else None})
    click.echo(letter_row.number)


@letter.command(name="list")
@click.argument("ref", type=REF, required=False)
@json_option
@pass_reader
def list_letters(app, ref, as_json):
    """Issued letters, newest first. Example: kerjasama letter list KS-2026-0007"""
    from workflow.letters import letters_of

    rows = letters_of(app.bureau, ref)
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No letters issued."), err=True)
    click.echo(table([[r["number"] + (" " + _("(void)") if r["void"] else ""), r["date"], r["ref"], r["template"],
                       r["hal"]] for r in rows], [_("NUMBER"), _("DATE"), _("REF"), _("TEMPLATE"), _("HAL")]))


@letter.command(name="void")
@click.argument("number")
@click.option("--year", type=int, help="The year, when the number was used in several.")
@click.option("--note", required=True, help="Why the letter does not stand (wrong addressee, issued twice...).")
@on_option("Day it was voided (YYYY-MM-DD); default today.")
@actor_option
@pass_app
def void_letter(app, number, year, note, on, actor):
    """Void an issued letter: it stays kept and its number stays used, shown as void.

    Example: kerjasama letter void "000.3/12/Kerja Sama" --note "sent to the wrong commission"
    """
    from workflow.letters import void

    outcome = void(app.bureau, number, year, actor=actor, note=note, on=as_date(on))
    click.echo(_("{number} of {ref} is void.").format(number=number, ref=outcome.ref))


@letter.command(name="show")
@click.argument("number")
@click.option("--year", type=int, help="The year, when the number was used in several.")
@format_option
@output_option
@pass_reader
def show_letter(app, number, year, fmt, output):
    """An issued letter exactly as it was kept. Example: kerjasama letter show 000.3/12/Kerja Sama -o d09.html"""
    from workflow.letters import stored

    write_output(stored(app.bureau, number, year, fmt), output, fmt)
