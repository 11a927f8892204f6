"""``kerjasama doc``: the papers of a case, archived with their hash, listed, given back checked, and published."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from workflow.commands.shared import (actor_option, as_date, emit_json, is_terminal, json_option, on_option,
                                      output_option, pass_app, pass_reader, table, write_output)
from workflow.commands.terms import REF
from workflow.i18n import N_, _, basis, day
from workflow.vocabulary import name as term

RETENTION_FROM = {"creation": N_("from its date"), "agreement_end": N_("after the cooperation ends")}
FINAL = {"permanent": N_("kept permanently"), "destroy": N_("destroyed")}


@click.group()
def doc():
    """The papers of a case: signed texts, DPRD decisions, ministry and partner letters, evidence, each kept with its
    SHA-256 sealed in the record."""


@doc.command(name="add")
@click.argument("ref", type=REF)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", required=True, metavar="KIND", help="What the document is (kerjasama doc kinds lists them).")
@click.option("--event", "event_seq", type=click.IntRange(min=1), metavar="SEQ",
              help="The number of the event it proves (kerjasama case history REF numbers them).")
@on_option("The date the document bears (YYYY-MM-DD); default that of the event it proves.")
@click.option("--public", is_flag=True, help="Put it on the public site too (a signed text only).")
@click.option("--note", help="A word on the document, if its kind does not say enough.")
@actor_option
@json_option
@pass_app
def add_(app, ref, file, kind, event_seq, on, public, note, actor, as_json):
    """Archive a file (PDF, scan, image, office document) against a case, as proof of one of its events if given.

    Example: kerjasama doc add KS-2023-0001 mou.pdf --kind signed_agreement --event 14
    """
    from workflow.documents import add

    added = add(app.bureau, app.config.documents_folder, ref, file, kind=kind, event_seq=event_seq, on=as_date(on),
                public=public, note=note, actor=actor)
    if as_json:
        return emit_json(added)
    click.echo(_("Document {id} archived for {ref}; SHA-256 {sha256}.").format(**added))


@doc.command(name="list")
@click.argument("ref", type=REF, required=False)
@json_option
@pass_reader
def list_(app, ref, as_json):
    """The archived documents, in the order archived. Example: kerjasama doc list KS-2023-0001"""
    from workflow.documents import documents_of

    rows = documents_of(app.bureau, ref)
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No documents archived."), err=True)
    click.echo(table([[str(r["id"]), r["ref"], term("document_kind", r["kind"]), day(r["dated"]),
                       f"#{r['proves']} {term('event', r['proves_event'])}" if r["proves"] else "-",
                       _("yes") if r["public"] else "-",
                       r["file_name"] + (" " + _("(withdrawn)") if r["withdrawn"] else "")] for r in rows],
                     [_("ID"), _("REF"), _("KIND"), _("DATE"), _("PROVES"), _("PUBLIC"), _("FILE")], free=[6]))


@doc.command(name="get")
@click.argument("key", metavar="ID|SHA256")
@output_option
@pass_reader
def get_(app, key, output):
    """Write an archived document, after checking its bytes against the hash sealed when it was archived.

    Example: kerjasama doc get 3 -o mou.pdf
    """
    from workflow.documents import fetch

    if output is None and is_terminal(sys.stdout):
        raise click.UsageError(_("A document goes to a file: give -o PATH."))
    _found, data = fetch(app.bureau, key, app.config.documents_folder)
    write_output(data, output, "bin")


@doc.command(name="publish")
@click.argument("key", metavar="ID|SHA256")
@actor_option
@pass_app
def publish_(app, key, actor):
    """Make a signed text public: the public site (kerjasama publish) links it from then on.

    Example: kerjasama doc publish 3
    """
    from workflow.documents import publish

    done = publish(app.bureau, key, actor=actor)
    click.echo(_("Document {id} of {ref} is public; kerjasama publish puts it on the site.").format(**done))


@doc.command(name="withdraw")
@click.argument("key", metavar="ID|SHA256")
@click.option("--note", required=True,
              help="What was wrong: the wrong file, the wrong case, a draft for the signed text.")
@actor_option
@pass_app
def withdraw_(app, key, note, actor):
    """Mark a document archived by mistake: it stays kept with its hash, proves nothing and leaves the public site.

    Example: kerjasama doc withdraw 3 --note "The draft was archived instead of the signed text"
    """
    from workflow.documents import withdraw

    done = withdraw(app.bureau, key, actor=actor, note=note)
    click.echo(_("Document {id} of {ref} is withdrawn; it is kept and proves nothing.").format(**done))


@doc.command(name="kinds")
@json_option
def kinds_(as_json):
    """The kinds of document, with the events each proves, its archive code (Permendagri 83/2022) and retention.

    Example: kerjasama doc kinds
    """
    from workflow.document_kinds import OPEN, kinds_table

    rows = kinds_table()
    if as_json:
        return emit_json(rows)
    unsettled = basis(OPEN)  # [TERBUKA] in Indonesian
    click.echo(table([[term("document_kind", k["kind"]), k["name"],
                       unsettled if k["classification"] == OPEN else k["classification"],
                       unsettled if OPEN in (k["active_years"], k["inactive_years"], k["final"]) else retention(k)]
                      for k in rows], [_("KIND"), _("DOCUMENT"), _("CODE"), _("RETENTION")], free=[1, 3]))


def retention(kind: dict) -> str:
    """A kind's retention as the JRA says it: years active, from when, years inactive, and what becomes of it."""
    return _("{active} years active {start}, {inactive} inactive, then {final}").format(
        active=kind["active_years"], start=_(RETENTION_FROM[kind["active_from"]]), inactive=kind["inactive_years"],
        final=_(FINAL[kind["final"]]))
