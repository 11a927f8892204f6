"""The benchmark command runs end to end (at its smallest scale) and writes every figure of its document.

Speed itself is not asserted here: the figures are in docs/performance.md, written by the same command.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["## The registers, built through the engine", "## `kerjasama case show` and `kerjasama deadlines`",
            "## Recording events: engine.apply against a raw UPDATE + INSERT, and against the disk",
            "## The same 20-step process on other workflow engines", "## One reminder sweep", "## Letters"]
NUMBER = r"[\d.,]+"
NOT_INSTALLED = re.escape("not installed (pip install -c requirements.lock '.[bench]')")
# Peers that may be missing (the extra kerjasama[bench]), and those always there with kerjasama itself.
OPTIONAL_PEERS = ["SpiffWorkflow[^|]*, kept in memory", "SpiffWorkflow[^|]*, reloaded from JSON per step",
                  "python-statemachine[^|]*, persisted model"]
INSTALLED_PEERS = [r"transitions [\d.]+ \+ sqlite3", r"sqlite3 alone, no machine \(floor\)"]


def test_the_quick_bench_writes_a_complete_document(tmp_path):
    out = tmp_path / "performance.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out),
                           "--work", str(tmp_path / "work")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text()
    assert text.startswith("# Performance") and "`python bench/run.py --quick`" in text
    for section in SECTIONS:
        assert section in text
    assert re.search(r"\| 100 \| [\d,]+ \| \d+ s \| [\d,]+ \|", text)  # the small register's build
    assert re.search(r"\| 500 \| [\d,]+ \| \d+ s \| [\d,]+ \|", text)
    for measurement in ("CLI wall time", "engine.apply against", "the same 20-step process",
                        "one sweep, 500 / 100 cases", "HTML letters"):
        assert re.search(re.escape(measurement) + r".*\| [\d.,]+", text), measurement

    # The CLI: paired runs, wall and CPU time.
    assert "| command | median wall | median CPU | vs. floor (median of pairs) |" in text
    assert re.search(rf"\| floor \| {NUMBER} ms \| {NUMBER} ms \| 1.00x \|", text)
    assert re.search(rf"\| `case show KS-2013-0001 \(a new case\)` \| {NUMBER} ms \| {NUMBER} ms \| {NUMBER}x \|", text)
    assert "deadlines --within 30" in text

    # engine.apply against the floor and the disk, by wall and by CPU time.
    assert "| what | wall ms per event | CPU ms per event | events per second (wall) |" in text
    for row in ("engine.apply", "floor: read, version-checked UPDATE, INSERT, commit",
                "disk floor: one-row INSERT + commit", "empty write transaction, no disk"):
        assert re.search(rf"\| {re.escape(row)} \| {NUMBER} \| {NUMBER} \| {NUMBER} \|", text), row
    assert re.search(rf"engine ÷ floor, by wall time: {NUMBER}", text)
    assert re.search(rf"engine ÷ floor, by CPU time: +{NUMBER}", text)
    assert re.search(r"the disk's commit, of an engine event's wall time: \d+%", text)
    assert "journal_mode=wal, synchronous=FULL, foreign_keys=on" in text

    # The peers, each measured or said to be missing, never left out.
    assert "| engine | events/s | CPU ms/event | kerjasama ÷ peer | kerjasama ÷ peer, by CPU |" in text
    assert re.search(rf"\| \*\*kerjasama [\d.]+ engine\.apply\*\* \| {NUMBER} \| {NUMBER} \| 1.00 \| 1.00 \|", text)
    measured = rf"{NUMBER} \| {NUMBER} \| {NUMBER} \| {NUMBER}"
    for peer in INSTALLED_PEERS:
        assert re.search(rf"\| {peer} \| {measured} \|", text), peer
    for peer in OPTIONAL_PEERS:
        assert re.search(rf"\| {peer} \| ({measured}|{NOT_INSTALLED} \| - \| - \| -) \|", text), peer

    # The sweep: the 20 reminders due were recorded; the sweep process's own peak memory.
    assert re.search(r"\| 500 \| [\d.]+ s \| 20 \| [\d.]+ s \| \d+ MiB \|", text)


def test_a_peer_not_installed_is_reported_not_measured(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    from bench import peers

    for name in [name for name in sys.modules if name.split(".")[0] in ("SpiffWorkflow", "statemachine")]:
        monkeypatch.delitem(sys.modules, name)
    for name in ("SpiffWorkflow", "statemachine"):
        monkeypatch.setitem(sys.modules, name, None)  # an import of it, or of anything in it, fails
    compared = peers.measure(tmp_path, rounds=1, processes=1)
    rows = compared["rows"]
    assert rows["SpiffWorkflow, kept in memory"] == {"missing": peers.NOT_INSTALLED}
    assert rows["SpiffWorkflow, reloaded from JSON per step"] == {"missing": peers.NOT_INSTALLED}
    assert rows["python-statemachine, persisted model"] == {"missing": peers.NOT_INSTALLED}
    assert list(rows)[0] == compared["ours"] and compared["ours"].startswith("kerjasama")
    assert {"rate", "cpu_ms", "ratio", "ratio_cpu"} <= set(rows["sqlite3 alone, no machine (floor)"])
    assert compared["pragmas"] == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}


def test_the_committed_figures_come_from_the_national_run():
    text = (ROOT / "docs" / "performance.md").read_text()
    assert re.search(r"one run of `python bench/run.py( --reuse)?` on \d{4}-\d\d-\d\d", text)
    assert "110,000" in text and "11,000" in text
