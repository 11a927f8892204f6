"""The one context every letter template sees, built from a case, its region, partner, history and deadlines.

``kerjasama letter vars`` prints it with its types (workflow/letters/samples.py), and docs/templates.md documents
it. The letter number is formed here too, for the draft's placeholder and for the register's issued letters.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import TemplateError

from workflow import eligibility
from workflow.config import Config
from workflow.i18n import _
from workflow.letters.facts import INSTRUMENT_NAMES, deadlines_of, events_of, fields_unknown, instrument_of
from workflow.letters.filters import terbilang
from workflow.letters.sandbox import LetterError, TemplateInfo, environment
from workflow.procedure import OBLIGATION_MET, STATE_BY_NAME

PAPER = {"A4": "210mm 297mm", "F4": "215mm 330mm"}
KIND_SHORT = {"ksdpl": "Kota Bersaudara", "ksdll": "dengan Lembaga di Luar Negeri"}
KIND_LONG = {"ksdpl": "Kerja Sama Daerah dengan Pemerintah Daerah di Luar Negeri",
             "ksdll": "Kerja Sama Daerah dengan Lembaga di Luar Negeri"}
PARTNER_TYPE_ID = {"province": "pemerintah daerah setingkat provinsi", "city": "pemerintah daerah setingkat kota",
                   "intergovernmental": "organisasi antarpemerintah", "non_profit": "badan hukum nirlaba asing",
                   "development_partner": "mitra pembangunan asing", "university": "perguruan tinggi",
                   "other_institution": "lembaga asing"}
LEVEL_TITLE = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}
FIXED_OPTIONS = {"hal", "sifat", "lampiran", "di", "layout"}  # options every template takes


def letter_number(settings, classification: str, sequence: int | str, year: int) -> str:
    """The letter's number in the config's ``[letters] number_pattern``.

    :param settings: the config's ``letters``; ``classification``: the template's key of its classification table,
        the table's ``default`` when it has no such key.
    :param sequence: the number taken from the register, or "…" for a draft.
    """
    return settings.number_pattern.format(
        classification=settings.classification.get(classification, settings.classification["default"]),
        sequence=sequence, unit=settings.unit, year=year)


def needed_settings(info: TemplateInfo) -> tuple[str, ...]:
    """The config's [letters] keys a letter of ``info`` cannot go out without: its signer's name, and an official's
    rank and NIP (Permendagri 1/2023 Pasal 44)."""
    return {"head": ("head_name",), "sekda": ("sekda_name",),
            "bureau_head": ("bureau_head_name", "bureau_head_rank", "bureau_head_nip")}[info.signer]


def build_context(config: Config, info: TemplateInfo, *, region, case, partner, history: list, deadlines: list,
                  on: date, options: dict, number: str | None, action_plan: list | None = None,
                  evaluation: dict | None = None) -> dict:
    """The one context every template sees; ``letter vars`` prints it with its types.

    :param region, case, partner: the stored rows (or objects with the same attributes).
    :param history: the case's events, oldest first; ``deadlines``: its deadlines.
    :param number: the registered number, or None for a draft (the sequence shows as "…").
    :param action_plan: the activities (workflow.actions.activity_dict); ``evaluation``: the last one, or None.
    """
    settings = config.letters
    known_fields = eligibility.fields()
    instrument = instrument_of(history)
    events = events_of(history)
    level = LEVEL_TITLE[region.level]
    place = region.name.split(" ", 1)[1] if region.name.startswith(level + " ") else region.name
    head_title_upper = f"{region.head_title} {place}".upper()
    context = {
        "today": on,
        "region": {
            "name": region.name, "level": region.level, "province": region.province,
            "government": f"Pemerintah {region.name}", "government_upper": f"PEMERINTAH {region.name}".upper(),
            "head_title": f"{region.head_title} {place}", "head_title_upper": head_title_upper,
            "head_name": settings.head_name, "head_acting": settings.head_acting, "city": settings.city,
            "address": settings.address, "phone": settings.phone, "email": settings.email,
            "website": settings.website, "emblem_national": settings.emblem_national,
            "emblem_region": settings.emblem_region, "bureau": settings.bureau_name,
            "sekda": {"name": settings.sekda_name, "rank": settings.sekda_rank, "nip": settings.sekda_nip},
        },
        "case": {
            "ref": case.ref, "title": case.title, "kind": case.kind, "kind_short": KIND_SHORT[case.kind],
            "kind_long": KIND_LONG[case.kind], "state": case.state,
            "opened_on": events["case_opened"]["on"] if "case_opened" in events else case.opened_on,
            "stage": STATE_BY_NAME[case.state].stage,
            "fields": [{"code": c, "name_id": known_fields[c].name_id, "name_en": known_fields[c].name_en}
                       for c in case.fields if c in known_fields],
            "fields_unknown": fields_unknown(case, history), "instrument": instrument,
            "instrument_id": INSTRUMENT_NAMES[instrument][0], "instrument_en": INSTRUMENT_NAMES[instrument][1],
        },
        "partner": _partner(partner),
        "events": events,
        "deadlines": deadlines_of(deadlines),
        "action_plan": list(action_plan or []),
        "record": {"anchor": None},  # an issued letter: the audit anchor of the record it was issued after
        "evaluation": evaluation,
        "page": {"size": PAPER[settings.paper], "margin_top": "2cm", "margin_right": "2cm", "margin_bottom": "2.5cm",
                 "margin_left": "3cm", "font": "Arial, Liberation Sans, Helvetica, sans-serif"},
    }
    allowed = dict(info.options)
    unknown = sorted(set(options) - set(allowed) - FIXED_OPTIONS)
    if unknown:
        raise LetterError(_("{template} takes no option {name}; it takes: {allowed}.").format(
            template=info.name, name=unknown[0], allowed=", ".join(sorted(set(allowed) | FIXED_OPTIONS))))
    context["options"] = allowed | {k: v for k, v in options.items() if k in allowed}
    context["letter"] = {
        "template": info.name, "document": info.document, "date": on, "kop": info.kop,
        "number": number or letter_number(settings, info.classification, "…", on.year),
        "draft": number is None, "language": info.languages[0] if info.languages else "id",
        "layout": options.get("layout", settings.bilingual_layout),
        "signer": _signer(info.signer, context["region"], settings),
    }
    env = environment(settings.templates)
    expand = lambda text: _expand(env, info, text, context)  # noqa: E731 - front-matter values may use the context
    # An entry that comes out empty applies only to some cases or regions (the Gubernur of a kota's letter).
    attachments = [t for t in map(expand, info.attachments) if t.strip()]
    context["letter"].update(
        sifat=options.get("sifat") or expand(info.sifat), hal=options.get("hal") or expand(info.hal),
        lampiran=options.get("lampiran") or _lampiran(attachments, info, expand), attachments=attachments,
        di=options.get("di") or expand(info.di), to=[t for t in map(expand, info.to) if t.strip()],
        tembusan=[t for t in map(expand, info.tembusan) if t.strip()],
        obligations=_obligations([t for t in map(expand, info.obligations) if t.strip()], info))
    return context


def _obligations(entries: list[str], info: TemplateInfo) -> dict[str, int]:
    """The duties an agreement's text sets, from its front matter's ``obligations`` entries ("jwg_meeting 12"):
    each kind with its cadence in months.

    :raises LetterError: an entry that is not a kind of duty followed by a whole number of months.
    """
    found = {}
    for entry in entries:
        kind, _space, months = entry.strip().partition(" ")
        if kind not in OBLIGATION_MET or not months.strip().isdigit() or not 1 <= int(months) <= 120:
            raise LetterError(_("{path}:{line}: obligations: {entry!r} is not a duty and its months; write KIND "
                                "MONTHS with KIND one of {kinds}, e.g. \"jwg_meeting 12\"").format(
                path=info.path, line=_line_of_text(info.path, "obligations"), entry=entry,
                kinds=", ".join(OBLIGATION_MET)))
        found[kind] = int(months)
    return found


def _lampiran(attachments: list[str], info: TemplateInfo, expand) -> str:
    """The Lampiran line: counted from the attachments the letter lists, so the two never disagree; a template
    that lists none says its own (``lampiran``, "-" by default)."""
    if info.attachments:
        return f"{terbilang(len(attachments))} berkas" if attachments else "-"
    return expand(info.lampiran)


def _partner(partner) -> dict:
    return {"name": partner.name, "country_code": partner.country, "type": partner.partner_type,
            "type_id": PARTNER_TYPE_ID.get(partner.partner_type, partner.partner_type),
            "country_id": eligibility.country_name(partner.country, "id"),
            "country_en": eligibility.country_name(partner.country, "en")}


def _signer(kind: str, region: dict, settings) -> dict:
    """The signature block: delegation lines, title, name with or without titles, rank, NIP (docs/templates.md)."""
    acting = settings.head_acting
    head_name = (settings.head_name_plain or settings.head_name) if acting else settings.head_name
    if kind == "head":
        title = f"{acting} {region['head_title_upper']}," if acting else f"{region['head_title_upper']},"
        return {"delegation": [], "title": title, "name": head_name, "rank": "", "nip": ""}
    if kind == "sekda":  # the Sekda signs without rank and NIP (Permendagri 1/2023 Pasal 44)
        return {"delegation": [f"a.n. {region['head_title_upper']}"], "title": "SEKRETARIS DAERAH,",
                "name": settings.sekda_name, "rank": "", "nip": ""}
    return {"delegation": [], "title": f"KEPALA {settings.bureau_name.upper()},", "name": settings.bureau_head_name,
            "rank": settings.bureau_head_rank, "nip": settings.bureau_head_nip}


@lru_cache(maxsize=1024)
def _compiled(env, text: str):
    # Without autoescape: the value is escaped once, where the letter prints it.
    return env.overlay(autoescape=False).from_string(text)


def _expand(env, info: TemplateInfo, text: str, context: dict) -> str:
    try:
        return _compiled(env, text).render(context)
    except (TemplateError, TypeError, ValueError, AttributeError, LookupError) as err:
        raise LetterError(_("{path}:{line}: in the front matter: {error}").format(
            path=info.path, line=_line_of_text(info.path, text), error=err)) from None


def _line_of_text(path: str, text: str) -> int:
    """The line of the template file where a front-matter value is written (1 when it cannot be found)."""
    try:
        source = Path(path).read_text(encoding="utf-8")
    except OSError:
        return 1
    found = source.find(text.split("\n")[0])
    return source.count("\n", 0, found) + 1 if found >= 0 else 1
