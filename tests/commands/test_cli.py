"""The root group: help for every command, and every failure one line without a traceback (a NUL in an argument,
an unreachable database, a broken config file)."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cli import cli
from tests.helpers import error_line


@pytest.mark.parametrize("args", [["import", "\x00"], ["case", "show", "KS\x00"],
                                  ["--config", "a\x00b", "case", "list"]])
def test_a_nul_character_in_an_argument_is_one_line(tmp_path, args):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), *args])
    assert result.exit_code == 2 and error_line(result) == "Error: an argument contains a NUL character."


def test_an_unreachable_database_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["--db", "postgresql://kerjasama@127.0.0.1:1/none", "case", "list"])
    assert result.exit_code == 1
    line = error_line(result)
    assert line.startswith("Error: Cannot use the database postgresql+psycopg://kerjasama@127.0.0.1:1/none")
    assert "Traceback" not in result.output


def test_a_password_is_never_printed():
    result = CliRunner().invoke(cli, ["--db", "postgresql://u:s3cret@127.0.0.1:1/none", "case", "list"])
    assert result.exit_code == 1 and "s3cret" not in result.output and "***" in result.output


def test_before_init_the_officer_is_told_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "new.db"), "case", "list"])
    assert result.exit_code == 1
    assert error_line(result) == "Error: This database has no region yet; run kerjasama init first."


def test_a_broken_config_file_is_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[calendar\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "--config", str(config), "case", "list"])
    assert result.exit_code == 1 and error_line(result).startswith("Error: Cannot read the config file")


def _commands(group: click.Group, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):  # the root group loads its commands lazily
        command = group.get_command(context, name)
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_every_command_is_listed():
    assert len(list(_commands(cli))) == 37


@pytest.mark.parametrize("path,command", list(_commands(cli)), ids=lambda v: " ".join(v) if isinstance(v, tuple)
                         else "")
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip()
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.stdout
