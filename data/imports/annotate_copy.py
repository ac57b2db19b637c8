"""A .csv or .xls file annotated: a new .xlsx of the same cells at the same positions, errors marked.

Written through XlsxWriter, several times faster than openpyxl, which data/imports/annotate.py keeps for an
.xlsx (the department's own workbook, with its other sheets, formats and validations). Kept apart because it
is a second writer of the same marks (data/imports/marks.py) with its own library.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from itertools import islice
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from data.imports.files import CSV_DELIMITERS
from data.imports.marks import (
    AUTHOR,
    LIST_HEAD,
    LIST_SHEET,
    LIST_WIDTHS,
    MAX_COMMENTS,
    RED_FILL,
    RED_TEXT,
    Marks,
    clean,
    comment_text,
    error_list,
)

# A new workbook's cells are the file's text: never formulas, numbers or links made of it.
WRITER_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def csv_rows(
    path: Path, encoding: str | None, header_row: int, columns: dict[str, int]
) -> list[list[object]]:
    """A .csv file's cells, row by row, split at the delimiter the import chose."""
    with open(path, encoding=encoding or "utf-8-sig", errors="replace", newline="") as f:
        text = f.read()

    def heads(delimiter: str) -> int:
        # the importer chose the delimiter under which the header row heads the mapped columns
        top = list(islice(csv.reader(io.StringIO(text), delimiter=delimiter), header_row))
        header = top[header_row - 1] if 0 < header_row <= len(top) else []
        return sum(1 for col in columns.values() if col <= len(header) and header[col - 1].strip())

    return list(csv.reader(io.StringIO(text), delimiter=max(CSV_DELIMITERS, key=heads)))


def xls_rows(path: Path, sheet: str | None) -> list[list[object]]:
    """An .xls sheet's cells at their positions in Excel."""
    # from the bytes: calamine goes by a path's extension, and a stored upload has none
    with open(path, "rb") as f, CalamineWorkbook.from_filelike(f) as book:
        found = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        # skip_empty_area=False keeps the rows and columns above and left of the data: positions stay Excel's
        return found.to_python(skip_empty_area=False)


def annotate_copy(
    rows: list, title: str, header_row: int, columns: dict, marks: Marks, errors: list, out
) -> None:
    """The rows as a new .xlsx at the same positions, the marked cells red with their notes, the list first."""
    wb = xlsxwriter.Workbook(str(out) if isinstance(out, Path) else out, WRITER_OPTIONS)
    try:
        red = {"bg_color": f"#{RED_FILL}", "font_color": f"#{RED_TEXT}"}
        formats = {
            (marked, shape): wb.add_format({**(red if marked else {}), "num_format": shape or "General"})
            for marked in (False, True)
            for shape in ("", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss")
        }
        formats[False, ""] = None  # a plain cell needs no style of its own
        listing = wb.add_worksheet(LIST_SHEET)
        head, listed = error_list(errors, columns, marks, title)
        listing.write_string(0, 0, head)
        listing.write_row(1, 0, LIST_HEAD, wb.add_format({"bold": True}))
        for number, (cells, link) in enumerate(listed, start=2):
            if link:
                listing.write_url(number, 0, f"internal:{link}")  # then overwritten by the number itself
            for col, value in enumerate(cells):
                _write(listing, number, col, value, formats)
        for col, width in enumerate(LIST_WIDTHS):
            listing.set_column(col, col, width)
        listing.freeze_panes(2, 0)

        ws = wb.add_worksheet(title)
        for col, value in enumerate(rows[header_row - 1] if 0 < header_row <= len(rows) else []):
            ws.set_column(col, col, min(max(len(str(value)) * 2 + 4, 10), 40))
        if header_row > 0:
            ws.freeze_panes(header_row, 0)
        commented = set(sorted(marks)[:MAX_COMMENTS])
        by_row: dict[int, dict[int, list[str]]] = {}
        for (row, col), reasons in marks.items():
            by_row.setdefault(row, {})[col] = reasons
        # constant_memory takes the cells, comments included, row by row
        for number in range(1, max(len(rows), max(by_row, default=0)) + 1):
            values = rows[number - 1] if number <= len(rows) else []
            marked = by_row.get(number, {})
            for col in range(1, max(len(values), max(marked, default=0)) + 1):
                value = values[col - 1] if col <= len(values) else None
                _write(ws, number - 1, col - 1, value, formats, col in marked)
                if (number, col) in commented:
                    text = comment_text(marked[col])
                    size = {"x_scale": 2, "y_scale": 1 + text.count("\n") * 0.5}
                    ws.write_comment(number - 1, col - 1, text, {"author": AUTHOR, **size})
    finally:
        wb.close()


def _write(ws, row: int, col: int, value: object, formats: dict, marked: bool = False) -> None:
    """One cell as the file had it: text stays text (never a formula), numbers and dates as they were read."""
    shape = ""
    if isinstance(value, datetime):
        shape = "yyyy-mm-dd hh:mm:ss" if value.time() != datetime.min.time() else "yyyy-mm-dd"
    elif isinstance(value, date):
        shape = "yyyy-mm-dd"
    style = formats[marked, shape]
    if value is None or value == "":
        if marked:
            ws.write_blank(row, col, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, style)
    elif isinstance(value, date):
        ws.write_datetime(row, col, value, style)
    else:
        ws.write_string(row, col, str(clean(value)), style)
