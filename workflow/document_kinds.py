"""The kinds of document the archive keeps (workflow/data/document_kinds.csv): the events each proves, its archive
code (Permendagri 83/2022) and its retention (JRA), with "[OPEN]" where no source settles a value."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workflow.errors import InvalidInput
from workflow.i18n import _, current_language
from workflow.vocabulary import NotAWord, name, resolve, suggestions

KINDS_FILE = Path(__file__).parent / "data" / "document_kinds.csv"
OPEN = "[OPEN]"  # a value of document_kinds.csv no source settles


@dataclass(frozen=True)
class Kind:
    """A kind of document (a row of document_kinds.csv); retention values are text, "[OPEN]" where unsettled."""

    code: str
    name_id: str
    name_en: str
    proves: tuple[str, ...]
    classification: str
    active_years: str
    active_from: str  # "creation" or "agreement_end"
    inactive_years: str
    final: str  # "permanent" or "destroy"
    basis: str

    def title(self) -> str:
        """Its full name in the language spoken."""
        return self.name_id if current_language() == "id" else self.name_en


@cache
def kinds() -> dict[str, Kind]:
    """The kinds of document by code, in the file's order."""
    with open(KINDS_FILE, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["code"]: Kind(**row | {"proves": tuple(e for e in row["proves"].split("|") if e)}) for row in rows}


def kinds_table() -> list[dict]:
    """The kinds with their archive code and retention, for ``kerjasama doc kinds``."""
    return [{"kind": k.code, "name": k.title(), "proves": list(k.proves), "classification": k.classification,
             "active_years": k.active_years, "active_from": k.active_from, "inactive_years": k.inactive_years,
             "final": k.final, "basis": k.basis} for k in kinds().values()]


def kind_code(text: str) -> str:
    """The kind ``text`` names: its code or its Indonesian name.

    :raises InvalidInput: it names none; the message offers the closest names, or all of them.
    """
    try:
        return resolve("document_kind", text)
    except NotAWord:
        pass
    close = suggestions("document_kind", text)
    message = (_("--kind {text} is not a kind of document; did you mean {words}?") if close else
               _("--kind {text} is not a kind of document; the kinds are {words}."))
    raise InvalidInput(message.format(text=text.strip()[:60], words=", ".join(
        close or [name("document_kind", code) for code in kinds()])))
