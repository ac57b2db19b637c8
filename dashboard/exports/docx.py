"""The annual report's figures as a Word document: the report's headings with their sentences
(layouts/writeup.py), then a table of every indicator. Built with python-docx from what it is given; Chinese
text is set in fonts Word and WPS both have (宋体 for the body, 黑体 for headings) through the East Asian font
slot, which Word uses for CJK characters whatever the Latin font is."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from layouts.writeup import Item, Section, renumber

BODY_FONT, HEADING_FONT = "宋体", "黑体"
# The document's language: Word and WPS pick the Chinese proofing, line breaking and fonts from it.
LANGUAGE = "zh-CN"
# The indicator table's columns and their widths (cm, filling the 16 cm between the margins): the long texts
# (指标, 口径) get the room, the short ones what one line of them needs (数值 11836, 单位 万人次, 同比上升11.1%).
TABLE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("领域", 2.0),
    ("指标", 3.2),
    ("数值", 1.4),
    ("单位", 1.4),
    ("同比", 2.6),
    ("口径", 3.2),
    ("责任部门", 2.2),
)
TABLE_HEAD = tuple(label for label, _ in TABLE_COLUMNS)


@dataclass(frozen=True)
class ReportDocument:
    """What the document says: its title, a line under it (范围、数据截至、数据版本), the sections, and one
    table row per indicator (the cells of TABLE_HEAD, as text)."""

    title: str
    subtitle: str
    sections: list[Section]
    table: list[tuple[str, ...]]
    # the indicators it carries a figure of (who may read it: data/snapshots.py)
    codes: tuple[str, ...] = ()
    # the table's columns and widths (cm) where they are not the annual report's (the monthly report's)
    columns: tuple[tuple[str, float], ...] = TABLE_COLUMNS
    # the heading above the table
    table_title: str = "附表：指标一览"

    def to_dict(self) -> dict:
        """As JSON-ready data, to be kept in a snapshot."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ReportDocument:
        sections = [
            Section(s["chapter"], s["title"], [Item(i["title"], i["text"]) for i in s["items"]])
            for s in data["sections"]
        ]
        table = [tuple(row) for row in data["table"]]
        return cls(data["title"], data["subtitle"], sections, table, tuple(data.get("codes", ())))


def _lang(rpr) -> None:
    """Chinese as the language of a run's (or a style's) text, for Latin and East Asian characters alike."""
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def _chinese(doc) -> None:
    """The document's default language (docDefaults, the theme's font language, the core properties)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    _lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    doc.core_properties.language = LANGUAGE


def _font(style, name: str, size: float, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    _lang(style.element.get_or_add_rPr())


def build(doc_: ReportDocument) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.5)
    _chinese(doc)
    _font(doc.styles["Normal"], BODY_FONT, 12)
    _font(doc.styles["Title"], HEADING_FONT, 20, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _font(doc.styles[f"Heading {level}"], HEADING_FONT, size, bold=True)
    doc.add_heading(doc_.title, level=0)
    doc.add_paragraph(doc_.subtitle)
    chapter = None
    for section in renumber(doc_.sections):
        if section.chapter != chapter:
            chapter = section.chapter
            doc.add_heading(chapter, level=1)
        doc.add_heading(section.title, level=2)
        for item in section.items:
            if item.title:
                doc.add_heading(item.title, level=3)
            doc.add_paragraph(item.text).paragraph_format.first_line_indent = Pt(24)
    doc.add_heading(doc_.table_title, level=1)
    _table(doc, doc_.table, doc_.columns)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc, rows: list[tuple[str, ...]], columns: tuple[tuple[str, float], ...] = TABLE_COLUMNS) -> None:
    """The indicator table: the columns' widths, its header row repeated at the top of every page."""
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    header = table.rows[0]
    # w:tblHeader: Word and WPS repeat this row on each page the table runs onto
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, (label for label, _ in columns), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
        cell.paragraphs[0].runs[0].font.size = Pt(10)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    # the grid and every cell: Word reads the cells' widths, LibreOffice the grid's
    for column, (_, width) in zip(table.columns, columns, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def add_closing_sections(data: bytes, sections: list[tuple[str, list[str]]], chapters_before: int) -> bytes:
    """The document ``data`` (build's) with ``sections`` (title, bullet lines: a deck's text slides, issue 21)
    as its closing chapters, numbered on from the ``chapters_before`` already there (三、存在的问题 after two),
    each line an item 1. 2. …; placed before the annex (the heading above the first table), else at the end."""
    # imported here: this function is appended whole, leaving the module's head as the Word layout has it
    from docx.text.paragraph import Paragraph

    from layouts.writeup import chinese_numeral

    if not sections:
        return data
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    table = body.find(qn("w:tbl"))
    anchor = table.getprevious() if table is not None else None
    before = Paragraph(anchor, doc._body) if anchor is not None and anchor.tag == qn("w:p") else None

    def add(text: str, style: str):
        if before is not None:
            return before.insert_paragraph_before(text, style=style)
        return doc.add_paragraph(text, style=style)

    for number, (title, lines) in enumerate(sections, chapters_before + 1):
        add(f"{chinese_numeral(number)}、{title}", "Heading 1")
        for item, line in enumerate(lines, 1):
            add(f"{item}.{line}", "Normal").paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
