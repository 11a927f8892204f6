"""Letters and proposals from Jinja templates: a sandboxed, strict environment, one documented context,
rendering to HTML, plain text and PDF, and the lint and variable listing template authors use.

Each document template in templates/letters/ starts with a TOML comment that describes it::

    {#
    document = "D09"                      # letters.md §5
    title = "Surat permohonan persetujuan DPRD"
    stages = ["plan_drafting", "dprd_review"]   # states of the case the letter belongs to
    languages = ["id"]
    kop = "head"                          # head: Garuda and the head's title; government: the region's kop
    signer = "head"                       # head, sekda (a.n. the head) or bureau_head
    register = "surat_keluar"             # numbering register
    classification = "dprd"               # key of [letters.classification] in the config
    sifat = "Segera"
    lampiran = "1 (satu) berkas"
    hal = "Permohonan Persetujuan ... {{ partner.name }}"   # these values may use the context
    to = ["Ketua DPRD {{ region.name }}"]
    di = "{{ region.city }}"
    tembusan = ["Menteri Dalam Negeri"]
    [options]                             # values the officer may set with --set NAME=VALUE, and defaults
    [help]                                # what each option means
    #}

Files whose name starts with "_" are layouts and macros, not documents.
"""
from __future__ import annotations

import re
import tomllib
import traceback
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import (ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound,
                    TemplateSyntaxError, meta, select_autoescape)
from jinja2.sandbox import SandboxedEnvironment
from num2words import num2words

import templates as builtin_templates
from workflow import eligibility
from workflow.config import Config
from workflow.errors import KerjasamaError
from workflow.i18n import _
from workflow.procedure import STATE_BY_NAME

BUILTIN_DIR = Path(builtin_templates.__file__).parent / "letters"
FRONT_MATTER = re.compile(r"\A\s*\{#(.*?)#\}", re.DOTALL)
PAPER = {"A4": "210mm 297mm", "F4": "215mm 330mm"}
KIND_SHORT = {"ksdpl": "Kota Bersaudara", "ksdll": "dengan Lembaga di Luar Negeri"}
KIND_LONG = {"ksdpl": "Kerja Sama Daerah dengan Pemerintah Daerah di Luar Negeri",
             "ksdll": "Kerja Sama Daerah dengan Lembaga di Luar Negeri"}
PARTNER_TYPE_ID = {"province": "pemerintah daerah setingkat provinsi", "city": "pemerintah daerah setingkat kota",
                   "intergovernmental": "organisasi antarpemerintah", "non_profit": "badan hukum nirlaba asing",
                   "development_partner": "mitra pembangunan asing", "university": "perguruan tinggi",
                   "other_institution": "lembaga asing"}
LEVEL_TITLE = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}


class LetterError(KerjasamaError):
    """A template that cannot be rendered, with its file and line."""


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    path: str
    document: str = ""
    title: str = ""
    stages: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("id",)
    kop: str = "head"
    signer: str = "head"
    register: str = "surat_keluar"
    classification: str = "default"
    sifat: str = "Biasa"
    lampiran: str = "-"
    hal: str = ""
    to: tuple[str, ...] = ()
    di: str = "Tempat"
    tembusan: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)
    help: dict = field(default_factory=dict)


# --- filters: dates, money and numbers from Babel and num2words, not hand-written tables -------------------

def tanggal(day: date) -> str:
    """5 Januari 2025"""
    return format_date(day, "d MMMM y", locale="id")


def date_en(day: date) -> str:
    """5 January 2025"""
    return format_date(day, "d MMMM y", locale="en")


def hari_tanggal(day: date) -> str:
    """Senin, 5 Januari 2025"""
    return format_date(day, "EEEE, d MMMM y", locale="id")


def rupiah(amount) -> str:
    """Rp15.000.000,00: always two decimals, as official letters write money.

    A fixed pattern rather than the locale's currency format: CLDR changes the rupiah's default digits between
    releases (Babel 2.19 prints ``Rp15.000.000``), and a letter must not change with a library upgrade.
    """
    return format_decimal(amount, "'Rp'#,##0.00", locale="id")


def words(number, language: str = "id") -> str:
    """empat puluh lima"""
    return num2words(number, lang=language)


def terbilang(number, language: str = "id") -> str:
    """45 (empat puluh lima)"""
    return f"{number} ({num2words(number, lang=language)})"


def roman(number: int) -> str:
    """IV"""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, letter in numerals:
        while number >= value:
            result, number = result + letter, number - value
    return result


FILTERS = {"tanggal": tanggal, "date_en": date_en, "hari_tanggal": hari_tanggal, "rupiah": rupiah, "words": words,
           "terbilang": terbilang, "roman": roman}


# --- the environment ------------------------------------------------------------------------------------------

@lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> SandboxedEnvironment:
    """The sandboxed, strict environment; a template in ``user_dir`` overrides the built-in one of the same name.

    Built once per process and directory, so compiled templates are cached between letters.
    """
    loaders = ([FileSystemLoader(str(user_dir))] if user_dir else []) + [FileSystemLoader(str(BUILTIN_DIR))]
    env = SandboxedEnvironment(loader=ChoiceLoader(loaders), undefined=StrictUndefined,
                               autoescape=select_autoescape(["html"]), keep_trailing_newline=True,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    return env


def template_names(env: SandboxedEnvironment) -> list[str]:
    """The document templates (not layouts or macros) the environment can load."""
    return sorted(name for name in env.list_templates(extensions=["html"]) if not Path(name).name.startswith("_"))


def template_info(env: SandboxedEnvironment, name: str) -> TemplateInfo:
    """What the template's front matter says about it.

    :raises LetterError: no such template, or its front matter is not valid TOML.
    """
    try:
        source, path, _uptodate = env.loader.get_source(env, name)
    except TemplateNotFound:
        raise LetterError(_("No letter template {name}; kerjasama letter templates lists them.")
                          .format(name=name)) from None
    found = FRONT_MATTER.match(source)
    try:
        raw = tomllib.loads(found.group(1)) if found else {}
    except tomllib.TOMLDecodeError as err:
        raise LetterError(_("{path}:1: the front matter comment is not valid TOML: {error}")
                          .format(path=path, error=err)) from None
    known = {f for f in TemplateInfo.__dataclass_fields__ if f not in ("name", "path")}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known}
    return TemplateInfo(name=name, path=path, **values)


# --- the context ----------------------------------------------------------------------------------------------

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
            "kind_long": KIND_LONG[case.kind], "state": case.state, "opened_on": case.opened_on,
            "stage": STATE_BY_NAME[case.state].stage,
            "fields": [{"code": c, "name_id": known_fields[c].name_id, "name_en": known_fields[c].name_en}
                       for c in case.fields if c in known_fields],
        },
        "partner": _partner(partner),
        "events": {e.name: {"on": e.occurred_on, "doc_number": e.doc_number, "note": e.note, "data": e.data}
                   for e in history},
        "deadlines": {d.kind: {"due": d.due, "starts_on": d.starts_on, "status": d.status}
                      for d in sorted(deadlines, key=lambda d: d.id or 0)},
        "action_plan": list(action_plan or []),
        "evaluation": evaluation,
        "page": {"size": PAPER[settings.paper], "margin_top": "2cm", "margin_right": "2cm", "margin_bottom": "2.5cm",
                 "margin_left": "3cm", "font": "Arial, Liberation Sans, Helvetica, sans-serif"},
    }
    allowed = dict(info.options)
    unknown = sorted(set(options) - set(allowed) - {"hal", "sifat", "lampiran", "di", "layout"})
    if unknown:
        raise LetterError(_("{template} takes no option {name}; it takes: {allowed}.").format(
            template=info.name, name=unknown[0],
            allowed=", ".join(sorted(set(allowed) | {"hal", "sifat", "lampiran", "di", "layout"}))))
    context["options"] = allowed | {k: v for k, v in options.items() if k in allowed}
    pattern = settings.number_pattern
    draft = number is None
    context["letter"] = {
        "template": info.name, "document": info.document, "date": on, "kop": info.kop,
        "number": number or pattern.format(classification=settings.classification.get(
            info.classification, settings.classification["default"]), sequence="…", unit=settings.unit,
            year=on.year),
        "draft": draft, "language": info.languages[0] if info.languages else "id",
        "layout": options.get("layout", settings.bilingual_layout),
        "signer": _signer(info.signer, context["region"], settings),
    }
    env = environment(settings.templates)
    expand = lambda text: _expand(env, info, text, context)  # noqa: E731 - front-matter values may use the context
    context["letter"].update(
        sifat=options.get("sifat") or expand(info.sifat), lampiran=options.get("lampiran") or expand(info.lampiran),
        hal=options.get("hal") or expand(info.hal), di=options.get("di") or expand(info.di),
        to=[t for t in map(expand, info.to) if t.strip()],
        tembusan=[t for t in map(expand, info.tembusan) if t.strip()])  # an entry may apply only to some regions
    return context


def _partner(partner) -> dict:
    country = eligibility.countries().get(partner.country)
    return {"name": partner.name, "country_code": partner.country, "type": partner.partner_type,
            "type_id": PARTNER_TYPE_ID.get(partner.partner_type, partner.partner_type),
            "country_id": country.name_id if country else partner.country,
            "country_en": country.name_en if country else partner.country}


def _signer(kind: str, region: dict, settings) -> dict:
    """The signature block of letters.md §2: delegation lines, title, name with or without titles, rank, NIP."""
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
    except TemplateError as err:
        raise LetterError(_("{path}:1: in the front matter: {error}").format(path=info.path, error=err)) from None


# --- rendering ------------------------------------------------------------------------------------------------

def render_html(env: SandboxedEnvironment, name: str, context: dict) -> str:
    """The letter as HTML with its print stylesheet.

    :raises LetterError: naming the template file, the line and what went wrong.
    """
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as err:
        raise LetterError(f"{err.filename or name}:{err.lineno}: {err.message}") from None
    except TemplateError as err:
        where = _template_frame(err, name)
        raise LetterError(f"{where}: {err.message or type(err).__name__}") from None


def _template_frame(err: Exception, name: str) -> str:
    """file:line of the innermost template frame of an error raised while rendering."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(".html")]
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name


def render_pdf(html: str) -> bytes:
    """The letter as PDF through WeasyPrint (the optional extra ``pdf``)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: WeasyPrint is installed but cannot load the Pango library
        raise LetterError(_("PDF needs WeasyPrint: pip install 'kerjasama[pdf]' (and the Pango library, e.g. "
                            "apt-get install libpango-1.0-0).")) from None
    return HTML(string=html, base_url=str(BUILTIN_DIR)).write_pdf()


class _TextWriter(HTMLParser):
    """Plain text from a letter's HTML, for pasting into SRIKANDI: block elements on their own lines."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "table", "ol", "ul", "hr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.counters: list[int] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "head"):
            self.skip += 1
        elif tag in ("ol", "ul"):
            self.counters.append(0 if tag == "ol" else -1)
        elif tag == "li":
            self.parts.append("\n")
            if self.counters and self.counters[-1] >= 0:
                self.counters[-1] += 1
                self.parts.append(f"{self.counters[-1]}. ")
            else:
                self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"):
            self.skip -= 1
        elif tag in ("ol", "ul") and self.counters:
            self.counters.pop()
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(self.parts).splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def html_to_text(html: str) -> str:
    writer = _TextWriter()
    writer.feed(html)
    return writer.text()


def render(env, name: str, context: dict, fmt: str) -> bytes:
    """The letter in ``fmt`` (html, txt or pdf) as bytes."""
    html = render_html(env, name, context)
    if fmt == "pdf":
        return render_pdf(html)
    return (html_to_text(html) if fmt == "txt" else html).encode("utf-8")


# --- the sample case: previews, lint and the documented context ------------------------------------------------

def sample_facts() -> dict:
    """A realistic case (Kota Padang and Hildesheim, signed and implementing) to render any template against."""
    row = SimpleNamespace
    region = row(name="Kota Padang", level="kota", province="Sumatera Barat", head_title="Wali Kota")
    case = row(ref="KS-2023-0001", title="Sister city Padang - Hildesheim", kind="ksdpl", state="in_force",
               opened_on=date(2023, 1, 16), fields=["culture", "education"])
    partner = row(name="Hildesheim", country="DE", partner_type="city")
    steps = [("case_opened", "2023-01-16", None), ("exploration_started", "2023-02-06", None),
             ("consultation_sent", "2023-03-06", "000.3/112/Kerja Sama"), ("consultation_cleared", "2023-04-05", None),
             ("loi_signed", "2023-06-12", None), ("plan_started", "2023-07-03", None),
             ("dprd_request_received", "2024-04-05", "000.3/87/Kerja Sama"),
             ("dprd_approved", "2024-06-13", "Keputusan DPRD Nomor 12 Tahun 2024"),
             ("plan_submitted_to_kemendagri", "2024-06-20", "000.3/140/Kerja Sama"),
             ("kemendagri_cleared_for_drafting", "2024-08-15", "100.4.5/4521/SJ"),
             ("draft_submitted_to_kemendagri", "2024-09-02", "000.3/171/Kerja Sama"),
             ("draft_approved", "2024-11-14", None), ("confirmation_received", "2025-03-10", "B-00231/OT/03/2025/60"),
             ("full_powers_requested", "2025-03-17", "000.3/52/Kerja Sama"),
             ("full_powers_issued", "2025-04-21", "Surat Kuasa 077/2025"),
             ("agreement_signed", "2025-05-08", None), ("action_plan_adopted", "2025-07-14", None),
             ("action_plan_budgeted", "2025-12-01", None)]
    history = [row(name=n, occurred_on=date.fromisoformat(d), doc_number=doc, note=None,
                   data={"term_years": 5} if n == "agreement_signed" else {}) for n, d, doc in steps]
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
    from dataclasses import replace

    letters = config.letters
    filled = {k: v for k, v in SAMPLE_LETTERS.items() if not getattr(letters, k)}
    return replace(config, letters=replace(letters, **filled))


def sample_context(config: Config, info: TemplateInfo, options: dict | None = None, on: date | None = None) -> dict:
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
