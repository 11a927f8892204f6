"""The front matter of a letter template checked against its schema: every key known, each value of its type, and
the keys with a closed list of values (stages, languages, kop, signer) holding one of them.

A wrong header would otherwise pass silently: ``signer = "kabag"`` fell back to the bureau head's signature and
``stages = ["in_forc"]`` made the letter one no case could ever be in. Each problem names the file, the line of the
key, the key and what is allowed.
"""
from __future__ import annotations

import re

from workflow.i18n import _

SIGNERS = ("head", "sekda", "bureau_head")
KOPS = ("head", "government", "none")
LANGUAGES = ("id", "en")
TEXT_KEYS = ("document", "title", "register", "classification", "sifat", "lampiran", "hal", "di")
LIST_KEYS = ("stages", "languages", "to", "tembusan", "attachments", "obligations")
TABLE_KEYS = ("options", "help")
CHOICES = {"kop": KOPS, "signer": SIGNERS}
KEYS = (*TEXT_KEYS, "kop", "signer", *LIST_KEYS, *TABLE_KEYS)


def header_problems(raw: dict, source: str, path: str) -> list[str]:
    """Every problem of the parsed front matter ``raw`` of the template at ``path``, as ``path:line: problem``."""
    from workflow.procedure import STATE_BY_NAME  # the procedure table, read only when a template is described

    allowed_lists = {"stages": tuple(STATE_BY_NAME), "languages": LANGUAGES}
    problems = []

    def problem(key: str, message: str) -> None:
        problems.append(f"{path}:{_line_of(source, key)}: {message}")

    for key, value in raw.items():
        if key not in KEYS:
            problem(key, _("{key} is not a key of a template's front matter; the keys are {keys}").format(
                key=key, keys=", ".join(KEYS)))
        elif key in TEXT_KEYS + tuple(CHOICES) and not isinstance(value, str):
            problem(key, _("{key} must be text in quotes").format(key=key))
        elif key in CHOICES and value not in CHOICES[key]:
            problem(key, _("{key} = {value!r} is not allowed; use one of {allowed}").format(
                key=key, value=value, allowed=", ".join(CHOICES[key])))
        elif key in LIST_KEYS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            problem(key, _("{key} must be a list of texts, such as [\"a\", \"b\"]").format(key=key))
        elif key in allowed_lists:
            for wrong in [v for v in value if v not in allowed_lists[key]]:
                problem(key, _("{key}: {value!r} is not allowed; use one of {allowed}").format(
                    key=key, value=wrong, allowed=", ".join(allowed_lists[key])))
        elif key in TABLE_KEYS and not isinstance(value, dict):
            problem(key, _("[{key}] must be a table").format(key=key))
    options, help_ = raw.get("options", {}), raw.get("help", {})
    if isinstance(options, dict):
        for name, value in options.items():
            if isinstance(value, (dict, list)):
                problem(name, _("[options] {name} must be text, a number or true/false; --set gives one value")
                        .format(name=name))
    if isinstance(options, dict) and isinstance(help_, dict):
        for name in [name for name in help_ if name not in options]:
            problem(name, _("[help] {name} explains no option; the options are {options}").format(
                name=name, options=", ".join(options) or _("(none)")))
    if raw.get("attachments") and raw.get("lampiran"):
        problem("lampiran", _("lampiran is counted from attachments; give one of the two"))
    return problems


def _line_of(source: str, key: str) -> int:
    """The line of the template where the front matter sets ``key`` (1, the comment's first line, if not found)."""
    found = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", source, re.MULTILINE)
    return source.count("\n", 0, found.start()) + 1 if found else 1
