"""The Indonesian interface: a complete, current catalogue, and the language chosen as officers expect."""
from __future__ import annotations

import re

import pytest
from babel.messages.mofile import read_mo

from workflow.commands.catalogue import all_messages
from workflow.i18n import catalogue_path, choose_language

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def translated(text) -> bool:
    """A translation is there: a message's text, or every form of a plural one (click's, as a tuple)."""
    return all(text) if isinstance(text, tuple) else bool(text)


def placeholders(text) -> set[str]:
    return set(PLACEHOLDER.findall(" ".join(text) if isinstance(text, tuple) else text))


def test_every_message_has_an_indonesian_translation(catalogue):
    missing = sorted((m for m in all_messages() if not translated(catalogue.get(m))), key=str)
    assert missing == [], f"{len(missing)} without translation; run python -m workflow.commands.catalogue update"


def test_no_catalogue_entry_is_unused(catalogue):
    assert sorted(set(catalogue) - all_messages(), key=str) == []


def test_translations_keep_their_placeholders(catalogue):
    """Each form of a plural message's translation may use the placeholders of either English form."""
    assert [m for m, t in catalogue.items() if translated(t) and (
        placeholders(t) - placeholders(m) if isinstance(m, tuple) else placeholders(t) != placeholders(m))] == []


def as_key(text):
    """A plural message of the .mo as the .po gives it: a tuple (Babel reads it as a list)."""
    return tuple(text) if isinstance(text, list) else text


def test_the_compiled_catalogue_is_current(catalogue):
    """The shipped .mo holds every translation of the .po; compared as messages, not bytes (Babel writes its own
    version into the file's header)."""
    with catalogue_path("id").with_suffix(".mo").open("rb") as f:
        shipped = {as_key(m.id): as_key(m.string) for m in read_mo(f) if m.id}
    assert shipped == {m: t for m, t in catalogue.items() if translated(t)}


@pytest.mark.parametrize("flag,env,configured,expected", [
    ("en", {"LANG": "id_ID.UTF-8"}, "id", "en"),
    (None, {"KERJASAMA_LANG": "en", "LANG": "id_ID.UTF-8"}, "id", "en"),
    (None, {"LANG": "en_US.UTF-8"}, "id", "id"),
    (None, {"LANG": "en_US.UTF-8"}, None, "en"),
    (None, {"LANG": "id_ID.UTF-8"}, None, "id"),
    (None, {"LANG": "C.UTF-8"}, None, "id"),  # a new region speaks Indonesian
    (None, {}, None, "id"),
])
def test_the_language_comes_from_flag_env_config_locale_then_indonesian(flag, env, configured, expected):
    assert choose_language(flag, configured, env) == expected
