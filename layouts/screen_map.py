"""The big screen's township map: filled scatter polygons (the basic plotly.js bundle has no choropleth, and a
tile map would need a server outside the site), each township shaded by its value and labelled with its name
and value in type readable across a room.

At 20 px the labels of a district's small central townships do not fit inside them, so labels are placed here,
in the panel's own pixels: each at its township's label point when it fits there, otherwise moved outward to
the nearest free spot with a thin line back to its township. Placing them needs the plot's size, so the map is
drawn at a fixed size with fixed axis ranges (no autosize), which also keeps the district's shape."""

from __future__ import annotations

import math
from collections.abc import Iterator

from layouts.screen_charts import EMPTY_FILL, FONT, INK, empty, shade

LABEL_SIZE = 20
# What a label's box measures, estimated from its text: CJK characters are square, digits about half as wide.
WIDE, NARROW, LINE, PAD = 1.0, 0.58, 1.25, 6
# Where a label may go when its township is too small: rings around the label point, outward first.
RADII = (0, 56, 84, 112, 140, 170, 200, 240, 280)
DIRECTIONS = 16
MARGIN = 6  # px kept free at the plot's edges and between labels


def _text_width(text: str) -> float:
    return sum((WIDE if ord(c) > 0x2E80 else NARROW) * LABEL_SIZE for c in text)


def _box(name: str, shown: str) -> tuple[float, float]:
    return max(_text_width(name), _text_width(shown)) + 2 * PAD, 2 * LABEL_SIZE * LINE + PAD


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return not (
        a[2] + MARGIN <= b[0] or b[2] + MARGIN <= a[0] or a[3] + MARGIN <= b[1] or b[3] + MARGIN <= a[1]
    )


def _candidates(x: float, y: float, centre: tuple[float, float]) -> Iterator[tuple[float, float]]:
    """Offsets from the label point, nearest first and, at each distance, the way out of the map first."""
    outward = math.atan2(y - centre[1], x - centre[0])
    angles = sorted(
        (2 * math.pi * k / DIRECTIONS for k in range(DIRECTIONS)),
        key=lambda a: abs(math.remainder(a - outward, 2 * math.pi)),
    )
    yield 0.0, 0.0
    for r in RADII[1:]:
        for a in angles:
            yield r * math.cos(a), r * math.sin(a)


def place_labels(
    points: list[tuple[float, float]],
    sizes: list[tuple[float, float]],
    order: list[int],
    frame: tuple[float, float],
) -> list[tuple[float, float]]:
    """Each label's offset (px) from its point so that no two labels overlap and all stay in ``frame``,
    placed in ``order`` (the first keep their points); a label with no free spot stays on its point."""
    width, height = frame
    centre = (width / 2, height / 2)
    placed: list[tuple[float, ...]] = []
    offsets = [(0.0, 0.0)] * len(points)
    for i in order:
        (x, y), (w, h) = points[i], sizes[i]
        for dx, dy in _candidates(x, y, centre):
            box = (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
            inside = (
                box[0] >= MARGIN
                and box[1] >= MARGIN
                and box[2] <= width - MARGIN
                and box[3] <= height - MARGIN
            )
            if inside and not any(_overlaps(box, other) for other in placed):
                placed.append(box)
                offsets[i] = (dx, dy)
                break
    return offsets


def _area(rings: list[list[list[float]]], squeeze: float) -> float:
    total = 0.0
    for ring in rings:
        xy = [(lon * squeeze, lat) for lon, lat in ring]
        total += abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(xy, xy[1:] + xy[:1], strict=True)))
    return total / 2


def township_map(
    shapes: list[dict], values: dict[str, tuple[float | None, str]], size: tuple[int, int]
) -> dict:
    """Each township filled by its value (``values``: code -> (value, shown text)) and labelled, on a plot of
    ``size`` px. Degrees of longitude are shortened by the latitude so that the district keeps its shape."""
    if not shapes:
        return empty("尚未导入乡镇边界（dashboard geo import）")
    # shaded among the townships drawn: rows that name no township are no place on the map
    drawn = [values.get(s["code"], (None, ""))[0] for s in shapes]
    numbers = [v for v in drawn if v is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0, 0)
    lats = [p[1] for s in shapes for ring in s["rings"] for p in ring]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    xs_all = [p[0] * squeeze for s in shapes for ring in s["rings"] for p in ring]
    width, height = size
    # the district as large as the plot allows, centred; the ranges keep one scale on both axes
    scale = min(
        (width - 2 * MARGIN) / (max(xs_all) - min(xs_all)), (height - 2 * MARGIN) / (max(lats) - min(lats))
    )
    cx, cy = (max(xs_all) + min(xs_all)) / 2, (max(lats) + min(lats)) / 2
    x_range = [cx - width / 2 / scale, cx + width / 2 / scale]
    y_range = [cy - height / 2 / scale, cy + height / 2 / scale]

    data = []
    for shape, value in zip(shapes, drawn, strict=True):
        share = (value - low) / (high - low) if value is not None and high > low else 1.0
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in shape["rings"]:
            xs += [p[0] * squeeze for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": shade(share) if value is not None else EMPTY_FILL,
                "line": {"color": "#0b1526", "width": 1.5},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )

    anchors = [(s["label"][0] * squeeze, s["label"][1]) for s in shapes]
    points = [((x - x_range[0]) * scale, (y_range[1] - y) * scale) for x, y in anchors]
    shown = [values.get(s["code"], (None, "—"))[1] for s in shapes]
    sizes = [_box(s["name"], text) for s, text in zip(shapes, shown, strict=True)]
    # the largest townships keep their labels inside; the small ones move out around them
    order = sorted(range(len(shapes)), key=lambda i: -_area(shapes[i]["rings"], squeeze))
    offsets = place_labels(points, sizes, order, (width, height))
    annotations = []
    for shape, (x, y), text, (dx, dy) in zip(shapes, anchors, shown, offsets, strict=True):
        moved = (dx, dy) != (0.0, 0.0)
        annotations.append(
            {
                "x": x,
                "y": y,
                "text": f"{shape['name']}<br><b>{text}</b>",
                "font": {"size": LABEL_SIZE, "color": INK},
                "showarrow": moved,
                "ax": dx,
                "ay": dy,
                "arrowhead": 0,
                "arrowwidth": 1.5,
                "arrowcolor": "rgba(230,237,247,0.75)",
                "bgcolor": "rgba(5,13,26,0.78)" if moved else "rgba(0,0,0,0)",
                "borderpad": 2,
            }
        )
    return {
        "data": data,
        "layout": {
            "font": FONT,
            "width": width,
            "height": height,
            "autosize": False,
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "xaxis": {"visible": False, "fixedrange": True, "range": x_range},
            "yaxis": {"visible": False, "fixedrange": True, "range": y_range},
            "annotations": annotations,
            "showlegend": False,
        },
    }
