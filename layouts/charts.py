"""Plotly figures as plain dicts: a dict costs 1–2 ms to build, a plotly.express figure 35–160 ms."""

from __future__ import annotations

from dash import dcc, html

FONT = {
    "family": "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif",
    "size": 13,
    "color": "#1f2937",
}
THIS_YEAR = "#b3261e"
MUTED = "#9ca3af"
LAST_YEAR = MUTED
BAR = "#c2410c"
MONTHS = [f"{m}月" for m in range(1, 13)]
CONFIG = {
    "locale": "zh-CN",
    "displaylogo": False,
    "responsive": True,
    # plotly.js 4 adds "Share chart..." by default, a button whose dialog uploads the chart to a cloud service:
    # nothing leaves an intranet, so it is switched off and removed (and no server URL is left to send to).
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendChartToCloud", "sendDataToCloud"],
    # the camera button saves the chart as a PNG drawn in the reader's browser, twice as sharp as on screen
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def panel(component_id: str, height: int = 320) -> html.Div:
    """A chart in its panel, the panel's height reserved before the chart's script has loaded and drawn (the
    page must not jump while its panels load: a layout shift of 0.55 was measured on /mediation)."""
    # 1rem: the panel's padding (app.css .panel), above and below
    return html.Div(
        graph(component_id, height), className="panel", style={"minHeight": f"calc({height}px + 1rem)"}
    )


def graph(component_id: str, height: int = 320) -> dcc.Graph:
    return dcc.Graph(
        id=component_id,
        figure=empty("正在加载……"),
        config=CONFIG,
        style={"height": f"{height}px"},
        className="chart",
    )


# A chart's legend on its own line between the title and the plot, from the left: beside the title at the right,
# it ran over the title on a phone (390 px).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"}
MARGIN = {"l": 48, "r": 16, "t": 44, "b": 36}
LEGEND_TOP = 72  # the top margin with the legend's line under the title

# Whole numbers in full (12,000 rather than 12k): the SI suffixes are not how Chinese readers count.
PLAIN = {"exponentformat": "none", "separatethousands": True}


def _layout(title: str, **extra) -> dict:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 15}},
        "font": FONT,
        "margin": dict(MARGIN),  # a copy: some callers adjust their own
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": FONT},
        "separators": ".,",
        **extra,
    }


def empty(reason: str, title: str = "") -> dict:
    """A chart that says why it has nothing to draw, instead of empty axes that look like zero."""
    return {
        "data": [],
        "layout": _layout(
            title,
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[{"text": reason, "showarrow": False, "font": {"size": 15, "color": "#6b7280"}}],
        ),
    }


def trend(title: str, unit: str, series: dict[int, list[float | None]], year: int) -> dict:
    """This year's months against last year's, as two lines."""
    data = []
    for y, color, dash in ((year - 1, LAST_YEAR, "dot"), (year, THIS_YEAR, "solid")):
        if y in series:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": f"{y}年",
                    "x": MONTHS,
                    "y": series[y],
                    "line": {"color": color, "width": 3 if y == year else 2, "dash": dash},
                    "hovertemplate": f"%{{x}}：%{{y}}{unit}<extra>{y}年</extra>",
                }
            )
    return {
        "data": data,
        "layout": _layout(
            title,
            xaxis={"type": "category", "fixedrange": True},
            yaxis={"rangemode": "tozero", "fixedrange": True, "gridcolor": "#eef0f3", **PLAIN},
            legend=LEGEND,
            margin={**MARGIN, "t": LEGEND_TOP},
        ),
    }


def bars(
    title: str, unit: str, rows: list[dict], clickable: bool = False, limit: int = 20, rest: str | None = None
) -> dict:
    """A sorted horizontal bar chart, largest on top; ``customdata`` carries each bar's code for clicks.

    Beyond ``limit`` bars the smallest are dropped, or, given a ``rest`` label (values that add up), summed
    into one last bar "<rest>（N个）" with no code, so that the bars still add up to the whole.
    """
    if rest and len(rows) > limit:
        others = rows[limit - 1 :]
        total = sum(r["value"] or 0 for r in others)
        rows = [*rows[: limit - 1], {"code": None, "name": f"{rest}（{len(others)}个）", "value": total}]
    rows = rows[:limit]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [r["name"] for r in reversed(rows)],
                "x": [r["value"] for r in reversed(rows)],
                "customdata": [r.get("code") for r in reversed(rows)],
                "marker": {"color": BAR},
                "text": [r["value"] for r in reversed(rows)],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": f"%{{y}}：%{{x}}{unit}<extra></extra>",
            }
        ],
        "layout": _layout(
            title + ("（点击条形可筛选）" if clickable else ""),
            xaxis={"fixedrange": True, "gridcolor": "#eef0f3", **PLAIN, "rangemode": "tozero"},
            yaxis={"automargin": True, "fixedrange": True},
            margin={"l": 8, "r": 40, "t": 44, "b": 30},
        ),
    }


def paired_bars(
    title: str, unit: str, names: list[str], first: tuple[str, list], second: tuple[str, list]
) -> dict:
    """Two values per member side by side (requests raised against resolved)."""
    return {
        "data": [
            {
                "type": "bar",
                "name": label,
                "x": names,
                "y": values,
                "marker": {"color": color},
                "hovertemplate": f"%{{x}} {label}：%{{y}}{unit}<extra></extra>",
            }
            for (label, values), color in ((first, LAST_YEAR), (second, THIS_YEAR))
        ],
        "layout": _layout(
            title,
            barmode="group",
            xaxis={"fixedrange": True},
            yaxis={"fixedrange": True, "gridcolor": "#eef0f3", **PLAIN},
            legend=LEGEND,
            margin={**MARGIN, "t": LEGEND_TOP},
        ),
    }
