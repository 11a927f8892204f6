"""Fixtures of the command tests: kerjasama invoked on the test database of each backend."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from cli import cli


@pytest.fixture
def run(db_url, tmp_path):
    """Invoke kerjasama on the test database; returns the click Result."""
    runner = CliRunner()
    config = tmp_path / "config.toml"
    config.touch()  # a named config must exist; tests that need settings write them here

    def invoke(*args, ok=True):
        result = runner.invoke(cli, ["--db", db_url, "--config", str(config), *args], catch_exceptions=not ok)
        if ok:
            assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result

    invoke("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    return invoke


@pytest.fixture
def kerjasama(db_url, tmp_path):
    """Invoke kerjasama on a database made for Kota Surabaya; returns the click Result, whatever its exit code."""
    def invoke(*args):
        return CliRunner().invoke(cli, ["--db", db_url, "--config", os.devnull, *args])

    assert invoke("init", "--name", "Kota Surabaya", "--level", "kota", "--province", "Jawa Timur").exit_code == 0
    return invoke
