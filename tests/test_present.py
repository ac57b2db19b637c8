"""The presenter's routes (issue 10) through the app on both engines: the deck list, a deck's slides carrying the
figures /api/v1/values gives the same reader, the notes view, the downloads, and bad input answered in Chinese
with a 4xx, never a 500 and never a figure the reader may not see."""

from __future__ import annotations

import io
import json

import docx
import pytest
from pptx import Presentation

from dashboard import create_app
from data import catalog


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
    assert "2024年法治政府建设工作汇报" in page and 'value="qingshan"' in page
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
    assert pptx.status_code == 200 and "filename*=UTF-8''2024" in pptx.headers["Content-Disposition"]
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
    ],
)
def test_bad_input_is_a_plain_chinese_page(client, path, status, words):
    response = client.get(path)
    page = response.get_data(as_text=True)
    assert response.status_code == status and words in page and "<script>" not in page.split("<body", 1)[1]
