"""KPI cards: a figure with its unit, its change, its target, what it is, and a way to its records."""

from __future__ import annotations

import re

from dash import html

from layouts import ids
from layouts.format import change, day, number


def target_status(value: float | None, target: float | None, direction: str, unit: str) -> html.Span | None:
    if target is None or value is None:
        return None
    met = value >= target if direction != "down" else value <= target
    shown, shown_unit = number(target, unit)
    return html.Span(
        f"目标 {shown}{shown_unit} · {'达标' if met else '未达标'}",
        className=f"kpi-target {'tone-good' if met else 'tone-bad'}",
    )


def kpi_card(
    figure: dict, about: dict, ignored: list[str], drill: bool, raise_href: str | None = None
) -> html.Div:
    """``about``: the catalog's definition, responsible, period (in words), direction, target; ``ignored``: the filters
    chosen that this figure is not split by (shown as 不分部门 / 不分乡镇); ``raise_href``: the create form of a
    follow-up (督办) about this figure, for a reader who may raise one (callbacks/figures.py builds it)."""
    value, unit = number(figure["value"], figure["unit"])
    text, tone = change(figure["yoy_pct"], about["direction"], figure["yoy_points"])
    if not about.get("compares", True):
        # a one-off piece of work or a claim: no 同比 arrow, and no trend of it (catalog nature)
        text, tone = "不作同比", "neutral"
    notes = [
        html.Span(f"不分{label}", className="kpi-note", title=f"该指标不按{label}统计，显示全区数")
        for label in ignored
    ]
    if about.get("beside"):
        notes.append(
            html.Span(about["beside"], className="kpi-note", title=about.get("note") or about["beside"])
        )
    # Every Dash component costs the browser time on each change, times every card (a page has up to 14): text
    # that needs no element of its own (the name, the unit, the change, what the figure is) is a plain string
    # inside its parent, styled through the parent (assets/2-app/app.css).
    about_text = "\n".join(
        [
            f"口径：{about['definition']}",
            f"单位：{figure['unit']}",
            f"责任部门：{about['responsible']}",
            f"统计周期：{about['period']}",
            *([f"说明：{about['note']}"] if about.get("note") else []),
            f"统计截至：{day(figure['as_of'])}",
            f"来源：{figure['source']}",
        ]
    )
    # The figure's target is the year's (and the unit's) where one is set; the catalog's otherwise.
    goal = figure.get("target", about["target"])
    target = target_status(figure["value"], goal, about["direction"], figure["unit"])
    children = [
        html.Div([figure["name"], *notes], className="kpi-head"),
        html.Div([html.Span(value, className="kpi-value"), unit], className="kpi-figure"),
        html.Div(
            [_unbroken(text), target] if target else _unbroken(text), className=f"kpi-status tone-{tone}"
        ),
        # 可比口径 after a merger: the previous year counts the predecessors too (data/queries/comparable.py)
        *(
            [html.Div(f"同比{figure['compared_with']}", className="kpi-note")]
            if figure.get("compared_with")
            else []
        ),
        # 报送未齐: a missing register is not read as zero (data/reporting_note.py)
        *(
            [html.Div(figure["reporting"], className="kpi-note kpi-reporting")]
            if figure.get("reporting")
            else []
        ),
        html.Details([html.Summary("口径", className="kpi-about-toggle"), about_text], className="kpi-about"),
    ]
    if drill:
        children.append(
            html.Button(
                "明细",
                className="kpi-drill",
                title="查看这个数字背后的登记记录",
                # the store the click is handed to (assets/2-app/records.js reads it here, not retyped)
                **{"data-code": figure["code"], "data-store": ids.RECORDS_REQUEST},
            )
        )
    if raise_href:
        children.append(
            html.A(
                "督办",
                href=raise_href,
                className="kpi-raise",
                title="就这个数字请责任单位限期说明情况",
            )
        )
    return html.Div(
        children,
        className="kpi-card",
        title=f"{figure['name']}：{about['definition']}",
        **{"data-code": figure["code"]},
    )


# The amount at the end of a change (0.06个百分点, 4.9%): a narrow card may break the line before it, never
# inside it (a phone showed 个百分 / 点).
_AMOUNT = re.compile(r"^(.*?)(\d[\d.,]*\D*)$")


def _unbroken(text: str) -> str | html.Span:
    found = _AMOUNT.match(text)
    if found is None:
        return text
    # one item of the status line (a flex row: the change, then the target), its amount kept whole
    return html.Span([found.group(1), html.Span(found.group(2), className="kpi-amount")])


def message(text: str) -> html.Div:
    """An empty state that says why there is nothing to show."""
    return html.Div(text, className="empty-state")
