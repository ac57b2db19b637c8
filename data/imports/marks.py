"""What an annotated workbook says, whichever library writes it: the list of errors and each marked cell's note.

data/imports/annotate.py marks the department's own .xlsx through openpyxl; data/imports/annotate_copy.py
writes a .csv or .xls as a new workbook through XlsxWriter. Both write the same 错误清单 sheet and the same red
cells with the same notes, from here, so the two kinds of file read alike.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter, quote_sheetname

AUTHOR = "数据驾驶舱"
LIST_SHEET = "错误清单"
RED_FILL, RED_TEXT = "FFC7CE", "9C0006"
# Excel grows sluggish opening a sheet with tens of thousands of comments; past this many cells are only filled
# (the list still holds every error).
MAX_COMMENTS = 10_000
# Excel refuses a sheet of more than 65,530 hyperlinks; the rest of the list is only text.
MAX_LINKS = 65_000
LIST_HEAD = ("行", "列", "内容", "原因")
LIST_WIDTHS = (8, 18, 30, 70)
# Marks: (row, column) → the reasons for that cell, in the order they were found.
Marks = dict[tuple[int, int], list[str]]


def clean(value: object) -> object:
    """The value without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def error_list(
    errors: list[dict], columns: dict[str, int], marks: Marks, data_title: str
) -> tuple[str, list]:
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
        rows.append(([clean(c) for c in cells], None if row is None or i >= MAX_LINKS else link))
    return head, rows


def comment_text(reasons: list[str]) -> str:
    """A marked cell's note: its reasons, one a line."""
    return "\n".join(str(clean(r)) for r in reasons)
