"""The one translation function every message an officer reads goes through, and its catalogue.

Messages are written in English in the code and looked up in a gettext catalogue
(``workflow/locale/id/LC_MESSAGES/kerjasama.mo``) when they are shown, so the language can be chosen
after import. The language comes from ``--lang``, then ``KERJASAMA_LANG``, then ``language`` in the
config file, then the locale (``LANG``); with none of them it is Indonesian, the officers' language.

For developers::

    python -m workflow.i18n update    # add new messages to the .po file, drop the ones no longer used
    python -m workflow.i18n compile   # write the .mo file the program reads
"""
from __future__ import annotations

import ast
import gettext
import os
import sys
from datetime import date
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kerjasama"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("cli.py", "workflow", "db")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str | None) -> None:
    """Use the catalogue of ``language`` (``"id"`` or ``"en"``); anything else means English."""
    global _translation, _language
    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def current_language() -> str:
    return _language


def choose_language(flag: str | None, configured: str | None = None, environ=os.environ) -> str:
    """The language to speak: the flag, ``KERJASAMA_LANG``, the config, the locale, else Indonesian."""
    for candidate in (flag, environ.get("KERJASAMA_LANG"), configured):
        if candidate in LANGUAGES:
            return candidate
    locale = environ.get("LC_ALL") or environ.get("LC_MESSAGES") or environ.get("LANG") or ""
    code = locale.split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (labels in tables)."""
    return message


def day(value: date | str | None, weekday: bool = False) -> str:
    """A date as an officer reads it: ``Senin, 5 Januari 2026`` in Indonesian, ISO ``2026-01-05`` in English."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if _language == "en":
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, "EEEE, d MMMM y" if weekday else "d MMMM y", locale=_language)


# --- the catalogue ------------------------------------------------------------------------------------------------

def code_messages() -> set[str]:
    """Every literal passed to ``_()`` or ``N_()`` in the program's source."""
    found: set[str] = set()
    for source in SOURCES:
        path = ROOT / source
        for file in ([path] if path.is_file() else sorted(path.rglob("*.py"))):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                        and node.args and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)):
                    found.add(node.args[0].value)
    return found


def command_messages(group) -> set[str]:
    """The help texts of a click command tree: commands and their options."""
    found: set[str] = set()
    for item in [group] + list(_walk(group)):
        for thing in [item] + list(item.params):
            for attribute in ("help", "short_help"):
                text = thing.__dict__.get(f"_english_{attribute}", getattr(thing, attribute, None))
                if text:
                    found.add(text)
    return found


def _walk(group):
    for command in getattr(group, "commands", {}).values():
        yield command
        yield from _walk(command)


def translate_commands(group) -> None:
    """Put the help texts of the command tree into the current language, from the English kept aside."""
    for item in [group] + list(_walk(group)):
        for thing in [item] + list(item.params):
            for attribute in ("help", "short_help"):
                english = thing.__dict__.setdefault(f"_english_{attribute}", getattr(thing, attribute, None))
                if english:
                    setattr(thing, attribute, _(english))


def catalogue_path(language: str = "id") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def all_messages() -> set[str]:
    from cli import cli  # the command tree; imported here so the program itself never imports it twice

    return code_messages() | command_messages(cli)


def update(language: str = "id") -> tuple[int, int]:
    """Add new messages to the catalogue and drop unused ones; returns (added, dropped)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = catalogue_path(language)
    old = read_po(path.open("rb")) if path.exists() else Catalog(locale=language)
    wanted = all_messages()
    catalog = Catalog(locale=language, domain=DOMAIN, project="kerjasama")
    for message in sorted(wanted):
        previous = old.get(message)
        catalog.add(message, previous.string if previous else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    known = {m.id for m in old if m.id}
    return len(wanted - known), len(known - wanted)


def compiled(language: str = "id") -> bytes:
    """The .mo file the .po file compiles to."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_catalogue(language: str = "id") -> Path:
    path = catalogue_path(language).with_suffix(".mo")
    path.write_bytes(compiled(language))
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["update"]:
        added, dropped = update()
        print(f"{catalogue_path()}: {added} new, {dropped} dropped")
    elif sys.argv[1:] == ["compile"]:
        print(compile_catalogue())
    else:
        sys.exit("usage: python -m workflow.i18n update|compile")
