"""``kerjasama config``: write a commented config file, and check one."""
from __future__ import annotations

from pathlib import Path

import click

from workflow.commands.shared import emit_json, json_option, pass_app
from workflow.i18n import _

path_argument = click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))


@click.group()
def config():
    """The config file: every key kerjasama reads, and what is wrong with a file."""


@config.command(name="init")
@path_argument
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@pass_app
def init_(app, path, force):
    """Write a config file with every key commented out, its default and what it does.

    PATH defaults to the config in use (--config, KERJASAMA_CONFIG, or ~/.config/kerjasama/config.toml).
    Example: kerjasama config init /etc/kerjasama/config.toml
    """
    from workflow.config_template import write_template

    target = path or app.config_path
    write_template(target, force)
    click.echo(_("Wrote {path}; set a key by removing the # before it, then run kerjasama config check.")
               .format(path=target), err=True)


@config.command(name="check")
@path_argument
@json_option
@pass_app
def check_(app, path, as_json):
    """List every problem of a config file at once, one line each naming its key; exit 1 if there is one.

    The letter settings the file leaves unset are listed after, without failing the check: letters that need
    them are refused until they are set. Example: kerjasama config check /etc/kerjasama/config.toml
    """
    from workflow.config_template import check

    target = path or app.config_path
    if not target.exists():
        click.echo(_("No config file at {path}: kerjasama runs on the defaults (kerjasama config init writes one).")
                   .format(path=target), err=True)
    problems, unset = check(target)
    if as_json:
        emit_json({"path": str(target), "exists": target.exists(), "problems": problems, "unset": unset})
        return click.get_current_context().exit(1 if problems else 0)
    for line in problems + unset:
        click.echo(line)
    if problems:
        click.get_current_context().exit(1)
    if target.exists():
        done = _("{path}: no problems; {count} letter setting(s) above still to set.") if unset else _(
            "{path}: no problems.")
        click.echo(done.format(path=target, count=len(unset)), err=True)
