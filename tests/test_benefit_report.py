"""The benefit report (``kerjasama benefit``): what an agreement promised and brought, year by year, for the DPRD and
the public, as HTML and PDF, in the region's language or English; the region's page; the public site's part of it.

The figures are real, public facts about Kota Padang's ties (the sources are those of workflow/data/demo_indicators.csv
and the Fremantle tie's press coverage); targets are plans, and the days of the cases are constructed like the
sample case's. A year no source gives a figure for has none.
"""
from __future__ import annotations

import html
import json
import re
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner

from cli import cli
from tests import system
from tests.helpers import advance, case_in, open_test_case, path_to
from tests.test_report import CHROMIUM, charts_of, on_a_phone, texts_of
from workflow.actions import add_activity, update_activity
from workflow.agreements import import_agreements
from workflow.i18n import set_language
from workflow.indicators import add_indicator, record_value
from workflow.reports import publish
from workflow.reports.benefit import agreement_html, benefit_report, region_html
from workflow.reports.charts import LEFT, text_width

DAY = date(2026, 11, 23)  # the bureau fixture's clock
# Padang - Hildesheim's activities (the teacher exchange as the demo plans it, the festival stand of
# tests/test_indicators.py): constructed, like the case's days.
TEACHERS = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan", "field": "education",
            "layer": "multidimensional", "fiscal_year": 2024, "cost": 350_000_000, "budget_source": "apbd_opd",
            "output": "10 teachers exchanged", "indicator": "teachers who completed the exchange"}
FESTIVAL = TEACHERS | {"title": "Padang stand at the Hildesheim Pflasterzauber festival",
                       "lead_opd": "Dinas Pariwisata", "field": "culture", "fiscal_year": 2025, "cost": 150_000_000,
                       "budget_source": "partner", "output": "a stand for three days"}
SKEW = "Engagement Global (SKEW), Bonn, 4 October 2023: Padang's deputy mayor Ekos Albar opened the conference"
BUNG_HATTA = "Universitas Bung Hatta, 30 July 2024: lecture of a HAWK Hildesheim student under the sister-city tie"
LANGGAM = "Langgam.id, 2 November 2025: the Indonesian Evening in Hildesheim's Rathaus on 30 October 2025"
IDBC = "Indonesian Diaspora Business Council, May 2017: the 20-year celebration in Padang with Fremantle's mayor"


@pytest.fixture
def language():
    """Set the language as the command line does; English, as every test speaks it, again afterwards."""
    yield lambda code: set_language(code, chosen=True)
    set_language("en", chosen=True)


def hildesheim(bureau) -> str:
    """The Padang - Hildesheim case in force since 2023 with two activities done (one of unknown cost) and three
    indicators with the figures public sources give."""
    ref = open_test_case(bureau, on=date(2023, 1, 16))
    for event in path_to("in_force"):
        advance(bureau, ref, event, **(TEACHERS if event == "activity_planned" else {}))
    add_activity(bureau, ref, actor="siti", on=date(2024, 6, 3), **FESTIVAL)
    update_activity(bureau, ref, 1, actor="siti", status="done", on=date(2024, 8, 15), spent=318_500_000)
    update_activity(bureau, ref, 2, actor="siti", status="done", on=date(2025, 8, 30))  # its cost never reported
    add_indicator(bureau, ref, "events_held", actor="siti", on=date(2023, 6, 1), baseline="0", baseline_year=2022,
                  targets={2024: "1", 2025: "2", 2026: "2"})
    add_indicator(bureau, ref, "delegations_sent", actor="siti", on=date(2023, 6, 1),
                  targets={2023: "1", 2024: "1", 2025: "1"})
    add_indicator(bureau, ref, "students_exchanged", actor="siti", on=date(2023, 6, 1), targets={2024: "2"})
    record_value(bureau, ref, 2, year=2023, value="1", source=SKEW, actor="siti", on=date(2023, 10, 4))
    record_value(bureau, ref, 1, year=2024, value="1", source=BUNG_HATTA, actor="siti", on=date(2024, 7, 30))
    record_value(bureau, ref, 3, year=2024, value="1", source=BUNG_HATTA, actor="siti", on=date(2024, 7, 30))
    record_value(bureau, ref, 1, year=2025, value="1", source=LANGGAM, actor="siti", on=date(2025, 11, 2))
    return ref


def cells(row: str) -> list[str]:
    """The cells of a table row's HTML, as the text they show."""
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def year_row(page: str, name: str, year: int) -> list[str]:
    """The cells of ``year``'s row in the table of indicator ``name``, as text."""
    section = page.split(f"<h3>{html.escape(name)} ")[1].split("</table>")[0]
    return cells(re.search(rf'<tr data-year="{year}">(.*?)</tr>', section, re.S)[1])


def test_each_indicator_shows_its_figures_year_by_year_with_their_targets_and_sources(bureau):
    ref = hildesheim(bureau)
    page = agreement_html(bureau, ref)
    assert year_row(page, "Joint events held", 2024) == ["2024", "1", "1", "100%", BUNG_HATTA]
    assert year_row(page, "Joint events held", 2025) == ["2025", "2", "1", "50%", LANGGAM]
    assert year_row(page, "Delegations sent to the partner", 2023) == ["2023", "1", "1", "100%", SKEW]
    assert "Baseline (2022)" in page and "Measures activity" not in page.split("Joint events held")[1][:300]
    what_was_promised = page.split("What was promised")[1].split("What was done")[0]
    for promised in ("Exchange of secondary-school teachers", "10 teachers exchanged", "a stand for three days",
                     "2024: 1; 2025: 2; 2026: 2", "0 (2022)", "5 years", "cultural exchange, education"):
        assert promised in html.unescape(what_was_promised), promised
    charts = charts_of(page)
    assert len(charts) == 3 + 1  # an indicator each, and the costs
    events = charts[0]
    assert {shown for shown, _tip in texts_of(events, "unit")} == {"events"}
    assert {"target 1", "target 2"} <= {shown for shown, _tip in texts_of(events, "value")}
    assert len(re.findall(r'class="tick"', events)) >= 2


def test_a_year_without_a_figure_is_not_recorded_never_a_zero(bureau):
    ref = hildesheim(bureau)
    page = agreement_html(bureau, ref)
    assert year_row(page, "Delegations sent to the partner", 2024) == ["2024", "1", "not recorded", "-", ""]
    assert year_row(page, "Joint events held", 2026) == ["2026", "2", "not recorded", "-", ""]
    delegations = charts_of(page)[1]
    groups = re.findall(r'<g class="group">(.*?)</g>', delegations, re.S)
    by_year = {texts_of(group)[0][0]: group for group in groups}
    assert 'class="figure"' in by_year["2023"] and 'class="figure"' not in by_year["2024"]  # no bar, not a zero bar
    assert ("not recorded", None) in texts_of(by_year["2024"], "missing")
    assert "0" not in [shown for shown, _tip in texts_of(delegations, "value")]


def test_a_cost_not_recorded_is_counted_as_unknown_never_as_nothing(bureau):
    ref = hildesheim(bureau)
    page = agreement_html(bureau, ref)
    costs = page.split("<h2>Costs by budget source</h2>")[1].split("</table>")[0]
    partner = cells(re.search(r'<tr data-source="partner">(.*?)</tr>', costs, re.S)[1])
    assert partner == ["The partner", "1", "Rp150.000.000,00", "not recorded", "1"]
    total = cells(re.search(r'<tr class="total">(.*?)</tr>', costs, re.S)[1])
    assert total == ["Total", "2", "Rp500.000.000,00",
                     "Rp318.500.000,00 and 1 activity(ies) whose cost is not recorded", "1"]
    chart = charts_of(page)[-1]
    assert "spent: not recorded for the 1 activity(ies) carried out" in [s for s, _tip in texts_of(chart, "missing")]
    assert "spent Rp318.500.000,00" in [s for s, _tip in texts_of(chart, "value")]
    done = page.split("<h2>What was done</h2>")[1].split("</table>")[0]
    assert "Padang stand at the Hildesheim Pflasterzauber festival" in done and "not recorded" in done


def test_the_dormant_years_are_those_since_signing_without_an_activity_carried_out(bureau):
    ref = hildesheim(bureau)
    page = agreement_html(bureau, ref)
    section = page.split("<h2>Dormant years</h2>")[1]
    assert "A dormant year is a year since the signing in which no activity was carried out." in section
    assert "Dormant years: 2023, 2026." in section  # signed in 2023; activities done in 2024 and 2025
    assert re.search(r'<tr data-year="2026"><td>2026 <span class="muted">\(to 23 November 2026\)', section)
    # As the record stood at the end of 2024: the festival stand not yet done, its figure not yet recorded.
    earlier = agreement_html(bureau, ref, date(2024, 12, 31))
    assert "Dormant years: 2023." in earlier and LANGGAM not in earlier
    assert "Pflasterzauber festival" not in earlier.split("<h2>What was done</h2>")[1].split("</table>")[0]


def test_the_years_before_an_agreement_was_entered_from_the_register_are_not_counted_as_dormant(bureau, tmp_path):
    """Padang and Hildesheim's administrative cooperation of 20 June 1988 (Stadt Hildesheim, "Partnerstädte: Padang"),
    entered from the bureau's register, which lists no activities; one carried out since is on record."""
    register = tmp_path / "register.csv"
    register.write_text("ref,title,partner,country,partner_type,instrument,mou_signed,status,status_as_of,source\n"
                        "KS-1988-0001,Kerja sama administrasi Padang - Hildesheim,Hildesheim,DE,city,other,1988-06-20,"
                        "active,2018-11-28,https://stadt-hildesheim.de/rathaus-verwaltung/partnerstaedte/"
                        "padang-indonesien\n", encoding="utf-8")
    import_agreements(bureau, register, actor="siti")
    add_activity(bureau, "KS-1988-0001", actor="siti", on=date(2026, 1, 12), **(TEACHERS | {"fiscal_year": 2026}))
    update_activity(bureau, "KS-1988-0001", 1, actor="siti", status="done", on=date(2026, 3, 2), spent=300_000_000)
    page = agreement_html(bureau, "KS-1988-0001")
    section = html.unescape(page.split("<h2>Dormant years</h2>")[1])
    assert "No activity is on record for 1988, 1989, " in section
    assert ", 2024, 2025: the agreement was entered from the bureau's register on " in section
    assert "Dormant years:" not in section and '<tr data-year="2026"><td>2026' in section
    assert re.search(r'<tr data-year="1990">.*?not on record', section, re.S)
    assert "<li>Dormant years<b>0</b></li>" in page and "None of the years whose activities are on record." in page
    region = region_html(bureau)
    assert re.search(r'<tr data-ref="KS-1988-0001">.*?<td class="years-list">none</td>', region, re.S)


def fremantle(bureau) -> str:
    """Padang's tie with Fremantle (friendship city since 1996; an LoI of 3 May 2017), taken as an agreement in force
    from 2017, with the figures of its 20-year celebration in Padang."""
    ref = case_in(bureau, "in_force", on=date(2017, 1, 9), partner_name="Fremantle", country="AU",
                  title="Sister city Padang - Fremantle")
    add_indicator(bureau, ref, "events_held", actor="siti", on=date(2017, 6, 1), targets={2017: "1", 2026: "1"})
    record_value(bureau, ref, 1, year=2017, value="1", source=IDBC, actor="siti", on=date(2017, 6, 1))
    add_indicator(bureau, ref, "delegations_received", actor="siti", on=date(2017, 6, 1), targets={2026: "1"})
    record_value(bureau, ref, 2, year=2017, value="1", source=IDBC, actor="siti", on=date(2017, 6, 1))
    add_indicator(bureau, ref, None, name="UMKM yang ikut pameran di Fremantle", unit="UMKM", actor="siti",
                  on=date(2017, 6, 1), targets={2026: "5"})
    return ref


def total_rows(page: str, name: str, unit: str) -> dict[int, list[str]]:
    heading = f"<h3>{html.escape(name)} <span class=\"muted\">({html.escape(unit)})</span></h3>"
    assert page.count(heading) == 1, (name, unit)
    table = page.split(heading)[1].split("</table>")[0]
    return {int(year): cells(row) for year, row in re.findall(r'<tr data-year="(\d+)">(.*?)</tr>', table, re.S)}


def test_the_regions_page_adds_up_only_one_indicator_in_one_unit(bureau):
    padang = hildesheim(bureau)
    add_indicator(bureau, padang, "delegations_received", actor="siti", unit="people", on=date(2024, 1, 8),
                  targets={2026: "5"})  # the people of the delegations, not the delegations: not added to them
    add_indicator(bureau, padang, None, name="UMKM yang ikut pameran di Hildesheim", unit="UMKM", actor="siti",
                  on=date(2024, 1, 8), targets={2026: "12"})
    other = fremantle(bureau)
    case_in(bureau, "loi_signed", partner_name="Nantes", country="FR", title="Sister city Nantes")  # an LoI only
    page = region_html(bureau)
    rows = re.findall(r'<tr data-ref="([\w-]+)">', page)
    assert rows == [other, padang]  # in force, with activities or indicators; not the LoI
    events = total_rows(page, "Joint events held", "events")
    assert events[2017] == ["2017", "1", "1 of 2", "1", "1 of 2"]
    assert events[2020] == ["2020", "-", "0 of 2", "not recorded", "0 of 2"]
    assert events[2025] == ["2025", "2", "1 of 2", "1", "1 of 2"]
    assert events[2026] == ["2026", "3", "2 of 2", "not recorded", "0 of 2"]  # both aim at it: the targets add up
    assert total_rows(page, "Delegations of the partner received", "delegations")[2017][3] == "1"
    assert total_rows(page, "Delegations of the partner received", "people")[2026][1] == "5"
    assert total_rows(page, "UMKM yang ikut pameran di Hildesheim", "UMKM")[2026][1] == "12"
    assert total_rows(page, "UMKM yang ikut pameran di Fremantle", "UMKM")[2026][1] == "5"
    costs = page.split("<h2>Costs by budget source</h2>")[1]
    assert '<tr data-source="apbd_opd">' in costs and '<tr data-source="partner">' in costs
    assert "Rp850.000.000,00" in costs  # the plans of both: 350 + 150 million for Hildesheim, 350 for Fremantle


def test_the_english_report_has_english_headings_and_the_indonesian_one_the_regions_words(bureau, language):
    ref = hildesheim(bureau)
    language("en")
    english = agreement_html(bureau, ref)
    assert '<html lang="en">' in english
    for heading in ("What was promised", "What was done", "The indicators year by year", "Costs by budget source",
                    "Official trips abroad", "Dormant years"):
        assert f">{heading}</h" in english, heading
    assert "Joint events held" in english and "15 August 2024" in english
    language("id")
    indonesian = agreement_html(bureau, ref)
    assert '<html lang="id">' in indonesian
    assert "Kegiatan bersama yang diselenggarakan" in indonesian and "15 Agustus 2024" in indonesian
    assert "Jerman" in indonesian and "Rp318.500.000,00" in indonesian


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_the_pdf_has_pages_and_the_indicators_in_its_text(bureau, db_url, tmp_path):
    ref = hildesheim(bureau)
    path = tmp_path / "benefit.pdf"
    result = CliRunner().invoke(cli, ["--db", db_url, "--config", "/dev/null", "benefit", ref, "--pdf", "-o",
                                      str(path), "--on", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3 and all(p.stat().st_size > 5_000 for p in pages)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    for name in ("Joint events held", "Delegations sent to the partner", "Students exchanged", "Dormant years",
                 "not recorded", "Rp318.500.000,00"):
        assert name in text, name
    region = tmp_path / "region.pdf"
    assert benefit_report(bureau, None, DAY, pdf=True).startswith(b"%PDF")
    region.write_bytes(benefit_report(bureau, None, DAY, pdf=True))
    assert "Joint events held" in subprocess.run(["pdftotext", str(region), "-"], capture_output=True,
                                                 text=True).stdout


def test_the_command_writes_html_to_stdout_or_a_file_and_a_pdf_only_to_a_file(bureau, db_url, tmp_path):
    ref = hildesheim(bureau)

    def kerjasama(*args):
        return CliRunner().invoke(cli, ["--db", db_url, "--config", "/dev/null", *args])

    shown = kerjasama("benefit", ref, "--on", DAY.isoformat())
    assert shown.exit_code == 0 and shown.stdout.startswith("<!DOCTYPE html>") and "Joint events held" in shown.stdout
    assert kerjasama("benefit", "-o", str(tmp_path / "region.html")).exit_code == 0
    assert "Benefits of the foreign cooperation of Kota Padang" in (tmp_path / "region.html").read_text()
    english = kerjasama("--lang", "en", "benefit", ref, "-o", str(tmp_path / "en.html"))
    assert english.exit_code == 0 and english.stderr == f"Wrote {tmp_path / 'en.html'}\n"
    pdf = kerjasama("benefit", ref, "--pdf")
    assert pdf.exit_code == 2 and "A PDF goes to a file: give -o PATH." in pdf.stderr
    future = kerjasama("benefit", ref, "--on", "2099-01-01")
    assert future.exit_code == 1 and future.stderr.startswith("Error: --on 2099-01-01 is in the future (today is ")
    unknown = kerjasama("benefit", "KS-2099-0001")
    assert unknown.exit_code == 1 and len(unknown.stderr.strip().splitlines()) == 1
    loi = case_in(bureau, "exploring", partner_name="Nantes", country="FR", title="Sister city Nantes")
    early = kerjasama("benefit", loi)
    assert early.exit_code == 1 and early.stderr.strip() == (
        f"Error: {loi} has no agreement or letter of intent signed yet: there is nothing to report on.")


def test_the_public_page_shows_the_indicators_and_costs_but_nothing_internal(bureau, tmp_path):
    ref = hildesheim(bureau)
    advance(bureau, ref, "case_suspended", note="INTERNAL: wait for the new Wali Kota")
    advance(bureau, ref, "case_resumed")
    written = publish(bureau, tmp_path / "site", DAY)
    page = (tmp_path / "site" / f"{ref}.html").read_text(encoding="utf-8")
    assert year_row(page, "Joint events held", 2025) == ["2025", "2", "1", "50%", LANGGAM]
    assert year_row(page, "Delegations sent to the partner", 2024) == ["2024", "1", "not recorded", "-", ""]
    assert '<tr data-source="partner">' in page and "Rp318.500.000,00" in page
    everything = "".join(p.read_text(encoding="utf-8") for p in written)
    for internal in ("INTERNAL", "siti", "tester", "Measures activity", "Proved by document", "documents/"):
        assert internal not in everything, internal
    document = json.loads((tmp_path / "site" / "register.json").read_text(encoding="utf-8"))
    [agreement] = [a for a in document["agreements"] if a["ref"] == ref]
    events = next(i for i in agreement["indicators"] if i["code"] == "events_held")
    assert [(r["year"], r["value"], r["source"]) for r in events["rows"]] == [
        (2024, "1", BUNG_HATTA), (2025, "1", LANGGAM), (2026, None, None)]
    assert (agreement["costs"]["spent"], agreement["costs"]["unknown"]) == (318_500_000, 1)


@pytest.mark.needs("chromium")
def test_in_chromium_the_charts_keep_their_text_and_the_pages_fit_a_phone(bureau, tmp_path):
    ref = hildesheim(bureau)
    fremantle(bureau)
    publish(bureau, tmp_path / "site", DAY)
    pages = [tmp_path / "agreement.html", tmp_path / "region.html", tmp_path / "site" / f"{ref}.html"]
    pages[0].write_text(agreement_html(bureau, ref), encoding="utf-8")
    pages[1].write_text(region_html(bureau), encoding="utf-8")
    for page in pages:
        measured = on_a_phone(page, tmp_path)
        assert measured["width"] <= 375 and measured["content"] <= measured["width"], (page.name, measured)
        assert measured["cut"] == [], page.name
        for svg in charts_of(page.read_text(encoding="utf-8")):
            width = int(re.search(r'viewBox="0 0 (\d+)', svg)[1])
            for line in re.findall(r"<tspan[^>]*>(.*?)</tspan>", svg):
                assert text_width(html.unescape(line)) <= width - LEFT, line
    shot = tmp_path / "agreement.png"
    subprocess.run([*CHROMIUM, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,1600",
                    f"--screenshot={shot}", pages[0].as_uri()], check=True, capture_output=True, timeout=120)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
