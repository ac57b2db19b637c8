"""The records download as an Excel file a person can read at once: a title row saying which figure, which
filters and when; a frozen header with a filter; 序号 1…N; real dates; columns wide enough for their content.

Cells are written by type (xlsxwriter's write_string for text), so text starting with = + - @ is text without
the apostrophe the CSV needs; control characters are still removed (an .xlsx cannot hold them).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from itertools import chain, islice
from typing import IO

import xlsxwriter

from layouts import records as view

SHEET = "明细"
ID_COLUMN = "id"
# Widths are measured on the first rows (the rest stream past): enough to see what a column holds.
MEASURED_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 50
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
TIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'


def _width(value: object) -> int:
    """Columns as Excel counts them: a Chinese character takes two."""
    if isinstance(value, datetime):
        return 18
    if isinstance(value, date):
        return 12
    text = str(view.cell(value))
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_xlsx(
    title: str, columns: list[str], header: list[str], records: Iterator[dict], target: IO[bytes]
) -> None:
    """``records`` (the store's rows, as dicts) under ``title`` and ``header`` (one label per column)."""
    # constant_memory: each row goes to disk as it is written, whatever the number of rows.
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(SHEET)
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True})
    title_format = book.add_format({"bold": True, "font_size": 12})
    days = book.add_format({"num_format": DATE_FORMAT, "align": "left"})
    times = book.add_format({"num_format": TIME_FORMAT, "align": "left"})

    head = list(islice(records, MEASURED_ROWS))
    for col, name in enumerate(columns):
        measured = [_width(header[col]) + 2] + [_width(r.get(name)) for r in head]
        sheet.set_column(col, col, min(MAX_WIDTH, max(MIN_WIDTH, *measured) + 1))

    sheet.write_string(0, 0, title, title_format)
    sheet.write_row(1, 0, header, bold)
    n = 0
    for n, record in enumerate(chain(head, records), 1):
        for col, name in enumerate(columns):
            value = n if name == ID_COLUMN else record.get(name)
            if isinstance(value, datetime):
                sheet.write_datetime(n + 1, col, value.replace(tzinfo=None), times)
            elif isinstance(value, date):
                sheet.write_datetime(n + 1, col, datetime(value.year, value.month, value.day), days)
            elif isinstance(value, (bool, str)) or value is None:
                sheet.write_string(n + 1, col, str(view.cell(value)).translate(view.CONTROL))
            else:
                sheet.write_number(n + 1, col, value)
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, 1 + n, len(columns) - 1)
    book.close()
