"""The big screen's figures: the desk's charts (layouts/charts.py) in the wall's dark skin, every text at least
20 px on the 1920×1080 canvas so that it reads across a room (the township map is layouts/screen_map.py)."""

from __future__ import annotations

from layouts import charts

INK = "#e6edf7"
DIM = "#8aa0bd"
GRID = "rgba(138,160,189,0.18)"
ACCENT = "#ffb547"
LAST = "#5b7fa8"
# The map's shading, from the smallest value to the largest.
LOW, HIGH = (22, 58, 94), (255, 181, 71)
EMPTY_FILL = "rgba(60,80,110,0.35)"
FONT = {"family": charts.FONT["family"], "size": 20, "color": INK}
CONFIG = {"staticPlot": True, "locale": "zh-CN", "displayModeBar": False}


def dark(figure: dict) -> dict:
    """A desk figure for the wall: no title (the panel has one), transparent, light ink, 20 px type."""
    layout = figure["layout"]
    layout.pop("title", None)
    layout.update(
        font=FONT,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        margin={"l": 64, "r": 24, "t": 16, "b": 44},
    )
    for axis in ("xaxis", "yaxis"):
        if axis in layout:
            layout[axis] = {**layout[axis], "gridcolor": GRID, "linecolor": GRID, "zeroline": False}
    if "legend" in layout:
        # above the plot, right-aligned, in a band of its own
        layout["legend"] = {**layout["legend"], "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"}
        layout["legend"]["font"] = {"size": 20, "color": DIM}
        layout["margin"]["t"] = 44
    for annotation in layout.get("annotations", []):
        annotation["font"] = {"size": 22, "color": DIM}
    for trace in figure["data"]:
        trace.pop("hovertemplate", None)
        if trace.get("type") == "bar":
            # the values beside the bars at full size: plotly would shrink them to fit
            trace["textfont"] = {"size": 20, "color": INK}
            trace["constraintext"] = "none"
        line = trace.get("line")
        if line and line.get("color") == charts.THIS_YEAR:
            line["color"] = ACCENT
        elif line:
            line["color"] = LAST
    return figure


def trend(unit: str, series: dict[int, list[float | None]], year: int) -> dict:
    figure = dark(charts.trend("", unit, series, year))
    # twelve month names at 20 px do not fit a third of the wall: every other one, upright
    figure["layout"]["xaxis"] |= {"tickangle": 0, "tickmode": "array", "tickvals": charts.MONTHS[::2]}
    return figure


def bars(unit: str, rows: list[dict], limit: int = 8) -> dict:
    figure = dark(charts.bars("", unit, rows, limit=limit, rest="其他"))
    figure["data"][0]["marker"] = {"color": ACCENT}
    figure["layout"]["margin"] = {"l": 8, "r": 72, "t": 8, "b": 32}
    return figure


def paired(names: list[str], first: tuple[str, list], second: tuple[str, list], limit: int) -> dict:
    """Two values for each of the ``limit`` members with the largest first value, as horizontal bars: the
    names stay upright and large (the desk's upright columns would need a 14 px slant for 16 townships)."""
    rows = sorted(zip(names, first[1], second[1], strict=True), key=lambda r: -(r[1] or 0))[:limit][::-1]
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": label,
            "y": [r[0] for r in rows],
            "x": [r[k] for r in rows],
            "marker": {"color": color},
        }
        for k, label, color in ((1, first[0], LAST), (2, second[0], ACCENT))
    ]
    layout = {
        "barmode": "group",
        "bargap": 0.25,
        "xaxis": {"fixedrange": True, "rangemode": "tozero"},
        # every name shown: plotly would thin out category labels it thinks are crowded
        "yaxis": {
            "fixedrange": True,
            "automargin": True,
            "tickmode": "array",
            "tickvals": [r[0] for r in rows],
        },
    }
    figure = dark({"data": data, "layout": {**layout, "legend": {"orientation": "h"}}})
    figure["layout"]["margin"] |= {"l": 8, "r": 16, "b": 32}
    return figure


def empty(reason: str) -> dict:
    return dark(charts.empty(reason))


def shade(share: float) -> str:
    """The map's fill for a value ``share`` of the way from the smallest to the largest."""
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"rgb({r},{g},{b})"
