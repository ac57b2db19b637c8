"""An area's page: its KPI cards, its monthly trend, its split by township or department, its breakdowns."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids
from layouts.areas import AreaPage
from layouts.charts import panel


def layout(page: AreaPage) -> html.Div:
    charts = []
    if page.trend:
        charts.append(panel(ids.panel(page.area, "trend")))
    if page.split:
        charts.append(panel(ids.panel(page.area, "breakdown"), height=460))
    charts += [panel(ids.panel(page.area, extra.name)) for extra in page.extras]
    if not charts:
        charts.append(
            html.Div(
                "本领域的数字为年度填报数，没有按月、分乡镇或分部门的登记数据。",
                className="empty-state panel",
            )
        )
    return html.Div(
        [
            html.H2(page.title, className="page-title"),
            dcc.Loading(
                html.Div(id=ids.panel(page.area, "kpis"), className="kpi-grid"), type="dot", delay_show=400
            ),
            html.Div(charts, className="panel-grid"),
        ],
        className="page",
    )
