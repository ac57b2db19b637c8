"""One's own working page (/mine): 需关注 on top, then each figure the department or township answers for or
counts, with its trend, 同比 and 环比, target progress and place among peers, and a chart of those places."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids
from layouts.charts import CONFIG, FONT
from layouts.mine_text import (
    OWN_COLOUR,
    TIER_COLOURS,
    delta,
    place_text,
    progress_text,
    shown,
    spark_uri,
    spark_words,
    tier,
)
from layouts.paths import MINE_PDF_PATH, MINE_PRINT_PATH, MINE_REPORTS_PATH, SUPERVISION_PATH, fill

LEVEL_CLASSES = {"红": "level-red", "黄": "level-amber"}
NO_ATTENTION = "暂无需关注的预警或督办事项。"


def layout() -> html.Div:
    return html.Div(
        [
            html.H2("本部门数据", id=ids.MINE_TITLE, className="page-title"),
            html.Div(
                [
                    html.Label("时段", htmlFor=ids.MINE_PERIOD, className="filter-label"),
                    dcc.Dropdown(
                        id=ids.MINE_PERIOD,
                        options=[{"label": "全年", "value": ""}],
                        value="",
                        clearable=False,
                        searchable=False,
                        className="mine-period",
                    ),
                    html.A(
                        "打印版",
                        id=ids.MINE_PRINT,
                        href=MINE_PRINT_PATH,
                        className="btn btn-outline-secondary",
                    ),
                    html.A(
                        "下载 PDF", id=ids.MINE_PDF, href=MINE_PDF_PATH, className="btn btn-outline-secondary"
                    ),
                    html.A("我的月报", href=MINE_REPORTS_PATH, className="btn btn-outline-secondary"),
                ],
                className="mine-controls",
            ),
            html.Section(
                [html.H2("需关注", className="area-title"), html.Div(id=ids.MINE_ATTENTION)],
                className="area-section mine-attention-section",
            ),
            dcc.Loading(html.Div(id=ids.MINE_SECTIONS, className="mine"), type="dot", delay_show=400),
        ],
        className="page",
    )


def _link(item: dict) -> str | None:
    """Where an item leads: its follow-up's page, or the link it carries."""
    if item.get("supervision"):
        return fill(SUPERVISION_PATH, supervision_id=item["supervision"])
    return item.get("link") or None


def attention(items: list[dict]) -> html.Div | html.Ul:
    """``items``: title, unit, level (红/黄), since (a date for people), and the follow-up's id (``supervision``)
    or a ``link``; the reader's warnings and open follow-ups (data/attention.py gathers them)."""
    if not items:
        return html.Div(NO_ATTENTION, className="empty-state mine-calm")
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(i["level"], className=f"level {LEVEL_CLASSES.get(i['level'], 'level-amber')}"),
                    html.A(i["title"], href=_link(i)) if _link(i) else html.Span(i["title"]),
                    html.Span(i["unit"], className="muted"),
                    html.Span(f"自{i['since']}起", className="muted"),
                ],
                className="mine-attention-item",
            )
            for i in items
        ],
        className="mine-attention",
    )


def section(
    title: str, children: list, note: str | None = None, section_id: str | None = None
) -> html.Section:
    head = [html.H2(title, className="area-title")]
    if note:
        head.append(html.P(note, className="mine-note"))
    extra = {"id": section_id} if section_id else {}
    return html.Section([*head, *children], className="area-section", **extra)


def _trend(figure: dict) -> html.Img:
    words = spark_words(figure["trend"], figure["unit"])
    return html.Img(src=spark_uri(figure["trend"]), alt=f"本年各月：{words}", title=words, className="spark")


def _cell(text: str, tone: str) -> html.Td:
    return html.Td(text, className=f"tone-{tone}")


def figure_table(figures: list[dict], members_word: str | None) -> html.Table:
    """One row per figure; ``members_word`` (部门 / 乡镇（街道）) adds the place among peers."""
    head = ["指标", "本期", "同比", "环比", "目标与进度", "本年走势"]
    head += ["位置"] if members_word else []
    head += ["明细"]
    rows = []
    for f in figures:
        yoy_text, yoy_tone = delta("同比", f["yoy_pct"], f["yoy_points"], f["direction"], f["value"])
        mom_text, mom_tone = delta("环比", f["mom_pct"], f["mom_points"], f["direction"], f["value"])
        goal_text, goal_tone = progress_text(f)
        # plain text on two lines (white-space: pre-line) rather than elements: a page has some 40 rows, and
        # every element costs the browser time to draw
        cells = [
            html.Td(f"{f['name']}\n{f['note']}" if f.get("note") else f["name"], className="lines"),
            html.Td(shown(f["value"], f["unit"]), className="num"),
            _cell(yoy_text, yoy_tone),
            html.Td(f"{mom_text}\n{f['mom_label']}", className=f"lines tone-{mom_tone}"),
            _cell(goal_text, goal_tone),
            html.Td(_trend(f) if f["trend"] else "不分月", className="" if f["trend"] else "muted"),
        ]
        if members_word:
            place = tier(f["rank"], f["members"], f["direction"])
            cells.append(html.Td(place_text(f, members_word), className=f"place place-{place or 'none'}"))
        cells.append(
            html.Td(
                html.Button(
                    "明细",
                    className="kpi-drill",
                    title="查看这个数字背后的登记记录",
                    **{"data-code": f["code"], "data-store": ids.RECORDS_REQUEST},
                )
                if f["drill"]
                else html.Span(f["drill_note"] or "", className="muted")
            )
        )
        rows.append(html.Tr(cells, **{"data-code": f["code"]}))
    return html.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)], className="mine-figures"
    )


def standing_chart(figures: list[dict], members_word: str) -> dcc.Graph:
    """Where the unit stands in each figure: 100 = first among its peers, 0 = last, by the figure's direction;
    green the best third, red the worst, grey between (and for figures with no better or worse)."""
    placed = [f for f in figures if f["rank"] is not None and f["members"] > 1]
    names = [f["name"] for f in placed]
    # the last place is a short bar, not none: it must show (in red where the direction says it is the worst)
    score = [max(round((f["members"] - f["rank"]) / (f["members"] - 1) * 100, 1), 2.5) for f in placed]
    colours = [TIER_COLOURS[tier(f["rank"], f["members"], f["direction"]) or "neutral"] for f in placed]
    text = [f"第{f['rank']}/{f['members']}" for f in placed]
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": score,
                "marker": {"color": colours, "line": {"color": OWN_COLOUR, "width": 0}},
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}：%{text}<extra></extra>",
            }
        ],
        "layout": {
            "font": FONT,
            "margin": {"l": 8, "r": 60, "t": 10, "b": 40},
            "xaxis": {
                "range": [0, 110],
                "fixedrange": True,
                "tickvals": [0, 50, 100],
                "ticktext": ["末位", "居中", "首位"],
                "title": {"text": f"在各{members_word}中的位置（按指标方向：越靠右越好）"},
            },
            "yaxis": {"automargin": True, "fixedrange": True, "autorange": "reversed"},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "height": max(160, 28 * len(placed) + 60),
        },
    }
    return dcc.Graph(
        id=ids.MINE_STANDING,
        figure=figure,
        config=CONFIG,
        style={"height": f"{figure['layout']['height']}px"},
    )


def area_links(links: list[tuple[str, str]]) -> html.Div:
    """Links into the area pages with the filter set to one's own department or township."""
    return html.Div(
        [dcc.Link(title, href=href, className="btn btn-outline-secondary") for title, href in links],
        className="mine-links",
    )
