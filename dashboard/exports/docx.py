"""The annual report's figures as a Word document in 公文 layout (GB/T 9704-2012, dashboard/exports/gongwen.py):
the title, a line saying what it covers, a 主送 line and a 落款 left for the office to fill, the report's headings
一、（一）1. numbered without gaps with their sentences (layouts/writeup.py), and the table of every indicator as the
annex (附件), its header row repeated on every page and its columns in proportion to what they hold."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dashboard.exports import gongwen
from layouts.writeup import Item, Section, chinese_numeral, renumber

# Left for the office: who the report goes to, and who signs it when. 公文 writes these; the figures cannot.
ADDRESSEE = "（主送机关）："
SIGNATURE = ("（发文机关署名）", "（成文日期：　　年　　月　　日）")
ANNEX_TITLE = "指标一览表"
# The indicator table's columns and their shares of the 156 mm line (gongwen.column_widths): the long texts
# (指标, 口径) get the room, the short ones what one line of them needs (数值 11836, 单位 万人次, 同比上升11.1%).
# 说明 holds the catalog's qualifier and note (上半年，全市排名第一; 一项主张而非统计…).
TABLE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("领域", 1.8),
    ("指标", 3.2),
    ("数值", 1.4),
    ("单位", 1.2),
    ("同比", 3.0),
    ("口径", 4.4),
    ("责任部门", 2.2),
    ("说明", 2.8),
)
# the columns of short words, centred under their heads
CENTRED = frozenset({"数值", "单位"})
TABLE_HEAD = tuple(label for label, _ in TABLE_COLUMNS)
TABLE_SIZE, TABLE_HEAD_FONT = 10.5, "黑体"  # 五号


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
    # the annex table's columns and their shares where they are not the annual report's (the monthly report's)
    columns: tuple[tuple[str, float], ...] = TABLE_COLUMNS
    # the annex's title
    annex_title: str = ANNEX_TITLE

    def to_dict(self) -> dict:
        """As JSON-ready data, to be kept in a snapshot."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ReportDocument:
        sections = [
            Section(s["chapter"], s["title"], [Item(i["title"], i["text"]) for i in s["items"]])
            for s in data["sections"]
        ]
        # a snapshot frozen before 说明 was a column has one cell fewer
        width = len(TABLE_HEAD)
        table = [(*row, *[""] * (width - len(row)))[:width] for row in data["table"]]
        return cls(data["title"], data["subtitle"], sections, table, tuple(data.get("codes", ())))


def _paragraph(doc, text: str, style: str = gongwen.BODY_STYLE):
    return doc.add_paragraph(text, style=doc.styles[style])


def _body(doc, sections: list[Section]) -> int:
    """The headings, numbered without gaps, each with its paragraphs; how many chapters (一、二、) it wrote."""
    chapter, chapters = None, 0
    for section in renumber(sections):
        if section.chapter != chapter:
            chapter, chapters = section.chapter, chapters + 1
            _paragraph(doc, chapter, gongwen.HEADING_STYLES[1][0])
        _paragraph(doc, section.title, gongwen.HEADING_STYLES[2][0])
        for item in section.items:
            if item.title:
                _paragraph(doc, item.title, gongwen.HEADING_STYLES[3][0])
            _paragraph(doc, item.text)
    return chapters


def _text_chapters(doc, sections: list[tuple[str, list[str]]], chapters_before: int) -> None:
    """A deck's text slides (工作亮点、存在的问题、下一步工作安排: data/deck_text.py) as the closing chapters,
    numbered on from the figures' (三、存在的问题 after two), each line an item 1. 2. …"""
    for number, (title, lines) in enumerate(sections, chapters_before + 1):
        _paragraph(doc, f"{chinese_numeral(number)}、{title}", gongwen.HEADING_STYLES[1][0])
        for item, line in enumerate(lines, 1):
            _paragraph(doc, f"{item}.{line}")


def _closing(doc, annex_title: str) -> None:
    """The annex note and the 落款, right-aligned four characters in from the margin, left for the office; from the
    body's last line to the date one block that a page break never splits: 署名 at a page's foot and 成文日期 over
    the leaf read as two documents, and GB/T 9704 wants no page holding the 落款 without the text it closes."""
    block = doc.paragraphs[-1:]
    block.append(_paragraph(doc, ""))
    annex = _paragraph(doc, f"附件：{annex_title}")
    annex.paragraph_format.left_indent = gongwen.INDENT
    annex.paragraph_format.first_line_indent = Pt(0)
    block += [annex, _paragraph(doc, ""), _paragraph(doc, "")]
    for line in SIGNATURE:
        signed = _paragraph(doc, line)
        signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        signed.paragraph_format.first_line_indent = Pt(0)
        signed.paragraph_format.right_indent = Pt(4 * gongwen.BODY_SIZE)
        block.append(signed)
    for paragraph in block[:-1]:
        paragraph.paragraph_format.keep_with_next = True


def _annex(doc, rows: list[tuple[str, ...]], columns: tuple[tuple[str, float], ...], title: str) -> None:
    """附件 on a new page turned on its side (the table is wide): its mark in 黑体 at the top left, its title, the
    table."""
    gongwen.landscape_section(doc)
    mark = _paragraph(doc, "附件", gongwen.HEADING_STYLES[1][0])
    mark.paragraph_format.first_line_indent = Pt(0)
    _paragraph(doc, title, gongwen.TITLE_STYLE)
    _table(doc, rows, columns)


def build(doc_: ReportDocument, closing: list[tuple[str, list[str]]] = ()) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    gongwen.page_setup(doc)
    _paragraph(doc, doc_.title, gongwen.TITLE_STYLE)
    _paragraph(doc, doc_.subtitle, gongwen.SUBTITLE_STYLE)
    _paragraph(doc, "")
    addressee = _paragraph(doc, ADDRESSEE)
    addressee.paragraph_format.first_line_indent = Pt(0)
    # the figures' chapters, then the deck's text slides (``closing``: title, lines) numbered on from them
    _text_chapters(doc, [(title, lines) for title, lines in closing if lines], _body(doc, doc_.sections))
    _closing(doc, doc_.annex_title)
    _annex(doc, doc_.table, doc_.columns, doc_.annex_title)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cell(cell, text: str, font: str, centred: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(TABLE_SIZE * 1.5)
    gongwen.off_grid(paragraph)
    gongwen.set_font(paragraph.add_run(text), font, TABLE_SIZE)


def _table(doc, rows: list[tuple[str, ...]], columns: tuple[tuple[str, float], ...] = TABLE_COLUMNS) -> None:
    """The indicator table across the text block: the header row repeated at the top of every page it runs onto
    (w:tblHeader), fixed column widths in proportion to ``columns``."""
    heads = tuple(label for label, _ in columns)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, heads, strict=True):
        _cell(cell, text, TABLE_HEAD_FONT, centred=True)
    for row in rows:
        added = table.add_row()
        # a row is kept whole on one page: a note split over two pages reads as two rows
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, text, head in zip(added.cells, row, heads, strict=True):
            _cell(cell, text, gongwen.BODY_FONT, centred=head in CENTRED)
    widths = gongwen.column_widths(tuple(w for _, w in columns), gongwen.ANNEX_WIDTH_MM)
    # the grid and every cell: Word reads the cells' widths, LibreOffice the grid's
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width / 100)
        for cell in column.cells:
            cell.width = Mm(width / 100)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
