"""kerjasama init and procedure: the region set up once, and the procedure table listed, drawn and exported."""
from __future__ import annotations


from click.testing import CliRunner

from cli import cli
from tests.helpers import json_of


def test_init_is_idempotent(run):
    again = run("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    assert "nothing changed" in again.stdout
    changed = run("init", "--council-silence", "escalate", "--json")
    assert json_of(changed.stdout)["changed"] == ["council_silence"]


def test_procedure_listing_diagram_countries_and_fields():
    runner = CliRunner()
    assert "dprd_decision" in runner.invoke(cli, ["procedure"]).stdout
    assert runner.invoke(cli, ["procedure", "--format", "mermaid"]).stdout.startswith("stateDiagram-v2")
    table = json_of(runner.invoke(cli, ["procedure", "--format", "json"]).stdout)
    assert {"stages", "states", "events", "deadlines"} <= set(table)
    assert "Israel" in runner.invoke(cli, ["procedure", "--countries"]).stdout
    assert json_of(runner.invoke(cli, ["procedure", "--json"]).stdout)["events"][0]["event"] == "case_opened"
    assert "EXCLUDED" in runner.invoke(cli, ["procedure", "--fields"]).stdout
