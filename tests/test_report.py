"""The bureau's report and the public site: charts people can read, pages a phone shows whole, the region's
language, the counts by status and the downloads, also as a browser shows them."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
from collections import Counter
from datetime import date

import pytest

from tests.helpers import SAMPLE_ACTIVITY, advance, case_in
from tests.test_agreements import DATASET, surabaya
from workflow.actions import add_activity, update_activity
from workflow.i18n import current_language, set_language
from workflow.region import init_region
from workflow.reports import bar_chart, chronology_html, publish, report_html
from workflow.reports.charts import LEFT, fit, nice_ticks, text_width, time_ticks, timeline_chart

DAY = date(2026, 11, 23)
LONG_OPD = "Dinas Koperasi, Usaha Kecil dan Menengah, dan Perdagangan Kota Surabaya"
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def charts_of(page: str) -> list[str]:
    return re.findall(r'<svg class="chart".*?</svg>', page, re.S)


def texts_of(svg: str, kind: str = "") -> list[tuple[str, str | None]]:
    """Each <text> of ``svg`` (of ``class=kind`` if given): what it shows and its tooltip, if any."""
    found = []
    for attributes, inner in re.findall(r"<text([^>]*)>(.*?)</text>", svg, re.S):
        if kind and f'class="{kind}"' not in attributes:
            continue
        tip = re.search(r"<title>(.*?)</title>", inner, re.S)
        shown = re.sub(r"<title>.*?</title>", "", inner, flags=re.S)
        lines = re.findall(r"<tspan[^>]*>(.*?)</tspan>", shown) or [shown]
        found.append((html.unescape(" ".join(lines)), html.unescape(tip[1]) if tip else None))
    return found


def with_long_names(bureau) -> str:
    """The Surabaya register and a tie in force whose activity has a long OPD name and a large cost."""
    surabaya(bureau)
    ref = case_in(bureau, "in_force")
    add_activity(bureau, ref, actor="tester", on=date(2014, 3, 1), **(SAMPLE_ACTIVITY | {
        "title": "Trade mission", "lead_opd": LONG_OPD, "cost": 1_250_000_000}))
    update_activity(bureau, ref, 1, actor="tester", status="done", on=date(2014, 2, 3))  # the teacher exchange
    return ref


def test_the_report_has_its_sections_and_charts(bureau):
    surabaya(bureau)
    page = report_html(bureau, DAY)
    for part in ("Pipeline by stage", "Time in each stage", "Dormant agreements (5)", "expiring within 12 months",
                 "By lead OPD", "By paradiplomacy layer", "Funding status", "<svg"):
        assert part in page, part
    assert "Seattle" in page and "KS-1992-0001" in page


def test_every_chart_has_an_axis_with_ticks_and_its_unit(bureau):
    with_long_names(bureau)
    charts = charts_of(report_html(bureau, DAY))
    assert len(charts) == 5  # stages, time in stage, OPD, layer, funding
    for svg in charts:
        assert 'viewBox="0 0 ' in svg and svg.count('class="tick"') >= 2, svg[:200]
        ticks = [shown for shown, _tip in texts_of(svg, "tick-label")]
        assert ticks and all(ticks), svg[:200]
        assert [shown for shown, _tip in texts_of(svg, "unit")][0]
    stages, timeline, opd, layer, funding = charts
    assert texts_of(stages, "unit")[0][0] == "cases" and texts_of(opd, "unit")[0][0] == "activities"
    assert texts_of(funding, "unit")[0][0] == "billion rupiah"
    assert {"2014", "2020", "2026"} <= {shown for shown, _tip in texts_of(timeline, "tick-label")}
    assert texts_of(timeline, "unit")[0][0].startswith("year")


def test_the_time_chart_names_the_partner_beside_each_ref(bureau):
    surabaya(bureau)
    timeline = charts_of(report_html(bureau, DAY))[1]
    labels = [shown for shown, _tip in texts_of(timeline) if shown.startswith("KS-")]
    assert len(labels) == 40 and "KS-2024-0002 · Chengdu" in labels
    assert "KS-2018-0003 · Deutsche Gesellschaft für Internationale Zusammenarbeit" in labels
    assert all(re.fullmatch(r"KS-\d{4}-\d{4} · .+", label) for label in labels)


def test_no_label_is_cut_and_money_is_shown_whole(bureau):
    with_long_names(bureau)
    page = report_html(bureau, DAY)
    _stages, _timeline, opd, _layer, funding = charts_of(page)
    assert (LONG_OPD, None) in texts_of(opd)  # wrapped over two lines, every word shown
    assert {"Rp1.250.000.000,00", "Rp350.000.000,00"} <= {shown for shown, _tip in texts_of(funding, "value")}
    for svg in charts_of(page):
        width = int(re.search(r'viewBox="0 0 (\d+)', svg)[1])
        for line in re.findall(r"<tspan[^>]*>(.*?)</tspan>", svg):  # the labels' lines
            assert text_width(html.unescape(line)) <= width - LEFT, line
        for shown, tip in texts_of(svg):
            assert not shown.endswith("…") or tip, shown  # a shortened label keeps its full text as a tooltip


def test_a_label_wraps_then_shortens_with_its_full_text_kept():
    assert fit("Dinas Pendidikan", 300) == {"lines": ["Dinas Pendidikan"], "full": "Dinas Pendidikan",
                                            "shortened": False}
    wrapped = fit(LONG_OPD, 300)
    assert " ".join(wrapped["lines"]) == LONG_OPD and len(wrapped["lines"]) == 2 and not wrapped["shortened"]
    long = fit(LONG_OPD + " " + LONG_OPD, 300)
    assert long["shortened"] and long["lines"][-1].endswith("…") and long["full"] == LONG_OPD + " " + LONG_OPD
    assert all(text_width(line) <= 300 for line in wrapped["lines"] + long["lines"])
    assert nice_ticks(21, integer=True) == [0, 5, 10, 15, 20, 25] and nice_ticks(1, integer=True) == [0, 1]
    assert nice_ticks(1.25, integer=False) == [0, 0.25, 0.5, 0.75, 1, 1.25] and nice_ticks(0, True) == [0, 1]
    money = bar_chart({"Done": 987_654_321_000}, "", money=True)
    assert money["rows"][0]["value"] == "Rp987.654.321.000,00" and money["axis"]["unit"] == "billion rupiah"
    assert money["rows"][0]["value_x"] + text_width("Rp987.654.321.000,00") <= money["width"]


def test_the_time_axis_ticks_years_or_months_as_the_span_needs():
    years, unit = time_ticks(date(2013, 1, 7), DAY)
    assert [label for _day, label in years] == ["2014", "2016", "2018", "2020", "2022", "2024", "2026"]
    assert years[0][0] == date(2014, 1, 1) and unit == "year (a tick marks 1 January)"
    months, unit = time_ticks(date(2026, 8, 20), DAY)
    assert [label for _day, label in months] == ["Sep 2026", "Oct 2026", "Nov 2026"]
    assert unit == "month (a tick marks its first day)"
    chart = timeline_chart([{"ref": "KS-2026-0001", "partner": "Hildesheim", "segments": [
        ("initiation", date(2026, 11, 2), DAY)]}], date(2026, 11, 2), DAY, {"initiation": "Initiation"})
    tick = chart["axis"]["ticks"][0]  # no first of a month inside: the first day, its label kept in the chart
    assert tick["label"] == "2 November 2026" and tick["label_x"] - text_width(tick["label"], 11) / 2 > -0.1
    assert chart["rows"][0]["segments"][0]["tip"] == (
        "KS-2026-0001 · Hildesheim: Initiation, 21 days (2 November 2026 to 23 November 2026)")


def test_the_report_and_every_public_page_fit_a_phone(bureau, tmp_path):
    ref = case_in(bureau, "in_force")
    written = publish(bureau, tmp_path / "site", DAY)
    viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">'
    pages = [report_html(bureau, DAY), chronology_html(bureau, ref)] + [
        p.read_text(encoding="utf-8") for p in written if p.suffix == ".html"]
    assert len(pages) == 4 and all(viewport in page for page in pages)
    assert 'class="scroll"' in pages[0] and "svg.chart { display: block; max-width: 100%; height: auto; }" in pages[0]


@pytest.fixture
def language():
    """Set the language as the command line does (``chosen``: given by --lang, KERJASAMA_LANG or the config);
    English, as every test speaks it, again afterwards."""
    yield lambda code, chosen=True: set_language(code, chosen=chosen)
    set_language("en", chosen=True)


def test_the_pages_speak_the_regions_language_unless_the_officer_chose_one(bureau, tmp_path, language):
    ref = case_in(bureau, "loi_signed")

    def languages(site):
        publish(bureau, tmp_path / site, DAY)
        pages = [report_html(bureau, DAY), chronology_html(bureau, ref), (tmp_path / site / "index.html").read_text(),
                 (tmp_path / site / f"{ref}.html").read_text()]
        return {re.search(r'<html lang="(\w+)">', page)[1] for page in pages}

    language("en", chosen=False)  # only the server's locale: the region's language wins
    assert languages("a") == {"id"} and current_language() == "en"
    assert "Mitra" in (tmp_path / "a" / "index.html").read_text()  # a heading the catalogue already translates
    language("id")
    assert languages("b") == {"id"}
    language("en")
    assert languages("c") == {"en"}
    index = (tmp_path / "c" / "index.html").read_text()
    assert "Partner" in index and "Germany" in index and "cultural exchange" in index
    init_region(bureau, language="en")
    language("id", chosen=False)
    assert languages("d") == {"en"}


def with_ended_ties(bureau) -> dict[str, str]:
    """The Surabaya register and two LoIs that led nowhere: one rejected by the DPRD, one withdrawn."""
    surabaya(bureau)
    rejected = case_in(bureau, "dprd_review", partner_name="Lyon", country="FR", title="Sister city Lyon")
    advance(bureau, rejected, "dprd_rejected")
    withdrawn = case_in(bureau, "loi_signed", partner_name="Nantes", country="FR", title="Sister city Nantes")
    advance(bureau, withdrawn, "case_withdrawn")
    return {"rejected": rejected, "withdrawn": withdrawn}


def counts_on(index: str) -> dict[str, int]:
    return {status: int(count) for status, count in re.findall(
        r'<li data-status="(\w+)">.*?<b class="count">(\d+)</b>', index, re.S)}


def test_the_public_page_counts_ties_by_status_and_shows_rejected_and_withdrawn_as_ended(bureau, tmp_path):
    ended = with_ended_ties(bureau)
    publish(bureau, tmp_path / "site", DAY)
    index = (tmp_path / "site" / "index.html").read_text()
    in_file = Counter(row["status"] for row in csv.DictReader(DATASET.read_text().splitlines()))
    assert counts_on(index) == dict(in_file) | {"ended": 2}
    assert counts_on(index) == {"active": 15, "dormant": 5, "loi_only": 11, "expired": 18, "terminated": 2,
                                "ended": 2}
    totals = dict(re.findall(r'<section class="group" data-group="([\w ]+)">.*?<div class="total">(\d+)</div>',
                             index, re.S))
    assert totals == {"In force": "20", "Intended": "11", "Ended": "22"}
    for ref in ended.values():
        row = re.search(rf'<tr data-ref="{ref}">.*?</tr>', index, re.S)[0]
        assert '<span class="status ended">Ended</span>' in row
        assert '<span class="status ended">Ended</span>' in (tmp_path / "site" / f"{ref}.html").read_text()
    report = report_html(bureau, DAY)
    assert '<li data-status="ended">Ended: <b>2</b></li>' in report
    assert '<li data-status="loi_only">Letter of intent only: <b>11</b></li>' in report


def test_the_downloads_parse_and_agree_with_the_pages(bureau, tmp_path):
    with_ended_ties(bureau)
    written = publish(bureau, tmp_path / "site", DAY)
    site = tmp_path / "site"
    assert {site / "register.csv", site / "register.json"} <= set(written)
    index = (site / "index.html").read_text()
    assert '<a href="register.csv" type="text/csv" download>CSV</a>' in index
    assert '<a href="register.json" type="application/json" download>JSON</a>' in index
    raw = (site / "register.csv").read_bytes()
    assert raw.startswith(b"ref,partner,") and b"\r\n" in raw  # RFC 4180: no BOM, CRLF
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    document = json.loads((site / "register.json").read_text(encoding="utf-8"))
    assert (document["region"], document["updated"], document["language"]) == ("Kota Surabaya", "2026-11-23", "en")
    assert document["anchor"] in index
    agreements = document["agreements"]
    listed = re.findall(r'<tr data-ref="([\w-]+)">', index)
    assert [r["ref"] for r in rows] == [a["ref"] for a in agreements] == listed
    assert len(agreements) == 53 and Counter(a["status"] for a in agreements) == counts_on(index)
    for row, agreement in zip(rows, agreements):
        assert row["status"] == agreement["status"] and row["partner"] == agreement["partner"]
        assert row["fields"] == "; ".join(agreement["fields"]) and row["signed_on"] == (agreement["signed_on"] or "")
        shown = html.unescape(re.search(rf'<tr data-ref="{agreement["ref"]}">.*?</tr>', index, re.S)[0])
        for value in (agreement["partner"], agreement["country"], agreement["status_label"], *agreement["fields"]):
            assert value in shown, value
        assert (site / agreement["page"]).exists()
    seattle = next(a for a in agreements if a["partner"] == "Seattle")
    assert (seattle["country"], seattle["signed_on"], seattle["status"]) == ("United States", "1992", "dormant")


def test_the_public_site_shows_agreements_and_done_activities_but_nothing_internal(bureau, tmp_path):
    surabaya(bureau)
    ref = case_in(bureau, "in_force")
    advance(bureau, ref, "case_suspended", note="INTERNAL: wait for the new Wali Kota")
    advance(bureau, ref, "case_resumed")
    update_activity(bureau, ref, 1, actor="officer-ayu", status="done", on=date(2014, 2, 3))
    written = publish(bureau, tmp_path / "site", DAY)
    assert (tmp_path / "site" / "index.html") in written and len(written) == 1 + 52 + 2
    index = (tmp_path / "site" / "index.html").read_text()
    assert "Seattle" in index and "United States" in index and "Dormant" in index
    page = (tmp_path / "site" / f"{ref}.html").read_text()
    assert "Teacher exchange (3 February 2014)" in page
    everything = "".join(p.read_text() for p in written)
    for internal in ("INTERNAL", "officer-ayu", "tester", "Imported from", "10 teachers", "Dinas Pendidikan"):
        assert internal not in everything, internal


def render_pages(bureau, folder) -> list:
    (folder / "report.html").write_text(report_html(bureau, DAY), encoding="utf-8")
    publish(bureau, folder / "site", DAY)
    return [folder / "report.html", folder / "site" / "index.html", folder / "site" / "KS-1992-0001.html"]


def on_a_phone(page, tmp_path) -> dict:
    """``page`` laid out 375 px wide (in a frame: a headless window is at least 500 px wide): the width of its
    viewport, the width of its content, and the text of each chart that leaves the chart's box."""
    frame = page.parent / f"phone-{page.stem}.html"
    frame.write_text(f"""<!DOCTYPE html><html><body style="margin:0">
<iframe id="page" src="{page.name}" style="width:375px;height:20000px;border:0"></iframe>
<script>
document.getElementById("page").onload = function () {{
  var d = this.contentDocument, cut = [];
  d.querySelectorAll("svg").forEach(function (svg) {{
    var box = svg.viewBox.baseVal;
    svg.querySelectorAll("text").forEach(function (text) {{
      var b = text.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5 || b.y < box.y - 0.5
          || b.y + b.height > box.y + box.height + 0.5) cut.push(text.textContent);
    }});
  }});
  document.body.setAttribute("data-measured", JSON.stringify(
    {{width: d.documentElement.clientWidth, content: d.documentElement.scrollWidth, cut: cut}}));
}};
</script></body></html>""", encoding="utf-8")
    dom = subprocess.run([*CHROMIUM, f"--user-data-dir={tmp_path / 'profile'}", "--allow-file-access-from-files",
                          "--window-size=500,900", "--dump-dom", frame.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return json.loads(html.unescape(re.search(r'data-measured="([^"]*)"', dom)[1]))


@pytest.mark.needs("chromium")
def test_on_a_phone_nothing_runs_off_the_page_and_no_chart_label_is_cut(bureau, tmp_path):
    with_long_names(bureau)
    for page in render_pages(bureau, tmp_path):
        measured = on_a_phone(page, tmp_path)
        assert measured["width"] <= 375 and measured["content"] <= measured["width"], (page.name, measured)
        assert measured["cut"] == [], page.name


@pytest.mark.needs("chromium")
def test_the_pages_render_in_headless_chromium(bureau, tmp_path):
    surabaya(bureau)
    for page in render_pages(bureau, tmp_path)[:2]:
        shot = tmp_path / f"{page.stem}.png"
        subprocess.run([*CHROMIUM, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1600",
                        f"--screenshot={shot}", page.as_uri()], check=True, capture_output=True, timeout=120)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
