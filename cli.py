"""The ``kerjasama`` command: the root group, its global options, and the one place errors become one line.

Each subcommand lives in a module of workflow/commands/ and is imported only when it runs (or when ``--help``
lists it), so ``kerjasama case show`` loads the case commands and nothing else. Every refusal becomes one line
on stderr and exit code 1; usage errors are click's, exit code 2.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import click

from workflow.commands.shared import DEFAULT_CONFIG, DEFAULT_DB, App
from workflow.i18n import LANGUAGES, _

# Each command of the root group and where it is defined, loaded on first use.
COMMANDS = {
    "init": "setup:init", "procedure": "setup:procedure", "demo": "setup:demo", "admin": "setup:admin",
    "case": "case:case", "cari": "case:find_",  # cari: Indonesian for find, the one an officer types most
    "deadlines": "deadlines:deadlines",
    "remind": "reminders:remind", "scheduler": "reminders:scheduler",
    "action": "plans:action", "evaluate": "plans:evaluate", "board": "plans:board_",
    "register": "agreements:register_", "import": "agreements:import_", "export": "agreements:export_",
    "report": "reports:report_", "publish": "reports:publish_", "audit": "reports:audit",
    "benefit": "reports:benefit_",
    "letter": "letter:letter", "obligation": "obligations:obligation",
    "trip": "trips:trip", "indicator": "indicators:indicator",
    "doc": "documents:doc",
    "config": "config:config",
}


class JsonRefusal(click.ClickException):
    """A refusal or usage error of a command run with ``--json``: the JSON envelope with the error on stdout, for the
    script that reads it, and the usual line on stderr, for the person watching."""

    def __init__(self, message: str, exit_code: int, command: str):
        super().__init__(message)
        self.exit_code, self.command = exit_code, command

    def show(self, file=None) -> None:
        from workflow.commands.shared import envelope

        click.echo(envelope(None, error={"message": self.message, "exit_code": self.exit_code}, command=self.command))
        click.echo(_("Error: {message}").format(message=self.message), err=True)


class Kerjasama(click.Group):
    """Loads its commands lazily, speaks the officer's language, and turns every known error into one line and
    exit code 1 (under ``--json``, the JSON envelope of the error as well)."""

    wants_json = False
    command_words = ""  # the command the arguments name (case advance), for a JSON error

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        from workflow.i18n import translate_commands

        module, attribute = COMMANDS[name].split(":")
        command = getattr(importlib.import_module(f"workflow.commands.{module}"), attribute)
        translate_commands(command)  # in the language chosen in main(), before click reads its help
        return command

    def main(self, args=None, **extra):
        from workflow.i18n import choose_language, set_language, translate_commands

        args = list(sys.argv[1:] if args is None else args)
        config = _given(args, "--config") or os.environ.get("KERJASAMA_CONFIG") or str(DEFAULT_CONFIG)
        flag, configured = _given(args, "--lang"), _configured_language(Path(config))
        chosen = any(value in LANGUAGES for value in (flag, os.environ.get("KERJASAMA_LANG"), configured))
        set_language(choose_language(flag, configured), chosen=chosen)
        if any("\x00" in arg for arg in args):  # the OS refuses such a path or value with a bare ValueError
            click.echo(_("Error: an argument contains a NUL character."), err=True)
            raise SystemExit(2)
        translate_commands(self)  # before click parses, so --help is in that language too
        self.wants_json = "--json" in args
        self.command_words = self.command_named(args) if self.wants_json else ""  # only a JSON error names it
        return super().main(args, **extra)

    def invoke(self, ctx):
        from workflow.errors import KerjasamaError

        try:
            return super().invoke(ctx)
        except KerjasamaError as err:
            raise self.refusal(str(err)) from None
        except loaded_error("sqlalchemy.exc", "DBAPIError") as err:
            app = ctx.find_object(App)
            if not (app and app._bureau):
                raise self.refusal(str(err.orig).splitlines()[0]) from None
            raise self.refusal(in_language(app.bureau.db.unavailable(err))) from None
        except loaded_error("db.errors", "DatabaseError") as err:
            raise self.refusal(in_language(err)) from None
        except click.UsageError as err:
            if self.wants_json:
                raise JsonRefusal(err.format_message(), err.exit_code, self.command_words) from None
            raise

    def refusal(self, message: str) -> click.ClickException:
        return JsonRefusal(message, 1, self.command_words) if self.wants_json else click.ClickException(message)

    def command_named(self, args: list[str]) -> str:
        """The words of ``args`` that name a command (``case advance``), past the root's options."""
        words, command, rest = [], self, list(args)
        while rest and isinstance(command, click.Group):
            arg = rest.pop(0)
            if arg.startswith("-"):
                if arg in ("--db", "--config", "--lang"):
                    rest = rest[1:]  # its value
                continue
            command = command.get_command(None, arg)
            if command is None:
                break
            words.append(arg)
        return " ".join(words)


class _NeverRaised(Exception):
    """Stands for the error class of a module no one loaded."""


def loaded_error(module: str, name: str) -> type[Exception]:
    """The error class ``name`` of ``module`` if this run loaded the module, else one never raised: a command that
    never opened the database cannot have raised its errors, so ``case --help`` need not import SQLAlchemy to catch
    them. An ``except`` names it only when an error is on its way, after the command ran."""
    found = sys.modules.get(module)
    return getattr(found, name) if found is not None else _NeverRaised


def in_language(err) -> str:
    """A database error's sentence in the officer's language."""
    return _(err.message).format(**err.values)


def _given(args: list[str], option: str) -> str | None:
    """The value of a group option in the raw arguments, read before click parses them."""
    for i, arg in enumerate(args):
        if arg == option and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
    return None


def _configured_language(path: Path) -> str | None:
    from workflow.config import load_config
    from workflow.errors import ConfigError

    try:
        return load_config(path).language
    except ConfigError:
        return None  # the command reports a broken config itself


@click.group(cls=Kerjasama, context_settings={"help_option_names": ["-h", "--help"]})  # -h, as officers expect
@click.version_option(package_name="kerjasama", prog_name="kerjasama")  # read only when asked: it costs 10 ms
@click.option("--db", "db_url", envvar="KERJASAMA_DATABASE_URL", default=str(DEFAULT_DB), show_default=True,
              help="Database URL (postgresql://USER@HOST/NAME) or SQLite file. Env: KERJASAMA_DATABASE_URL.")
@click.option("--config", "config_path", envvar="KERJASAMA_CONFIG", type=click.Path(path_type=Path),
              default=str(DEFAULT_CONFIG), show_default=True, help="Config file (calendar overrides). "
              "Env: KERJASAMA_CONFIG.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language: id (Bahasa Indonesia) or en. Default: KERJASAMA_LANG, the config, the locale, id.")
@click.pass_context
def cli(ctx, db_url, config_path, lang):
    """Foreign cooperation cases of a region, carried through the procedure of PP 28/2018."""
    named = ctx.get_parameter_source("config_path") is not click.core.ParameterSource.DEFAULT
    writing_it = ctx.invoked_subcommand == "config"  # config init writes it; config check says it is missing
    if named and not config_path.exists() and not writing_it:  # a mistyped path would run on the defaults unnoticed
        raise click.BadParameter(_("{path} does not exist; without --config and KERJASAMA_CONFIG the default is "
                                   "{default}.").format(path=config_path, default=DEFAULT_CONFIG),
                                 param_hint="--config")
    ctx.obj = App(db_url, config_path)
    ctx.call_on_close(ctx.obj.close)


if __name__ == "__main__":
    cli()
