"""The sample cases letters are previewed, linted and documented against.

The main one is Kota Padang and Hildesheim, a sister-city case carried through the whole procedure
(workflow/sample_case.py); ``letter vars`` and ``letter preview`` show it in force. ``letter lint`` renders every
template against that case as it stood in each state the template claims, against an agreement loaded with
``kerjasama import`` whose register gives only the month of its signing and neither its term nor its fields, and
against a province's cooperation with a foreign university that has no action plan or evaluation yet: the shapes a
real case gives, so a template that passes lint does not fail on the first real one.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from jinja2 import meta, nodes

from workflow import sample_case
from workflow.config import Config
from workflow.i18n import _
from workflow.letters.context import build_context, needed_settings
from workflow.letters.rendering import render, render_html
from workflow.letters.sandbox import LetterError, TemplateInfo, environment, template_info, template_names
from workflow.procedure import CASE_OPENED, EVENT_BY_NAME, IN_FORCE

row = SimpleNamespace
SAMPLE_DATE = date(2026, 1, 12)  # the date of a sample letter of the case in force
# The states an imported agreement can be in that letters are written for, and the status its register row gives.
IMPORTED_STATES = {"in_force": "active", "dormant": "dormant", "loi_signed": "loi_only"}
SAMPLE_LETTERS = {"head_name": "Fadly Amran, B.B.A.", "head_name_plain": "Fadly Amran", "city": "Padang",
                  "sekda_name": "Dr. Andree Harmadi Algamar, S.STP., M.Si.", "sekda_rank": "Pembina Utama Madya (IV/d)",
                  "sekda_nip": "19751123 199412 1 001", "bureau_head_name": "Yenni Yuliza, S.H., M.H.",
                  "bureau_head_rank": "Pembina (IV/a)", "bureau_head_nip": "19790515 200501 2 004",
                  "address": "Jalan Bagindo Aziz Chan No. 1, Aie Pacah, Padang 25176", "phone": "(0751) 4640800",
                  "email": "kerjasama@padang.go.id", "website": "padang.go.id", "emblem_region": ""}
ACTION_PLAN = [  # the shape of workflow.actions.activity_dict
    {"number": 1, "activity": "Pertukaran guru SMP", "title": "Pertukaran guru SMP", "lead_opd": "Dinas Pendidikan",
     "partner_unit": "Stadt Hildesheim, Fachbereich Schule", "field": "education", "layer": "multidimensional",
     "year": 2026, "output": "10 guru", "indicator": "jumlah guru yang mengikuti pertukaran", "cost": 350000000,
     "spent": None, "source": "apbd_opd", "status": "budgeted", "added_on": date(2025, 7, 1), "done_on": None},
    {"number": 2, "activity": "Festival budaya Minangkabau di Hildesheim",
     "title": "Festival budaya Minangkabau di Hildesheim", "lead_opd": "Dinas Kebudayaan",
     "partner_unit": "Kulturbüro Hildesheim", "field": "culture", "layer": "economic", "year": 2026,
     "output": "1 festival", "indicator": "jumlah pengunjung", "cost": 500000000, "spent": 482500000,
     "source": "partner", "status": "done", "added_on": date(2025, 7, 1), "done_on": date(2026, 9, 20)},
]
EVALUATION = {  # the shape of workflow.actions.last_evaluation
    "kind": "annual", "period_from": date(2026, 1, 1), "period_to": date(2026, 12, 31), "planned": 2, "done": 1,
    "outputs": "1 festival dengan 4.000 pengunjung", "indicators": "1 dari 2 indikator",
    "problems": "Pertukaran guru tertunda karena visa", "recommendation": "continue", "recorded_on": date(2027, 1, 11),
    "figures": {  # the shape of workflow.benefits.period_figures
        "from": "2026-01-01", "to": "2026-12-31", "years": [2026], "planned": 2, "done": 1, "done_per_year": 1.0,
        "costs": {"planned": 850000000, "spent": 482500000, "unknown": 0,
                  "by_source": {"apbd_opd": {"planned": 350000000, "spent": 0},
                                "partner": {"planned": 500000000, "spent": 482500000}}},
        "indicators": [
            {"number": 1, "code": "teachers_exchanged", "name": "Guru dan dosen yang ikut pertukaran", "unit": "people",
             "activity": 1, "baseline": "0", "baseline_year": 2024,
             "years": [{"year": 2026, "target": "10", "value": None, "reached": None, "source": None,
                        "document": None}]},
            {"number": 2, "code": "own", "name": "Pengunjung festival", "unit": "orang", "activity": 2,
             "baseline": None, "baseline_year": None,
             "years": [{"year": 2026, "target": "3000", "value": "4000", "reached": 133.3,
                        "source": "Laporan Dinas Kebudayaan 2026", "document": None}]}]}}
DEADLINES = [("dprd_decision", "2024-06-26", "2024-04-05", "met"), ("loi_validity", "2028-06-12", "2023-06-12", "met"),
             ("annual_report", "2026-05-08", "2025-05-08", "open"),
             ("agreement_expiry", "2030-05-08", "2025-05-08", "open"),
             ("extension_review", "2029-08-08", "2030-05-08", "open")]


def sample_facts(state: str = "in_force") -> dict:
    """Kota Padang and Hildesheim as the case stood in ``state``: the events that led there, the deadlines opened by
    then, the action plan once one is adopted. A state off the sample's path (dormant) keeps the whole history."""
    opening = sample_case.OPENING
    steps = [("case_opened", sample_case.OPENED_ON, {"note": opening["note"]})] + [
        step for step in sample_case.TIMELINE if step[0] != "activity_planned"]  # an activity is not an event
    reached, current = len(steps), "initiated"
    for n, (name, _on, _extra) in enumerate(steps):
        current = (CASE_OPENED if name == "case_opened" else EVENT_BY_NAME[name]).dest or current
        if current == state:
            reached = n + 1  # the last event that leaves the case in ``state``
    whole, steps = reached == len(steps), steps[:reached]
    last = date.fromisoformat(steps[-1][1])
    history = [row(name=name, occurred_on=date.fromisoformat(on), doc_number=extra.get("doc_number"),
                   note=extra.get("note"), data=extra.get("data", {})) for name, on, extra in steps]
    deadlines = [row(id=i, kind=k, due=date.fromisoformat(d), starts_on=date.fromisoformat(s), status=st,
                     precision=None) for i, (k, d, s, st) in enumerate(DEADLINES) if date.fromisoformat(s) <= last]
    return {"region": row(**sample_case.REGION, head_title="Wali Kota"),
            "case": row(ref="KS-2023-0001", title=opening["title"], kind="ksdpl", state=state,
                        opened_on=date.fromisoformat(sample_case.OPENED_ON), fields=opening["fields"]),
            "partner": row(name=opening["partner_name"], country=opening["country"],
                           partner_type=opening["partner_type"]),
            "history": history, "deadlines": deadlines, "on": SAMPLE_DATE if whole else last + timedelta(days=14),
            "action_plan": ACTION_PLAN if state in IN_FORCE else [],
            "evaluation": EVALUATION if state in ("in_force", "dormant", "amendment_in_progress") else None}


def imported_facts(state: str) -> dict:
    """Padang's tie with Vũng Tàu as an agreement list gives it (``kerjasama import``): the MoU signed in March 2014
    (no day), the LoI in 2013, the last activity in 2016; no term, no expiry and no fields on record."""
    status = IMPORTED_STATES[state]
    dates = {"loi_signed": "2013"} if status == "loi_only" else {"loi_signed": "2013", "mou_signed": "2014-03",
                                                                 "last_activity": "2016"}
    data = {"source": "Register Bagian Kerja Sama 2019", "status": status,
            "instrument": "loi" if status == "loi_only" else "mou", "term_years": None, "renewal_every": None,
            "precision": {column: {4: "year", 7: "month"}.get(len(day), "day") for column, day in dates.items()},
            "fields_unknown": True} | dates
    history = [row(name="imported", occurred_on=date(2016, 1, 1), doc_number=None,
                   note="Imported from Register Bagian Kerja Sama 2019", data=data)]
    deadlines = [row(id=1, kind="loi_to_mou_target", due=date(2014, 1, 1), starts_on=date(2013, 1, 1),
                     status="open", precision="year")] if status == "loi_only" else [
        row(id=1, kind="dormancy", due=date(2018, 1, 1), starts_on=date(2016, 1, 1), status="open", precision="year")]
    return {"region": row(**sample_case.REGION, head_title="Wali Kota"),
            "case": row(ref="KS-2014-0003", title="Sister city Padang - Vung Tau", kind="ksdpl", state=state,
                        opened_on=date(2013, 1, 1), fields=[]),
            "partner": row(name="Vũng Tàu", country="VN", partner_type="city"), "history": history,
            "deadlines": deadlines, "on": SAMPLE_DATE, "action_plan": [], "evaluation": None}


def to_the_month(facts: dict) -> dict:
    """``facts`` with every event's day known only to its month, as ``case advance --on 2014-03`` records it."""
    return facts | {"history": [replace_row(event, data=event.data | {"on_precision": "month"})
                                for event in facts["history"]]}


def institution_facts(state: str) -> dict:
    """A province's cooperation with a foreign university, in ``state``, with no action plan or evaluation yet."""
    facts = sample_facts(state)
    return facts | {
        "region": row(name="Provinsi Sumatera Barat", level="provinsi", province="Sumatera Barat",
                      head_title="Gubernur"),
        "case": replace_row(facts["case"], kind="ksdll", ref="KS-2023-0002", fields=["education"]),
        "partner": row(name="Universität Hildesheim", country="DE", partner_type="university"),
        "action_plan": [], "evaluation": None}


def replace_row(found: SimpleNamespace, **changes) -> SimpleNamespace:
    return row(**(vars(found) | changes))


def sample_config(config: Config) -> Config:
    """The config with the sample region's letter settings in place of the region's own, so that a sample letter
    never mixes the two (the Garuda, the paper, the numbering and the templates stay the config's)."""
    return replace(config, letters=replace(config.letters, **SAMPLE_LETTERS))


def sample_context(config: Config, info: TemplateInfo, options: dict | None = None, on: date | None = None,
                   facts: dict | None = None) -> dict:
    """The context of ``info``'s letter for the sample case (in force unless ``facts`` says otherwise), as a draft
    dated 12 January 2026 unless ``on``."""
    return _context(sample_config(config), info, facts or sample_facts(), options or {}, on)


def _context(config: Config, info: TemplateInfo, facts: dict, options: dict, on: date | None) -> dict:
    return build_context(config, info, region=facts["region"], case=facts["case"], partner=facts["partner"],
                         history=facts["history"], deadlines=facts["deadlines"], on=on or facts["on"],
                         options=options, number=None, action_plan=facts["action_plan"],
                         evaluation=facts["evaluation"])


def lint_cases(info: TemplateInfo) -> list[tuple[str, dict]]:
    """The sample cases ``info`` is checked against, each with a label for the report: the Padang case in each state
    the template claims (in force when it claims none), an imported agreement in each of those states it can be in,
    and the province's cooperation with a university."""
    states = list(info.stages) or ["in_force"]
    cases = [(_("the sample case in {state}").format(state=state), sample_facts(state)) for state in states]
    cases += [(_("the sample case in {state}, its dates known only to the month").format(state=state),
               to_the_month(sample_facts(state))) for state in states]
    cases += [(_("an imported agreement in {state}").format(state=state), imported_facts(state))
              for state in (info.stages or IMPORTED_STATES) if state in IMPORTED_STATES]
    return cases + [(_("a province's cooperation with a university in {state}").format(state=states[0]),
                     institution_facts(states[0]))]


def lint(config: Config, extra_dir: Path | None = None) -> list[str]:
    """Check every template: its front matter against the schema, then render it against each sample case of
    :func:`lint_cases`; one ``file:line: problem`` per fault, the same fault once.

    :param extra_dir: a directory of templates to check as the user directory.
    """
    env = environment(extra_dir or config.letters.templates)
    settings = sample_config(config)
    problems = []
    for name in template_names(env):
        try:
            info = template_info(env, name)
        except LetterError as err:
            problems += str(err).splitlines()
            continue
        found: dict[str, str] = {}
        for label, facts in lint_cases(info):
            try:
                context = _context(settings, info, facts, {}, None)
                render_html(env, name, context)
            except LetterError as err:
                found.setdefault(str(err), label)
        problems += [_("{problem} (with {case})").format(problem=problem, case=label)
                     for problem, label in found.items()]
        if found:
            continue  # what follows reads what no sample case reached; a template that fails is corrected first
        source, path, _uptodate = env.loader.get_source(env, name)
        tree = env.parse(source)
        unknown = meta.find_undeclared_variables(tree) - set(context) - _set_at_top(tree) - {"m"}
        problems += [f"{path}:1: {_('unknown variable')} {var}" for var in sorted(unknown)]
        problems += _headers_outside_thead(source, path)
    return problems


def _headers_outside_thead(source: str, path: str) -> list[str]:
    """A table whose header row is not in <thead>: the header is not repeated on the next page, and may stay at the
    foot of a page without its first row."""
    problems = []
    for table in re.finditer(r"<table\b", source):
        row = source.find("<tr", table.end())
        cells = source[source.find(">", row) + 1:row + 400].lstrip() if row >= 0 else ""
        if row >= 0 and "<thead" not in source[table.end():row] and cells.startswith("<th"):
            problems.append(_("{path}:{line}: the header row of this table is not in <thead>; put it there, so that "
                              "it is repeated on every page").format(path=path, line=source.count("\n", 0, row) + 1))
    return problems


def _set_at_top(tree: nodes.Template) -> set[str]:
    """The names a template sets outside its blocks, which its blocks and its layout see (``addressees``)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            names |= {node.target.name} if isinstance(node.target, nodes.Name) else {
                name.name for name in node.target.find_all(nodes.Name)}
        elif isinstance(node, nodes.Macro):
            names.add(node.name)
    return names


def templates_table(config: Config) -> list[dict]:
    """Every template (the config's directory before the built-in ones) with what ``letter templates`` lists."""
    env = environment(config.letters.templates)
    return [{"name": t.name, "document": t.document, "title": t.title, "stages": list(t.stages),
             "languages": list(t.languages), "path": t.path}
            for t in (template_info(env, name) for name in template_names(env))]


def template_variables(config: Config, template: str) -> tuple[TemplateInfo, list[str]]:
    """The template's description and the variables it sees, with the sample case's values."""
    info = template_info(environment(config.letters.templates), template)
    return info, describe_context(sample_context(config, info))


def describe_context(context: dict, indent: str = "") -> list[str]:
    """The context as lines ``name: type = example``, for ``letter vars``."""
    lines = []
    for key, value in context.items():
        if isinstance(value, dict) and value and key not in ("data",):
            lines.append(f"{indent}{key}:")
            lines += describe_context(value, indent + "  ")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{indent}{key}: list of {len(value[0])}-field records, e.g.")
            lines += describe_context(value[0], indent + "  - " if not indent.endswith("- ") else indent)
        else:
            example = value.isoformat() if isinstance(value, date) else value
            lines.append(f"{indent}{key}: {type(value).__name__} = {example!r}")
    return lines


def preview(config: Config, template: str, options: dict, fmt: str, open_bureau=None,
            warn=None) -> tuple[bytes, str]:
    """``template`` rendered against the sample case, as html, pdf or txt, and one line saying whose region it shows.

    The region is the database's when it has one (``open_bureau()`` gives the database; kerjasama init made the
    region), with the config's letter settings as they are; otherwise the sample region with the sample's settings.
    Never a mix of the two: the sample's Wali Kota signing under the region's kop.
    """
    env = environment(config.letters.templates)
    info = template_info(env, template)
    region = _database_region(open_bureau)
    if region is None:
        facts, settings = sample_facts(), sample_config(config)
        note = _("Preview: the sample region {region} (the database has none) and the sample case with {partner}.")
    else:
        facts, settings = sample_facts() | {"region": region}, config
        note = _("Preview: the region of the database, {region}, with the config's letter settings, and the sample "
                 "case with {partner}.")
    note = note.format(region=facts["region"].name, partner=facts["partner"].name)
    unset = [key for key in needed_settings(info) if not getattr(settings.letters, key)]
    if unset:
        note += " " + _("Not set in the config: {keys}.").format(keys=", ".join(f"[letters] {k}" for k in unset))
    return render(env, template, _context(settings, info, facts, options, None), fmt, warn), note


def _database_region(open_bureau):
    """The database's region, or None when there is no database, it cannot be read, or kerjasama init has not run."""
    if open_bureau is None:
        return None
    from sqlalchemy.exc import DBAPIError

    from db.errors import DatabaseError
    from workflow.errors import RegionNotSetUp
    from workflow.store import load_region

    try:
        bureau = open_bureau()
        with bureau.db.session() as session:
            region = load_region(session)
            session.expunge(region)
            return region
    except (DatabaseError, DBAPIError, RegionNotSetUp):
        return None
