"""``kerjasama case``: open, advance and read cooperation cases."""
from __future__ import annotations

import click

from workflow.commands.shared import (actor_option, also_dated_option, as_date, days_left, emit_json, fact_date_option,
                                      json_option, key_values, on_option, output_option, pager_option, pass_app,
                                      pass_reader, precision_of, table, write_output)
from workflow.commands.shared import show as page_through
from workflow.commands.terms import COUNTRY, EVENT, FIELD, REF, Term
from workflow.i18n import _, day
from workflow.vocabulary import name as term
from workflow.vocabulary import shown_datum


@click.group()
def case():
    """Open, advance and read cooperation cases."""


@case.command(name="open")
@click.option("--title", required=True, help="Short title, e.g. \"Sister city Padang - Hildesheim\".")
@click.option("--partner", "partner_name", required=True, help="Name of the foreign partner.")
@click.option("--country", required=True, type=COUNTRY, help="Partner's country: its name in Indonesian or English, "
              "or its ISO 3166 code (Jerman, Germany, DE).")
@click.option("--partner-type", required=True, type=Term("partner_type"),
              help="province/city: a foreign regional government (KSDPL); the others: a foreign institution (KSDLL).")
@click.option("--field", "fields", multiple=True, type=FIELD, help="Field of cooperation; repeat for several "
              "(kerjasama procedure --fields lists them); a new case needs one.")
@click.option("--level-justification", help="Why a partner of another level is accepted (equal territory, "
              "PP 28/2018 Pasal 27 ayat (3)).")
@click.option("--note", help="What started the case (letter, visit, referral).")
@click.option("--renews", metavar="REF", help="The earlier agreement this case renews.")
@click.option("--revives", metavar="REF", help="The lapsed tie or failed initiative this case takes up again.")
@click.option("--implements", metavar="REF", help="The umbrella agreement this case implements (a Plan of Action).")
@click.option("--supersedes", metavar="REF", help="The agreement this case replaces.")
@click.option("--record-past", is_flag=True, help="Back-fill a tie of the past with --on: what today's rules "
              "would refuse is recorded with a flag naming the rule.")
@click.option("--owner", metavar="NAME", help="The officer who carries the case and gets its reminders; default the "
              "name given with --as, else your login.")
@also_dated_option
@fact_date_option("Day the initiative was received (YYYY-MM-DD), or its month or year when only that is known; "
                  "default today.")
@actor_option
@json_option
@pass_app
def open_(app, title, partner_name, country, partner_type, fields, level_justification, note, renews, revives,
          implements, supersedes, record_past, owner, also_dated, on, actor, as_json):
    """Open a case; prints its reference.

    Example: kerjasama case open --title "Sister city Padang - Hildesheim" --partner Hildesheim --country DE
    --partner-type city --field culture --field education --on 2023-01-16
    """
    from workflow.engine import open_case

    if record_past and on is None:
        raise click.UsageError(_("--record-past needs --on, the day (or month, or year) the tie began."))
    links = {"renews": renews, "revives": revives, "implements": implements, "supersedes": supersedes}
    outcome = open_case(app.bureau, title=title, partner_name=partner_name, country=country,
                        partner_type=partner_type, fields=list(fields), on=as_date(on), precision=precision_of(on),
                        actor=actor, level_justification=level_justification, note=note,
                        links={link: ref for link, ref in links.items() if ref}, alternatives=list(also_dated),
                        record_past=record_past, owner=owner)
    if as_json:
        return emit_json({"ref": outcome.ref, "state": outcome.state, "version": outcome.version})
    click.echo(outcome.ref)


@case.command(name="list")
@click.option("--stage", type=Term("stage"), help="Only cases in this stage.")
@click.option("--state", type=Term("state"), help="Only cases in this state.")
@json_option
@pager_option
@pass_reader
def list_(app, stage, state, as_json):
    """List the cases, newest first. Example: kerjasama case list --stage council_approval"""
    from workflow.cases import list_cases

    rows = list_cases(app.bureau, stage=stage, state=state)
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No cases."), err=True)
    page_through(_case_table(rows))


def _case_table(rows: list[dict]) -> str:
    return table([[r["ref"], term("stage", r["stage"]), term("state", r["state"]), f'{r["partner"]} ({r["country"]})',
                   r["title"]] for r in rows],
                 [_("REF"), _("STAGE"), _("STATE"), _("PARTNER"), _("TITLE")])


@case.command(name="find")
@click.argument("words", nargs=-1, required=True)
@json_option
@pager_option
@pass_reader
def find_(app, words, as_json):
    """Find cases by partner, title, country or ref; every word must match, in any case and without accents.

    Example: kerjasama cari busan   (or: kerjasama case find jepang kota)
    """
    from workflow.cases import find_cases

    rows = find_cases(app.bureau, " ".join(words))
    if as_json:
        return emit_json(rows)
    if not rows:
        return click.echo(_("No case matches {text}.").format(text=" ".join(words)), err=True)
    page_through(_case_table(rows))


@case.command()
@click.argument("ref", type=REF)
@on_option("Show as of this day (YYYY-MM-DD); default today.")
@json_option
@pager_option
@pass_reader
def show(app, ref, on, as_json):
    """Where a case stands and what can happen next. Example: kerjasama case show KS-2026-0007"""
    from workflow.cases import show_case

    report = show_case(app.bureau, ref, as_date(on))
    if as_json:
        return emit_json(report)
    page_through(format_case(report))


def format_case(r: dict) -> str:
    partner = r["partner"]

    def label(text: str) -> str:  # labels line up in any language
        return f"  {text + ':':<10}"

    lines = [
        f'{r["ref"]}  {r["title"]}',
        (f'{label(_("Partner"))}{partner["name"]} ({term("partner_type", partner["type"])}), '
         f'{partner["country_name"]} · {r["kind"].upper()} · {", ".join(term("field", f) for f in r["fields"])}'),
        f'{label(_("Owner"))}{r["owner"]}',
        f'{label(_("Stage"))}{term("stage", r["stage"])} - {r["stage_label"]}',
        f'{label(_("State"))}{term("state", r["state"])} - {r["state_label"]}',
        (f'{label(_("Last"))}{term("event", r["last_event"]["event"])} {_("on")} {day(r["last_event"]["on"], True)} · '
         f'{_("opened")} {day(r["opened_on"])} · {_("version")} {r["version"]}'),
    ]
    if r["resumes_to"]:
        lines.append(f'  {_("Resumes to")}: {term("state", r["resumes_to"])}')
    if r["level_justification"]:
        lines.append(f'  {_("Level accepted because")}: {r["level_justification"]}')
    for flag in r["flags"]:
        lines.append(f'  {_("Flag")}: {flag}')
    for trip in r["trips"]:
        lines.append("  " + _("Trip #{trip}: {purpose}, {country}, {depart} to {back}, {people} person(s): {status}")
                     .format(trip=trip["trip"], purpose=term("trip_purpose", trip["purpose"]),
                             country=term("country", trip["destination"]), depart=day(trip["departs_on"]),
                             back=day(trip["returns_on"]), people=trip["delegation"],
                             status=term("trip_status", trip["status"])))
    for missing in r["missing_documents"]:
        lines.append("  " + _("Not archived: {kind} proving #{seq} {event} ({on}); kerjasama doc add {ref} FILE --kind "
                              "{kind} --event {seq}").format(kind=term("document_kind", missing["kind"]),
                                                             seq=missing["seq"], event=term("event", missing["event"]),
                                                             on=day(missing["on"]), ref=r["ref"]))
    lines.append("")
    lines.append(_("Open deadlines (as of {today}):").format(today=day(r["today"], True)))
    if not r["deadlines"]:
        lines.append("  -")
    for d in r["deadlines"]:
        lines.append(f'  {term("deadline", d["kind"]):<24} {_("due")} {day(d["due"]):<17} {days_left(d):<28} '
                     f'{d["basis"]}')
    lines.append("")
    lines.append(_("Next:"))
    if not r["allowed_events"]:
        lines.append("  -")
    for e in r["allowed_events"]:
        needs = f'  {_("needs")}: {"; ".join(e["needs"])}' if e["needs"] else ""
        lines.append(f'  {term("event", e["event"]):<32} -> {term("state", e["to"]):<24}{needs}')
    for e in r["blocked_events"]:
        lines.append(f'  {term("event", e["event"]):<32} {_("not now")}: {e["reason"]}')
    if r["allowed_events"]:
        lines.append("")
        lines.append(_("Record one with: kerjasama case advance {ref} (a menu), or kerjasama case advance {ref} EVENT "
                       "--on DATE").format(ref=r["ref"]))
    return "\n".join(lines)


@case.command()
@click.argument("ref", type=REF)
@click.argument("event", type=EVENT, required=False)
@fact_date_option()
@click.option("--note", help="What happened; required for decisions (returns, rejections, withdrawals).")
@click.option("--doc-number", help="Number of the letter or decision that proves it.")
@click.option("--set", "data", multiple=True, metavar="KEY=VALUE", help="A datum the event takes, e.g. "
              "--set term_years=5; case show lists what each event needs.")
@also_dated_option
@actor_option
@json_option
@pass_app
def advance(app, ref, event, on, note, doc_number, data, also_dated, actor, as_json):
    """Record EVENT for case REF; without EVENT, in a terminal, choose the step from a menu and answer its questions.

    Example: kerjasama case advance KS-2026-0007 permohonan_dprd_diterima --on "2 Maret 2026"
    """
    from workflow.errors import RecordedByCommand
    from workflow.owners import ASSIGNED
    from workflow.steps import advance as record_step

    if event is None:
        from workflow.commands.guide import ask_for_step

        asked = ask_for_step(app, ref)
        outcome = record_step(app.bureau, ref, asked["event"], actor=actor, on=asked["on"],
                              precision=asked["precision"], note=asked["note"], doc_number=asked["doc_number"],
                              data=asked["data"])
        return print_outcome(outcome, as_json)
    if event == ASSIGNED:  # the command checks the name and keeps the previous owner
        raise RecordedByCommand(event=ASSIGNED, command="kerjasama case assign")
    outcome = record_step(app.bureau, ref, event, actor=actor, on=as_date(on), precision=precision_of(on), note=note,
                          doc_number=doc_number, data=key_values(data), alternatives=list(also_dated))
    print_outcome(outcome, as_json)


@case.command()
@click.argument("ref", type=REF)
@click.argument("seq", type=click.IntRange(min=1))
@click.option("--note", required=True, help="What was wrong, and how it was found out.")
@actor_option
@json_option
@pass_app
def correct(app, ref, seq, note, actor, as_json):
    """Record that event SEQ of case REF was a mistake (kerjasama case history numbers them).

    The event stays in the record; the state, the deadlines and the register follow as if it had not happened.
    Example: kerjasama case correct KS-2026-0007 12 --note "The DPRD returned the plan; approval typed by mistake"
    """
    from workflow.engine import correct as record_correction

    print_outcome(record_correction(app.bureau, ref, seq, actor=actor, note=note), as_json)


def print_outcome(outcome, as_json: bool) -> None:
    report = outcome.as_dict()
    if as_json:
        return emit_json(report)
    click.echo(f'{outcome.ref}: {term("event", outcome.event)}: {term("state", outcome.from_state)} -> '
               f'{term("state", outcome.state)}')
    if report["late_entry"]:
        click.echo("  " + _("late entry: placed on {on}, before events recorded earlier").format(on=day(outcome.on)))
    for d in report["opened"]:
        click.echo("  " + _("opened {kind}, due {due}").format(kind=term("deadline", d["kind"]), due=day(d["due"])))
    for d in report["closed"]:
        status = term("deadline_status", d["status"])
        click.echo("  " + _("closed {kind} ({status})").format(kind=term("deadline", d["kind"]), status=status))
    for w in report["withdrawn"]:
        click.echo("  " + _("withdrew #{seq} {event}: {reason}").format(**w | {"event": term("event", w["event"])}))


@case.command()
@click.argument("ref", type=REF)
@json_option
@pager_option
@pass_reader
def history(app, ref, as_json):
    """The events of a case, oldest first. Example: kerjasama case history KS-2026-0007"""
    from workflow.cases import case_history

    report = case_history(app.bureau, ref)
    if as_json:
        return emit_json(report)
    page_through("\n".join(history_lines(report)))


def history_lines(report: dict) -> list[str]:
    lines = [f'{report["ref"]}  {report["title"]}']
    for e in report["events"]:
        moved = (f'{term("state", e["from"]) if e["from"] else "-"} -> {term("state", e["to"])}'
                 if e["from"] != e["to"] else term("state", e["to"]))
        who = _("{login} for {name}").format(login=e["actor"], name=e["on_behalf_of"]) if e["on_behalf_of"] \
            else e["actor"]
        lines.append(f'{e["seq"]:>3}  {day(e["on"]):<17} {term("event", e["event"]):<32} {moved}   {_("by")} {who}, '
                     f'{_("recorded")} {e["recorded_at"]}')
        if e["late_entry"]:
            lines.append("       " + _("late entry: recorded after later events, placed by its day"))
        if e["corrected_by"]:
            lines.append("       " + _("corrected by #{seq}: it did not happen as recorded")
                         .format(seq=e["corrected_by"]))
        said = ((_("note"), e["note"]), (_("document"), e["doc_number"]))
        lines += [f"       {label}: {value}" for label, value in said if value]
        if e["data"]:
            lines.append("       " + "; ".join(f'{term("datum", k)}: {shown_datum(k, v)}'
                                               for k, v in e["data"].items()))
        lines += [f'       + {term("deadline", kind)} {day(due)}'
                  for kind, due in (i.split(" ", 1) for i in e["opened"])]
        lines += [f'       - {term("deadline", kind)} {term("deadline_status", status)}'
                  for kind, status in (i.split(" ", 1) for i in e["closed"])]
    return lines


@case.command()
@click.argument("ref", type=REF)
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

    print_outcome(apply(app.bureau, ref, "case_revived", actor=actor, on=as_date(on), note=note,
                        doc_number=doc_number), False)


@case.command()
@click.argument("ref", type=REF)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html", show_default=True,
              help="html to read, pdf to file as an annex.")
@output_option
@pass_reader
def chronology(app, ref, fmt, output):
    """The case's full history with its seals checked, as an annex for auditors.

    Example: kerjasama case chronology KS-2023-0001 --format pdf -o chronology.pdf
    """
    from workflow.reports.chronology import chronology as annex

    write_output(annex(app.bureau, ref, fmt), output, fmt)


@case.command()
@click.argument("ref", type=REF)
@click.argument("officer")
@click.option("--note", help="Why it changes hands.")
@on_option("Day it changes hands (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def assign(app, ref, officer, note, on, actor, as_json):
    """Hand case REF to OFFICER, who carries it and gets its reminders from then on.

    Recorded as a case_assigned event; one made by mistake is undone with kerjasama case correct.
    Example: kerjasama case assign KS-2026-0007 budi --note "Siti moves to protocol"
    """
    from workflow.owners import assign as hand_on

    outcome = hand_on(app.bureau, ref, officer, actor=actor, on=as_date(on), note=note)
    if as_json:
        return emit_json(outcome.as_dict() | {"owner": outcome.data["owner"],
                                              "previous_owner": outcome.data["previous_owner"]})
    click.echo(_("{ref}: carried by {owner} (before: {previous}).").format(
        ref=outcome.ref, owner=outcome.data["owner"], previous=outcome.data["previous_owner"]))


@case.command()
@click.option("--from", "old", required=True, metavar="NAME", help="The officer who leaves or hands over.")
@click.option("--to", "new", required=True, metavar="NAME", help="The officer who carries the cases from then on.")
@click.option("--note", help="Why they change hands.")
@on_option("Day they change hands (YYYY-MM-DD); default today.")
@actor_option
@json_option
@pass_app
def reassign(app, old, new, note, on, actor, as_json):
    """Hand every open case one officer carries to another (when an officer leaves); prints the cases.

    Example: kerjasama case reassign --from siti --to budi --note "Siti retired"
    """
    from workflow.owners import reassign as hand_on

    report = hand_on(app.bureau, old, new, actor=actor, on=as_date(on), note=note)
    if as_json:
        return emit_json(report)
    click.echo(_("{n} case(s) handed from {old} to {new}:").format(
        n=len(report["cases"]), old=report["from"], new=report["to"]))
    for c in report["cases"]:
        click.echo(f'  {c["ref"]}  {c["title"]}')
    for c in report["left"]:
        click.echo("  " + _("{ref} left with {old}: changed by someone else at the same moment; run the command "
                            "again.").format(ref=c["ref"], old=report["from"]), err=True)


@case.command()
@json_option
@pager_option
@pass_reader
def owners(app, as_json):
    """Who carries what: per officer, the open cases, their open deadlines, how many are overdue, the nearest due.

    Example: kerjasama case owners; then kerjasama board --owner NAME for one officer's cases.
    """
    from workflow.owners import workload

    report = workload(app.bureau)
    if as_json:
        return emit_json(report)
    if not report["owners"]:
        return click.echo(_("No open cases."), err=True)
    rows = []
    for r in report["owners"]:
        nearest = r["nearest"]
        rows.append([r["owner"], r["cases"], r["deadlines"], r["overdue"],
                     f'{day(nearest["due"])}  {nearest["ref"]} {term("deadline", nearest["kind"])}'
                     if nearest else "-"])
    page_through(table(rows, [_("OWNER"), _("CASES"), _("DEADLINES"), _("OVERDUE"), _("NEAREST DUE")]))
