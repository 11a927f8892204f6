"""A letter out of its template: HTML with its print stylesheet, PDF through WeasyPrint, plain text for SRIKANDI.

Errors name the template file and line, so an author can find what broke.
"""
from __future__ import annotations

import re
import traceback
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from workflow.i18n import _
from workflow.letters.sandbox import BUILTIN_DIR, LetterError, error_line


def render_html(env: SandboxedEnvironment, name: str, context: dict) -> str:
    """The letter as HTML with its print stylesheet.

    :raises LetterError: naming the template file, the line and what went wrong.
    """
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as err:
        raise LetterError(f"{err.filename or name}:{err.lineno}: {err.message}") from None
    except LetterError:
        raise
    except Exception as err:  # noqa: BLE001 - what a template's own code raised: its file and line, not a traceback
        if not isinstance(err, TemplateError) and not _in_template(err):
            raise
        raise LetterError(error_line(err, name)) from None


def _in_template(err: Exception) -> bool:
    return any(frame.filename.endswith(".html") for frame in traceback.extract_tb(err.__traceback__))


def render_pdf(html: str, env: SandboxedEnvironment | None = None, context: dict | None = None) -> bytes:
    """The letter as PDF through WeasyPrint (the optional extra ``pdf``).

    WeasyPrint fetches only data URLs, files of the template folders (``env``'s) and the region's emblems named in
    the config (``context``): a template cannot embed another file of the machine (``<a rel="attachment">``).
    """
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError):  # OSError: WeasyPrint is installed but cannot load the Pango library
        raise LetterError(_("PDF needs WeasyPrint: pip install 'kerjasama[pdf]' (and the Pango library, e.g. "
                            "apt-get install libpango-1.0-0).")) from None
    folders = [Path(folder).resolve() for loader in getattr(getattr(env, "loader", None), "loaders", [])
               for folder in loader.searchpath] or [BUILTIN_DIR.resolve()]
    region = (context or {}).get("region", {})
    emblems = {Path(region[key]).resolve() for key in ("emblem_national", "emblem_region") if region.get(key)}

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if path not in emblems and not any(path.is_relative_to(folder) for folder in folders):
                    raise ValueError(f"a letter reads only its template folders and emblems, not {url[:80]}")
            return super().fetch(url, headers)

    fetcher = Fetcher(allowed_protocols=("file", "data"))  # never the network either
    return HTML(string=html, base_url=str(BUILTIN_DIR), url_fetcher=fetcher).write_pdf()


def missing_images(html: str, context: dict) -> list[str]:
    """One warning per image of the letter that is not on this machine: a PDF would be printed without it, and a kop
    without the Garuda is a letter nobody may send. The config's emblems are named by their key."""
    region = context.get("region", {})
    keys = {region.get(key): key for key in ("emblem_national", "emblem_region") if region.get(key)}
    warnings = []
    for src in dict.fromkeys(unescape(src) for src in IMAGE.findall(html)):
        if src.startswith(("data:", "http:", "https:")):
            continue
        path = Path(unquote(urlparse(src).path) if src.startswith("file:") else src)
        if not (path if path.is_absolute() else BUILTIN_DIR / path).is_file():
            warnings.append(_("Warning: the image {path} ({key}) does not exist; the letter shows no image there.")
                            .format(path=src, key=f"[letters] {keys[src]}" if src in keys else _("in the template")))
    return warnings


IMAGE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)["']""", re.IGNORECASE)


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
    """The letter's HTML as plain text (see _TextWriter)."""
    writer = _TextWriter()
    writer.feed(html)
    return writer.text()


def render(env, name: str, context: dict, fmt: str, warn=None) -> bytes:
    """The letter in ``fmt`` (html, txt or pdf) as bytes.

    :param warn: called with one line for each image the letter shows that cannot be found (see missing_images).
    """
    html = render_html(env, name, context)
    for line in missing_images(html, context) if warn else ():
        warn(line)
    if fmt == "pdf":
        return render_pdf(html, env, context)
    return (html_to_text(html) if fmt == "txt" else html).encode("utf-8")
