"""The records behind a figure: a dialog with a paged grid, and CSV and Excel downloads of exactly those rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc
from dash.exceptions import PreventUpdate
from openpyxl import Workbook

from callbacks.common import Context
from callbacks.filters import to_filters
from data import catalog
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.queries.records import MAX_PAGE_SIZE, all_records, records
from layouts import ids
from layouts import records as view

# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _chosen(context: Context, filters: Filters) -> str:
    with context.engine.connect() as conn:
        dims = dimensions(conn)
    names = {d["code"]: d["name"] for d in dims.departments} | {t["code"]: t["name"] for t in dims.townships}
    parts = [f"{filters.year}年"]
    parts.append("部门：" + ("、".join(names.get(c, c) for c in filters.departments) or "全部"))
    parts.append("乡镇：" + ("、".join(names.get(c, c) for c in filters.townships) or "全部"))
    return " · ".join(parts)


def drillable(code: object) -> bool:
    """Whether ``code`` names a figure with register rows behind it."""
    cat = catalog.load()
    return isinstance(code, str) and code in cat and cat[code].source_kind != "reported"


def open_dialog(context: Context, request: Any, state: Any) -> tuple:
    """(open, store, title, summary, grid) for a click on a card's 明细 button."""
    if not isinstance(request, dict):
        raise PreventUpdate
    cat = catalog.load()
    code = request.get("code")
    filters = to_filters(state)
    if not drillable(code) or filters is None:
        raise PreventUpdate
    ind = cat[code]
    with context.engine.connect() as conn:
        first = records(conn, code, filters, page=1, page_size=1)
    base = cat[ind.denominator] if ind.is_rate else ind
    what = f"{ind.name}的分母“{base.name}”" if ind.is_rate else ind.name
    summary = f"{_chosen(context, filters)} · {what}的登记记录共 {first.total} 条"
    store = {"code": code, "filters": state}
    grid = view.grid(f"{code}-{filters}-{request.get('at')}", view.shown_columns(first.columns))
    return True, store, f"{ind.name} · 明细", summary, grid


def rows_response(context: Context, request: Any, store: Any) -> dict:
    """One block of rows for the grid's infinite row model."""
    if not isinstance(request, dict) or not isinstance(store, dict):
        raise PreventUpdate
    code, filters = store.get("code"), to_filters(store.get("filters"))
    start, end = request.get("startRow"), request.get("endRow")
    if not drillable(code) or filters is None or not isinstance(start, int) or not isinstance(end, int):
        raise PreventUpdate
    size = min(max(1, end - start), MAX_PAGE_SIZE)
    with context.engine.connect() as conn:
        page = records(conn, code, filters, page=start // size + 1, page_size=size)
    columns = view.shown_columns(page.columns)
    return {"rowData": [view.row(r, columns) for r in page.rows], "rowCount": page.total}


def download(context: Context, kind: str, store: Any) -> dict:
    if not isinstance(store, dict):
        raise PreventUpdate
    cat = catalog.load()
    code, filters = store.get("code"), to_filters(store.get("filters"))
    if not drillable(code) or filters is None:
        raise PreventUpdate
    with context.engine.connect() as conn:
        page = all_records(conn, code, filters)
    columns = view.shown_columns(page.columns)
    header = [view.LABELS.get(c, c) for c in columns]
    body = [[safe(view.cell(r.get(c))) for c in columns] for r in page.rows]
    name = f"{cat[code].name}_{filters.year}年明细"
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(body)
        # The byte-order mark makes Excel read the Chinese text as UTF-8.
        return dcc.send_bytes(("\ufeff" + out.getvalue()).encode("utf-8"), f"{name}.csv")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("明细")
    sheet.append(header)
    for line in body:
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return dcc.send_bytes(buffer.getvalue(), f"{name}.xlsx")


def register(app: Dash, context: Context) -> None:
    # a card's 明细 button (assets/2-app/records.js) + filters store -> the dialog opens on a fresh grid
    @app.callback(
        Output(ids.RECORDS_DIALOG, "is_open"),
        Output(ids.RECORDS_CODE, "data"),
        Output(ids.RECORDS_TITLE, "children"),
        Output(ids.RECORDS_SUMMARY, "children"),
        Output(ids.RECORDS_BODY, "children"),
        Input(ids.RECORDS_REQUEST, "data"),
        State(ids.FILTERS, "data"),
        prevent_initial_call=True,
    )
    def _open(request, state):
        return open_dialog(context, request, state)

    # the grid asks for a block of rows -> that page of the register
    @app.callback(
        Output(ids.RECORDS_GRID, "getRowsResponse"),
        Input(ids.RECORDS_GRID, "getRowsRequest"),
        State(ids.RECORDS_CODE, "data"),
        prevent_initial_call=True,
    )
    def _rows(request, store):
        return rows_response(context, request, store)

    # a download button -> every row behind the figure, as CSV or Excel
    @app.callback(
        Output(ids.RECORDS_DOWNLOAD, "data"),
        Input(ids.RECORDS_CSV, "n_clicks"),
        Input(ids.RECORDS_XLSX, "n_clicks"),
        State(ids.RECORDS_CODE, "data"),
        prevent_initial_call=True,
    )
    def _download(_csv, _xlsx, store):
        return download(context, "csv" if ctx.triggered_id == ids.RECORDS_CSV else "xlsx", store)
