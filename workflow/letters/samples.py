"""The sample case letters are previewed, linted and documented against: Kota Padang and Hildesheim, in force.

``letter preview`` and ``letter vars`` render a template with no database; ``letter lint`` renders every template
and reports each fault as ``file:line: problem``.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from jinja2 import meta

from workflow import sample_case
from workflow.config import Config
from workflow.i18n import _
from workflow.letters.context import build_context
from workflow.letters.rendering import render, render_html
from workflow.letters.sandbox import LetterError, TemplateInfo, environment, template_info, template_names


def sample_facts() -> dict:
    """A realistic case (Kota Padang and Hildesheim, signed and implementing) to render any template against."""
    row = SimpleNamespace
    opening = sample_case.OPENING
    region = row(**sample_case.REGION, head_title="Wali Kota")
    case = row(ref="KS-2023-0001", title=opening["title"], kind="ksdpl", state="in_force",
               opened_on=date.fromisoformat(sample_case.OPENED_ON), fields=opening["fields"])
    partner = row(name=opening["partner_name"], country=opening["country"], partner_type=opening["partner_type"])
    recorded = [("case_opened", sample_case.OPENED_ON, {"note": opening["note"]})] + [
        step for step in sample_case.TIMELINE if step[0] != "activity_planned"]  # an activity is not an event
    history = [row(name=name, occurred_on=date.fromisoformat(on), doc_number=extra.get("doc_number"),
                   note=extra.get("note"), data=extra.get("data", {})) for name, on, extra in recorded]
    deadlines = [row(id=i, kind=k, due=date.fromisoformat(d), starts_on=date.fromisoformat(s), status=st)
                 for i, (k, d, s, st) in enumerate([
                     ("dprd_decision", "2024-06-26", "2024-04-05", "met"),
                     ("loi_validity", "2028-06-12", "2023-06-12", "met"),
                     ("annual_report", "2026-05-08", "2025-05-08", "open"),
                     ("agreement_expiry", "2030-05-08", "2025-05-08", "open"),
                     ("extension_review", "2029-08-08", "2030-05-08", "open")])]
    action_plan = [  # the shape of workflow.actions.activity_dict
        {"number": 1, "activity": "Pertukaran guru SMP", "title": "Pertukaran guru SMP", "lead_opd": "Dinas Pendidikan",
         "partner_unit": "Stadt Hildesheim, Fachbereich Schule", "field": "education", "layer": "multidimensional",
         "year": 2026, "output": "10 guru", "indicator": "jumlah guru yang mengikuti pertukaran", "cost": 350000000,
         "source": "apbd_opd", "status": "budgeted", "added_on": date(2025, 7, 1), "done_on": None},
        {"number": 2, "activity": "Festival budaya Minangkabau di Hildesheim",
         "title": "Festival budaya Minangkabau di Hildesheim", "lead_opd": "Dinas Kebudayaan",
         "partner_unit": "Kulturbüro Hildesheim", "field": "culture", "layer": "economic", "year": 2026,
         "output": "1 festival", "indicator": "jumlah pengunjung", "cost": 500000000, "source": "partner",
         "status": "done", "added_on": date(2025, 7, 1), "done_on": date(2026, 9, 20)},
    ]
    evaluation = {"kind": "annual", "period_from": date(2026, 1, 1), "period_to": date(2026, 12, 31), "planned": 2,
                  "done": 1, "outputs": "1 festival dengan 4.000 pengunjung", "indicators": "1 dari 2 indikator",
                  "problems": "Pertukaran guru tertunda karena visa", "recommendation": "continue",
                  "recorded_on": date(2027, 1, 11)}
    return {"region": region, "case": case, "partner": partner, "history": history, "deadlines": deadlines,
            "action_plan": action_plan, "evaluation": evaluation}


SAMPLE_LETTERS = {"head_name": "Fadly Amran, B.B.A.", "head_name_plain": "Fadly Amran", "city": "Padang",
                  "sekda_name": "Dr. Andree Harmadi Algamar, S.STP., M.Si.", "sekda_rank": "Pembina Utama Madya (IV/d)",
                  "sekda_nip": "19751123 199412 1 001", "bureau_head_name": "Yenni Yuliza, S.H., M.H.",
                  "bureau_head_rank": "Pembina (IV/a)", "bureau_head_nip": "19790515 200501 2 004",
                  "address": "Jalan Bagindo Aziz Chan No. 1, Aie Pacah, Padang 25176", "phone": "(0751) 4640800",
                  "email": "kerjasama@padang.go.id", "website": "padang.go.id"}


def sample_config(config: Config) -> Config:
    """The config with the sample region's letter settings wherever the real one leaves a field empty."""
    letters = config.letters
    filled = {k: v for k, v in SAMPLE_LETTERS.items() if not getattr(letters, k)}
    return replace(config, letters=replace(letters, **filled))


def sample_context(config: Config, info: TemplateInfo, options: dict | None = None, on: date | None = None) -> dict:
    """The context of ``info``'s letter for the sample case, as a draft dated 12 January 2026 unless ``on``."""
    facts = sample_facts()
    return build_context(sample_config(config), info, region=facts["region"], case=facts["case"],
                         partner=facts["partner"], history=facts["history"], deadlines=facts["deadlines"],
                         on=on or date(2026, 1, 12), options=options or {}, number=None,
                         action_plan=facts["action_plan"], evaluation=facts["evaluation"])


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


def lint(config: Config, extra_dir: Path | None = None) -> list[str]:
    """Render every template against the sample case; one ``file:line: problem`` per fault.

    :param extra_dir: a directory of templates to check as the user directory.
    """
    env = environment(extra_dir or config.letters.templates)
    problems = []
    for name in template_names(env):
        try:
            info = template_info(env, name)
            context = sample_context(config, info)
            render_html(env, name, context)
            source, path, _u = env.loader.get_source(env, name)
            unknown = meta.find_undeclared_variables(env.parse(source)) - set(context) - {"m"}
            problems += [f"{path}:1: {_('unknown variable')} {var}" for var in sorted(unknown)]
        except LetterError as err:
            problems.append(str(err))
    return problems


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


def preview(config: Config, template: str, options: dict, fmt: str) -> bytes:
    """``template`` rendered against the sample case, as html, pdf or txt."""
    env = environment(config.letters.templates)
    return render(env, template, sample_context(config, template_info(env, template), options), fmt)
