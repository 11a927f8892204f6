"""What every input path accepts: text without control or text-direction characters, and case refs of one pattern.

Text reaches terminals, letters, spreadsheets and web pages: an ESC sequence rewrites an officer's terminal, a
right-to-left override makes a partner's name read backwards in a letter. A ref becomes a file name and a link on
the public site, so it is letters, digits, and ``-`` or ``.`` between them (``KS-2026-0007``), nothing else.
"""
from __future__ import annotations

import re

from workflow.errors import InvalidInput
from workflow.i18n import _

# NUL and the other C0 controls but tab and line breaks, DEL, and the bidirectional embeddings, overrides and isolates.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
REF = re.compile(r"[A-Z0-9]+(?:[-.][A-Z0-9]+)*")
REF_LENGTH = 40
NAME_LENGTH = 80  # of an officer's name


def check_text(value: str | None, what: str) -> None:
    """Refuse ``value`` (the option or column ``what``) when it holds a character no input may hold."""
    if value and UNSAFE.search(value):
        raise InvalidInput(_("{what} holds a control or text-direction character; type it again without it.")
                           .format(what=what))


def valid_ref(ref: str) -> bool:
    return len(ref) <= REF_LENGTH and REF.fullmatch(ref) is not None


def check_ref(ref: str) -> str:
    """``ref`` in capitals, or a refusal that says what a ref may hold."""
    ref = ref.strip().upper()
    if not valid_ref(ref):
        raise InvalidInput(_("{ref} is not a case reference: letters and digits, with - or . between them, at most "
                             "{n} characters (KS-2026-0007).").format(ref=ref[:60], n=REF_LENGTH))
    return ref


def officer_name(name: str | None, what: str) -> str:
    """``name`` as the name of an officer who is to carry cases, its spaces tidied.

    :raises InvalidInput: not a plain name: letters, digits, spaces and . _ - only, at most 80 characters.
    """
    check_text(name, what)
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_LENGTH or not all(c.isalnum() or c in " ._-" for c in name):
        raise InvalidInput(_("{what} \"{name}\" is not an officer's name: letters, digits, spaces and . _ - only, at "
                             "most {n} characters.").format(what=what, name=name[:60], n=NAME_LENGTH))
    return name
