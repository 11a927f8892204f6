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
            "## Recording events: engine.apply", "## One reminder sweep", "## Letters"]


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
    assert re.search(r"\| 1,000 \| [\d,]+ \| \d+ s \| [\d,]+ \|", text)
    for measurement in ("CLI wall time", "engine.apply against", "one sweep, 1,000 / 100 cases", "HTML letters"):
        assert re.search(re.escape(measurement) + r".*\| [\d.,]+", text), measurement
    assert re.search(r"\| 1,000 \| [\d.]+ s \| 20 \|", text)  # the 20 reminders due were recorded
    assert "case show KS-2013-0001" in text and "deadlines --within 30" in text


def test_the_committed_figures_come_from_the_national_run():
    text = (ROOT / "docs" / "performance.md").read_text()
    assert re.search(r"one run of `python bench/run.py( --reuse)?` on \d{4}-\d\d-\d\d", text)
    assert "110,000" in text and "11,000" in text
