"""Option and argument types for the words of workflow/vocabulary.py, case refs and countries, with shell completion.

An officer types ``--field budaya`` or ``--field culture``, ``--partner-type kota``, ``--country Jepang`` or
``--country JP``; the command receives the English code. A word that matches nothing is a usage error that offers
the closest names. Pressing TAB completes names in the officer's language, the refs of the database, and, after
``case advance REF``, the events the case allows now (README: "Shell completion").
"""
from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

from workflow.errors import InvalidInput
from workflow.i18n import N_, _

# The placeholder of a vocabulary too long to list in the help (the short ones list their names).
METAVARS = {"field": N_("FIELD"), "country": N_("COUNTRY NAME OR CODE"), "stage": N_("STAGE"), "state": N_("STATE"),
            "event": N_("EVENT"), "deadline": N_("DEADLINE")}


class Term(click.ParamType):
    """A word of one vocabulary, converted to its code."""

    def __init__(self, vocabulary: str):
        self.vocabulary = vocabulary
        self.name = vocabulary

    def convert(self, value, param, ctx):
        from workflow.vocabulary import NotAWord, resolve

        try:
            return resolve(self.vocabulary, value)
        except NotAWord as refused:  # one line and exit 1 like every refusal, naming the option it is about
            if param is not None and param.param_type_name == "option":
                raise InvalidInput(f"{param.opts[0]}: {refused}") from None
            raise InvalidInput(str(refused)) from None

    def get_metavar(self, param, ctx):
        from workflow.vocabulary import codes, name

        words = [name(self.vocabulary, code) for code in codes(self.vocabulary)]
        return f"[{'|'.join(words)}]" if len(words) <= 8 else _(METAVARS.get(self.vocabulary, N_("VALUE")))

    def shell_complete(self, ctx, param, incomplete):
        from workflow.vocabulary import completions

        offered = completions(self.vocabulary, incomplete, self.among(ctx))
        return [CompletionItem(word, help=label) for word, label in offered]

    def among(self, ctx) -> tuple[str, ...] | None:
        """The codes worth offering here; None: all."""
        return None


class NextEvent(Term):
    """An event; completion offers those the case named by the command's REF allows now."""

    def __init__(self):
        super().__init__("event")

    def get_metavar(self, param, ctx):
        return _("EVENT")

    def among(self, ctx):
        ref = ctx.params.get("ref")
        if not ref:
            return None
        try:
            from workflow.cases import show_case

            with _reader(ctx) as app:
                return tuple(e["event"] for e in show_case(app.bureau, ref)["allowed_events"])
        except Exception:  # completion must never print a traceback into the officer's shell
            return None


class CaseRef(click.ParamType):
    """A case reference, as given; completion offers the refs of the database."""

    name = "ref"

    def get_metavar(self, param, ctx):
        return _("REF")

    def convert(self, value, param, ctx):
        return value

    def shell_complete(self, ctx, param, incomplete):
        try:
            from workflow.cases import refs_starting

            with _reader(ctx) as app:
                return [CompletionItem(ref) for ref in refs_starting(app.bureau, incomplete)]
        except Exception:  # no database yet, or one that cannot be read: nothing to offer
            return []


class TemplateName(click.ParamType):
    """A letter template's file name, as given; completion offers the templates, after a REF those for the state
    the case is in."""

    name = "template"

    def get_metavar(self, param, ctx):
        return _("TEMPLATE")

    def convert(self, value, param, ctx):
        return value

    def shell_complete(self, ctx, param, incomplete):
        try:
            from workflow.letters.samples import templates_table

            with _reader(ctx) as app:
                templates = [t for t in templates_table(app.config) if t["name"].startswith(incomplete)]
                state = None
                if ctx.params.get("ref"):  # the database is opened only after a REF
                    from workflow.cases import show_case

                    state = show_case(app.bureau, ctx.params["ref"])["state"]
            for_now = [t for t in templates if state in t["stages"]]
            return [CompletionItem(t["name"], help=t["title"]) for t in (for_now or templates)]
        except Exception:  # no config or database to read: nothing to offer
            return []


class _reader:
    """The database the command line names, opened read-only for completion."""

    def __init__(self, ctx):
        from workflow.commands.shared import DEFAULT_CONFIG, DEFAULT_DB, App

        root = ctx.find_root().params
        self.app = App(root.get("db_url") or str(DEFAULT_DB), Path(root.get("config_path") or DEFAULT_CONFIG))
        self.app.read_only = True

    def __enter__(self):
        return self.app

    def __exit__(self, *exc):
        self.app.close()


REF = CaseRef()
TEMPLATE = TemplateName()
EVENT = NextEvent()
COUNTRY = Term("country")
FIELD = Term("field")
