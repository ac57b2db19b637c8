"""The department's own file back, with every error marked where it is, for them to fix and upload again.

An .xlsx keeps everything openpyxl keeps (other sheets, formats, validations); a .csv or .xls becomes an .xlsx of
the same cells at the same positions, so that the row numbers in the messages point at the right rows. Either
way a sheet 错误清单 comes first and lists every error.
"""

from __future__ import annotations

import csv
import io
import warnings
from copy import copy
from datetime import date, datetime
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import xlsxwriter
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from python_calamine import CalamineWorkbook

from data.imports.files import CSV_DELIMITERS

AUTHOR = "数据驾驶舱"
LIST_SHEET = "错误清单"
CSV_SHEET = "数据"
RED_FILL, RED_TEXT = "FFC7CE", "9C0006"
# Excel grows sluggish opening a sheet with tens of thousands of comments; past this many cells are only filled
# (the list still holds every error).
MAX_COMMENTS = 10_000
# Set before the department's own comment when a marked cell had one, so that a later annotation restores it.
THEIRS = "\n——原批注——\n"
# Excel refuses a sheet of more than 65,530 hyperlinks; the rest of the list is only text.
MAX_LINKS = 65_000
# A new workbook's cells are the file's text: never formulas, numbers or links made of it.
WRITER_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
LIST_HEAD = ("行", "列", "内容", "原因")
LIST_WIDTHS = (8, 18, 30, 70)
# Marks: (row, column) → the reasons for that cell, in the order they were found.
Marks = dict[tuple[int, int], list[str]]


def annotated_filename(original_name: str) -> str:
    stem = PurePosixPath(original_name.replace("\\", "/")).stem
    return f"{stem or '导入文件'}-错误标注.xlsx"


def annotate(
    path: Path,
    kind: str,
    sheet: str | None,
    header_row: int,
    columns: dict[str, int],
    errors: list[dict],
    out: BinaryIO | Path,
    encoding: str | None = None,
) -> None:
    """Write the file at ``path`` as an .xlsx with each error's cell marked and a first sheet listing them."""
    first = min(columns.values(), default=1)
    marks: Marks = {}
    for e in errors:
        row, col = e.get("row"), columns.get(e.get("field") or "")
        if row is None and col is None:
            continue  # about the whole file: only the list can say it
        reasons = marks.setdefault((header_row if row is None else row, col or first), [])
        if e["reason"] not in reasons:
            reasons.append(e["reason"])
    # the whole file's errors first, then by row and column
    listed = sorted(errors, key=lambda e: (e.get("row") or 0, columns.get(e.get("field") or "", 0)))
    if kind == "xlsx":
        _annotate_xlsx(path, sheet, columns, marks, listed, out)
    elif kind in ("csv", "xls"):
        rows = _csv_rows(path, encoding, header_row, columns) if kind == "csv" else _xls_rows(path, sheet)
        title = CSV_SHEET if kind == "csv" else _sheet_title(sheet or CSV_SHEET)
        _annotate_copy(rows, title, header_row, columns, marks, listed, out)
    else:
        raise ValueError(f"cannot annotate a {kind!r} file")


def _clean(value: object) -> object:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _sheet_title(name: str) -> str:
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or CSV_SHEET


def _listing(errors: list[dict], columns: dict[str, int], marks: Marks, data_title: str) -> tuple[str, list]:
    """The list's head line, and its rows: 行, 列, 内容, 原因 and where a click on the row number goes."""
    head = (
        f"共 {len(errors)} 处错误。请在“{data_title}”表中改正标红的单元格（鼠标停在其上可看原因）后重新上传。"
    )
    if len(marks) > MAX_COMMENTS:
        head += f"标红的单元格较多，只有前 {MAX_COMMENTS} 个附有批注，原因以本清单为准。"
    first = min(columns.values(), default=1)
    rows = []
    for i, e in enumerate(errors):
        row, col = e.get("row"), columns.get(e.get("field") or "", first)
        link = f"{quote_sheetname(data_title)}!{get_column_letter(col)}{row}"
        cells = (row if row is not None else "全表", e.get("column") or "", e.get("value") or "", e["reason"])
        rows.append(([_clean(c) for c in cells], None if row is None or i >= MAX_LINKS else link))
    return head, rows


def _comment_text(reasons: list[str]) -> str:
    return "\n".join(str(_clean(r)) for r in reasons)


# --- an .xlsx: their own workbook, through openpyxl ------------------------------------------------------------


def _put(ws, row: int, col: int, value: object):
    cell = ws.cell(row=row, column=col, value=value if value != "" else None)
    # openpyxl takes "=..." for a formula and "#N/A" for an error; what the department wrote is text
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def _recolor(cell, fill: PatternFill, color: str | None) -> None:
    cell.fill = fill
    font = copy(cell.font)
    font.color = color
    cell.font = font


def _mark(cell, reasons: list[str], with_comment: bool) -> None:
    _recolor(cell, PatternFill("solid", fgColor=RED_FILL), RED_TEXT)
    if with_comment:
        text, theirs = _comment_text(reasons), cell.comment
        if theirs is not None and theirs.author != AUTHOR:
            text += THEIRS + theirs.text
        cell.comment = Comment(text, AUTHOR, width=260, height=min(58 + 18 * text.count("\n"), 400))


def _unmark(ws) -> None:
    """Undo an earlier annotation of this sheet: a department uploads the marked file again after fixing it."""
    for row in ws.iter_rows():
        for cell in row:
            comment, fill, color = cell.comment, cell.fill, cell.font.color
            if comment is not None and comment.author == AUTHOR:
                theirs = comment.text.partition(THEIRS)[2]
                cell.comment = Comment(theirs, "") if theirs else None
            filled = fill.fill_type == "solid" and str(fill.fgColor.rgb).endswith(RED_FILL)
            if filled and str(getattr(color, "rgb", "")).endswith(RED_TEXT):
                _recolor(cell, PatternFill(), None)


def _annotate_xlsx(path: Path, sheet: str | None, columns: dict, marks: Marks, errors: list, out) -> None:
    with warnings.catch_warnings():
        # openpyxl warns of the parts it drops (extensions, shapes); the file is still theirs to fix
        warnings.simplefilter("ignore", UserWarning)
        # from an open file: openpyxl refuses a path without .xlsx, and a stored upload has none
        with open(path, "rb") as f:
            wb = load_workbook(f)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    if LIST_SHEET in wb.sheetnames and wb[LIST_SHEET] is not ws:
        # annotated before: only then can the sheet hold marks of ours (walking every cell costs seconds)
        _unmark(ws)
        del wb[LIST_SHEET]
    for i, ((row, col), reasons) in enumerate(sorted(marks.items())):
        _mark(ws.cell(row=row, column=col), reasons, with_comment=i < MAX_COMMENTS)
    listing = wb.create_sheet(LIST_SHEET if LIST_SHEET not in wb.sheetnames else f"{LIST_SHEET}（标注）", 0)
    head, rows = _listing(errors, columns, marks, ws.title)
    _put(listing, 1, 1, head)
    for col, title in enumerate(LIST_HEAD, start=1):
        _put(listing, 2, col, title).font = Font(bold=True)
    for number, (cells, link) in enumerate(rows, start=3):
        for col, value in enumerate(cells, start=1):
            _put(listing, number, col, value)
        if link:
            listing.cell(row=number, column=1).hyperlink = Hyperlink(ref=f"A{number}", location=link)
    for col, width in enumerate(LIST_WIDTHS, start=1):
        listing.column_dimensions[get_column_letter(col)].width = width
    listing.freeze_panes = "A3"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    wb.active = 0
    listing.sheet_view.tabSelected = True
    wb.save(out)


# --- a .csv or .xls: a new workbook of its cells, through XlsxWriter (several times faster than openpyxl) ------


def _csv_rows(
    path: Path, encoding: str | None, header_row: int, columns: dict[str, int]
) -> list[list[object]]:
    with open(path, encoding=encoding or "utf-8-sig", errors="replace", newline="") as f:
        text = f.read()

    def heads(delimiter: str) -> int:
        # the importer chose the delimiter under which the header row heads the mapped columns
        top = list(islice(csv.reader(io.StringIO(text), delimiter=delimiter), header_row))
        header = top[header_row - 1] if 0 < header_row <= len(top) else []
        return sum(1 for col in columns.values() if col <= len(header) and header[col - 1].strip())

    return list(csv.reader(io.StringIO(text), delimiter=max(CSV_DELIMITERS, key=heads)))


def _xls_rows(path: Path, sheet: str | None) -> list[list[object]]:
    # from the bytes: calamine goes by a path's extension, and a stored upload has none
    with open(path, "rb") as f, CalamineWorkbook.from_filelike(f) as book:
        found = book.get_sheet_by_name(sheet) if sheet else book.get_sheet_by_index(0)
        # skip_empty_area=False keeps the rows and columns above and left of the data: positions stay Excel's
        return found.to_python(skip_empty_area=False)


def _annotate_copy(
    rows: list, title: str, header_row: int, columns: dict, marks: Marks, errors: list, out
) -> None:
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
        head, listed = _listing(errors, columns, marks, title)
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
                    text = _comment_text(marked[col])
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
        ws.write_string(row, col, str(_clean(value)), style)


def annotate_batch(uploads: Path, batch: Any, max_bytes: int, out: BinaryIO | Path) -> None:
    """The annotated copy of an invalid batch's file, as kept under ``uploads`` (files.Refused: a file refused
    as a whole, whose errors point at no cell)."""
    from data.imports import files, intake

    upload = intake.inspect(uploads / batch.stored_as, batch.file_name, max_bytes)
    table = files.find_table(upload, batch.register)
    annotate(
        upload.path,
        upload.kind,
        table.sheet,
        table.header_row,
        table.columns,
        batch.errors,
        out,
        upload.encoding,
    )
