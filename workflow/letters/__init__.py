"""Letters and proposals from Jinja templates, and the register of the letters a region issues.

- sandbox: the sandboxed, strict environment, the template names and their front matter (TemplateInfo)
- header: the front matter's schema, checked whenever a template is described
- filters: the Indonesian date, money and number filters templates use, strict about what they are given
- facts: the events and deadlines a letter sees, dates as precise as they are known, an imported row's facts
- context: the one documented context of a letter, and the letter number
- rendering: HTML, PDF through WeasyPrint, plain text for SRIKANDI; images that are missing
- samples: the sample cases for previews, ``letter vars`` and lint
- register: drafts, issuing under a number, voiding, the issued letters and producing them again

The register's functions are imported on first use: they need the database and the engine, which the commands that
only read templates (letter templates, vars, preview, lint) would otherwise load for nothing.
"""
from importlib import import_module

from workflow.letters.context import build_context, letter_number
from workflow.letters.filters import FILTERS, date_en, hari_tanggal, roman, rupiah, tanggal, terbilang, words
from workflow.letters.rendering import html_to_text, render, render_html, render_pdf
from workflow.letters.samples import (SAMPLE_LETTERS, describe_context, lint, sample_config, sample_context,
                                      sample_facts)
from workflow.letters.sandbox import (BUILTIN_DIR, LetterError, TemplateInfo, environment, template_info,
                                      template_names)

__all__ = ["BUILTIN_DIR", "FILTERS", "LetterError", "SAMPLE_LETTERS", "TemplateInfo", "build_context", "date_en",
           "describe_context", "draft", "environment", "hari_tanggal", "html_to_text", "issue", "letter_number",
           "issued_before", "letters_of", "lint", "render", "render_html", "render_pdf", "roman", "rupiah",
           "sample_config", "sample_context", "sample_facts", "stored", "tanggal", "template_info", "template_names",
           "terbilang", "void", "words"]

_REGISTER = ("draft", "issue", "issued_before", "letters_of", "stored", "void")


def __getattr__(name: str):
    """The register's functions, imported on first use (PEP 562)."""
    if name in _REGISTER:
        return getattr(import_module("workflow.letters.register"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
