"""The one translation function every message an officer reads goes through, and its catalogue.

Messages are written in English in the code and looked up in a gettext catalogue
(``workflow/locale/id/LC_MESSAGES/kerjasama.mo``) when they are shown, so the language can be chosen
after import. The language comes from ``--lang``, then ``KERJASAMA_LANG``, then ``language`` in the
config file, then the locale (``LANG``); with none of them it is Indonesian, the officers' language.

For developers, workflow/commands/catalogue.py keeps the catalogue in step with the code::

    python -m workflow.commands.catalogue update    # add new messages to the .po file, drop unused ones
    python -m workflow.commands.catalogue compile   # write the .mo file the program reads
"""
from __future__ import annotations

import gettext
import os
import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kerjasama"
LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_chosen: str | None = None  # the language the user chose (flag, KERJASAMA_LANG, config), not guessed from the locale


def set_language(language: str | None, chosen: bool = False) -> None:
    """Use the catalogue of ``language`` (``"id"`` or ``"en"``); anything else means English.

    :param chosen: the user chose it; a region's own language (reminders) gives way only to a choice, not to the
        locale of the server the job runs on.
    """
    global _translation, _language, _chosen
    _language = language if language in LANGUAGES else "en"
    _chosen = _language if chosen else None
    _speak_through_gettext(_language)
    if _language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language], fallback=True)


def _speak_through_gettext(language: str) -> None:
    """Give click's own texts ("Usage:", "Error:", "Missing option", "Show this message and exit.") the same
    language: click looks them up with the gettext module's functions, in the global text domain, in the language
    that ``LANGUAGE`` names; our catalogue holds them too (workflow/commands/catalogue.py gathers them)."""
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = language


def current_language() -> str:
    return _language


@contextmanager
def speaking(region_language: str | None):
    """Speak the region's language in the block (what the reminder job writes to its officers), unless the user
    chose one; then back."""
    before, chosen = _language, _chosen
    set_language(chosen or region_language or before, chosen=bool(chosen))
    try:
        yield
    finally:
        set_language(before, chosen=bool(chosen))


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


def _month(value: str) -> str:
    from babel.dates import format_date

    return format_date(date.fromisoformat(value + "-01"), "MMMM y", locale=_language)


# How sure the procedure table is of a rule (workflow/procedure.py): read in the law, cited, practice, the team's
# sources, still open.
BASIS_TAGS = {"[LAW]": "[HUKUM]", "[LAW*]": "[HUKUM*]", "[PRACTICE]": "[PRAKTIK]", "[TEAM]": "[TIM]",
              "[OPEN]": "[TERBUKA]"}
_TAGGED = re.compile(r"^(.*?)\s*(\[(?:LAW\*?|PRACTICE|TEAM|OPEN)\])?$")


def basis_parts(text: str) -> list[tuple[str, str | None]]:
    """The parts of a legal-basis note (separated by ``; ``), each as (its text, its tag or None)."""
    return [tuple(_TAGGED.match(part).groups()) for part in text.split("; ")]


def basis(text: str) -> str:
    """A legal-basis note in the current language: ``PP 28/2018 Pasal 30 ayat (4) [LAW]; counted from the first
    working day after receipt`` reads ``... [HUKUM]; dihitung sejak hari kerja pertama setelah diterima``. The
    citations stay as they are; each part's words go through the catalogue, and its tag too."""
    if _language == "en" or not text:
        return text
    return "; ".join(" ".join(filter(None, (words and _(words), tag and BASIS_TAGS[tag])))
                     for words, tag in basis_parts(text))


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (labels in tables)."""
    return message


def day(value: date | str | None, weekday: bool = False) -> str:
    """A date as an officer reads it: ``Senin, 5 Januari 2026`` in Indonesian, ISO ``2026-01-05`` in English."""
    if not value:
        return "-"
    if isinstance(value, str) and len(value) < 10:  # known only to the month or the year
        return value if _language == "en" or len(value) == 4 else _month(value)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if _language == "en":
        return value.isoformat()
    from babel.dates import format_date

    return format_date(value, "EEEE, d MMMM y" if weekday else "d MMMM y", locale=_language)


def _walk(group):
    for command in getattr(group, "commands", {}).values():
        yield command
        yield from _walk(command)


# The placeholders click writes in usage lines and help for a value of each type, unless an option names its own.
TYPE_METAVARS = {"text": N_("TEXT"), "integer": N_("INTEGER"), "integer range": N_("INTEGER"), "path": N_("PATH"),
                 "file": N_("FILE"), "DATE": N_("DATE"), "YYYY-MM-DD|YYYY-MM|YYYY": N_("DATE"),
                 "RUPIAH": N_("RUPIAH")}
# The texts of a command's usage line and of each of its parameters, kept aside in English, put in the language.
USAGE_TEXTS = {"options_metavar": "[OPTIONS]", "subcommand_metavar": "COMMAND [ARGS]..."}


def translate_commands(group) -> None:
    """Put the help texts and placeholders of the command tree into the current language, from the English kept
    aside."""
    for item in [group] + list(_walk(group)):
        item._help_option = None  # click builds its --help option once, with its text in the language of then
        for attribute in USAGE_TEXTS:
            english = item.__dict__.setdefault(f"_english_{attribute}", getattr(item, attribute, None))
            if english:
                setattr(item, attribute, _(english))
        for thing in [item] + list(item.params):
            for attribute in ("help", "short_help"):
                english = thing.__dict__.setdefault(f"_english_{attribute}", getattr(thing, attribute, None))
                if english:
                    setattr(thing, attribute, _(english))
        for option in item.params:
            if getattr(option, "param_type_name", "") != "option" or getattr(option, "is_flag", False):
                continue
            english = option.__dict__.setdefault("_english_metavar", option.metavar)
            typed = TYPE_METAVARS.get(option.type.name)
            option.metavar = _(english) if english else _(typed) if typed else None


def catalogue_path(language: str = "id") -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
