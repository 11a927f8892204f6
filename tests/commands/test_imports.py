"""Commands import only what they use: ``--help`` and completion of commands and names without SQLAlchemy or the
database layer, ``case show`` and ``deadlines`` without the tables they never read.

Each check runs kerjasama in a fresh interpreter and reads its ``sys.modules`` at the end: in the test process the
database layer is long loaded.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HAPPY_PATH, carry, open_case

ROOT = Path(__file__).resolve().parents[2]

# Runs kerjasama with the arguments given, then writes the modules it loaded (and its exit code) to MODULES_OUT.
PROBE = """
import json, os, sys
from cli import cli
try:
    code = cli.main(sys.argv[1:], prog_name="kerjasama")
except SystemExit as done:
    code = done.code
with open(os.environ["MODULES_OUT"], "w") as out:
    json.dump({"exit": code, "modules": sorted(sys.modules)}, out)
"""

# Runs ``ARGS --help`` for the root and every group and command, in one interpreter, and writes the first whose help
# loaded the database layer, with what it loaded (none: null).
EVERY_HELP = """
import contextlib, io, json, os, sys
import click
from cli import cli

def paths(command, words):
    yield words
    if isinstance(command, click.Group):
        for name in command.list_commands(None):
            yield from paths(command.get_command(None, name), words + [name])

def database():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "db"))

found, helped = None, 0
for words in list(paths(cli, [])):
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(words + ["--help"], prog_name="kerjasama", standalone_mode=False)
    helped += 1
    if code not in (0, None) or database():
        found = {"command": " ".join(words), "exit": code, "loaded": database()}
        break
with open(os.environ["MODULES_OUT"], "w") as out:
    json.dump({"found": found, "helped": helped}, out)
"""

DATABASE_LAYER = ("sqlalchemy", "sqlmodel", "pydantic", "db")


def kerjasama_in_a_new_process(tmp_path, code: str, args: list[str], **env) -> dict:
    """Run ``code`` with ``args`` in a new interpreter, away from the user's config and data; what it wrote."""
    out = tmp_path / "modules.json"
    home = tmp_path / "home"
    environment = os.environ | {"MODULES_OUT": str(out), "XDG_CONFIG_HOME": str(home / "config"),
                                "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(home / "cache")} | env
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert out.exists(), done.stderr
    return json.loads(out.read_text()) | {"stdout": done.stdout, "stderr": done.stderr}


def database_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in DATABASE_LAYER]


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_help_loads_the_database_layer(tmp_path, language):
    report = kerjasama_in_a_new_process(tmp_path, EVERY_HELP, [], KERJASAMA_LANG=language)
    assert report["found"] is None
    assert report["helped"] > 50  # the root, every group and every command


@pytest.mark.parametrize("args", [["--help"], ["case", "--help"], ["case", "show", "-h"],
                                  ["deadlines", "recompute", "--help"]])
def test_help_loads_no_database_layer_and_is_translated(tmp_path, args):
    report = kerjasama_in_a_new_process(tmp_path, PROBE, args, KERJASAMA_LANG="id")
    assert report["exit"] == 0, report["stderr"]
    assert "Penggunaan:" in report["stdout"]  # click's own words, from the catalogue too
    assert database_modules(report["modules"]) == []
    assert "db.session" not in report["modules"] and "workflow.bureau" not in report["modules"]


def completed(tmp_path, line: str) -> dict:
    """What a new kerjasama offers for TAB at the end of ``line``, and the modules it loaded to offer it."""
    words = line.split()
    report = kerjasama_in_a_new_process(tmp_path, PROBE, [], _KERJASAMA_COMPLETE="bash_complete", COMP_WORDS=line,
                                        COMP_CWORD=str(len(words) - (0 if line.endswith(" ") else 1)),
                                        KERJASAMA_LANG="id")
    assert report["exit"] == 0, report["stderr"]
    return report | {"offered": [item.split(",", 1)[1] for item in report["stdout"].splitlines() if item]}


@pytest.mark.parametrize("line, offers", [
    ("kerjasama ca", "case"), ("kerjasama case ", "advance"), ("kerjasama case show --", "--json"),
    ("kerjasama case open --field pend", "pendidikan"), ("kerjasama case open --country Jep", "Jepang"),
    (f"kerjasama --config {os.devnull} letter vars d1", "d18_annual_report.html")])
def test_completion_of_commands_and_names_loads_no_database_layer(tmp_path, line, offers):
    report = completed(tmp_path, line)
    assert offers in report["offered"]
    assert database_modules(report["modules"]) == []


def test_completion_of_refs_reads_the_database_then_only(run, db_url, tmp_path):
    ref = open_case(run)
    report = completed(tmp_path, f"kerjasama --db {db_url} --config {os.devnull} case show KS-2013")
    assert report["offered"] == [ref]
    assert "db.session" in report["modules"]  # the probe sees what a command loads


def modules_of(tmp_path, db_url: str, *args: str) -> list[str]:
    report = kerjasama_in_a_new_process(tmp_path, PROBE, ["--db", db_url, "--config", os.devnull, *args])
    assert report["exit"] == 0, report["stderr"]
    return report["modules"]


# The modules of tables neither case show nor the deadlines read (beside db/models.py, they read the outbox, or the
# archive and the trips); deadlines read the outbox, first here.
NEVER_READ = ["db.outbox", "db.letters", "db.action_plans", "db.indicators"]


@pytest.fixture
def at_the_council(run) -> str:
    """A case before the DPRD, with its deadline open."""
    ref = open_case(run)
    carry(run, ref, [e for e, _ in HAPPY_PATH[:6]])
    return ref


def test_case_show_loads_only_the_tables_it_reads(at_the_council, db_url, tmp_path):
    ref = at_the_council
    loaded = modules_of(tmp_path, db_url, "case", "show", ref)
    assert {"db.archive", "db.trips"} <= set(loaded)  # the documents not archived and the trips it lists
    assert [m for m in NEVER_READ if m in loaded] == []


def test_deadlines_load_only_the_tables_they_read(at_the_council, db_url, tmp_path):
    loaded = modules_of(tmp_path, db_url, "deadlines")
    assert "db.outbox" in loaded  # the reminders that failed
    assert [m for m in NEVER_READ[1:] + ["db.archive", "db.trips"] if m in loaded] == []
