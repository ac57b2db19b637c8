"""The overview page's callback: the headline figures of every area for the chosen filters."""

from __future__ import annotations

from dash import Dash, Input, Output, html
from dash.exceptions import PreventUpdate

from callbacks.common import Context, needs
from callbacks.figures import cards, figure_dicts
from callbacks.filters import to_filters, to_search
from data import catalog
from data.access import Action
from data.queries.figures import coverage
from layouts import ids, overview
from layouts.areas import BY_AREA
from layouts.cards import message


def overview_sections(context: Context, state: object) -> list[html.Section] | html.Div:
    """KPI sections for the filters in the shared store, or a message when they are not usable."""
    filters = to_filters(state, context.scope())
    if filters is None:
        return message("请选择数据库中已有数据的年度。")
    with context.connection() as conn:
        if filters.year not in coverage(conn):
            return message("请选择数据库中已有数据的年度。")
        codes = [c for codes in overview.HEADLINES.values() for c in codes]
        values = figure_dicts(context, filters, codes, conn)
    search = to_search(filters)
    return [
        overview.section(
            area, catalog.AREAS[area], BY_AREA[area].path + search, cards(values, filters, codes)
        )
        for area, codes in overview.HEADLINES.items()
    ]


def register(app: Dash, context: Context) -> None:
    # filters store -> figures of the headline codes (cached) -> KPI sections
    @app.callback(Output(ids.OVERVIEW_SECTIONS, "children"), Input(ids.FILTERS, "data"))
    @needs(Action.READ_FIGURES)
    def _overview(state: object) -> list[html.Section] | html.Div:
        if state is None:
            raise PreventUpdate
        return overview_sections(context, state)
