"""The page of one's own figures (/mine), for the department or township the signed-in head is tied to."""

from __future__ import annotations

from dataclasses import replace

from dash import Dash, Input, Output, html
from dash.exceptions import PreventUpdate
from sqlalchemy import Connection

from callbacks.common import Context, needs
from callbacks.figures import cards, figure_dicts
from callbacks.filters import to_filters, to_search
from data import catalog
from data.access import Action, Scope
from data.queries.dimensions import dimensions
from data.queries.figures import coverage
from data.queries.filters import Filters
from data.queries.standing import counts_rows_of, standing
from layouts import ids
from layouts import mine as view
from layouts.areas import BY_AREA
from layouts.cards import message

SIGN_IN_AS_HEAD = "本页显示部门或乡镇（街道）负责人自己的数据：请用部门或乡镇负责人的账号登录。"
LEADERS = "领导和管理员可在各领域页面的筛选栏中选择任一部门或乡镇查看。"


def _tie(scope: Scope) -> tuple[str, str] | None:
    """(by, code): the department or township the reader is tied to."""
    if scope.department:
        return "department", scope.department
    if scope.township:
        return "township", scope.township
    return None


def own_codes(scope: Scope, by: str, values: dict[str, dict]) -> list[str]:
    """The figures counted from the reader's own rows that hold something this year or last."""
    return [
        code
        for code, ind in catalog.load().items()
        if scope.sees(ind) and counts_rows_of(ind, by) and code in values and _holds(values[code])
    ]


def _holds(figure: dict) -> bool:
    return bool(figure["value"]) or bool(figure["previous"])


def mine_page(context: Context, state: object) -> tuple[str, list | html.Div]:
    """(title, sections) for the filters' year and the reader's own department or township."""
    scope = context.scope()
    tie = _tie(scope)
    if tie is None:
        return "本部门数据", message(SIGN_IN_AS_HEAD + (LEADERS if scope.everything else ""))
    filters = to_filters(state, scope)
    if filters is None:
        raise PreventUpdate
    by, code = tie
    with context.connection() as conn:
        if filters.year not in coverage(conn):
            return "本部门数据", message("请选择数据库中已有数据的年度。")
        name = dimensions(conn).names().get(code, code)
        sections = _sections(context, conn, scope, filters, by, code, name)
    return f"{name} · {'本部门' if by == 'department' else '本乡镇'}数据", sections


def _sections(
    context: Context, conn: Connection, scope: Scope, filters: Filters, by: str, code: str, name: str
) -> list:
    who, members = ("本部门", "部门") if by == "department" else ("本乡镇", "乡镇（街道）")
    district = replace(filters, departments=(), townships=())
    own = replace(district, **({"departments": (code,)} if by == "department" else {"townships": (code,)}))
    out = []
    responsible = [c for c, i in catalog.load().items() if scope.responsible_for(i) and scope.sees(i)]
    if responsible:
        values = figure_dicts(context, district, responsible, conn)
        out.append(
            view.section(
                f"{name}负责的指标（全区）",
                [html.Div(cards(values, district, responsible), className="kpi-grid")],
                section_id="mine-responsible",
            )
        )
    candidates = [c for c, i in catalog.load().items() if scope.sees(i) and counts_rows_of(i, by)]
    own_values = figure_dicts(context, own, candidates, conn)
    counted = own_codes(scope, by, own_values)
    if not counted:
        out.append(message(f"{filters.year}年及上年没有登记在{name}名下的记录。"))
        return out
    out.append(
        view.section(
            f"{name}的登记数字",
            [html.Div(cards(own_values, own, counted), className="kpi-grid")],
            note=f"只统计登记在{name}名下的记录；同比为与上年同期相比。",
            section_id="mine-counted",
        )
    )
    ranked = context.cached(
        f"standing:{by}:{code}:{','.join(counted)}",
        district,
        lambda: [s.to_dict() for s in standing(conn, counted, district, by, code)],
        conn,
    )
    out.append(
        view.section(
            f"{name}在各{members}中的位置",
            [view.standing_table(ranked, who, members)],
            note=f"排名按各{members}的本年数值；同值同名次。中位数为有记录的各{members}的中位数。",
            section_id="mine-standing",
        )
    )
    out.append(view.section("到各领域页面查看", [view.area_links(_links(counted, own))]))
    return out


def _links(codes: list[str], filters: Filters) -> list[tuple[str, str]]:
    """The area pages of ``codes``, in the catalog's order of areas, opened on ``filters``."""
    cat = catalog.load()
    areas = [a for a in catalog.AREAS if a in BY_AREA and any(cat[c].area == a for c in codes)]
    search = to_search(filters)
    return [(catalog.AREAS[a], BY_AREA[a].path + search) for a in areas]


def register(app: Dash, context: Context) -> None:
    # filters store (the year) + the signed-in head's department or township -> their own figures
    @app.callback(
        Output(ids.MINE_TITLE, "children"), Output(ids.MINE_SECTIONS, "children"), Input(ids.FILTERS, "data")
    )
    @needs(Action.READ_FIGURES)
    def _mine(state: object):
        if state is None:
            raise PreventUpdate
        return mine_page(context, state)
