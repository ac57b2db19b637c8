"""A deck as PowerPoint (issue 10), opened with python-pptx: 16:9, one slide per slide, every chart a native
chart whose series are the query layer's months and add up to what /api/v1/values says, the figures as text
equal to the API's, the talking points in the notes, and nothing the reader may not see."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from subprocess import CompletedProcess

import pytest
from conftest import run_cli
from pptx import Presentation
from pptx.util import Inches

from dashboard import create_app
from dashboard.content.deck import deck_content
from dashboard.exports import pptx as deck_pptx
from data import catalog
from data.access import ANONYMOUS, OPERATOR
from data.queries.categories import categories
from data.queries.filters import Filters
from data.queries.series import monthly
from layouts.decks import DECKS
from layouts.format import number


def _deck(engine, filters: Filters) -> tuple[dict, Presentation]:
    with engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], filters)
    return content, Presentation(io.BytesIO(deck_pptx.build(content)))


def _texts(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.fixture
def api_values(demo_url, tmp_path):
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})
    try:
        body = app.server.test_client().get("/api/v1/values?year=2024").get_json()
    finally:
        app.server.extensions["dashboard.jobs"].shutdown()
        app.server.extensions["dashboard.engine"].dispose()
    return {v["code"]: v["value"] for v in body["values"]}


def test_the_annual_deck_has_every_area_with_native_charts_equal_to_the_store(demo_engine, api_values):
    content, deck = _deck(demo_engine, Filters(2024, scope=OPERATOR))
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(deck.slides) == len(content["slides"]) == 12
    kinds = [s["kind"] for s in content["slides"]]
    assert kinds[:2] == ["title", "overview"] and kinds[-1] == "closing" and kinds.count("area") == 9
    charted = 0
    with demo_engine.connect() as conn:
        for spec, slide in zip(content["slides"], deck.slides, strict=True):
            charts = [shape.chart for shape in slide.shapes if shape.has_chart]
            if spec["kind"] != "area":
                assert not charts
                continue
            assert len(charts) == (spec["chart"] is not None) + (spec["split"] is not None)
            if spec["split"] is not None:
                bars = charts.pop()
                code, column, _ = next(s.split for s in DECKS["annual"].slides if s.area == spec["area"])
                rows = [
                    r for r in categories(conn, code, Filters(2024, scope=OPERATOR), column) if r["value"]
                ]
                (series,) = bars.series
                assert sum(series.values) == pytest.approx(sum(r["value"] for r in rows))
                assert list(bars.plots[0].categories)[0] == rows[0]["name"]
                if code in api_values and catalog.load()[code].unit != "%":
                    assert sum(series.values) == pytest.approx(api_values[code])
            if spec["chart"] is None:
                continue
            (chart,) = charts
            charted += 1
            code = spec["chart"]["code"]
            months = monthly(conn, code, Filters(2024, scope=OPERATOR))
            drawn = {s.name: [v or 0 for v in s.values] for s in chart.series}
            assert drawn == {f"{y}年": [v or 0 for v in months[y]] for y in (2023, 2024)}
            if catalog.load()[code].unit != "%" and code in api_values:
                assert sum(drawn["2024年"]) == pytest.approx(api_values[code])
            for f in spec["figures"]:
                if f["code"] in api_values:
                    value, unit = number(api_values[f["code"]], catalog.load()[f["code"]].unit)
                    assert f"{value}{unit}" in _texts(slide), f["code"]
    assert charted >= 6


def test_the_notes_carry_the_talking_points_in_the_reports_words(demo_engine):
    content, deck = _deck(demo_engine, Filters(2024, scope=OPERATOR))
    notes = {
        s["title"]: slide.notes_slide.notes_text_frame.text
        for s, slide in zip(content["slides"], deck.slides, strict=True)
    }
    assert "共调处各类纠纷2712件，同比上升4.2%，调处成功率99.74%" in notes["矛盾纠纷"]
    assert "全年共接报刑事警情937起，同比下降18.7%" in notes["平安建设"]
    assert all(text.endswith(("。", "！")) for text in notes.values())


def test_a_visitor_and_a_township_get_what_they_may_see_and_what_they_asked(demo_engine, monkeypatch):
    # a headline figure the district made internal (and the count it is worked out from)
    cat = catalog.load()
    for code in ("hotline_satisfaction_rate", "hotline_visited"):
        monkeypatch.setitem(cat, code, replace(cat[code], visibility="internal"))
    hidden = {i.name for i in cat.values() if i.visibility != "public"}

    def said(scope) -> str:
        _, deck = _deck(demo_engine, Filters(2024, scope=scope))
        return "\n".join(_texts(s) + s.notes_slide.notes_text_frame.text for s in deck.slides)

    assert "12345热线满意率" in said(OPERATOR)
    assert not [name for name in hidden if name in said(ANONYMOUS)]
    content, deck = _deck(demo_engine, Filters(2024, townships=("qingshan",), scope=OPERATOR))
    assert content["place"] == "青山镇" and "青山镇" in _texts(deck.slides[0])
    assert "2712件" not in "\n".join(_texts(s) for s in deck.slides)


def test_dashboard_export_pptx_writes_the_deck_and_refuses_plainly(demo_urls, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": demo_urls["sqlite"], "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}

    def run(*args: str) -> CompletedProcess:
        return run_cli("export", "pptx", *args, env=env)

    out = tmp_path / "汇报.pptx"
    done = run("--deck", "annual", "--year", "2024", "-o", str(out))
    assert done.returncode == 0 and "已写出 2024 年汇报幻灯片" in done.stdout, done.stderr
    assert len(Presentation(str(out)).slides) == 12
    for args, words in [
        (("--deck", "nope", "-o", str(out)), "没有 'nope' 这个选项"),
        (("--year", "1999", "-o", str(out)), "库中没有 1999 年的数据"),
        (("-o", str(tmp_path / "x.docx")), "输出文件应以 .pptx 结尾"),
    ]:
        refused = run(*args)
        assert refused.returncode == 2 and words in refused.stderr and "Traceback" not in refused.stderr, args
