"""The overview page's callback: the chosen year's headline figures of every area."""

from __future__ import annotations

from dash import Dash, Input, Output, html
from sqlalchemy import Engine

from data import catalog
from data.queries.dimensions import dimensions
from data.queries.figures import figures
from data.queries.filters import Filters
from layouts import ids, overview


def overview_sections(engine: Engine, year: object) -> list[html.Section] | html.Div:
    """KPI sections for ``year``, or a message when the year is not one the store holds."""
    with engine.connect() as conn:
        years = dimensions(conn).years
        if not isinstance(year, int) or isinstance(year, bool) or year not in years:
            return overview.message("请选择数据库中已有数据的年度。")
        cat = catalog.load()
        codes = [code for codes in overview.HEADLINES.values() for code in codes]
        by_code = {f.code: f.to_dict() for f in figures(conn, Filters(year=year), codes=codes, cat=cat)}
    return [
        overview.section(
            area,
            catalog.AREAS[area],
            [overview.kpi_card(by_code[c], cat[c].direction, cat[c].definition) for c in codes],
        )
        for area, codes in overview.HEADLINES.items()
    ]


def register(app: Dash, engine: Engine) -> None:
    # year dropdown -> store (figures of the headline codes) -> KPI sections
    @app.callback(Output(ids.OVERVIEW_SECTIONS, "children"), Input(ids.YEAR, "value"))
    def _overview(year: object) -> list[html.Section] | html.Div:
        return overview_sections(engine, year)
