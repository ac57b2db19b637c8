"""The annual report's figures as a Word document: the report's headings with their sentences
(layouts/writeup.py), then a table of every indicator. Built with python-docx from what it is given; Chinese
text is set in fonts Word and WPS both have (宋体 for the body, 黑体 for headings) through the East Asian font
slot, which Word uses for CJK characters whatever the Latin font is."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from layouts.writeup import Item, Section

BODY_FONT, HEADING_FONT = "宋体", "黑体"
TABLE_HEAD = ("领域", "指标", "数值", "单位", "同比", "口径", "责任部门")


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


def _font(style, name: str, size: float, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def build(doc_: ReportDocument) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.5)
    _font(doc.styles["Normal"], BODY_FONT, 12)
    _font(doc.styles["Title"], HEADING_FONT, 20, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _font(doc.styles[f"Heading {level}"], HEADING_FONT, size, bold=True)
    doc.add_heading(doc_.title, level=0)
    doc.add_paragraph(doc_.subtitle)
    chapter = None
    for section in doc_.sections:
        if section.chapter != chapter:
            chapter = section.chapter
            doc.add_heading(chapter, level=1)
        doc.add_heading(section.title, level=2)
        for item in section.items:
            if item.title:
                doc.add_heading(item.title, level=3)
            doc.add_paragraph(item.text).paragraph_format.first_line_indent = Pt(24)
    doc.add_heading("附表：指标一览", level=1)
    table = doc.add_table(rows=1, cols=len(TABLE_HEAD))
    table.style = doc.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, TABLE_HEAD, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].font.bold = True
    for row in doc_.table:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
