"""The Word report in 公文 layout (issue 21, item 4), read back with python-docx from the demo store on both
engines: GB/T 9704-2012's page and margins, the 公文 fonts by name in the East Asian slot, 三号 body, headings
一、（一）1. numbered without gaps, page numbers in the footer, the 主送 and 落款 left for the office, the
indicator table as the annex with its header row repeated and its columns in proportion, Chinese as the
language; and a frozen report from before the 说明 column still builds."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from dashboard.content.report import frozen_report_docx, report_document
from dashboard.exports import docx as report_docx
from dashboard.exports import gongwen
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts.writeup import chinese_numeral


@pytest.fixture
def document(demo_engine) -> docx.document.Document:
    with demo_engine.connect() as conn:
        made = report_document(conn, Filters(2024, scope=OPERATOR))
    return docx.Document(io.BytesIO(report_docx.build(made)))


def _east_asian(style) -> str | None:
    return style.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_page_and_the_fonts_are_the_standards(document):
    body = document.sections[0]
    # in mm, to the twip Word stores them in
    sizes = [body.page_width, body.page_height, body.top_margin, body.left_margin, body.right_margin]
    assert [round(x.mm, 1) for x in [*sizes, body.bottom_margin]] == [210, 297, 37, 28, 26, 35]
    styles = document.styles
    assert _east_asian(styles["Normal"]) == "仿宋_GB2312" and styles["Normal"].font.size == Pt(16)
    assert _east_asian(styles[gongwen.TITLE_STYLE]) == "方正小标宋简体"
    assert styles[gongwen.TITLE_STYLE].font.size == Pt(22)
    assert [_east_asian(styles[f"Heading {n}"]) for n in (1, 2, 3)] == ["黑体", "楷体_GB2312", "仿宋_GB2312"]
    # no theme font left to win over the names in Word
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", gongwen.TITLE_STYLE):
        fonts = styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None, name
    assert document.paragraphs[0].style.name == gongwen.TITLE_STYLE
    assert document.paragraphs[0].text == "示例区2024年法治政府建设工作报告（数据部分）"


def test_chinese_is_the_language_everywhere(document):
    assert document.core_properties.language == "zh-CN"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = defaults.find(qn("w:lang"))
    # Chinese for the East Asian text; digits and Latin letters en-US (marked zh-CN, LibreOffice splits numbers)
    assert lang.get(qn("w:eastAsia")) == "zh-CN" and lang.get(qn("w:val")) == "en-US"
    for name in ("Normal", "Heading 1", gongwen.TITLE_STYLE):
        assert document.styles[name].element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_headings_are_numbered_without_gaps_at_every_level(document):
    levels = {f"Heading {n}": n for n in (1, 2, 3)}
    chapters = sections = items = 0
    seen = []
    for p in document.paragraphs:
        level = levels.get(p.style.name)
        if level == 1 and p.text != "附件":
            chapters += 1
            sections = items = 0
            assert p.text.startswith(f"{chinese_numeral(chapters)}、"), p.text
        elif level == 2:
            sections += 1
            assert p.text.startswith(f"（{chinese_numeral(sections)}）"), p.text
        elif level == 3:
            items += 1
            assert re.match(rf"{items}\.\D", p.text), p.text
        if level:
            seen.append(level)
    assert chapters == 2 and seen.count(3) >= 10


def test_the_main_recipient_and_the_signature_are_left_for_the_office(document):
    texts = [p.text for p in document.paragraphs]
    assert report_docx.ADDRESSEE in texts
    assert texts.index(report_docx.ADDRESSEE) < texts.index(f"附件：{report_docx.ANNEX_TITLE}")
    assert all(line in texts for line in report_docx.SIGNATURE)
    assert texts.index(report_docx.SIGNATURE[0]) < texts.index("附件")
    # from the body's last line to the date one block: no page break between 署名 and 成文日期 (LibreOffice put
    # them on two pages once the text chapters made the body longer), nor a page with the 落款 alone
    first = texts.index(f"附件：{report_docx.ANNEX_TITLE}") - 2
    last = texts.index(report_docx.SIGNATURE[-1])
    block = document.paragraphs[first : last + 1]
    assert [p.paragraph_format.keep_with_next for p in block] == [True] * (len(block) - 1) + [None]


def test_page_numbers_sit_in_the_footer_at_the_outer_edge(document):
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert (
            "PAGE" in xml
            and footer.paragraphs[0].text.startswith("— ")
            and footer.paragraphs[0].text.endswith(" —")
        )
    assert section.footer.paragraphs[0].alignment != section.even_page_footer.paragraphs[0].alignment


def test_the_indicator_table_is_the_annex_with_a_repeated_header_and_proportional_columns(document):
    annex = document.sections[-1]
    assert annex.page_width > annex.page_height  # turned on its side for the wide table
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(report_docx.TABLE_HEAD)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows[1:])
    widths = [c.width for c in table.rows[1].cells]
    line = annex.page_width - annex.left_margin - annex.right_margin
    assert sum(widths) == pytest.approx(line, rel=0.01)
    weights = [w for _, w in report_docx.TABLE_COLUMNS]
    for width, weight in zip(widths, weights, strict=True):
        assert width / sum(widths) == pytest.approx(weight / sum(weights), abs=0.002)
    # the catalog's qualifier and note stand in 说明
    said = {row.cells[1].text: row.cells[-1].text for row in table.rows[1:]}
    assert said["行政诉讼案件正职出庭率"] == "上半年，全市排名第一；只统计上半年开庭的案件"
    assert said["办事效率提升"].startswith("一项主张而非统计")


def test_a_report_frozen_before_the_note_column_still_builds(demo_engine):
    with demo_engine.connect() as conn:
        frozen = report_document(conn, Filters(2024, scope=OPERATOR)).to_dict()
    frozen["table"] = [row[:7] for row in frozen["table"]]
    rebuilt = docx.Document(io.BytesIO(frozen_report_docx(frozen, "快照“例会”")))
    assert len(rebuilt.tables[0].columns) == len(report_docx.TABLE_HEAD)
