"""The department's own file back, with every error marked where it is, for them to fix and upload again.

An .xlsx keeps everything openpyxl keeps (other sheets, formats, validations); a .csv or .xls becomes an .xlsx of
the same cells at the same positions, so that the row numbers in the messages point at the right rows. Either
way a sheet 错误清单 comes first and lists every error. The .xlsx is marked here; the copy of a .csv or .xls is
written by data/imports/annotate_copy.py, and what both say (the list, the notes) is data/imports/marks.py's.
"""

from __future__ import annotations

import warnings
from copy import copy
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from data.imports.annotate_copy import annotate_copy, csv_rows, xls_rows
from data.imports.marks import (
    AUTHOR,
    LIST_HEAD,
    LIST_SHEET,
    LIST_WIDTHS,
    MAX_COMMENTS,
    RED_FILL,
    RED_TEXT,
    Marks,
    comment_text,
    error_list,
)

CSV_SHEET = "数据"
# Set before the department's own comment when a marked cell had one, so that a later annotation restores it.
THEIRS = "\n——原批注——\n"


def annotated_filename(original_name: str) -> str:
    """The name the annotated copy is downloaded as."""
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
        rows = csv_rows(path, encoding, header_row, columns) if kind == "csv" else xls_rows(path, sheet)
        title = CSV_SHEET if kind == "csv" else _sheet_title(sheet or CSV_SHEET)
        annotate_copy(rows, title, header_row, columns, marks, listed, out)
    else:
        raise ValueError(f"cannot annotate a {kind!r} file")


def _sheet_title(name: str) -> str:
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or CSV_SHEET


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
        text, theirs = comment_text(reasons), cell.comment
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
    head, rows = error_list(errors, columns, marks, ws.title)
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
