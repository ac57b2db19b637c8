"""The page shell: title, demo badge, the filter bar and the routed page."""

from __future__ import annotations

import dash
from dash import dcc, html

from layouts import ids

TITLE = "法治政府建设数据驾驶舱"


def shell(years: list[int], year: int | None, demo: bool) -> html.Div:
    badge = html.Span(
        "示例数据", id=ids.DEMO_BADGE, className="badge demo-badge", title="当前显示的是演示用的示例数据"
    )
    header = html.Header(
        [
            html.H1(TITLE, className="app-title"),
            badge if demo else html.Span(id=ids.DEMO_BADGE, hidden=True),
        ],
        className="app-header",
    )
    filters = html.Div(
        [
            html.Label("年度", htmlFor=ids.YEAR, className="filter-label"),
            dcc.Dropdown(
                id=ids.YEAR,
                options=[{"label": f"{y}年", "value": y} for y in reversed(years)],
                value=year,
                clearable=False,
                searchable=False,
                className="filter-year",
                placeholder="选择年度",
            ),
        ],
        className="filter-bar",
    )
    return html.Div(
        [header, filters, html.Div(id=ids.PAGE_MESSAGE), dash.page_container],
        className="app-shell",
    )
