"""Excel workbooks (.xlsx): written with typed cells for ``kerjasama register --xlsx``, and read for
``kerjasama import`` as the text a CSV cell would hold, so that both imports check and report the same way.

A day is a real Excel date (it sorts, filters and computes); a date known only to its month or year, or one given
with its sources, stays text as written, since Excel has no partial date and would invent a day. Money is a number of
whole rupiah with a rupiah format, which Excel shows with the reader's own separators (Rp15.000.000 on id-ID).
"""
from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from workflow.agreements.rows import COLUMNS
from workflow.errors import InvalidInput
from workflow.i18n import _

DATE_FORMAT = "yyyy-mm-dd"  # the same order as the text dates beside them (2009-04), so a column reads alike
MONEY_FORMAT = '"Rp"#,##0'
MAX_COLUMN_WIDTH = 60  # characters; a longer note wraps in its cell rather than push the other columns off screen


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date (a day, or text when only the month or year is known), number, money


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: list[Column]
    rows: list[dict]


def workbook(sheets: list[Sheet]) -> bytes:
    """An .xlsx file of ``sheets``: a bold header row, frozen, with a filter; columns as wide as what they hold."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title)
        page.append([column.name for column in sheet.columns])
        for cell in page[1]:
            cell.font = Font(bold=True)
        widths = [len(column.name) for column in sheet.columns]
        for number, row in enumerate(sheet.rows, start=2):
            for index, column in enumerate(sheet.columns):
                cell = page.cell(number, index + 1)
                cell.value, cell.number_format = _typed(row.get(column.name), column.kind)
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, even one that starts like a formula (=, +, -, @): never computed
                    if len(cell.value) > MAX_COLUMN_WIDTH:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                widths[index] = max(widths[index], len(str(cell.value or "")) if column.kind != "date" else 10)
        for index, width in enumerate(widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = min(width, MAX_COLUMN_WIDTH) + 2
        page.freeze_panes = "A2"
        page.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _typed(value, kind: str) -> tuple[object, str]:
    """A cell's value and number format."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "":
        return None, "General"
    if kind == "date" and isinstance(value, date):
        return value, DATE_FORMAT
    if kind == "date" and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value), DATE_FORMAT
        except ValueError:
            pass  # a date with its sources: text
    if kind in ("number", "money") and isinstance(value, int):
        return value, MONEY_FORMAT if kind == "money" else "0"
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text), "@"  # XML cannot hold a control character


def sheet_rows(path: Path) -> list[tuple[int, dict]]:
    """The rows of the first sheet as the CSV import reads a file: the first row names the columns, each row keeps its
    number in the sheet, and each cell is the text a CSV cell would hold (a date as 2009-04-17, 10 not 10.0, 12.5 as
    officers write it: 12,5)."""
    first = sheets(path)[0]
    if not first.header:
        raise InvalidInput(_("{path} is empty; an agreement list starts with a line of column names: {columns}.")
                           .format(path=path, columns=", ".join(COLUMNS)))
    return first.rows


@dataclass(frozen=True)
class Table:
    """A sheet as read: its title, the names its first row gives, and its rows (see :func:`sheet_rows`)."""

    title: str
    header: list[str]
    rows: list[tuple[int, dict]]


def sheets(path: Path) -> list[Table]:
    """Every sheet of the workbook, at least one (an empty one for a workbook without any)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # of parts of the file openpyxl does not read: validation, some styles
            book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise InvalidInput(_("{path} is not an Excel workbook (.xlsx) that can be read ({error}); save it from the "
                             "spreadsheet as \"Excel Workbook (.xlsx)\" or as \"CSV UTF-8\".").format(
            path=path, error=err)) from None
    try:
        return [_table(page) for page in book.worksheets] or [Table("", [], [])]
    finally:
        book.close()


def _table(page) -> Table:
    lines = page.iter_rows(values_only=True)
    header = [_text(value).strip() for value in next(lines, ())]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, values in enumerate(lines if header else (), start=2):
        cells = [_text(value) for value in values]
        if any(cell.strip() for cell in cells):  # Excel keeps rows once formatted, empty or not
            row = {name: "" for name in header}
            row |= {header[i] if i < len(header) else None: cell for i, cell in enumerate(cells)
                    if i < len(header) or cell.strip()}  # None: a value past the last column, as csv reads it
            rows.append((number, row))
    return Table(page.title, header, rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # how openpyxl gives a cell formatted as a date
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # a figure typed as a number: as officers write it, which import reads (12,5)
        return f"{Decimal(repr(value)):f}".replace(".", ",")
    return str(value)
