"""The page of one's own figures (/mine): what a department or township head is responsible for, what their
rows add up to, where they stand among all departments or townships, and links into the area pages."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids
from layouts.format import number

DIRECTION_WORDS = {"up": "越大越好", "down": "越小越好", "neutral": "按数值从大到小"}


def layout() -> html.Div:
    return html.Div(
        [
            html.H2("本部门数据", id=ids.MINE_TITLE, className="page-title"),
            dcc.Loading(html.Div(id=ids.MINE_SECTIONS, className="mine"), type="dot", delay_show=400),
        ],
        className="page",
    )


def section(
    title: str, children: list, note: str | None = None, section_id: str | None = None
) -> html.Section:
    head = [html.H2(title, className="area-title")]
    if note:
        head.append(html.P(note, className="mine-note"))
    extra = {"id": section_id} if section_id else {}
    return html.Section([*head, *children], className="area-section", **extra)


def standing_table(rows: list[dict], who: str, members: str) -> html.Table:
    """``rows``: a Standing each (data/queries/standing.py); ``who``: 本部门 or 本乡镇; ``members``: 部门 or 乡镇."""

    def shown(value, unit: str) -> str:
        text, shown_unit = number(value, unit)
        return f"{text}{shown_unit}"

    body = [
        html.Tr(
            [
                html.Td(r["name"]),
                html.Td(shown(r["value"], r["unit"]), className="num"),
                html.Td(f"{r['rank']} / {r['members']}" if r["rank"] else "—", className="num"),
                html.Td(shown(r["median"], r["unit"]), className="num"),
                html.Td(DIRECTION_WORDS.get(r["direction"], ""), className="muted"),
            ],
            **{"data-code": r["code"]},
        )
        for r in rows
    ]
    head = html.Tr(
        [
            html.Th("指标"),
            html.Th(who),
            html.Th(f"排名（共几个{members}）"),
            html.Th(f"各{members}中位数"),
            html.Th("排名依据"),
        ]
    )
    return html.Table([html.Thead(head), html.Tbody(body)], className="mine-standing", id=ids.MINE_STANDING)


def area_links(links: list[tuple[str, str]]) -> html.Div:
    """Links into the area pages with the filter set to one's own department or township."""
    return html.Div(
        [dcc.Link(title, href=href, className="btn btn-outline-secondary") for title, href in links],
        className="mine-links",
    )
