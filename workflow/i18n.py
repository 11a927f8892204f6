"""The one translation function every message an officer reads goes through.

Messages are written in English in the code and looked up in a gettext catalogue
(``workflow/locale/<lang>/LC_MESSAGES/kerjasama.mo``) at the moment they are shown,
so the language can be chosen after import (``--lang``, region setting, locale).
Without a catalogue the English text is shown.
"""
from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kerjasama"

_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(language: str | None) -> None:
    """Use the catalogue of ``language`` (e.g. ``"id"``); ``None`` or ``"en"`` means English.

    :param language: a language code; an unknown one falls back to English.
    """
    global _translation
    if not language or language == "en":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet (labels in tables)."""
    return message
