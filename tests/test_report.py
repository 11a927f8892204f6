"""The bureau's report and the public site, also as a browser shows them."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest

from tests.helpers import advance, case_in
from tests.test_agreements import surabaya
from workflow.actions import update_activity
from workflow.reports import publish, report_html


def test_the_report_has_its_sections_and_charts(bureau):
    surabaya(bureau)
    html = report_html(bureau, date(2026, 11, 23))
    for part in ("Pipeline by stage", "Time in each stage", "Dormant agreements (5)", "expiring within 12 months",
                 "By lead OPD", "By paradiplomacy layer", "Funding status", "<svg"):
        assert part in html, part
    assert "Seattle" in html and "KS-1992-0001" in html


def test_the_public_site_shows_agreements_and_done_activities_but_nothing_internal(bureau, tmp_path):
    surabaya(bureau)
    ref = case_in(bureau, "in_force")
    advance(bureau, ref, "case_suspended", note="INTERNAL: wait for the new Wali Kota")
    advance(bureau, ref, "case_resumed")
    update_activity(bureau, ref, 1, actor="officer-ayu", status="done", on=date(2014, 2, 3))
    written = publish(bureau, tmp_path / "site", date(2026, 11, 23))
    assert (tmp_path / "site" / "index.html") in written and len(written) == 1 + 52
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Seattle" in index and "Amerika Serikat" in index and "Tidak aktif" in index
    page = (tmp_path / "site" / f"{ref}.html").read_text()
    assert "Teacher exchange (3 Februari 2014)" in page
    everything = "".join(p.read_text() for p in written)
    for internal in ("INTERNAL", "officer-ayu", "tester", "Imported from"):
        assert internal not in everything, internal


@pytest.mark.needs("chromium")
def test_the_pages_render_in_headless_chromium(bureau, tmp_path):
    surabaya(bureau)
    (tmp_path / "report.html").write_text(report_html(bureau, date(2026, 11, 23)))
    publish(bureau, tmp_path / "site", date(2026, 11, 23))
    for page in (tmp_path / "report.html", tmp_path / "site" / "index.html"):
        shot = tmp_path / f"{page.stem}.png"
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
                        f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
