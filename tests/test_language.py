"""One language at a time, everywhere: every screen, help text, refusal, report, public page, chronology and letter
of a full demo, read in Indonesian, holds no English word of the program's own texts and no Python repr; read in
English, no Indonesian word of the catalogue.

What counts as a word of one language: the words of the catalogue's English messages that its Indonesian
translations never use, and the other way round. What the bureau typed (titles, partners, notes, OPDs) is data, in
whatever language it was typed, and is taken out before the scan; so are command lines quoted in the texts
(``kerjasama case show KS-...``, ``--note``), which stay as they are typed.
"""
from __future__ import annotations

import html
import json
import re
import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cli import cli
from tests.conftest import catalogue_entries
from workflow.commands.catalogue import all_messages

# Words both languages write the same way that the catalogue happens to use in one only.
BOTH = {"anchor", "audit", "auditor", "apbd", "bappeda", "dprd", "email", "ics", "json", "csv", "html", "pdf", "xlsx",
        "kemlu", "kemendagri", "loi", "mou", "opd", "sekda", "smtp", "url", "sha", "iso", "id", "en", "kerjasama",
        "ksdpl", "ksdll", "wib", "wita", "wit", "postgresql", "sqlite", "login", "tls", "ref", "ok", "menu",
        "poa", "moa", "pks", "demo", "file", "status", "total", "data", "format", "template", "sister", "city",
        "provinsi", "kabupaten", "kota",  # the levels of an Indonesian region are Indonesian words in English too
        "intent",  # "Letter of Intent", as Indonesian documents name the LoI too
        "regional"}
REPR = re.compile(r"\['[^']*'(, '[^']*')*\]|\{'[^']*': |\bNone\b|\bTrue\b|\bFalse\b|<[\w.]+ object at 0x|"
                  r"datetime\.date\(|Decimal\(")
COMMAND_LINE = re.compile(r"kerjasama(?:\s+(?:[\w.-]+|\"[^\"]*\"))+|--[\w-]+(?:=\S+)?|\bKS-\d{4}-\d{4}\b|https?://\S+|"
                          r"\S+@\S+|[\w/.-]+\.(?:db|toml|csv|json|xlsx|ics|html|pdf|txt)\b|(?<![\w/])/[\w./-]+|"
                          r"\{[^{}]*\}|\b[0-9a-f]*[0-9][0-9a-f]*\b")  # last: hashes and anchors, whose hex is no word


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", COMMAND_LINE.sub(" ", text))}


@pytest.fixture(scope="module")
def vocabularies():
    return foreign_words()


def foreign_words() -> tuple[set[str], set[str]]:
    """(words only the English messages use, words only the Indonesian translations use)."""
    english, indonesian = set(), set()
    for message, translation in catalogue_entries().items():
        for text in (message if isinstance(message, tuple) else (message,)):
            english |= words(text)
        for text in (translation if isinstance(translation, tuple) else (translation,)):
            indonesian |= words(text)
    assert all_messages()  # the catalogue is the program's: test_i18n checks it is complete and current
    return english - indonesian - BOTH, indonesian - english - BOTH


def typed_by_the_bureau(db_path: Path) -> list[str]:
    """The texts of the demo database that people typed, longest first (so a long one goes before its parts)."""
    found: set[str] = set()
    with sqlite3.connect(db_path) as db:
        for table, column in (("cases", "title"), ("partner", "name"), ("events", "note"), ("events", "doc_number"),
                              ("events", "actor"), ("region", "name"), ("region", "province"),
                              ("cases", "level_justification")):
            found |= {v for (v,) in db.execute(f"SELECT {column} FROM {table}") if v}
        for (data,) in db.execute("SELECT data FROM events"):
            for key, value in json.loads(data).items():
                if key in ("title", "lead_opd", "partner_unit", "output", "indicator", "outputs", "indicators",
                           "problems", "owner", "on_behalf_of", "partner", "hal", "source", "name") \
                        and isinstance(value, str):
                    found.add(value)
    return sorted(found, key=len, reverse=True)


def without(text: str, typed: list[str]) -> str:
    """``text`` without markup, without what people typed, and without the names of commands that help lists."""
    text = html.unescape(re.sub(r"<style.*?</style>|<script.*?</script>|<[^>]+>", " ", text, flags=re.S))
    text = re.sub(r"^  [a-z]+(?=  )", " ", text, flags=re.M)
    for value in typed:
        text = text.replace(value, " ")
    return text


def everything_shown(tmp_path: Path, language: str) -> dict[str, str]:
    """What an officer sees of a full demo in ``language``: each screen, page and document by what made it."""
    db = tmp_path / f"demo-{language}.db"
    config = tmp_path / "config.toml"
    config.write_text('[letters]\nhead_name = "Fadly Amran, B.B.A."\nsekda_name = "Andree H. Algamar"\n'
                      'bureau_head_name = "Rudy Rinaldy"\nbureau_head_rank = "Pembina"\n'
                      'bureau_head_nip = "197001012000031001"\ncity = "Padang"\n', encoding="utf-8")
    shown: dict[str, str] = {}

    def run(*args: str) -> None:
        result = CliRunner().invoke(cli, ["--lang", language, "--db", str(db), "--config", str(config), *args],
                                    prog_name="kerjasama")
        text = result.output + (result.stderr if result.stderr_bytes is not None else "")
        shown[" ".join(args)] = text.replace(str(tmp_path), "")  # the test's folder is no word of the interface

    run("demo", "--demo-db", str(db))
    ref = "KS-2023-0001"
    for args in (("case", "show", ref), ("case", "history", ref), ("case", "list"), ("cari", "hildesheim"),
                 ("deadlines",), ("board",), ("register",), ("case", "owners"), ("procedure",),
                 ("procedure", "--fields"), ("action", "list", ref), ("audit", "verify"), ("letter", "list"),
                 ("letter", "templates"), ("report",), ("case", "chronology", ref),
                 ("remind", "--now", "2026-01-05T08:00:00+07:00"),
                 ("init", "--dormancy-months", "18", "--council-silence", "escalate", "--loi-lapse"),
                 ("doc", "kinds"), ("doc", "list"), ("trip", "purposes"), ("trip", "list"),
                 ("case", "open", "--title", "x", "--partner", "y", "--country", "Jepan", "--partner-type", "city",
                  "--field", "culture"),
                 ("case", "advance", ref, "teleport"), ("case", "advance", ref, "term_expired"),
                 ("case", "show", "KS-2099-0001"), ("case", "open", "--title", "x"),
                 ("case", "advance", ref, "activity_recorded", "--on", "31 Juni 2026")):
        run(*args)
    for template in ("d17_signing_report", "d18_annual_report", "d21_budget_reminder", "d22_evaluation_report",
                     "d24_extension_request"):  # the Indonesian letters of an agreement in force (d25 is bilingual)
        run("letter", "render", ref, f"{template}.html", "--format", "txt")
    site = tmp_path / f"site-{language}"
    run("publish", str(site))
    for page in sorted(site.rglob("*.html")):
        shown[f"publish {page.name}"] = page.read_text(encoding="utf-8")
    for command in every_command():
        run(*command, "--help")
    return shown, typed_by_the_bureau(db)


def every_command(group=cli, path=()) -> list[tuple[str, ...]]:
    found = [path]
    for name in group.list_commands(click.Context(group)) if isinstance(group, click.Group) else []:
        found += every_command(group.get_command(click.Context(group), name), path + (name,))
    return found


def findings(shown: dict[str, str], typed: list[str], foreign: set[str]) -> list[str]:
    found = []
    for where, text in shown.items():
        clean = without(text, typed)
        strange = sorted(words(clean) & foreign)
        reprs = [m.group(0) for m in REPR.finditer(clean)]
        if strange or reprs:
            found.append(f"{where}: {', '.join(strange + reprs)}")
    return found


def test_the_indonesian_interface_holds_no_english_and_no_repr(tmp_path, vocabularies):
    english, _indonesian = vocabularies
    shown, typed = everything_shown(tmp_path, "id")
    assert findings(shown, typed, english) == []


def test_the_english_interface_holds_no_indonesian_of_the_programs_own(tmp_path, vocabularies):
    _english, indonesian = vocabularies
    shown, typed = everything_shown(tmp_path, "en")
    letters_and_pages = {k: v for k, v in shown.items() if not k.startswith("letter")}
    assert findings(letters_and_pages, typed, indonesian) == []
