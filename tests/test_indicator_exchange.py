"""Indicators travel with the register, losslessly: in the whole-database backup (``kerjasama export`` / ``import``),
and in the register a bureau keeps: the workbook's indicator sheet and its CSV (``kerjasama register --indicators
--csv``), read back by ``kerjasama import``, all rows or none, and nothing twice."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from cli import cli

from db.models import Event
from tests.conftest import close_bureau, make_bureau, make_url
from tests.helpers import advance, open_test_case, path_to
from workflow.actions import add_activity, record_evaluation, update_activity
from workflow.agreements import export_all, import_agreements, import_all, import_file, indicator_csv, register_workbook
from workflow.agreements.indicator_table import COLUMNS, indicator_rows
from workflow.agreements.spreadsheet import sheets
from workflow.audit import verify
from workflow.documents import add as archive
from workflow.errors import InvalidInput
from workflow.indicators import add_indicator, indicators_of, record_value, set_targets

# Real agreements of Kota Padang (tests/data/real-agreements.csv, rows 52-54): the administrative cooperation with
# Hildesheim founded on 20 June 1988, the friendship city with Fremantle of 1996 (dormant), and the LoI of 3 May 2017.
HILDESHEIM, FREMANTLE, LOI = "KS-1988-0001", "KS-1996-0001", "KS-2017-0001"
REGISTER = (
    "ref,title,partner,country,partner_type,instrument,loi_signed,mou_signed,status,source\n"
    f"{HILDESHEIM},Administrative cooperation Padang - Hildesheim,Hildesheim,DE,city,other,,1988-06-20,active,"
    "https://stadt-hildesheim.de/rathaus-verwaltung/partnerstaedte/padang-indonesien\n"
    f"{FREMANTLE},Friendship city Padang - Fremantle,Fremantle,AU,city,other,,1996,dormant,"
    "https://opera.liputan6.com/global/read/2943996/padang-jadi-sister-city-kota-fremantle-di-australia-barat\n"
    f"{LOI},Sister city Padang - Fremantle (LoI),Fremantle,AU,city,loi,2017-05-03,,loi_only,"
    "https://andalaspos.com/padang-dan-australia-barat-satukan-niat/\n")
TEACHERS = {"title": "Exchange of secondary-school teachers", "lead_opd": "Dinas Pendidikan", "field": "education",
            "layer": "multidimensional", "fiscal_year": 2026, "cost": 350_000_000, "budget_source": "apbd_opd",
            "output": "10 teachers exchanged", "indicator": "teachers who completed the exchange"}
HAWK = "Mahasiswa Universitas Bung Hatta yang menyelesaikan studi di HAWK Hildesheim"


def measured(bureau, tmp_path) -> None:
    """Indicators of every kind on the register: a catalogue one with a baseline and targets set twice, figures with
    decimals, one known to its month, one replaced by a later one, one proved by an archived report; the bureau's
    own indicator of an activity; a figure of the dormant friendship city."""
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    import_agreements(bureau, path, actor="siti")
    add_activity(bureau, HILDESHEIM, actor="siti", on=date(2025, 6, 16), **TEACHERS)
    add_indicator(bureau, HILDESHEIM, "teachers_exchanged", actor="siti", on=date(2025, 7, 14), baseline="0",
                  baseline_year=2024, targets={2026: "10", 2027: "12"})
    set_targets(bureau, HILDESHEIM, 1, {2027: "15", 2028: "15"}, actor="siti", on=date(2025, 8, 1))
    record_value(bureau, HILDESHEIM, 1, year=2026, value="7", source="Laporan sementara Dinas Pendidikan",
                 actor="siti", on=date(2026, 7, 1))
    report = tmp_path / "laporan-disdik-2026.pdf"
    report.write_bytes(b"%PDF-1.4 Laporan Dinas Pendidikan Kota Padang 2026")
    number = archive(bureau, None, HILDESHEIM, report, kind="activity_evidence", on=date(2026, 11, 20))["id"]
    record_value(bureau, HILDESHEIM, 1, year=2026, value="8", source="Laporan Dinas Pendidikan 2026", actor="siti",
                 on=date(2026, 11, 20), document=str(number))
    add_indicator(bureau, HILDESHEIM, None, actor="siti", on=date(2025, 7, 14), name=HAWK, unit="persen",
                  activity=1, baseline="62,5", baseline_year=2024, targets={2026: "75,00"})
    record_value(bureau, HILDESHEIM, 2, year=2026, value="87,50", source="Laporan HAWK Hildesheim", actor="siti",
                 on=date(2026, 10, 1), precision="month")
    add_indicator(bureau, FREMANTLE, "delegations_received", actor="siti", on=date(2024, 3, 1))
    record_value(bureau, FREMANTLE, 1, year=2023, value="1", source="Arsip Bagian Kerja Sama", actor="siti",
                 on=date(2024, 3, 1))


@pytest.fixture
def other(db_url, tmp_path):
    """A second, empty database of Kota Padang on the same backend."""
    url, drop = make_url("postgresql" if db_url.startswith("postgresql") else "sqlite", tmp_path)
    bureau = make_bureau(url)
    yield bureau
    close_bureau(bureau)
    drop()


def table(bureau, refs=(HILDESHEIM, FREMANTLE, LOI)) -> list[dict]:
    return indicator_rows(bureau, list(refs))


def events(bureau) -> int:
    with bureau.db.session() as session:
        return session.scalar(select(func.count()).select_from(Event))


def problems(bureau) -> list:
    report = verify(bureau)
    return report["problems"] + report["broken"]


# The whole-database backup


def test_an_export_carries_indicators_figures_costs_and_evaluations_and_restores_them(bureau, other, tmp_path):
    measured(bureau, tmp_path)
    update_activity(bureau, HILDESHEIM, 1, actor="siti", on=date(2026, 11, 20), status="done", spent=318_500_000)
    record_evaluation(bureau, HILDESHEIM, actor="siti", on=date(2026, 11, 23), kind="annual",
                      recommendation="continue", period_from=date(2026, 1, 1), period_to=date(2026, 11, 23))
    first = export_all(bureau)
    tables = first["tables"]
    assert [v["value"] for v in tables["indicator_values"]] == ["7", "8", "87.50", "1"]
    assert tables["indicator_values"][2]["precision"] == "month" and tables["indicator_values"][1]["document_sha256"]
    assert tables["indicators"][1]["baseline"] == "62.5" and tables["indicators"][1]["targets"] == {"2026": "75.00"}
    assert tables["activities"][0]["spent"] == 318_500_000 and tables["evaluations"][0]["figures"]["indicators"]
    import_all(other, first)
    again = export_all(other)
    assert {k: v for k, v in again.items() if k != "exported_at"} == \
        {k: v for k, v in first.items() if k != "exported_at"}
    assert problems(other) == []
    assert indicators_of(other, HILDESHEIM) == indicators_of(bureau, HILDESHEIM)


def test_an_export_whose_figure_differs_from_its_sealed_event_is_refused_whole(bureau, other, tmp_path):
    measured(bureau, tmp_path)
    exported = export_all(bureau)
    exported["tables"]["indicator_values"][1]["value"] = "80"
    with pytest.raises(InvalidInput, match="Figure 2 of the export .* is not the one its event records"):
        import_all(other, exported)
    assert events(other) == 0


def test_an_export_of_before_indicators_restores_without_them(bureau, other, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    import_agreements(bureau, path, actor="siti")
    add_activity(bureau, HILDESHEIM, actor="siti", on=date(2025, 6, 16), **TEACHERS)
    exported = export_all(bureau) | {"schema": "0010"}  # as kerjasama wrote it before indicators and costs
    for name in ("indicators", "indicator_values"):
        del exported["tables"][name]
    del exported["tables"]["activities"][0]["spent"]
    assert import_all(other, exported)["indicators"] == 0
    assert export_all(other)["tables"]["activities"][0]["spent"] is None
    assert problems(other) == []


# The register a bureau keeps


def test_the_indicator_sheet_and_csv_round_trip_as_written(bureau, other, tmp_path):
    measured(bureau, tmp_path)
    rows = table(bureau)
    hildesheim = [r for r in rows if r["ref"] == HILDESHEIM]
    assert [(r["indicator"], r["kind"], r["year"], r["value"]) for r in hildesheim] == [
        (1, "baseline", 2024, "0"), (1, "target", 2026, "10"), (1, "target", 2027, "15"), (1, "target", 2028, "15"),
        (1, "figure", 2026, "7"), (1, "figure", 2026, "8"),
        (2, "baseline", 2024, "62,5"), (2, "target", 2026, "75,00"), (2, "figure", 2026, "87,50")]
    assert [r["on"] for r in hildesheim if r["indicator"] == 1 and r["kind"] == "target"] == [
        "2025-07-14", "2025-08-01", "2025-08-01"]  # 2027's target was set again on 1 August
    assert (hildesheim[-1]["on"], hildesheim[-1]["precision"], hildesheim[-1]["activity"]) == ("2026-10", "month", 1)
    assert hildesheim[5]["document_sha256"] and hildesheim[6]["name"] == HAWK
    workbook = tmp_path / "register.xlsx"
    workbook.write_bytes(register_workbook(bureau))
    assert [t.title for t in sheets(workbook)] == ["Agreements", "Flags", "Indicators"]
    assert sheets(workbook)[2].header == list(COLUMNS)
    with pytest.raises(InvalidInput, match="has no archived document"):  # the archive is not part of a register
        import_file(other, workbook, actor="siti")
    proof = next(r for r in rows if r["document_sha256"])
    no_document = tmp_path / "indikator.csv"
    no_document.write_text(indicator_csv(bureau).replace(proof["document_sha256"], ""), encoding="utf-8")
    register_only = tmp_path / "register-only.csv"
    register_only.write_text(REGISTER, encoding="utf-8")
    import_agreements(other, register_only, actor="siti")
    add_activity(other, HILDESHEIM, actor="siti", on=date(2025, 6, 16), **TEACHERS)
    result = import_file(other, no_document, actor="siti")["indicators"]
    assert (result["indicators"], result["targets"], result["figures"], result["on_record"]) == (3, 4, 4, 0)
    expected = [r | {"document_sha256": None} if r is proof else r for r in rows]
    assert table(other) == expected
    assert indicator_csv(other) == no_document.read_text(encoding="utf-8")
    assert problems(other) == []


def test_a_workbook_loads_the_register_and_its_indicators_together(bureau, other, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    import_agreements(bureau, path, actor="siti")
    add_indicator(bureau, HILDESHEIM, "students_exchanged", actor="siti", on=date(2025, 7, 14), baseline="0",
                  baseline_year=2024, targets={2026: "4"})
    record_value(bureau, HILDESHEIM, 1, year=2026, value="3", source="Laporan Universitas Bung Hatta",
                 actor="siti", on=date(2026, 9, 1))
    add_indicator(bureau, FREMANTLE, None, actor="siti", on=date(2024, 3, 1), name="Kunjungan wisatawan Fremantle",
                  unit="wisatawan")
    record_value(bureau, FREMANTLE, 1, year=2023, value="1.250", source="Dinas Pariwisata", actor="siti",
                 on=date(2024, 1, 1), precision="year")
    workbook = tmp_path / "register.xlsx"
    workbook.write_bytes(register_workbook(bureau))
    checked = import_file(other, workbook, actor="siti", dry_run=True)
    assert (len(checked["would_import"]), checked["indicators"]["indicators"]) == (3, 2) and events(other) == 0
    result = import_file(other, workbook, actor="siti")
    assert result["imported"] == 3 and result["indicators"]["figures"] == 2
    assert table(other) == table(bureau)
    assert table(other)[-1]["value"] == "1250" and table(other)[-1]["on"] == "2024"
    before = events(other)
    with pytest.raises(InvalidInput, match="in the database already; to load its indicator sheet alone: "
                                           "kerjasama import .* --indicators"):
        import_file(other, workbook, actor="siti")
    again = import_file(other, workbook, actor="siti", indicators_only=True)["indicators"]
    assert (again["indicators"], again["targets"], again["figures"], again["on_record"]) == (0, 0, 0, 5)
    assert events(other) == before


def test_a_table_imported_again_records_nothing_twice_and_a_new_figure_once(bureau, tmp_path):
    measured(bureau, tmp_path)
    path = tmp_path / "indikator.csv"
    path.write_text(indicator_csv(bureau), encoding="utf-8")
    before, rows = events(bureau), table(bureau)
    assert import_file(bureau, path, actor="siti")["indicators"]["on_record"] == len(rows) == 11
    assert events(bureau) == before and table(bureau) == rows
    with path.open("a", encoding="utf-8") as f:  # the bureau adds the year's final figure to its sheet
        f.write(f"{FREMANTLE},1,,,,,figure,2024,2,2025-02-03,day,Laporan Bagian Kerja Sama 2024,\n")
    assert import_file(bureau, path, actor="siti", dry_run=True)["indicators"]["figures"] == 1
    assert events(bureau) == before
    assert import_file(bureau, path, actor="siti")["indicators"]["figures"] == 1
    assert import_file(bureau, path, actor="siti")["indicators"]["figures"] == 0
    assert events(bureau) == before + 1
    assert indicators_of(bureau, FREMANTLE)[0]["actual"][2024]["value"] == "2"


HEADER = ",".join(COLUMNS) + "\n"
GOOD = f"{HILDESHEIM},1,teachers_exchanged,,,,baseline,2024,0,2025-07-14,,,\n"


@pytest.mark.parametrize("rows, message", [
    ("KS-1990-0009,1,tourists,,,,baseline,,,2025-07-14,,,\n",
     "indikator.csv:3: KS-1990-0009 is neither in the database nor among the agreements of the file"),
    (f"{HILDESHEIM},2,happiness,,,,baseline,,,2025-07-14,,,\n", "indikator.csv:3: code: happiness is not"),
    (f"{HILDESHEIM},1,,,,,target,2026,12.50,2025-07-14,,,\n",
     "indikator.csv:3: value 12.50 is not a figure: \".\" separates thousands"),
    (f"{HILDESHEIM},1,,,,,figure,2026,8,2026-11-20,,,\n", "indikator.csv:3: a figure needs its source"),
    (f"{HILDESHEIM},1,,,,,figure,2026,8,2026-11-20,week,Laporan,\n", "precision must be one of day, month, year"),
    (f"{HILDESHEIM},1,,,,,figure,2026,8,2026-11-20,month,Laporan,\n", "on 2026-11-20 is not of precision month"),
    (f"{HILDESHEIM},1,,,,,figure,2026,8,2027-01-02,,Laporan,\n", "indikator.csv:3: a date lies in the future"),
    (f"{HILDESHEIM},1,,,,,goal,2026,8,2026-11-20,,,\n", "kind must be one of baseline, target, figure"),
    (f"{HILDESHEIM},4,tourists,,,,baseline,,,2025-07-14,,,\n",
     "indikator.csv:3: the next indicator of KS-1988-0001 is number 3"),
    (f"{HILDESHEIM},3,,,,,figure,2026,8,2026-11-20,,Laporan,\n",
     "KS-1988-0001 has no indicator 3; a new indicator is added by its row of kind baseline"),
    (f"{HILDESHEIM},3,own,,orang,,baseline,,,2025-07-14,,,\n", "a new indicator needs its code of the catalogue"),
    (f"{HILDESHEIM},3,tourists,,,4,baseline,,,2025-07-14,,,\n", "KS-1988-0001 has no activity 4"),
    (f"{HILDESHEIM},2,,,orang,,baseline,2024,\"62,5\",2025-07-14,,,\n",
     "indicator 2 of KS-1988-0001 is on record otherwise (code own, name"),
    (f"{HILDESHEIM},1,,,,,target,2026,11,2025-07-14,,,\n",
     "indikator.csv:3: indicator 1 of KS-1988-0001 has the target 10 for 2026 on record"),
    (f"{HILDESHEIM},1,,,,,figure,2026,9,2026-11-20,,Laporan lain,\n",
     "has the figure 8 for 2026 established on 2026-11-20 on record"),
    (f"{HILDESHEIM},1,students_exchanged,,,,target,2029,20,2025-07-14,,,\n",
     "code students_exchanged is not that of indicator 1 of KS-1988-0001 (teachers_exchanged)"),
    (f"{HILDESHEIM},1,,,,,target,2029,20,2025-07-14,,,\n{HILDESHEIM},1,,,,,target,2029,21,2025-08-01,,,\n",
     "indikator.csv:4: the target of 2029 is given twice ("),
    (f"{HILDESHEIM},3,tourists,,,,baseline,,,1987-01-05,,,\n", "1987-01-05 is before KS-1988-0001 was opened"),
    (f"{HILDESHEIM},1,,,,,figure,2026,8,2026-11-20,,Laporan,{'ab' * 31}\n", "document_sha256 must be the 64"),
])
def test_a_bad_row_is_refused_in_one_line_naming_the_file_and_row_and_nothing_is_written(bureau, tmp_path, rows,
                                                                                         message):
    measured(bureau, tmp_path)
    path = tmp_path / "indikator.csv"
    new = f"{FREMANTLE},2,tourists,,,,baseline,,,2025-07-14,,,\n"  # a good row before: not written either
    path.write_text(HEADER + new + rows, encoding="utf-8")
    before = events(bureau)
    with pytest.raises(InvalidInput) as refused:
        import_file(bureau, path, actor="siti")
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert str(refused.value).startswith("Nothing imported: ")
    assert events(bureau) == before
    checked = import_file(bureau, path, actor="siti", dry_run=True)["indicators"]
    assert checked["problems"] and message in checked["problems"][0]


def test_a_change_refused_while_recording_leaves_the_rest_to_importing_again(bureau, other, tmp_path, monkeypatch):
    import workflow.agreements.indicator_import as importing

    measured(bureau, tmp_path)
    path = tmp_path / "indikator.csv"
    path.write_text(indicator_csv(bureau, country="AU"), encoding="utf-8")  # Fremantle's
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    import_agreements(other, register, actor="siti")

    def refused(*args, **kwargs):
        raise InvalidInput("the database went away.")

    monkeypatch.setattr(importing, "record_value", refused)
    with pytest.raises(InvalidInput, match="indikator.csv: 1 of 2 indicator changes recorded, then: the database "
                                           "went away; import the file again to record the rest"):
        import_file(other, path, actor="siti")
    monkeypatch.undo()
    assert import_file(other, path, actor="siti")["indicators"]["on_record"] == 1
    assert table(other) == table(bureau, [FREMANTLE])


def test_an_agreement_list_is_not_taken_for_an_indicator_table(bureau, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")
    with pytest.raises(InvalidInput, match="holds no indicator table"):
        import_file(bureau, path, actor="siti", indicators_only=True)
    wrong = tmp_path / "indikator.csv"
    wrong.write_text("ref,indicator,kind,value,colour\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="an indicator table has the columns ref, indicator, code.*colour is not"):
        import_file(bureau, wrong, actor="siti")


def test_the_csv_of_an_indonesian_excel_is_read_and_a_formula_cell_stays_text(bureau, tmp_path):
    measured(bureau, tmp_path)
    path = tmp_path / "indikator.csv"
    path.write_text(indicator_csv(bureau, excel=True)[1:], encoding="utf-8-sig")  # with its byte-order mark
    assert import_file(bureau, path, actor="siti")["indicators"]["on_record"] == 11
    with path.open("a", encoding="utf-8") as f:
        f.write(f"{FREMANTLE};1;;;;;figure;2024;3;2025-02-03;;'=Laporan Bagian Kerja Sama;\n")
    import_file(bureau, path, actor="siti")
    assert indicators_of(bureau, FREMANTLE)[0]["actual"][2024]["source"] == "=Laporan Bagian Kerja Sama"
    written = list(csv.reader(io.StringIO(indicator_csv(bureau))))
    assert written[-1][COLUMNS.index("source")] == "'=Laporan Bagian Kerja Sama"  # inert in a spreadsheet


def test_a_figure_typed_as_a_number_in_the_workbook_keeps_its_decimals(bureau, tmp_path):
    measured(bureau, tmp_path)
    path = tmp_path / "register.xlsx"
    path.write_bytes(register_workbook(bureau))
    book = load_workbook(path)
    book["Indicators"].append([FREMANTLE, 1, None, None, None, None, "figure", 2024, 2.125,
                               date(2025, 2, 3), None, "Laporan Bagian Kerja Sama 2024"])
    book.save(path)
    assert import_file(bureau, path, actor="siti", indicators_only=True)["indicators"]["figures"] == 1
    assert indicators_of(bureau, FREMANTLE)[0]["actual"][2024]["value"] == "2.125"  # not 2125


def test_the_register_as_it_stood_has_the_indicators_as_they_stood(bureau, tmp_path):
    measured(bureau, tmp_path)
    rows = indicator_rows(bureau, [HILDESHEIM], on=date(2025, 7, 31))
    assert [(r["indicator"], r["kind"], r["year"], r["value"]) for r in rows] == [
        (1, "baseline", 2024, "0"), (1, "target", 2026, "10"), (1, "target", 2027, "12"),
        (2, "baseline", 2024, "62,5"), (2, "target", 2026, "75,00")]


@pytest.fixture
def run(db_url, tmp_path):
    """kerjasama on the test database, as tests/commands/conftest.py runs it."""
    config = tmp_path / "config.toml"
    config.touch()

    def invoke(*args, ok=True):
        result = CliRunner().invoke(cli, ["--db", db_url, "--config", str(config), *args], catch_exceptions=not ok)
        assert (result.exit_code == 0 or not ok) and "Traceback" not in result.output, result.output
        return result

    invoke("init", "--name", "Kota Padang", "--level", "kota", "--province", "Sumatera Barat")
    return invoke


def test_register_writes_the_indicator_csv_and_import_reads_it(run, tmp_path):
    ref = open_case_in_force(run)
    run("indicator", "add", ref, "teachers_exchanged", "--baseline", "0", "--baseline-year", "2024",
        "--target", "2026=10", "--on", "2025-07-14")
    run("indicator", "record", ref, "1", "--year", "2025", "--value", "2,50", "--source", "Laporan Disdik",
        "--on", "2025-11")
    path = tmp_path / "indikator.csv"
    run("register", "--indicators", "--csv", "-o", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(COLUMNS) and lines[-1].endswith(',figure,2025,"2,50",2025-11,month,Laporan Disdik,')
    result = run("import", str(path))
    assert "0 indicator(s), 0 target(s), 0 figure(s) recorded; 3 row(s) on record already" in result.output
    refused = run("register", "--indicators", ok=False)
    assert refused.exit_code == 2 and "give --indicators --csv" in refused.output
    path.write_text(lines[0] + "\n" + f"{ref},1,,,,,figure,2026,12.5,2026-01-05,,Laporan,\n", encoding="utf-8")
    refused = run("import", str(path), ok=False)
    assert refused.exit_code == 1 and "indikator.csv:2: value 12.5 is not a figure" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    dry = run("import", str(path), "--dry-run", ok=False)
    assert dry.exit_code == 1 and "to record" in dry.output


def open_case_in_force(run) -> str:
    from tests.helpers import carry, open_case

    ref = open_case(run)
    carry(run, ref, path_to("in_force"))
    return ref


def test_an_in_force_case_of_the_procedure_exports_its_indicators_too(bureau):
    ref = open_test_case(bureau, on=date(2023, 1, 16))
    for event in path_to("in_force"):
        advance(bureau, ref, event)
    add_indicator(bureau, ref, "events_held", actor="siti", targets={2026: "2"})
    assert [r["kind"] for r in indicator_rows(bureau, [ref])] == ["baseline", "target"]
