"""One's own page (/mine) for print and for the monthly report (月报): the print view's HTML (A4, no navigation,
printed to PDF by dashboard/exports/render.py), the Word document, and the summary a group robot is sent.

Everything here draws from the page's data (data/queries/mine.py, MineView.to_dict()), so what is printed and
delivered is what the page shows. A robot's summary carries public figures only: a group chat is no place for
internal or restricted ones.
"""

from __future__ import annotations

from datetime import datetime

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboard import resources
from dashboard.exports import docx as report_docx
from dashboard.exports.render import Static, renderer
from data import catalog
from layouts import writeup as words
from layouts.format import moment
from layouts.mine_text import delta, place_text, progress_text, shown, spark_svg, tier

# A4 in CSS pixels (96 per inch): what the renderer's page size is given
A4 = (794, 1123)
READY = "body[data-ready]"
DOCX_COLUMNS: tuple[tuple[str, float], ...] = (
    ("领域", 2.0),
    ("指标", 3.4),
    ("本期", 2.2),
    ("同比", 2.6),
    ("环比", 2.6),
    ("目标与进度", 3.2),
)
# the most figures a robot's message lists (the message has a size limit; the report holds them all)
SUMMARY_FIGURES = 8
_templates = Environment(loader=FileSystemLoader(resources.TEMPLATES), autoescape=select_autoescape(["html"]))


def _members(view: dict) -> str:
    return {"department": "部门", "township": "乡镇（街道）"}.get(view["by"], "")


def title_of(view: dict, district: str) -> str:
    if view["by"] == "district":
        return f"{district}法治政府建设月报 · {_label(view)}"
    return f"{view['name']}工作月报 · {_label(view)}"


def _label(view: dict) -> str:
    period = view["period"]
    if period["kind"] == "month":
        return f"{period['year']}年{period['number']}月"
    if period["kind"] == "quarter":
        return f"{period['year']}年第{'一二三四'[period['number'] - 1]}季度"
    return f"{period['year']}年"


def _row(f: dict, members: str) -> dict:
    yoy, yoy_tone = delta("同比", f["yoy_pct"], f["yoy_points"], f["direction"], f["value"])
    mom, mom_tone = delta("环比", f["mom_pct"], f["mom_points"], f["direction"], f["value"])
    goal, goal_tone = progress_text(f)
    return {
        "code": f["code"],
        "area": catalog.AREAS.get(f["area"], f["area"]),
        "name": f["name"],
        "note": f.get("note"),
        "value": shown(f["value"], f["unit"]),
        "yoy": yoy,
        "yoy_tone": yoy_tone,
        "mom": mom,
        "mom_tone": mom_tone,
        "mom_label": f["mom_label"],
        "goal": goal,
        "goal_tone": goal_tone,
        # our own markup of numbers only: the template puts it in as it is
        "spark": spark_svg(f["trend"]) if f["trend"] else None,
        "place": place_text(f, members) if members else "",
        "tier": tier(f["rank"], f["members"], f["direction"]) or "",
    }


def groups(view: dict) -> list[dict]:
    """The page's tables: the figures the unit answers for, then those it counts."""
    name, members = view["name"], _members(view)
    out = []
    if view["responsible"]:
        title = "全区各项指标" if view["by"] == "district" else f"{name}负责的指标（全区）"
        out.append(
            {
                "title": title,
                "note": "全区数字；同比为与上年同期相比，环比为与上一期相比。",
                "rows": [_row(f, "") for f in view["responsible"]],
                "place": False,
            }
        )
    if view["counted"]:
        out.append(
            {
                "title": f"{name}的登记数字",
                "note": f"只统计登记在{name}名下的记录；位置按指标方向排，前三分之一绿色，后三分之一红色。",
                "rows": [_row(f, members) for f in view["counted"]],
                "place": True,
            }
        )
    return out


def subtitle(view: dict, district: str, made: datetime | None = None) -> str:
    made_text = f" · 生成于{moment(made)}" if made else ""
    period = view["period"]
    end = {"month": period["number"], "quarter": (period["number"] or 0) * 3}.get(period["kind"], 12)
    through = min(end, view["last_month"])
    return f"{district} · {_label(view)} · 登记数据截至{period['year']}年{through}月{made_text}"


def mine_html(
    view: dict, district: str, attention: list[dict], demo: bool, made: datetime | None = None
) -> str:
    """The print view: the page without navigation, on A4."""
    return _templates.get_template("mine_print.html").render(
        title=title_of(view, district),
        subtitle=subtitle(view, district, made),
        show_attention=view["by"] != "district",
        attention=attention,
        groups=groups(view),
        demo=demo,
        foot="本页由法治政府建设数据驾驶舱生成；数字按登记实时汇总，填报数字以填报为准。",
    )


def mine_pdf(html: str, browser_path: str = "") -> bytes:
    """The print view printed to PDF by the warm headless browser (it may load nothing)."""
    return renderer(Static({}), browser_path).pdf(html, A4, READY)


def mine_docx(view: dict, district: str, attention: list[dict], made: datetime | None = None) -> bytes:
    """The Word 月报: a short text of what needs attention and what changed, then the table of every figure."""
    items = [
        words.Item("", f"【{i['level']}】{i['title']}（{i['unit']}，自{i['since']}起）") for i in attention
    ]
    if not items and view["by"] != "district":
        items = [words.Item("", "本期暂无需关注的预警或督办事项。")]
    rows = [r for g in groups(view) for r in g["rows"]]
    behind = [r["name"] for r in rows if r["goal_tone"] == "bad"]
    overview = [
        words.Item(
            "",
            f"本期共列{len(rows)}项指标，其中{len(behind)}项未达目标或落后于进度"
            + (f"：{'、'.join(behind[:10])}{'等' if len(behind) > 10 else ''}。" if behind else "。"),
        ),
    ]
    sections = ([words.Section("一、本期概况", "需关注", items)] if items else []) + [
        words.Section("一、本期概况", "指标完成情况", overview)
    ]
    document = report_docx.ReportDocument(
        title=title_of(view, district),
        subtitle=subtitle(view, district, made),
        sections=sections,
        table=[(r["area"], r["name"], r["value"], r["yoy"], r["mom"], r["goal"]) for r in rows],
        columns=DOCX_COLUMNS,
        annex_title="本期各项指标",
    )
    return report_docx.build(document)


def summary(view: dict, district: str, link: str) -> tuple[str, list[str]]:
    """(title, lines) for a group robot: the public figures only, the first SUMMARY_FIGURES of them, and the link
    to the full report (which readers open signed in, under their own scope)."""
    cat = catalog.load()
    public = [
        f
        for f in [*view["responsible"], *view["counted"]]
        if f["code"] in cat and cat[f["code"]].visibility == "public"
    ]
    lines = []
    for f in public[:SUMMARY_FIGURES]:
        yoy, _ = delta("同比", f["yoy_pct"], f["yoy_points"], f["direction"], f["value"])
        lines.append(f"{f['name']}：{shown(f['value'], f['unit'])}，{yoy.lstrip('▲▼ ')}")
    behind = sum(1 for f in public if f["progress"] in {"behind", "over"})
    if behind:
        lines.append(f"另有{behind}项公开指标未达目标或落后于进度")
    lines.append(f"完整月报（PDF、Word）：{link}")
    return title_of(view, district), lines
