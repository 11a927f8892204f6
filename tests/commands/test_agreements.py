"""`kerjasama import` with malformed files: one clear line, exit code 1, and nothing written, on both databases.

Also the files spreadsheets really write: a byte-order mark, semicolons, CRLF line ends.
"""
from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.models import Case, Event, Partner
from db.session import Database
from workflow.agreements.spreadsheet import Column, Sheet, workbook
from workflow.seal import seal
from tests.helpers import json_of

HEADER = "title,partner,country,partner_type,fields,loi_signed,mou_signed,term_years,status\n"
ROW = "Sister city A,Bremen,DE,city,culture,,2019-05,10,active\n"
AGREEMENT = {"title": "Sister city A", "partner": "Bremen", "country": "DE", "partner_type": "city",
             "fields": ["culture"], "mou_signed": "2019-05", "term_years": 10, "status": "active"}


REGION = {"id": 1, "name": "Kota Padang", "level": "kota", "province": "Sumatera Barat", "head_title": "Wali Kota",
          "council_silence": "deemed_approval", "timezone": "Asia/Jakarta", "dormancy_months": 12,
          "loi_validity_months": 60, "signing_report_days": 30, "loi_lapse": False,
          "created_at": "2020-01-06T00:00:00+00:00", "updated_at": "2020-01-06T00:00:00+00:00"}
OPENED = {"id": 1, "case_id": 1, "seq": 1, "name": "case_opened", "actor": "a", "occurred_on": "2020-01-06",
          "recorded_at": "2020-01-06T00:00:00+00:00", "to_state": "initiated", "data": {}}
OPENED_ROW = Event(**OPENED | {"occurred_on": date(2020, 1, 6),
                               "recorded_at": datetime(2020, 1, 6, tzinfo=timezone.utc)})
SEALED = OPENED | {"hash": seal(OPENED_ROW, None)}
CASE = {"id": 1, "ref": "KS-2020-0001", "title": "Sister city", "kind": "ksdpl", "partner_id": 1, "fields": [],
        "state": "initiated", "opened_on": "2020-01-06", "version": 1, "updated_at": "2020-01-06T00:00:00+00:00"}
PARTNER = {"id": 1, "name": "Hildesheim", "country": "DE", "partner_type": "city"}


def xlsx(*lines: str) -> bytes:
    """CSV lines as Excel holds them: one cell a value, the first line naming the columns; none: an empty sheet."""
    if not lines:
        out = io.BytesIO()
        Workbook().save(out)
        return out.getvalue()
    header, *rows = [line.strip().split(",") for line in lines]
    return workbook([Sheet("Sheet1", [Column(name) for name in header], [dict(zip(header, row)) for row in rows])])


def export(tables, **extra) -> bytes:
    return json.dumps({"format": "kerjasama-export", "schema": "0005", "tables": tables} | extra).encode()


MALFORMED = {  # file name: (content, what the one line must say)
    "empty.csv": (b"", "is empty; an agreement list starts with a line of column names"),
    "latin1.csv": ((HEADER + "Sister city \xe9,Bremen,DE,city,culture,,2019-05,10,active\n").encode("latin-1"),
                   'is not UTF-8 text; save it from the spreadsheet as "CSV UTF-8"'),
    "no-columns.csv": (b"title,country\nA,DE\n", "line 2: title and partner are needed"),
    "extra-value.csv": ((HEADER + ROW.strip() + ",x\n").encode(), "line 2: unknown column (a value past the last"),
    "short-row.csv": ((HEADER + "Sister city A,Bremen\n").encode(), "line 2: partner_type must be one of"),
    "nul.csv": ((HEADER + "Sister\x00 city,Bremen,DE,city,culture,,2019-05,10,active\n").encode(),
                "line 2: title holds a control or text-direction character"),
    "repeated.csv": ((HEADER + ROW + ROW).encode(), "line 3: it repeats line 2 (same title, partner and dates)"),
    "huge-term.csv": ((HEADER + ROW.replace(",10,", "," + "9" * 40 + ",")).encode(),
                      "line 2: term_years must be a number of years up to 30"),
    "odd-digits.csv": ((HEADER + ROW.replace(",10,", ",²,")).encode(), "line 2: term_years must be a number of years"),
    "open-quote.csv": ((HEADER + '"' + ROW).encode(), "line 2: title and partner are needed"),
    "truncated.json": (b'[{"title": "A"', "not JSON"),
    "not-a-workbook.xlsx": ((HEADER + ROW).encode(), "is not an Excel workbook (.xlsx) that can be read"),
    "empty.xlsx": (xlsx(), "is empty; an agreement list starts with a line of column names"),
    "repeated.xlsx": (xlsx(HEADER, ROW, ROW), "line 3: it repeats line 2 (same title, partner and dates)"),
    "numbers.json": (b"[1, 2, 3]", "a list of agreements (objects) is expected"),
    "nested.json": (json.dumps([AGREEMENT | {"fields": [["culture"]]}]).encode(),
                    "line 1: fields must be text, a number or a list of texts"),
    "object-title.json": (json.dumps([AGREEMENT | {"title": {"id": "A"}}]).encode(),
                          "line 1: title must be text, a number or a list of texts"),
    "text-term.json": (json.dumps([AGREEMENT | {"term_years": "ten"}]).encode(),
                       "line 1: term_years must be a number of years"),
    "export-tables.json": (export([1]), 'The export\'s "tables" must be an object of tables'),
    "export-unknown-table.json": (export({"secrets": []}), "has a table secrets this kerjasama does not know"),
    "export-rows.json": (export({"cases": "all of them"}), "Table cases of the export must be a list of rows"),
    "export-column.json": (export({"partner": [{"id": 1, "nope": 1}]}), "Row 1 of partner: there is no column nope"),
    "export-date.json": (export({"events": [{"id": 1, "occurred_on": "yesterday"}]}),
                         "Row 1 of events: a value does not fit its column"),
    "export-type.json": (export({"partner": [{"id": "one", "name": "Bremen", "country": "DE",
                                              "partner_type": "city"}]}),
                         "Row 1 of partner: a value does not fit its column ('one' is not int)"),
    "export-foreign-key.json": (export({"region": [REGION], "events": [OPENED | {"case_id": 99}]}),
                                "The export does not hold together ("),
    "export-no-region.json": (export({"partner": [PARTNER]}), "An export holds one region (table region); this one "
                                                              "holds 0"),
    "export-state.json": (export({"region": [REGION], "partner": [PARTNER], "cases": [CASE | {"state": "approved"}],
                                  "events": [SEALED]}), "is in state approved, which its events do not lead to"),
    "export-event.json": (export({"region": [REGION], "events": [OPENED | {"name": "hacked"}]}),
                          "is hacked into initiated, which this procedure does not know"),
    "export-naive-time.json": (export({"region": [REGION | {"created_at": "2020-01-06T00:00:00"}]}),
                               "2020-01-06T00:00:00 has no time zone offset"),
    "export-ref.json": (export({"region": [REGION], "partner": [PARTNER], "cases": [CASE | {"ref": "../../X"}],
                                "events": [SEALED]}), "Case ref ../../X in the export is not letters and digits"),
    "export-seal.json": (export({"region": [REGION], "partner": [PARTNER], "cases": [CASE], "events": [OPENED]}),
                         "Case KS-2020-0001 in the export: content or order changed since it was recorded"),
    "export-schema.json": (json.dumps({"format": "kerjasama-export", "schema": 5, "tables": {}}).encode(),
                           "The export's schema 5 is not a schema revision such as"),
}
SPREADSHEET = {
    "bom.csv": ("\ufeff" + HEADER + ROW).encode(),
    "semicolons.csv": (HEADER + ROW).replace(",", ";").encode(),
    "crlf.csv": (HEADER + ROW).replace("\n", "\r\n").encode(),
    "workbook.xlsx": xlsx(HEADER, ROW),
}


def rows_written(db_url) -> int:
    database = Database(db_url)
    with database.engine.connect() as conn:
        written = sum(conn.execute(select(func.count()).select_from(model)).scalar()
                      for model in (Case, Event, Partner))
    database.dispose()
    return written


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_file_is_one_line_and_writes_nothing(kerjasama, db_url, tmp_path, name):
    content, says = MALFORMED[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = kerjasama("import", str(path))
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1, result.output
    assert says in result.output
    assert rows_written(db_url) == 0


@pytest.mark.parametrize("name", SPREADSHEET)
def test_what_spreadsheets_write_is_read(kerjasama, db_url, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(SPREADSHEET[name])
    result = kerjasama("import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 agreement(s) imported." in result.output
    database = Database(db_url)
    with database.engine.connect() as conn:
        assert conn.execute(select(Case.title)).scalars().all() == ["Sister city A"]
    database.dispose()


def test_a_dry_run_groups_the_problems_by_column_and_says_what_stays_unknown(kerjasama, db_url, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + ROW + "Sister city B,Lyon,FR,city,culture,,2019-13,5,active\n"
                    "Sister city C,Nice,FR,city,,,2001,,active\n"
                    "Sister city D,Turin,IT,town,culture,,2002,,active\n"
                    "Sister city E,Porto,PT,city,culture,,2003-02-30,,active\n")
    result = kerjasama("import", str(path), "--dry-run")
    assert result.exit_code == 1
    assert "line 2: (new) Bremen -> in_force" in result.stdout and "line 4: (new) Nice -> in_force" in result.stdout
    assert "Recorded as unknown: term_years in 1 row(s), fields in 1 row(s)" in result.stdout
    assert "To correct in mou_signed (2): line 3: 2019-13 is not a date" in result.stderr
    assert "line 6: 2003-02-30 is not a date" in result.stderr
    assert "To correct in partner_type (1): line 5: partner_type must be one of" in result.stderr
    report = json_of(kerjasama("import", str(path), "--dry-run", "--json").stdout)
    assert [(g["column"], g["lines"]) for g in report["problems"]] == [("mou_signed", [3, 6]), ("partner_type", [5])]
    assert rows_written(db_url) == 0


def test_a_register_written_with_indonesian_words_is_imported_as_codes(kerjasama, tmp_path):
    """A bureau's spreadsheet says kota, budaya, Jepang and tidak_aktif; the record keeps the codes."""
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "Kota kembar Surabaya - Kitakyushu,Kitakyushu,Jepang,kota,budaya; Pendidikan,,"
                             "1997-11,0,tidak_aktif\n"
                             "Kota kembar Surabaya - Busan,Busan,Korea Selatan,kota,pariwisata,,1994-11,,aktif\n"
                             "Kota kembar Surabaya - X,X,Jepang,desa,budaya,,2001,,aktif\n", encoding="utf-8")
    refused = kerjasama("import", str(path))
    assert refused.exit_code == 1 and "partner_type" in refused.stderr  # desa: no word of the vocabulary
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:3]) + "\n", encoding="utf-8")
    assert kerjasama("import", str(path)).exit_code == 0
    rows = {r["partner"]: r for r in json_of(kerjasama("register", "--json").stdout)}
    assert (rows["Kitakyushu"]["country"], rows["Kitakyushu"]["levels"], rows["Kitakyushu"]["fields"],
            rows["Kitakyushu"]["status"]) == ("JP", "kota - city", ["culture", "education"], "dormant")
    busan = rows["Busan"]
    assert (busan["country"], busan["fields"], busan["status"]) == ("KR", ["tourism"], "active")
