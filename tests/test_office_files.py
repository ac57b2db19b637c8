"""The Word report and the PowerPoint deck as an office suite reads them: Chinese as their language, the East
Asian font set wherever the Latin one is, the report's headings numbered without gaps, the indicator table with
proportional columns and a header row repeated on every page; and dates for readers written 2024年12月31日
(the documents, the wall, the desk's cards, the presenter), with no 数据版本 in them. On both engines."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import docx
import pytest
from docx.oxml.ns import qn as wqn
from docx.shared import Mm
from pptx import Presentation
from pptx.oxml.ns import qn

from dashboard import create_app
from dashboard.content.deck import deck_content
from dashboard.content.report import report_docx_bytes
from dashboard.exports import docx as report_docx
from dashboard.exports import gongwen
from dashboard.exports import pptx as deck_pptx
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts import cards
from layouts.decks import DECKS
from layouts.format import day, moment
from layouts.writeup import chinese_numeral

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_a_day_reads_as_a_reader_writes_it():
    assert day(date(2024, 12, 31)) == "2024年12月31日"
    assert day("2024-01-05") == "2024年1月5日"
    assert day(None) == "—"
    assert moment(datetime(2024, 3, 9, 1, 5, tzinfo=UTC).astimezone()).startswith("2024年3月9日")
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]


@pytest.fixture
def word(demo_engine) -> docx.document.Document:
    with demo_engine.connect() as conn:
        return docx.Document(io.BytesIO(report_docx_bytes(conn, Filters(2024, scope=OPERATOR))))


def test_the_word_reports_headings_are_numbered_without_gaps(word):
    chapters, sections, items = [], {}, {}
    chapter = None
    for p in word.paragraphs:
        if p.style.name == "Heading 1" and "、" in p.text:
            chapter = p.text
            chapters.append(p.text.split("、")[0])
        elif p.style.name == "Heading 2" and chapter:
            sections.setdefault(chapter, []).append(re.match(r"（(.+?)）", p.text).group(1))
        elif p.style.name == "Heading 3" and chapter:
            items.setdefault(chapter, []).append(int(re.match(r"(\d+)\.", p.text).group(1)))
    assert chapters == [chinese_numeral(n) for n in range(1, len(chapters) + 1)] and len(chapters) == 2
    for numbers in sections.values():
        assert numbers == [chinese_numeral(n) for n in range(1, len(numbers) + 1)]
    assert items and all(numbers == list(range(1, len(numbers) + 1)) for numbers in items.values()), items
    assert len(items[next(iter(items))]) > 10


def test_the_word_report_is_chinese_and_dated_for_readers(word):
    lang = word.styles.element.find(wqn("w:docDefaults")).find(wqn("w:rPrDefault")).find(wqn("w:rPr"))
    lang = lang.find(wqn("w:lang"))
    # Chinese for the East Asian text; Latin letters and digits en-US as Chinese Word marks them (gongwen.py)
    assert (lang.get(wqn("w:val")), lang.get(wqn("w:eastAsia"))) == ("en-US", "zh-CN")
    for style in ("Normal", gongwen.TITLE_STYLE, "Heading 1", "Heading 2", "Heading 3"):
        own = word.styles[style].element.rPr.find(wqn("w:lang"))
        assert (own.get(wqn("w:val")), own.get(wqn("w:eastAsia"))) == ("en-US", "zh-CN"), style
    theme = word.settings.element.find(wqn("w:themeFontLang"))
    assert theme.get(wqn("w:eastAsia")) == "zh-CN" and word.core_properties.language == "zh-CN"
    subtitle = word.paragraphs[1].text
    assert "数据截至：2024年12月31日" in subtitle and "生成于：" in subtitle
    assert "数据版本" not in subtitle and not ISO_DAY.search(subtitle), subtitle


def test_the_word_reports_table_has_proportional_columns_and_a_repeating_header(word):
    table = word.tables[-1]
    assert [c.text for c in table.rows[0].cells] == list(report_docx.TABLE_HEAD)
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(wqn("w:tblHeader")) is not None
    assert all(
        row._tr.trPr is None or row._tr.trPr.find(wqn("w:tblHeader")) is None for row in table.rows[1:]
    )
    grid = [int(col.get(wqn("w:w"))) for col in table._tbl.tblGrid.findall(wqn("w:gridCol"))]
    widths = gongwen.column_widths(tuple(w for _, w in report_docx.TABLE_COLUMNS), gongwen.ANNEX_WIDTH_MM)
    expected = [Mm(w / 100).twips for w in widths]
    assert grid == expected and len(set(grid)) > 3
    # the width between the margins of the annex's page, turned on its side
    assert abs(sum(grid) - Mm(gongwen.ANNEX_WIDTH_MM).twips) <= len(grid)
    for row in table.rows:
        assert [cell.width.twips for cell in row.cells] == expected


@pytest.mark.parametrize("place", [{}, {"departments": ("SFJ",)}])
def test_the_powerpoint_is_chinese_in_every_run_and_chart(demo_engine, place):
    with demo_engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR, **place))
    deck = Presentation(io.BytesIO(deck_pptx.build(content)))
    charts = 0
    for slide in deck.slides:
        for element in (slide.shapes._spTree, slide.notes_slide.notes_text_frame._txBody):
            for run in element.iter(qn("a:r")):
                rpr = run.find(qn("a:rPr"))
                assert rpr is not None and rpr.get("lang") == "zh-CN", run.findtext(qn("a:t"))
                assert rpr.find(qn("a:ea")).get("typeface") == deck_pptx.FACE
        for shape in slide.shapes:
            if shape.has_chart:
                charts += 1
                space = shape.chart._chartSpace
                defaults = list(space.iter(qn("a:defRPr")))
                assert defaults, "the chart sets no text properties"
                for rpr in [*defaults, *space.iter(qn("a:rPr"))]:
                    assert rpr.get("lang") == "zh-CN"
                    assert rpr.find(qn("a:ea")).get("typeface") == deck_pptx.FACE
                    assert rpr.find(qn("a:latin")).get("typeface") == deck_pptx.FACE
            if shape.has_text_frame:
                text = shape.text_frame.text
                assert "…" not in text and not ISO_DAY.search(text) and "数据版本" not in text, text
    assert charts >= 5
    feet = [s.shapes[-1].text_frame.text for s in deck.slides]
    assert all("数据截至 2024年12月31日" in foot for foot in feet), feet[0]


def test_the_desks_card_dates_its_figure_for_readers():
    figure = {
        "code": "x",
        "name": "某项",
        "value": 3,
        "unit": "件",
        "yoy_pct": None,
        "yoy_points": None,
        "as_of": "2024-12-31",
        "source": "登记簿",
    }
    about = {
        "definition": "口径",
        "responsible": "区司法局",
        "period": "年度",
        "direction": "up",
        "target": None,
    }
    card = cards.kpi_card(figure, about, [], drill=False)
    assert "统计截至：2024年12月31日" in str(card.to_plotly_json())


@pytest.fixture
def client(demo_url, tmp_path):
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})
    yield app.server.test_client()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def test_the_wall_and_the_presenter_date_their_figures_for_readers(client):
    wall = client.get("/screen/data?screen=overview&year=2024").get_json()
    assert wall["as_of_text"] == "2024年12月31日"
    page = client.get("/present/annual?year=2024&department=SFJ").get_data(as_text=True)
    assert '"foot": "区司法局　数据截至 2024年12月31日　示例数据"' in page
    wall_page = client.get("/screen?department=SFJ").get_data(as_text=True)
    assert "标“全区数”的指标不分部门，显示的是全区的数" in wall_page
    assert "标“全区数”" not in client.get("/screen").get_data(as_text=True)
