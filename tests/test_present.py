"""The presenter's routes (issue 10) through the app on both engines: the deck list, a deck's slides carrying the
figures /api/v1/values gives the same reader, the notes view, the downloads (PowerPoint, Word, and printed by
Chromium a PDF with a page per slide and every figure as text, a chart alone as PNG), and bad input answered in
Chinese with a 4xx, never a 500 and never a figure the reader may not see."""

from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

import docx
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from dashboard import create_app
from data import catalog
from layouts.decks import CHART_IMAGE, CHART_IMAGE_SCALE


@pytest.fixture
def client(demo_url, tmp_path):
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})
    yield app.server.test_client()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _config(page: str) -> dict:
    return json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])


def test_the_list_offers_every_deck_with_the_years_and_places(client):
    page = client.get("/present").get_data(as_text=True)
    assert "示例区2024年法治政府建设工作汇报" in page and 'value="qingshan"' in page
    assert 'formaction="/present/annual/deck.pptx"' in page and 'formaction="/present/report.docx"' in page
    assert 'formaction="/present/annual/deck.pdf"' in page


def test_a_decks_figures_are_the_apis_for_the_same_reader(client):
    config = _config(client.get("/present/annual?year=2024").get_data(as_text=True))
    values = {v["code"]: v["value"] for v in client.get("/api/v1/values?year=2024").get_json()["values"]}
    shown = [f for s in config["content"]["slides"] if s["kind"] == "area" for f in s["figures"]]
    assert len(shown) >= 20
    for f in shown:
        # a visitor: public figures only, each the API's (万 units are shown in ten thousands)
        assert catalog.load()[f["code"]].visibility == "public"
        scale = 10_000 if f["unit"].startswith("万") else 1
        assert f["number"] * scale == pytest.approx(values[f["code"]], abs=0.01 * scale)
    assert config["content"]["year"] == 2024 and config["content"]["place"] == "全区"
    notes = _config(client.get("/present/annual/notes?year=2024").get_data(as_text=True))
    assert (config["mode"], notes["mode"]) == ("slides", "notes")
    # the notes view links the slide's charts as pictures, for the same year and place
    assert notes["chartUrl"] == "/present/annual/slides/{n}/{key}.png?year=2024"


def test_the_downloads_are_the_deck_and_the_report(client):
    pptx = client.get("/present/annual/deck.pptx?year=2024&township=qingshan")
    named = quote("示例区2024年法治政府建设工作汇报（青山镇）.pptx")
    assert pptx.status_code == 200 and f"filename*=UTF-8''{named}" in pptx.headers["Content-Disposition"]
    deck = Presentation(io.BytesIO(pptx.data))
    assert "青山镇" in deck.slides[0].shapes[0].text_frame.text
    word = client.get("/present/report.docx?year=2024")
    assert word.status_code == 200
    text = "".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert "共调处各类纠纷2712件" in text


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/present/nope", 404, "没有名为 “nope” 的汇报"),
        ("/present/annual?year=1999", 404, "库中没有 1999 年的数据"),
        ("/present/annual?year=abc", 400, "年度应为四位数字"),
        ("/present/annual?township=nowhere", 400, "乡镇代码 “nowhere” 不存在"),
        ("/present/annual?township=qingshan&department=SFJ", 400, "一次只能按一个乡镇或一个部门汇报"),
        ("/present/annual/deck.pptx?year=1999", 404, "库中没有 1999 年的数据"),
        ("/present/report.docx?year=2024&department=<script>", 400, "部门代码"),
        # the printed exports: refused before any browser is asked
        ("/present/annual/slides/99/chart.png?year=2024", 404, "没有第 99 页：这套汇报共 12 页"),
        (
            "/present/annual/slides/1/chart.png?year=2024",
            404,
            "第 1 页没有逐月对比图；有图表的是：第 3 页逐月对比图",
        ),
        (
            "/present/annual/slides/3/pie.png?year=2024",
            404,
            "图表只能是 chart（逐月对比图）、split（分类构成图）",
        ),
        ("/present/annual/slides/0/chart.png?year=2024", 404, "没有第 0 页"),
        ("/present/nope/deck.pdf", 404, "没有名为 “nope” 的汇报"),
        ("/present/annual/deck.pdf?year=1999", 404, "库中没有 1999 年的数据"),
        ("/present/s/999/deck.pdf", 404, "快照"),
    ],
)
def test_bad_input_is_a_plain_chinese_page(client, path, status, words):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status and words in page and "<script>" not in page.split("<body", 1)[1]


def _slides(client, query: str) -> list[dict]:
    return _config(client.get(f"/present/annual?{query}").get_data(as_text=True))["content"]["slides"]


def _pages(data: bytes) -> list[str]:
    # text extraction may break a line anywhere: compare without white space
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.browser
def test_the_pdf_has_a_page_per_slide_with_every_figure_as_text(client):
    response = client.get("/present/annual/deck.pdf?year=2024&township=qingshan")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # 示例区2024年法治政府建设工作汇报（青山镇）.pdf
    assert quote("示例区2024年法治政府建设工作汇报（青山镇）.pdf") in response.headers["Content-Disposition"]
    slides = _slides(client, "year=2024&township=qingshan")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == len(slides) == 12
    # 16:9: 1920×1080 CSS pixels are 1440×810 points
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {(1440, 810)}
    texts = _pages(response.data)
    # the characters on the page, not the Kangxi radicals that share their glyphs (dashboard/exports/pdf_text.py)
    assert "示例区2024年法治政府建设工作汇报" in texts[0] and "青山镇" in texts[0]
    assert not [c for text in texts for c in text if "\u2e80" <= c <= "\u2fdf"]
    for number, (slide, text) in enumerate(zip(slides, texts, strict=True), 1):
        assert "".join(slide["title"].split()) in text, number
        for f in slide.get("figures", []):
            shown = "—" if f["number"] is None else f"{f['number']:.{f['decimals']}f}"
            assert shown in text and "".join(f["name"].split()) in text, (number, f["code"])
        if number > 1:
            assert f"{number}/12" in text


@pytest.mark.browser
def test_a_charts_png_is_that_chart_alone_drawn_at_twice_the_size(client):
    slides = _slides(client, "year=2024")
    number = next(i for i, s in enumerate(slides, 1) if s.get("split"))
    response = client.get(f"/present/annual/slides/{number}/split.png?year=2024")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "%E5%88%86%E7%B1%BB" in response.headers["Content-Disposition"]  # 分类构成图 in the file name
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    # the chart, its padding and the source line under it, at CHART_IMAGE_SCALE device pixels per CSS pixel
    assert image.width == (CHART_IMAGE[0] + 48) * CHART_IMAGE_SCALE
    assert image.height > CHART_IMAGE[1] * CHART_IMAGE_SCALE
    colours = image.getcolors(maxcolors=1 << 20)
    red = sum(n for n, (r, g, b) in colours if r > 150 and g < 60 and b < 60)
    # the bars are the deck's red and fill a real share of the picture
    assert red > image.width * image.height * 0.02


def test_the_list_has_the_apps_look(client):
    """The app's header and stylesheet, its form fields and buttons: no bare native controls or plain links."""
    page = client.get("/present").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/assets/2-app/app.css">' in page and 'class="app-header"' in page
    main = page.split("<main", 1)[1]
    assert main.count("<select") == 3 and main.count('<label class="admin-field">') == 3
    assert re.findall(r"<button(?![^>]*admin-button)[^>]*>", main) == []
    assert re.findall(r"<a (?![^>]*class=)[^>]*>", main) == []
