"""The shell's callbacks: routing, filters kept in step with the URL, and navigation that keeps the filters."""

from __future__ import annotations

from collections.abc import Callable

from dash import ClientsideFunction, Dash, Input, Output, State, html

from callbacks.common import needs
from data.access import Action
from layouts import area, ids, mine, overview
from layouts.areas import AREA_PAGES
from layouts.cards import message
from layouts.paths import MINE_PATH
from layouts.shell import PAGES

ROUTES: dict[str, Callable[[], html.Div]] = {"/": overview.layout, MINE_PATH: mine.layout} | {
    p.path: (lambda p=p: area.layout(p)) for p in AREA_PAGES
}


def _path(pathname: object) -> str:
    return (pathname.rstrip("/") or "/") if isinstance(pathname, str) else "/"


def route(pathname: object) -> html.Div:
    page = ROUTES.get(_path(pathname))
    if page is None:
        return html.Div(message("没有这个页面。请从上方导航选择。"), className="page")
    return page()


def register(app: Dash) -> None:
    # URL path -> page layout
    @app.callback(Output(ids.PAGE, "children"), Input(ids.URL, "pathname"))
    @needs(Action.READ_FIGURES)
    def _route(pathname: str | None) -> html.Div:
        return route(pathname)

    # URL query <-> filter controls -> shared filters store (+ a notice for what a link held that was dropped);
    # in the browser (assets/2-app/filters.js), so that a change costs no round trip before the panels ask
    app.clientside_callback(
        ClientsideFunction(namespace="filters", function_name="sync"),
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
        State(ids.YEAR, "options"),
        State(ids.DEPARTMENT, "options"),
        State(ids.TOWNSHIP, "options"),
        State(ids.DEFAULT_YEAR, "data"),
        State(ids.FILTERS, "data"),
        State(ids.FILTER_LIMITS, "data"),
        State(ids.NOTICE, "children"),
    )

    # URL path and query -> navigation links that keep the filters, the current page marked; in the browser
    # (assets/2-app/filters.js), so that a filter change sends no request but the panels'
    app.clientside_callback(
        ClientsideFunction(namespace="filters", function_name="nav"),
        [Output(ids.nav_link(path), "href") for path, _ in PAGES]
        + [Output(ids.nav_link(path), "className") for path, _ in PAGES],
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
        State(ids.NAV_PATHS, "data"),
    )
