"""A test whose Debian package is missing is skipped with the package's name, and CI refuses to skip it."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from tests import system

ROOT = Path(__file__).resolve().parents[1]
NEEDS_CHROMIUM = "tests/test_report.py::test_the_pages_render_in_headless_chromium[sqlite]"


def run_without_commands_on_path(**env) -> subprocess.CompletedProcess:
    """pytest on a test that needs chromium, with a PATH on which no command is found."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", NEEDS_CHROMIUM],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env=os.environ | {"PATH": "/nonexistent"} | env)


def test_a_missing_package_skips_its_tests_and_says_how_to_install_it():
    done = run_without_commands_on_path(KERJASAMA_REQUIRE_SYSTEM_PACKAGES="")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 skipped" in done.stdout
    assert "needs the Debian package(s) chromium" in done.stdout
    assert "sudo apt-get install chromium" in done.stdout


def test_ci_refuses_to_skip_for_a_missing_package():
    done = run_without_commands_on_path(KERJASAMA_REQUIRE_SYSTEM_PACKAGES="1")
    assert done.returncode != 0
    assert "not installed: chromium" in done.stderr
    assert "passed" not in done.stdout and "skipped" not in done.stdout


def test_every_package_a_test_names_is_one_the_suite_knows_how_to_find():
    named = [arg.value for path in (ROOT / "tests").rglob("test_*.py") for node in ast.walk(ast.parse(path.read_text()))
             if isinstance(node, ast.Call) and ast.unparse(node.func) == "pytest.mark.needs"
             for arg in node.args if isinstance(arg, ast.Constant)]
    assert "poppler-utils" in named and "chromium" in named
    assert set(named) <= set(system.PACKAGES) and set(system.PDF) <= set(system.PACKAGES)
