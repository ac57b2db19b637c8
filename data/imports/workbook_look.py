"""How every workbook this program writes looks: the register templates (data/imports/template.py), the
organisation's (data/org_workbook.py) and the catalog's (data/catalog_workbook.py) share their guide sheet's name,
author, the rows their checks cover, the cell formats and the column widths, so that a district's files look alike.
"""

from __future__ import annotations

import unicodedata

import xlsxwriter

GUIDE_SHEET = "填写说明"
AUTHOR = "数据驾驶舱"
# Validation covers this many data rows (2..20001): beyond a year's rows of any register, and each validated
# range costs nothing in the file.
LAST_ROW = 20001


def width(text: str) -> int:
    """How many columns ``text`` takes on screen: a Chinese character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_formats(book: xlsxwriter.Workbook) -> dict:
    """The cell formats every workbook this program writes uses, by name."""
    header = {"bg_color": "#DDEBF7", "border": 1, "valign": "vcenter", "text_wrap": True}
    return {
        "required": book.add_format({**header, "bold": True}),
        "optional": book.add_format(header),
        "text": book.add_format({"num_format": "@"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "plain": book.add_format({}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "cell": book.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "head": book.add_format({"border": 1, "bold": True, "bg_color": "#DDEBF7"}),
    }
