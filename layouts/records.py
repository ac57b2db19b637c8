"""The records behind a figure, as a person reads them: Chinese column names and values."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import html

from data.registers import column_labels
from layouts import ids
from layouts.paths import DOWNLOAD_PATH

# Columns not shown: codes are replaced by names beside them.
HIDDEN = {"department_code", "township_code"}

GRID_LOCALE = {
    "page": "页",
    "of": "/",
    "to": "–",
    "more": "更多",
    "firstPage": "首页",
    "previousPage": "上一页",
    "nextPage": "下一页",
    "lastPage": "末页",
    "loadingOoo": "正在加载……",
    "noRowsToShow": "没有记录",
}
PAGE_SIZE = 50
# Where the rows behind a figure download, as CSV or Excel (dashboard/pages/desk/downloads.py serves it).
DOWNLOAD_KINDS = ("csv", "xlsx")

# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML, and so an .xlsx file, cannot hold these control characters at all.
CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def shown_columns(columns: list[str]) -> list[str]:
    return [c for c in columns if c not in HIDDEN]


def cell(value: object) -> object:
    """A value as the grid and the downloads show it."""
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def safe(value: object) -> object:
    """A cell as a spreadsheet may hold it: no control characters, never run as a formula."""
    if not isinstance(value, str):
        return value
    value = value.translate(CONTROL)
    return "'" + value if value.startswith(FORMULA_START) else value


def download_href(kind: str, query: str) -> str:
    return DOWNLOAD_PATH.format(kind=kind) + query


def row(record: dict, columns: list[str]) -> dict:
    return {c: cell(record.get(c)) for c in columns}


def labels(register: str | None) -> dict[str, str]:
    """Each shown column's header: the register's own labels (data/registers.py)."""
    return column_labels(register) if register else {}


def grid(key: str, columns: list[str], register: str | None = None) -> html.Div:
    """A fresh grid (the key makes React mount a new one, so no rows of a previous figure linger)."""
    return html.Div(
        dag.AgGrid(
            id=ids.RECORDS_GRID,
            rowModelType="infinite",
            columnDefs=[{"field": c, "headerName": labels(register).get(c, c)} for c in columns],
            defaultColDef={"sortable": False, "resizable": True, "minWidth": 90, "flex": 1},
            dashGridOptions={
                "pagination": True,
                "paginationPageSize": PAGE_SIZE,
                "paginationPageSizeSelector": False,
                "cacheBlockSize": PAGE_SIZE,
                "localeText": GRID_LOCALE,
            },
            style={"height": "60vh"},
            className="ag-theme-alpine",
        ),
        key=key,
    )
