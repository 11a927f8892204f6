"""The letter register: drafts of a case's letters, issuing them under a number, voiding them, and producing them
again.

A number is taken from a per-series, per-year counter in the same transaction that records the ``letter_issued``
event and keeps the rendered letter, so a refused or failed issue leaves no gap and two officers issuing at once on
PostgreSQL never get the same number (the counter row is locked by the UPDATE that takes the next number). The
series is the number as printed with its sequence left open (``000.3/{sequence}/Kerja Sama``), so two templates
that print the same prefix share one counter, and no two letters of a year print the same number whatever the
config says. A void letter keeps its number (``letter_voided``).

This is the register of letters the region sends; the register of signed agreements (``kerjasama register``) is
workflow/agreements.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import update
from sqlmodel import select

from db.models import Activity, Case, Deadline, Event, Letter, LetterCounter, Partner
from workflow.actions import activity_dict, last_evaluation
from workflow.bureau import Bureau
from workflow.chain import head
from workflow.config import Config
from workflow.engine import apply
from workflow.store import history_of, load_case, load_region
from workflow.timeline import timeline
from workflow.errors import ConcurrentChange, InvalidInput
from workflow.i18n import _
from workflow.letters.context import build_context, letter_number, needed_settings
from workflow.letters.rendering import html_to_text, missing_images, render, render_html, render_pdf
from workflow.letters.sandbox import LetterError, environment, template_info
from workflow.seal import letter_digest

ATTEMPTS = 3  # a concurrent change of the same case is retried, with a fresh number
SEQUENCE = "{sequence}"  # where a series prints its sequence


def draft(bureau: Bureau, config: Config, ref: str, template: str, *, on: date | None, options: dict,
          fmt: str, warn=None) -> bytes:
    """The letter for case ``ref`` as it would be issued, without a number and without recording anything.

    :param warn: called with one line per image of the letter that is missing (workflow.letters.rendering).
    """
    env, info, context = _prepare(bureau, config, ref, template, on, options)
    return render(env, template, context, fmt, warn)


def issue(bureau: Bureau, config: Config, ref: str, template: str, *, actor: str, on: date | None, options: dict,
          pdf: bool = False, warn=None) -> Letter:
    """Issue the letter: take the next number, record ``letter_issued`` and keep the rendered letter.

    :param pdf: keep a PDF as well (needs WeasyPrint).
    :param warn: called with one line per image of the letter that is missing, before it is issued.
    :raises LetterError: the template does not render for this case (nothing is recorded then).
    """
    for attempt in range(ATTEMPTS):
        env, info, context = _prepare(bureau, config, ref, template, on, options)
        html = render_html(env, template, context)  # refuse before anything is written
        for line in missing_images(html, context) if warn and attempt == 0 else ():
            warn(line)
        if pdf:
            render_pdf("<p></p>")  # WeasyPrint present, or one clear line now
        letter_date = context["letter"]["date"]
        kept: list[Letter] = []

        def register(session, case, event_row):
            year = letter_date.year
            series = letter_number(config.letters, info.classification, SEQUENCE, year)
            sequence, number = _next_number(session, series, year)
            context["letter"].update(number=number, draft=False)
            context["record"]["anchor"] = str(head(session))  # the chain this letter was issued after
            html = render_html(env, template, context)
            event_row.doc_number = number
            letter = Letter(case_id=case.id, template=template, register_name=info.register,
                            year=year, sequence=sequence, number=number, hal=context["letter"]["hal"],
                            issued_on=letter_date, issued_by=event_row.actor, html=html, text=html_to_text(html),
                            pdf=render_pdf(html, env, context) if pdf else None)
            # The event seals the letter as kept: audit verify finds a text changed afterwards.
            event_row.data = event_row.data | {"letter_sha256": letter_digest(letter.html, letter.text, letter.pdf)}
            if info.obligations:  # an agreement's text: the duties it sets are taken up when it is signed
                event_row.data = event_row.data | {"obligations": context["letter"]["obligations"]}
            kept.append(letter)

            def keep(event_id: int) -> None:
                letter.event_id = event_id
                session.add(letter)
            return keep

        try:
            apply(bureau, ref, "letter_issued", actor=actor, on=letter_date,
                  data={"template": template, "hal": context["letter"]["hal"]}, on_recorded=register, internal=True)
        except ConcurrentChange:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return kept[0]


def letters_of(bureau: Bureau, ref: str | None = None) -> list[dict]:
    """The issued letters, newest first; of one case when ``ref`` is given."""
    with bureau.db.session() as session:
        load_region(session)
        query = select(Letter, Case.ref).join(Case, Case.id == Letter.case_id).order_by(Letter.id.desc())
        if ref:
            query = query.where(Letter.case_id == load_case(session, ref).id)
        voided = _voided(session)
        return [{"id": letter.id, "number": letter.number, "date": letter.issued_on.isoformat(), "ref": case_ref,
                 "template": letter.template, "hal": letter.hal, "issued_by": letter.issued_by,
                 "register": letter.register_name, "pdf": letter.pdf is not None,
                 "void": (letter.number, letter.year) in voided}
                for letter, case_ref in session.exec(query)]


def stored(bureau: Bureau, number: str, year: int | None, fmt: str) -> bytes:
    """An issued letter exactly as it was kept.

    :raises InvalidInput: no such number, a number used in several years without ``year``, or no PDF kept.
    """
    letter, _void = _letter(bureau, number, year)
    if fmt == "pdf":
        if letter.pdf is None:
            raise InvalidInput(_("Letter {number} was issued without a PDF; issue letters with --format pdf to keep "
                                 "one.").format(number=number))
        return letter.pdf
    return (letter.text if fmt == "txt" else letter.html).encode("utf-8")


def _letter(bureau: Bureau, number: str, year: int | None) -> tuple[Letter, bool]:
    """The letter printed with ``number`` (in ``year``), and whether it is void."""
    with bureau.db.session() as session:
        query = select(Letter).where(Letter.number == number)
        if year:
            query = query.where(Letter.year == year)
        found = session.exec(query).all()
        voided = _voided(session) if found else set()
    if not found:
        raise InvalidInput(_("No issued letter numbered {number}; kerjasama letter list shows them.")
                           .format(number=number))
    if len(found) > 1:
        raise InvalidInput(_("{number} was issued in {years}; say which with --year.")
                           .format(number=number, years=", ".join(str(letter.year) for letter in found)))
    return found[0], (found[0].number, found[0].year) in voided


def _next_number(session, series: str, year: int) -> tuple[int, str]:
    """The next sequence of ``series`` in ``year`` and the number it prints, never one a letter of the year has."""
    while True:
        taken = session.exec(update(LetterCounter)
                             .where(LetterCounter.register_name == series, LetterCounter.year == year)
                             .values(last=LetterCounter.last + 1).returning(LetterCounter.last)).first()
        if taken is None:  # the series' first letter of the year: after those printed so before it had a counter
            printed = session.exec(select(Letter.sequence, Letter.number).where(Letter.year == year)).all()
            sequence = 1 + max((s for s, n in printed if n == series.replace(SEQUENCE, str(s))), default=0)
            session.add(LetterCounter(register_name=series, year=year, last=sequence))  # a clash is a retry
            session.flush()
        else:
            sequence = taken[0]
        number = series.replace(SEQUENCE, str(sequence))
        if session.exec(select(Letter.id).where(Letter.year == year, Letter.number == number)).first() is None:
            return sequence, number


def void(bureau: Bureau, number: str, year: int | None, *, actor: str, note: str, on: date | None = None):
    """Record that the letter numbered ``number`` is void; the number stays used, the letter stays kept.

    :raises InvalidInput: no such letter, one already void, or no note.
    """
    letter, is_void = _letter(bureau, number, year)
    if is_void:
        raise InvalidInput(_("Letter {number} is already void.").format(number=number))
    with bureau.db.session() as session:
        ref = session.get(Case, letter.case_id).ref
    return apply(bureau, ref, "letter_voided", actor=actor, on=on, note=note, internal=True,
                 data={"number": letter.number, "year": letter.year, "template": letter.template})


def issued_before(bureau: Bureau, ref: str, template: str) -> list[dict]:
    """The letters of ``template`` already issued for case ``ref`` and not void."""
    return [row for row in letters_of(bureau, ref) if row["template"] == template and not row["void"]]


def _voided(session) -> set[tuple[str, int]]:
    return {(e.data["number"], e.data["year"]) for e in session.exec(select(Event)
                                                                     .where(Event.name == "letter_voided"))}
    session.flush()
    return 1


def _prepare(bureau: Bureau, config: Config, ref: str, template: str, on: date | None, options: dict):
    env = environment(config.letters.templates)
    info = template_info(env, template)
    with bureau.db.session() as session:
        region = load_region(session)
        case = load_case(session, ref)
        partner = session.get(Partner, case.partner_id)
        history = timeline(history_of(session, case))  # what stands, in the order it happened
        deadlines = list(session.exec(select(Deadline).where(Deadline.case_id == case.id)))
        activities = [activity_dict(a) for a in session.exec(select(Activity).where(Activity.case_id == case.id)
                                                             .order_by(Activity.number))]
        evaluation = last_evaluation(session, case)
    if info.stages and case.state not in info.stages and case.state != "suspended":
        raise LetterError(_("{template} is a letter of the states {stages}; case {ref} is in {state}.").format(
            template=template, stages=", ".join(info.stages), ref=case.ref, state=case.state))
    missing = [key for key in needed_settings(info) if not getattr(config.letters, key)]
    if missing:  # all of them at once, not one per attempt
        raise LetterError(_("{template} needs {keys} in the config ({path}); kerjasama config check lists what "
                            "else is missing.").format(template=template, keys=", ".join(
                                f"[letters] {key}" for key in missing), path=config.path or _("no config file")))
    context = build_context(config, info, region=region, case=case, partner=partner, history=history,
                            deadlines=deadlines, on=on or bureau.today(region), options=options, number=None,
                            action_plan=activities, evaluation=evaluation)
    return env, info, context
