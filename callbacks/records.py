"""The records behind a figure: a dialog with a paged grid, and CSV and Excel downloads of exactly those rows."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from dash import Dash, Input, Output, State, html
from dash.exceptions import PreventUpdate
from sqlalchemy import Connection

from callbacks.common import Context, needs
from callbacks.filters import to_filters, to_search
from data import catalog
from data.access import Action
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.queries.records import (
    MAX_DOWNLOAD_ROWS,
    MAX_PAGE_SIZE,
    Key,
    RecordPage,
    block,
    has_records,
    records,
)
from layouts import ids
from layouts import records as view


def _chosen(context: Context, filters: Filters) -> str:
    with context.connection() as conn:
        dims = dimensions(conn)
    names = dims.names()
    parts = [f"{filters.year}年"]
    parts.append("部门：" + ("、".join(names.get(c, c) for c in filters.departments) or "全部"))
    parts.append("乡镇：" + ("、".join(names.get(c, c) for c in filters.townships) or "全部"))
    scope = filters.scope
    if not scope.everything and (scope.department or scope.township):
        # the rows are only the reader's own: the count must not be read as the district's
        own = scope.department or scope.township
        parts.append(f"仅限{'本部门' if scope.department else '本乡镇（街道）'}（{names.get(own, own)}）")
    return " · ".join(parts)


def downloads(code: str, filters: Filters, total: int) -> list:
    """Links to the rows as CSV and Excel (the server checks the filters again), or why there are none."""
    if total > MAX_DOWNLOAD_ROWS:
        return [
            html.Span(
                f"超过 {MAX_DOWNLOAD_ROWS:,} 条，不能一次下载：请按部门或乡镇缩小范围。",
                className="records-cap",
            )
        ]
    query = to_search(filters) + "&code=" + code
    return [
        html.A(label, id=link, href=view.download_href(kind, query), className="btn btn-outline-secondary")
        for kind, label, link in (
            ("csv", "下载 CSV", ids.RECORDS_CSV),
            ("xlsx", "下载 Excel", ids.RECORDS_XLSX),
        )
    ]


def open_dialog(context: Context, request: Any, state: Any) -> tuple:
    """(open, store, title, summary, grid, downloads) for a click on a card's 明细 button."""
    if not isinstance(request, dict):
        raise PreventUpdate
    cat = catalog.load()
    code = request.get("code")
    filters = to_filters(state, context.scope())
    if filters is None or not has_records(code, filters.scope):
        raise PreventUpdate
    ind = cat[code]
    with context.connection() as conn:
        first = records(conn, code, filters, page=1, page_size=1)
    base = cat[ind.denominator] if ind.is_rate else ind
    what = f"{ind.name}的分母“{base.name}”" if ind.is_rate else ind.name
    summary = f"{_chosen(context, filters)} · {what}的登记记录共 {first.total} 条"
    store = {"code": code, "filters": state}
    grid = view.grid(
        f"{code}-{filters}-{request.get('at')}", view.shown_columns(first.columns), first.register
    )
    return True, store, f"{ind.name} · 明细", summary, grid, downloads(code, filters, first.total)


def rows_response(context: Context, request: Any, store: Any) -> dict:
    """One block of rows for the grid's infinite row model.

    The server remembers, for each list (figure, filters, data version) in the shared cache, its number of rows
    and the keys at the edges of the blocks it served: the next and the previous page are then read by keyset
    from their neighbour, the first and the last from an end of the list (data/queries/records.py), so every
    page costs the same. A block with no known neighbour (the cache lost it, or is down) is read by OFFSET from
    the nearer end: right, only slower deep in a long list.
    """
    if not isinstance(request, dict) or not isinstance(store, dict):
        raise PreventUpdate
    code, filters = store.get("code"), to_filters(store.get("filters"), context.scope())
    start, end = request.get("startRow"), request.get("endRow")
    if filters is None or not has_records(code, filters.scope):
        raise PreventUpdate
    if not isinstance(start, int) or not isinstance(end, int):
        raise PreventUpdate
    start, size = max(0, start), min(max(1, end - start), MAX_PAGE_SIZE)
    with context.connection() as conn:
        name = _memo_name(context, conn, code, filters)
        memo = _recall(context, name)
        total = memo.get("total")
        page = block(
            conn,
            code,
            filters,
            start,
            size,
            after=_memo_key(memo, "after", start),
            before=_memo_key(memo, "before", start + size),
            total=total if isinstance(total, int) else None,
        )
    _remember(context, name, memo, page)
    columns = view.shown_columns(page.columns)
    return {"rowData": [view.row(r, columns) for r in page.rows], "rowCount": page.total}


# How many block edges of one list are remembered (a person pages through far fewer).
MEMO_EDGES = 200


def _memo_name(context: Context, conn: Connection, code: str, filters: Filters) -> str:
    raw = f"{context.build}|records|{code}|{filters}|{context.data_version(conn)}"
    return "records:" + hashlib.sha1(raw.encode()).hexdigest()


def _recall(context: Context, name: str) -> dict:
    memo = context.guard.get(name)
    return memo if isinstance(memo, dict) else {}


def _memo_key(memo: dict, side: str, position: int) -> Key | None:
    """The key remembered at ``position``: "after", of the row before it; "before", of the row at it."""
    try:
        day, row_id = memo[side][str(position)]
        return date.fromisoformat(day), int(row_id)
    except (KeyError, TypeError, ValueError):
        return None


def _remember(context: Context, name: str, memo: dict, page: RecordPage) -> None:
    if not page.rows:
        return
    edges = {side: dict(memo.get(side) or {}) for side in ("after", "before")}
    for side, position, (day, row_id) in (
        ("after", page.start + len(page.rows), page.last_key),
        ("before", page.start, page.first_key),
    ):
        edges[side][str(position)] = [day.isoformat(), row_id]
        # the oldest edges go first (a dict keeps the order they were added in)
        for stale in list(edges[side])[:-MEMO_EDGES]:
            del edges[side][stale]
    context.guard.set(name, {"total": page.total, **edges})


def register(app: Dash, context: Context) -> None:
    # a card's 明细 button (assets/2-app/records.js) + filters store -> the dialog opens on a fresh grid
    @app.callback(
        Output(ids.RECORDS_DIALOG, "is_open"),
        Output(ids.RECORDS_CODE, "data"),
        Output(ids.RECORDS_TITLE, "children"),
        Output(ids.RECORDS_SUMMARY, "children"),
        Output(ids.RECORDS_BODY, "children"),
        Output(ids.RECORDS_DOWNLOADS, "children"),
        Input(ids.RECORDS_REQUEST, "data"),
        State(ids.FILTERS, "data"),
        prevent_initial_call=True,
    )
    @needs(Action.READ_FIGURES)
    def _open(request, state):
        return open_dialog(context, request, state)

    # the grid asks for a block of rows -> that page of the register
    @app.callback(
        Output(ids.RECORDS_GRID, "getRowsResponse"),
        Input(ids.RECORDS_GRID, "getRowsRequest"),
        State(ids.RECORDS_CODE, "data"),
        prevent_initial_call=True,
    )
    @needs(Action.READ_ROWS)
    def _rows(request, store):
        return rows_response(context, request, store)
