"""The shell's callbacks: routing, filters kept in step with the URL, and navigation that keeps the filters."""

from __future__ import annotations

from collections.abc import Callable

from dash import Dash, Input, Output, State, ctx, html, no_update
from sqlalchemy import Engine

from callbacks.filters import parse, to_search
from data.queries.dimensions import dimensions
from layouts import area, ids, overview
from layouts.areas import AREA_PAGES
from layouts.cards import message
from layouts.shell import PAGES

ROUTES: dict[str, Callable[[], html.Div]] = {"/": overview.layout} | {
    p.path: (lambda p=p: area.layout(p)) for p in AREA_PAGES
}


def route(pathname: str | None) -> html.Div:
    page = ROUTES.get((pathname or "/").rstrip("/") or "/")
    if page is None:
        return html.Div(message("没有这个页面。请从上方导航选择。"), className="page")
    return page()


def sync(
    engine: Engine,
    default_year: Callable[[], int | None],
    trigger: str | None,
    search: str | None,
    year: object,
    departments: object,
    townships: object,
    current: object = None,
) -> tuple:
    """(search, year, departments, townships, filters, notice) after the URL or a control changed.

    The URL wins when it changed (first load, a pasted link, back and forward); a control wins otherwise.
    Whatever cannot be used is dropped, and the notice says what.
    """
    with engine.connect() as conn:
        dims = dimensions(conn)
    if trigger in (None, ids.URL):
        state, dropped = parse(search, dims, default_year())
        notice = f"链接中的{'、'.join(dropped)}无效，已忽略。" if dropped else ""
        new_search = to_search(state) if dropped else no_update
        # Moving between pages keeps the filters: do not wake every panel again with the same values.
        data = no_update if state == current else state
        return new_search, state["year"], state["department"], state["township"], data, notice
    known_departments, known_townships = dims.department_codes(), dims.township_codes()
    state = {
        "year": year if isinstance(year, int) and year in dims.years else default_year(),
        "department": sorted({d for d in departments or [] if isinstance(d, str) and d in known_departments})
        if isinstance(departments, list)
        else [],
        "township": sorted({t for t in townships or [] if isinstance(t, str) and t in known_townships})
        if isinstance(townships, list)
        else [],
    }
    return to_search(state), no_update, no_update, no_update, state, ""


def register(app: Dash, engine: Engine, default_year: Callable[[], int | None]) -> None:
    # URL path -> page layout
    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"))
    def _route(pathname: str | None) -> html.Div:
        return route(pathname)

    # URL query <-> filter controls -> shared filters store (+ a notice for what a link held that was dropped)
    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.YEAR, "value"),
        Output(ids.DEPARTMENT, "value"),
        Output(ids.TOWNSHIP, "value"),
        Output(ids.FILTERS, "data"),
        Output(ids.NOTICE, "children"),
        Input(ids.URL, "search"),
        Input(ids.YEAR, "value"),
        Input(ids.DEPARTMENT, "value"),
        Input(ids.TOWNSHIP, "value"),
        State(ids.FILTERS, "data"),
    )
    def _sync(search, year, departments, townships, current):
        return sync(engine, default_year, ctx.triggered_id, search, year, departments, townships, current)

    # URL path and query -> navigation links that keep the filters, the current page marked
    @app.callback(
        [Output(ids.nav_link(path), "href") for path, _ in PAGES]
        + [Output(ids.nav_link(path), "className") for path, _ in PAGES],
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def _nav(pathname: str | None, search: str | None):
        query = search if isinstance(search, str) and search.startswith("?") else ""
        current = (pathname or "/").rstrip("/") or "/"
        hrefs = [path + query for path, _ in PAGES]
        classes = ["nav-link active" if path == current else "nav-link" for path, _ in PAGES]
        return hrefs + classes
