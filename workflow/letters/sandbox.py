"""The letter templates: the sandboxed, strict Jinja environment that loads them, and what their front matter says.

Each document template in templates/letters/ starts with a TOML comment that describes it::

    {#
    document = "D09"                      # the document's number (the list in docs/templates.md)
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
    obligations = ["jwg_meeting 12"]      # an agreement's text: the duties it sets, KIND MONTHS (kerjasama obligation)
    [options]                             # values the officer may set with --set NAME=VALUE, and defaults
    [help]                                # what each option means
    #}

Files whose name starts with "_" are layouts and macros, not documents. workflow/letters/header.py checks the front
matter against its schema.
"""
from __future__ import annotations

import re
import tomllib
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

import templates as builtin_templates
from workflow.errors import KerjasamaError
from workflow.i18n import _
from workflow.letters.filters import FILTERS
from workflow.letters.header import header_problems

BUILTIN_DIR = Path(builtin_templates.__file__).parent / "letters"
FRONT_MATTER = re.compile(r"\A\s*\{#(.*?)#\}", re.DOTALL)


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
    attachments: tuple[str, ...] = ()  # what the letter encloses; the Lampiran line counts them
    hal: str = ""
    to: tuple[str, ...] = ()
    di: str = "Tempat"
    tembusan: tuple[str, ...] = ()
    obligations: tuple[str, ...] = ()  # an agreement's text: the duties its clauses set, "KIND MONTHS" each
    options: dict = field(default_factory=dict)
    help: dict = field(default_factory=dict)


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

    :raises LetterError: no such template, or its front matter is not valid TOML or breaks the schema (every problem,
        one per line).
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
    problems = header_problems(raw, source, path)
    if problems:
        raise LetterError("\n".join(problems))
    return TemplateInfo(name=name, path=path, **{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})


def error_line(err: Exception, name: str) -> str:
    """``file:line: what is wrong`` for an error raised while rendering a template: the innermost template frame of
    its traceback (Jinja puts the template's file and line there), or ``name`` when no template frame is in it."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(".html")]
    where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return f"{where}: {message if isinstance(err, TemplateError) else f'{type(err).__name__}: {message}'}"
