"""The big screen's figures: the desk's charts (layouts/charts.py) in the wall's dark skin and large type, and
the township map, drawn as filled scatter polygons (the basic plotly.js bundle has no choropleth, and a tile
map would need a server outside the site)."""

from __future__ import annotations

import math

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
        layout["legend"] = {**layout["legend"], "y": 1.08, "font": {"size": 18, "color": DIM}}
    for annotation in layout.get("annotations", []):
        annotation["font"] = {"size": 22, "color": DIM}
    for trace in figure["data"]:
        trace.pop("hovertemplate", None)
        if trace.get("type") == "bar":
            trace["textfont"] = {"size": 18, "color": INK}
        line = trace.get("line")
        if line and line.get("color") == charts.THIS_YEAR:
            line["color"] = ACCENT
        elif line:
            line["color"] = LAST
    return figure


def trend(unit: str, series: dict[int, list[float | None]], year: int) -> dict:
    figure = dark(charts.trend("", unit, series, year))
    # twelve month names fit a third of the wall only upright and a little smaller
    figure["layout"]["xaxis"] |= {"tickangle": 0, "tickfont": {"size": 16}}
    return figure


def bars(unit: str, rows: list[dict], limit: int = 8) -> dict:
    figure = dark(charts.bars("", unit, rows, limit=limit, rest="其他"))
    figure["data"][0]["marker"] = {"color": ACCENT}
    figure["layout"]["margin"] = {"l": 8, "r": 72, "t": 8, "b": 32}
    return figure


def paired(unit: str, names: list[str], first: tuple[str, list], second: tuple[str, list]) -> dict:
    figure = dark(charts.paired_bars("", unit, names, first, second))
    figure["data"][0]["marker"] = {"color": LAST}
    figure["data"][1]["marker"] = {"color": ACCENT}
    figure["layout"]["xaxis"]["tickfont"] = {"size": 14}
    return figure


def empty(reason: str) -> dict:
    return dark(charts.empty(reason))


def _shade(share: float) -> str:
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"rgb({r},{g},{b})"


def township_map(shapes: list[dict], values: dict[str, tuple[float | None, str]]) -> dict:
    """Each township filled by its value (``values``: code -> (value, shown text)), named with its value at
    its label point. Degrees of longitude are shortened by the latitude so that the district keeps its shape."""
    if not shapes:
        return empty("尚未导入乡镇边界（dashboard geo import）")
    numbers = [v for v, _ in values.values() if v is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0, 0)
    data = []
    for shape in shapes:
        value = values.get(shape["code"], (None, "—"))[0]
        share = (value - low) / (high - low) if value is not None and high > low else 1.0
        fill = _shade(share) if value is not None else EMPTY_FILL
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in shape["rings"]:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": fill,
                "line": {"color": "#0b1526", "width": 1.5},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": [s["label"][0] for s in shapes],
            "y": [s["label"][1] for s in shapes],
            "text": [f"{s['name']}<br><b>{values.get(s['code'], (None, '—'))[1]}</b>" for s in shapes],
            "textfont": {"size": 15, "color": "#f8fbff"},
            "hoverinfo": "skip",
            "showlegend": False,
        }
    )
    lats = [p[1] for s in shapes for ring in s["rings"] for p in ring]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    hidden = {"visible": False, "fixedrange": True}
    return {
        "data": data,
        "layout": {
            "font": FONT,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
            "xaxis": hidden,
            "yaxis": {**hidden, "scaleanchor": "x", "scaleratio": 1 / squeeze},
            "showlegend": False,
        },
    }
