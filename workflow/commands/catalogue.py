"""The Indonesian catalogue kept in step with the code: every ``_()`` literal and every help text of the command
tree, gathered into the .po file and compiled into the .mo file the program reads.

    python -m workflow.commands.catalogue update    # add new messages to the .po file, drop unused ones
    python -m workflow.commands.catalogue compile   # write the .mo file the program reads

It lives with the commands because it reads their help texts; the program itself never imports it.
"""
from __future__ import annotations

import ast
import io
import sys
from pathlib import Path

import click

from workflow.i18n import DOMAIN, catalogue_path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("cli.py", "workflow", "db")


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


def click_messages() -> set:
    """click's own texts (usage lines, errors, prompts), which it looks up through gettext like ours: its singular
    messages, and its plural ones as (singular, plural) pairs. They follow the click of requirements.lock."""
    found: set = set()
    for file in sorted(Path(click.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and texts:
                found.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) == 2:
                found.add(tuple(texts))
    found.add("required")  # click marks required options with _(extra["required"]), a text set elsewhere
    return found


def template_messages() -> set[str]:
    """The texts the report templates (templates/reports/) pass to ``_()``, found by Jinja's own extractor."""
    from jinja2.ext import babel_extract

    found: set[str] = set()
    for file in sorted((ROOT / "templates" / "reports").glob("*.html")):
        with file.open("rb") as f:
            for _line, _function, message, _comments in babel_extract(f, ("_", "gettext", "ngettext"), [], {}):
                if isinstance(message, str):  # a text given by a variable has none to translate
                    found.add(message)
    return found


def basis_messages() -> set[str]:
    """The parts of the procedure table's and the fields' legal-basis notes, which :func:`workflow.i18n.basis`
    translates one by one (a part that only cites an article translates to itself)."""
    from workflow import eligibility, procedure
    from workflow.i18n import basis_parts

    notes = {item.basis for table in (procedure.STAGES, procedure.STATES, procedure.EVENTS, procedure.GUARDS,
                                      procedure.DEADLINE_RULES, (procedure.CASE_OPENED, procedure.IMPORTED,
                                                                 procedure.CORRECTED)) for item in table}
    notes |= {field.basis for field in eligibility.fields().values()}
    return {words for note in notes for words, _tag in basis_parts(note) if words}


def command_messages(group: click.Command) -> set[str]:
    """The help texts of a click command tree, its lazily loaded commands included: commands and their options."""
    found: set[str] = set()
    for item in _commands(group):
        for thing in [item] + list(item.params):
            for attribute in ("help", "short_help", "metavar", "options_metavar", "subcommand_metavar"):
                text = thing.__dict__.get(f"_english_{attribute}", getattr(thing, attribute, None))
                if isinstance(text, str) and text:
                    found.add(text)
    return found


def _commands(command: click.Command):
    yield command
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            yield from _commands(command.get_command(context, name))


def all_messages() -> set[str]:
    from cli import cli

    return code_messages() | command_messages(cli) | click_messages() | template_messages() | basis_messages()


def update(language: str = "id") -> tuple[int, int]:
    """Add new messages to the catalogue and drop unused ones; returns (added, dropped)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = catalogue_path(language)
    old = read_po(path.open("rb")) if path.exists() else Catalog(locale=language)
    wanted = all_messages()
    catalog = Catalog(locale=language, domain=DOMAIN, project="kerjasama")
    for message in sorted(wanted, key=str):
        previous = old.get(message)
        catalog.add(message, previous.string if previous else ("",) * (isinstance(message, tuple)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False)
    known = {m.id for m in old if m.id}
    return len(wanted - known), len(known - wanted)


def compile_catalogue(language: str = "id") -> Path:
    """Write the .mo file of ``language`` from its .po file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as f:
        catalog = read_po(f)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    path = catalogue_path(language).with_suffix(".mo")
    path.write_bytes(out.getvalue())
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if sys.argv[1:] == ["update"]:
        added, dropped = update()
        print(f"{catalogue_path()}: {added} new, {dropped} dropped")
    elif sys.argv[1:] == ["compile"]:
        print(compile_catalogue())
    else:
        sys.exit("usage: python -m workflow.commands.catalogue update|compile")
