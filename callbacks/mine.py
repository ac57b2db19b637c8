"""One's own working page (/mine), for the department or township the signed-in head is tied to: 需关注, then
the figures it answers for (the district's) and counts (its own rows), for the year and period chosen."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

from callbacks.common import Context, needs
from callbacks.filters import to_filters, to_search
from data import catalog
from data.access import Action
from data.attention import attention_items
from data.queries.figures import coverage
from data.queries.filters import Filters
from data.queries.mine import mine_view, tie
from data.queries.periods import PeriodError, parse_period, periods_held
from layouts import ids
from layouts import mine as view
from layouts.areas import BY_AREA
from layouts.cards import message
from layouts.paths import MINE_PDF_PATH, MINE_PRINT_PATH

SIGN_IN_AS_HEAD = "本页显示部门或乡镇（街道）负责人自己的数据：请用部门或乡镇负责人的账号登录。"
LEADERS = "领导和管理员可在各领域页面的筛选栏中选择任一部门或乡镇查看。"
DRILL_NOTE = "明细为所选年度（截至最新月份）的登记记录，只含您有权查看的行。"


def print_query(year: int, period: str) -> str:
    return "?" + urlencode({"year": year, **({"period": period} if period else {})})


def mine_page(context: Context, state: object, period_value: object = "") -> tuple:
    """(title, sections, period options, print link, PDF link, attention) for the year in the filters."""
    scope = context.scope()
    options = [{"label": "全年", "value": ""}]
    if tie(scope) is None:
        text = SIGN_IN_AS_HEAD + (LEADERS if scope.everything else "")
        return "本部门数据", message(text), options, MINE_PRINT_PATH, MINE_PDF_PATH, view.attention([])
    filters = to_filters(state, scope)
    if filters is None:
        raise PreventUpdate
    with context.connection() as conn:
        covered = coverage(conn)
        if filters.year not in covered:
            return (
                "本部门数据",
                message("请选择数据库中已有数据的年度。"),
                options,
                "",
                "",
                view.attention([]),
            )
        held = periods_held(filters.year, covered[filters.year])
        options = [
            {"label": p.label.removeprefix(f"{filters.year}年") or "全年", "value": p.value} for p in held
        ]
        try:
            period = parse_period(filters.year, period_value)
            if period.value not in {p.value for p in held}:
                period = held[0]
            mine = context.cached(
                f"mine:{period.value}",
                Filters(filters.year, scope=scope),
                lambda: mine_view(conn, scope, period).to_dict(),
                conn,
            )
        except PeriodError as exc:
            return "本部门数据", message(str(exc)), options, "", "", view.attention([])
        items = attention_items(conn, scope, filters.year)
    query = print_query(filters.year, period.value)
    title = f"{mine['name']} · {'本部门' if mine['by'] == 'department' else '本乡镇'}工作台 · {period.label}"
    return (
        title,
        sections(mine, filters),
        options,
        MINE_PRINT_PATH + query,
        MINE_PDF_PATH + query,
        view.attention(items),
    )


def sections(mine: dict, filters: Filters) -> list:
    name = mine["name"]
    members = "部门" if mine["by"] == "department" else "乡镇（街道）"
    out = []
    if mine["responsible"]:
        out.append(
            view.section(
                f"{name}负责的指标（全区）",
                [view.figure_table(mine["responsible"], None)],
                note="全区数字；同比为与上年同期相比，环比为与上一期相比。" + DRILL_NOTE,
                section_id="mine-responsible",
            )
        )
    if not mine["counted"]:
        out.append(message(f"{filters.year}年及上年没有登记在{name}名下的记录。"))
        return out
    out.append(
        view.section(
            f"{name}的登记数字",
            [view.figure_table(mine["counted"], members)],
            note=f"只统计登记在{name}名下的记录；位置按指标方向排（越小越好的指标，数值小者在前）。",
            section_id="mine-counted",
        )
    )
    if any(f["rank"] for f in mine["counted"]):
        out.append(
            view.section(
                f"{name}在各{members}中的位置",
                [view.standing_chart(mine["counted"], members)],
                note="绿色：前三分之一；红色：后三分之一；灰色：居中或不评优劣。",
                section_id="mine-standing-section",
            )
        )
    own = Filters(
        filters.year,
        **(
            {"departments": (mine["code"],)} if mine["by"] == "department" else {"townships": (mine["code"],)}
        ),
    )
    out.append(
        view.section("到各领域页面查看", [view.area_links(_links([f["code"] for f in mine["counted"]], own))])
    )
    return out


def _links(codes: list[str], filters: Filters) -> list[tuple[str, str]]:
    """The area pages of ``codes``, in the catalog's order of areas, opened on ``filters``."""
    cat = catalog.load()
    areas = [a for a in catalog.AREAS if a in BY_AREA and any(cat[c].area == a for c in codes)]
    search = to_search(filters)
    return [(catalog.AREAS[a], BY_AREA[a].path + search) for a in areas]


def register(app: Dash, context: Context) -> None:
    # filters store (the year) + the page's period + the signed-in head's unit -> their working page
    @app.callback(
        Output(ids.MINE_TITLE, "children"),
        Output(ids.MINE_SECTIONS, "children"),
        Output(ids.MINE_PERIOD, "options"),
        Output(ids.MINE_PRINT, "href"),
        Output(ids.MINE_PDF, "href"),
        Output(ids.MINE_ATTENTION, "children"),
        Input(ids.FILTERS, "data"),
        Input(ids.MINE_PERIOD, "value"),
    )
    @needs(Action.READ_FIGURES)
    def _mine(state: object, period: object):
        if state is None:
            raise PreventUpdate
        return mine_page(context, state, period)
