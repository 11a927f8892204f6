"""An officer at a terminal, a script at a pipe, a colleague in Excel: tables that fit the terminal and whole lines
into a pipe, a pager for a long register on a terminal only, an Excel workbook and CSV for Indonesian Excel, and an
import of a workbook that behaves as the CSV import does. Each on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import os
import pty
import select
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from cli import cli
from tests.conftest import make_url
from workflow.agreements.spreadsheet import MONEY_FORMAT, Column, Sheet, workbook
from workflow.commands.shared import table, text_width
from tests.helpers import json_of

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "tests" / "data" / "surabaya-agreements.csv"
LONGEST_PARTNER = "United Nations Educational Scientific and Cultural Organization (FR)"
HEADERS = ["REF", "SIGNED", "LAST ACTIVITY", "PARTNER"]
ROWS = [["KS-2023-0001", "2023-04-12", "2026-08-22", "United Nations Children's Fund (US)"],
        ["KS-1985-0001", "1985-07-16", "-", "京都府 Kyoto Prefecture (JP)"]]


@pytest.fixture
def surabaya(kerjasama, tmp_path):
    """Kota Surabaya's 51 agreements loaded; kerjasama on its database."""
    result = kerjasama("import", str(DATASET))
    assert result.exit_code == 0, result.output
    return kerjasama


def in_terminal(db_url: str, tmp_path: Path, *args: str, columns: int = 80, lines: int = 24,
                **env: str) -> tuple[str, list[str]]:
    """kerjasama run in a pseudo-terminal of ``columns`` x ``lines`` with a pager that records that it was called:
    what the terminal showed, and the text each call of the pager was given."""
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > \"$(mktemp {tmp_path}/paged.XXXXXX)\"\n")
    pager.chmod(0o755)
    environment = os.environ | {"COLUMNS": str(columns), "LINES": str(lines), "PAGER": str(pager)} | env
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", "from cli import cli; cli()", "--db", db_url, "--config",
                                os.devnull, *args], cwd=ROOT, env=environment, stdin=follower, stdout=follower,
                               stderr=follower, close_fds=True)
    os.close(follower)
    shown, deadline = b"", time.monotonic() + 60
    while time.monotonic() < deadline:
        if select.select([leader], [], [], 1)[0]:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(leader)
    assert process.wait(timeout=10) == 0, shown.decode()
    paged = [path.read_text() for path in sorted(tmp_path.glob("paged.*"))]
    return shown.decode().replace("\r\n", "\n"), paged


def test_a_table_fits_the_width_it_is_given_cutting_only_free_text():
    lines = table(ROWS, HEADERS, width=50).splitlines()
    assert all(text_width(line) <= 50 for line in lines), lines
    assert lines[0].split() == ["REF", "SIGNED", "LAST", "PARTNER"] and lines[1].split() == ["ACTIVITY"]
    assert lines[2].startswith("KS-2023-0001  2023-04-12  2026-08-22  United Nat") and lines[2].endswith("…")
    assert "京都府" in lines[3]  # two columns a character, counted as two
    assert table(ROWS, HEADERS, width=200).splitlines()[1].endswith("United Nations Children's Fund (US)")


def test_a_table_narrower_than_its_fixed_columns_keeps_them_whole():
    lines = table(ROWS, HEADERS, width=20).splitlines()
    assert [line.split()[:3] for line in lines[2:]] == [row[:3] for row in ROWS]


def test_into_a_pipe_every_line_is_whole(surabaya, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    shown = surabaya("register").output
    assert LONGEST_PARTNER in shown and "…" not in shown
    assert max(map(len, shown.splitlines())) > 60


def test_on_a_terminal_the_register_fits_its_width(surabaya, db_url, tmp_path):
    for columns, language in ((80, "en"), (100, "en"), (80, "id")):
        shown, paged = in_terminal(db_url, tmp_path, "register", "--no-pager", columns=columns,
                                   KERJASAMA_LANG=language)
        lines = shown.splitlines()
        assert len(lines) > 51 and paged == []
        assert max(text_width(line) for line in lines) <= columns, (columns, language)
        assert any(line.startswith("KS-1992-0001") and " 1992 " in line and " 2009 " in line for line in lines)


def test_a_long_register_is_paged_on_a_terminal(surabaya, db_url, tmp_path):
    shown, paged = in_terminal(db_url, tmp_path, "register", lines=20)
    assert len(paged) == 1 and "KS-1992-0001" in paged[0] and len(paged[0].splitlines()) > 51
    assert max(text_width(line) for line in paged[0].splitlines()) <= 80  # fitted to the terminal it is paged on
    assert "KS-1992-0001" not in shown  # all of it went to the pager


@pytest.mark.parametrize("turned_off", [["--no-pager"], ["KERJASAMA_PAGER=0"], ["PAGER=cat"], ["LINES=100"]])
def test_the_pager_is_turned_off_or_not_needed(surabaya, db_url, tmp_path, turned_off):
    options = [a for a in turned_off if a.startswith("--")]
    env = dict(a.split("=", 1) for a in turned_off if "=" in a)
    shown, paged = in_terminal(db_url, tmp_path, "register", *options, **{"lines": 20} | env)
    assert paged == [] and "KS-2024-0002" in shown


def test_into_a_pipe_nothing_is_paged(surabaya, db_url, tmp_path):
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ntouch {tmp_path}/called\ncat\n")
    pager.chmod(0o755)
    done = subprocess.run([sys.executable, "-c", "from cli import cli; cli()", "--db", db_url, "--config", os.devnull,
                           "register"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=os.environ | {"PAGER": str(pager), "LINES": "5", "COLUMNS": "40"})
    assert done.returncode == 0, done.stderr
    assert LONGEST_PARTNER in done.stdout and not (tmp_path / "called").exists()


def test_the_workbook_has_typed_cells_a_frozen_header_and_a_filter(surabaya, tmp_path):
    path = tmp_path / "register.xlsx"
    result = surabaya("register", "--xlsx", "-o", str(path))
    assert result.exit_code == 0 and f"Wrote {path}" in result.output
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 51 and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:Z{len(rows) + 1}"
    assert sheet.column_dimensions["A"].width >= 12 and sheet.column_dimensions["B"].width > 30
    guangzhou = next(row for row in rows.values() if row["partner"].value == "Guangzhou")
    assert guangzhou["mou_signed"].value == datetime(2005, 12, 21) and guangzhou["mou_signed"].is_date
    assert guangzhou["mou_signed"].number_format == "yyyy-mm-dd"
    assert rows["KS-1992-0001"]["mou_signed"].value == "1992" and rows["KS-1992-0001"]["mou_signed"].data_type == "s"
    xiamen = next(row for row in rows.values() if row["partner"].value == "Xiamen")
    assert (xiamen["term_years"].value, xiamen["expires"].value) == (5, "2011-08")
    assert book.sheetnames == ["Agreements", "Flags", "Indicators"]


def test_a_workbook_keeps_money_as_rupiah_and_a_formula_as_text():
    data = workbook([Sheet("plan", [Column("activity"), Column("cost", "money"), Column("held", "date")],
                           [{"activity": "=HYPERLINK(\"http://x\")", "cost": 15_000_000, "held": "2026-03-05"}])])
    book = load_workbook(io.BytesIO(data))
    activity, cost, held = book.active[2]
    assert (activity.value, activity.data_type) == ("=HYPERLINK(\"http://x\")", "s")
    assert (cost.value, cost.number_format) == (15_000_000, MONEY_FORMAT)
    assert held.value == datetime(2026, 3, 5)


def test_a_workbook_is_written_to_a_file_not_a_terminal(surabaya, db_url, tmp_path):
    with pytest.raises(AssertionError, match="give -o FILE.xlsx"):
        in_terminal(db_url, tmp_path, "register", "--xlsx")


def test_register_and_import_of_the_workbook_give_the_same_register(surabaya, db_url, tmp_path):
    path = tmp_path / "register.xlsx"
    assert surabaya("register", "--xlsx", "-o", str(path)).exit_code == 0
    url, drop = make_url("postgresql" if db_url.startswith("postgresql") else "sqlite", tmp_path)
    try:
        def fresh(*args):
            return CliRunner().invoke(cli, ["--db", url, "--config", os.devnull, *args])

        assert fresh("init", "--name", "Kota Surabaya", "--level", "kota", "--province", "Jawa Timur").exit_code == 0
        imported = fresh("import", str(path))
        assert imported.exit_code == 0 and "51 agreement(s) imported." in imported.output, imported.output
        assert json_of(fresh("register", "--json").stdout) == json_of(surabaya("register", "--json").stdout)
    finally:
        drop()


AGREEMENTS = [["title", "partner", "country", "partner_type", "fields", "mou_signed", "term_years", "last_activity",
               "status"],
              ["Sister city A", "Bremen", "DE", "city", "culture", date(2019, 5, 14), 10, "April 2021", "active"],
              ["Sister city B", "Lyon", "FR", "city", "culture", "17-04-2009", 5.0, datetime(2024, 1, 2), "active"],
              ["Sister city C", "Nice", "FR", "town", "culture", "2019-13", None, None, "active"],
              [None, None, None, None, None, None, None, None, None],
              ["Sister city D", "Porto", "PT", "city", "", "2003", None, None, "active", "past the last column"]]


def as_workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def as_csv_file(path: Path, rows: list[list]) -> Path:
    def cell(value):
        if isinstance(value, (date, datetime)):
            return value.strftime("%Y-%m-%d")
        return "" if value is None else str(int(value) if isinstance(value, float) else value)

    out = io.StringIO()
    # A row Excel holds empty is a blank line in CSV, which is skipped.
    csv.writer(out, lineterminator="\n").writerows([[cell(v) for v in row] if any(row) else [] for row in rows])
    path.write_text(out.getvalue())
    return path


def test_a_workbook_is_checked_as_the_same_csv_is(kerjasama, tmp_path):
    from_xlsx = kerjasama("import", str(as_workbook(tmp_path / "list.xlsx", AGREEMENTS)), "--dry-run", "--json")
    from_csv = kerjasama("import", str(as_csv_file(tmp_path / "list.csv", AGREEMENTS)), "--dry-run", "--json")
    assert from_xlsx.exit_code == from_csv.exit_code == 1
    report = json_of(from_xlsx.stdout)
    assert report == json_of(from_csv.stdout)
    assert {group["column"]: group["lines"] for group in report["problems"]} == {
        "(a value past the last column)": [6], "mou_signed": [4], "partner_type": [4]}
    assert "line 4: 2019-13 is not a date; write 2009-04-17, 2009-04 or 2009" in report["problems"][1]["problems"]
    refused = kerjasama("import", str(tmp_path / "list.xlsx"))
    assert refused.exit_code == 1 and refused.output.startswith("Error: Nothing imported from")
    assert "line 4: 2019-13 is not a date" in refused.output


def test_a_workbook_with_excel_dates_and_text_dates_imports(kerjasama, db_url, tmp_path):
    path = as_workbook(tmp_path / "list.xlsx", AGREEMENTS[:3])
    result = kerjasama("import", str(path))
    assert result.exit_code == 0 and "2 agreement(s) imported." in result.output, result.output
    listed = {row["partner"]: row for row in json_of(kerjasama("register", "--json").stdout)}
    assert (listed["Bremen"]["signed_on"], listed["Bremen"]["last_activity"], listed["Bremen"]["term_years"]) == \
        ("2019-05-14", "2021-04", 10)
    assert (listed["Lyon"]["signed_on"], listed["Lyon"]["last_activity"], listed["Lyon"]["term_years"]) == \
        ("2009-04-17", "2024-01-02", 5)


@pytest.mark.parametrize("content,says", [(b"title,partner\nA,B\n", "is not an Excel workbook (.xlsx)"),
                                          (None, "is empty; an agreement list starts with a line of column names")])
def test_a_broken_or_empty_workbook_is_one_line(kerjasama, tmp_path, content, says):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content) if content else as_workbook(path, [])
    result = kerjasama("import", str(path))
    assert result.exit_code == 1 and result.output.startswith("Error: ") and says in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_csv_for_excel_has_a_byte_order_mark_and_semicolons(surabaya, tmp_path):
    plain = surabaya("register", "--csv").stdout_bytes
    for_excel = tmp_path / "register.csv"
    assert surabaya("register", "--csv", "--excel", "-o", str(for_excel)).exit_code == 0
    data = for_excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfref;title;partner;") and b"\r\n" in data and not data.startswith(b"sep=")
    assert not plain.startswith(b"\xef\xbb\xbf") and plain.startswith(b"ref,title,partner,")
    excel_rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert excel_rows == list(csv.DictReader(io.StringIO(plain.decode("utf-8"))))
    assert surabaya("register", "--csv", "--excel").stdout_bytes == data


@pytest.mark.parametrize("args,says", [(["--excel"], "give --csv --excel"), (["--csv", "--xlsx"], "Choose one of"),
                                       (["-o", "x.txt"], "-o writes --csv, --xlsx or --json")])
def test_options_that_do_not_go_together_are_a_usage_error(surabaya, args, says):
    result = surabaya("register", *args)
    assert result.exit_code == 2 and says in result.output


def test_a_read_command_on_a_missing_database_creates_neither_it_nor_its_output(tmp_path):
    missing, output = tmp_path / "nope.db", tmp_path / "register.xlsx"
    result = CliRunner().invoke(cli, ["--db", str(missing), "--config", os.devnull, "register", "--xlsx", "-o",
                                      str(output)])
    assert result.exit_code == 1 and "run kerjasama init first" in result.output
    assert not missing.exists() and not output.exists()
