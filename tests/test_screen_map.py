"""The big screen's township map on the demo district's boundaries: every township drawn and shaded among the
drawn ones, and every label readable (20 px), inside the plot and clear of every other label."""

from __future__ import annotations

import pytest

from data.boundaries import township_shapes
from layouts import screen_map
from layouts.screen_charts import HIGH, LOW, shade
from layouts.screens import BY_NAME

SIZES = sorted({p.box.plot_size(True) for s in BY_NAME.values() for p in s.panels if p.kind == "map"})


@pytest.fixture
def shapes(demo_engine) -> list[dict]:
    with demo_engine.connect() as conn:
        return township_shapes(conn)


def _label_boxes(figure: dict, size: tuple[int, int]) -> list[tuple[float, float, float, float]]:
    layout = figure["layout"]
    (x0, x1), (y0, y1) = layout["xaxis"]["range"], layout["yaxis"]["range"]
    scale = size[0] / (x1 - x0)
    assert size[1] / (y1 - y0) == pytest.approx(scale)  # one scale on both axes: the district keeps its shape
    boxes = []
    for a in layout["annotations"]:
        name, value = a["text"].split("<br>")
        w, h = screen_map._box(name, value.removeprefix("<b>").removesuffix("</b>"))
        cx, cy = (a["x"] - x0) * scale + a["ax"], (y1 - a["y"]) * scale + a["ay"]
        boxes.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2))
    return boxes


@pytest.mark.parametrize("size", SIZES)
def test_every_township_is_labelled_large_inside_the_plot_and_clear_of_the_others(shapes, size):
    values = {s["code"]: (1000.0 + i, f"{1000 + i}件") for i, s in enumerate(shapes)}
    figure = screen_map.township_map(shapes, values, size)
    annotations = figure["layout"]["annotations"]
    assert len(annotations) == len(shapes) == 16
    assert all(a["font"]["size"] >= 20 for a in annotations)
    boxes = _label_boxes(figure, size)
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= size[0] and a[3] <= size[1]
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    moved = [a for a in annotations if a["showarrow"]]
    assert all(a["ax"] or a["ay"] for a in moved) and len(moved) < len(shapes)


def test_townships_are_shaded_among_the_drawn_ones_not_the_rows_naming_none(shapes):
    values = {s["code"]: (float(i), str(i)) for i, s in enumerate(shapes)}
    values["unassigned"] = (1_000_000.0, "1000000")
    fills = [t["fillcolor"] for t in screen_map.township_map(shapes, values, SIZES[0])["data"]]
    assert fills[0] == shade(0.0) == "rgb({},{},{})".format(*LOW)
    assert fills[-1] == shade(1.0) == "rgb({},{},{})".format(*HIGH)


def test_a_district_without_boundaries_says_how_to_import_them():
    figure = screen_map.township_map([], {}, SIZES[0])
    assert "dashboard geo import" in figure["layout"]["annotations"][0]["text"]
