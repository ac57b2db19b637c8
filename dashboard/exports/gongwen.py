"""The 公文 page (GB/T 9704-2012, 党政机关公文格式) for a python-docx document: A4 with the standard's margins, its
fonts by name (方正小标宋简体 title, 黑体 / 楷体_GB2312 / 仿宋_GB2312 headings, 仿宋_GB2312 body in 三号), 22 lines
of 28.95 pt to the page, page numbers "— 1 —" in 四号 at the outer edge, and Chinese as the language.

The fonts are set by name in the East Asian slot (w:eastAsia), which Word and WPS use for Chinese characters: an
office machine with the 公文 fonts shows them; one without (LibreOffice on a server) falls back to what it has,
in the same sizes and places. Digits and Latin letters are in Times New Roman, as 公文 templates set them."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# The document's language: Word and WPS pick the Chinese proofing, line breaking and fonts from it (the East
# Asian slot and the document's own language). Latin letters and digits are marked en-US, as Chinese Word's own
# template marks them: marked zh-CN, LibreOffice breaks a number across lines (11 / 836, 94.7 / 8%).
LANGUAGE = "zh-CN"
LATIN_LANGUAGE = "en-US"
LATIN_FONT = "Times New Roman"
TITLE_FONT, BODY_FONT = "方正小标宋简体", "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
# 号 in points: 二号 22, 三号 16, 四号 14
TITLE_SIZE, BODY_SIZE, PAGE_NUMBER_SIZE = 22.0, 16.0, 14.0
# A4; 天头 37 mm, 订口 28 mm, and a 156 × 225 mm text block (GB/T 9704-2012 5.2.1–5.2.2)
PAGE = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "left": Mm(28), "right": Mm(26), "bottom": Mm(35)}
TEXT_WIDTH_MM = 156
# A wide table's annex is turned (横排): the page on its side, the binding edge at the top, 225 mm of line
ANNEX_MARGINS = {"top": Mm(28), "left": Mm(37), "right": Mm(35), "bottom": Mm(26)}
ANNEX_WIDTH_MM = 225
# 22 lines in the 225 mm block: each line 28.95 pt, fixed (not "at least": the lines then sit on the grid)
LINE = Pt(28.95)
# the first-line indent of a paragraph and of a heading: two characters of 三号
INDENT = Pt(2 * BODY_SIZE)
# Styles by name: (font, size, what Word's navigation pane makes of it). Headings are Word's own Heading 1–3 so
# that the navigation pane and a table of contents find them; 一、 in 黑体, （一） in 楷体, 1. in 仿宋.
TITLE_STYLE, SUBTITLE_STYLE, BODY_STYLE = "公文标题", "公文题注", "Normal"
HEADING_STYLES: dict[int, tuple[str, str]] = {
    1: ("Heading 1", "黑体"),
    2: ("Heading 2", "楷体_GB2312"),
    3: ("Heading 3", BODY_FONT),
}
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def lang(rpr) -> None:
    """Chinese as the language of a run's (or a style's) East Asian text; its Latin letters and digits English."""
    found = rpr.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        rpr.append(found)
    found.set(qn("w:val"), LATIN_LANGUAGE)
    found.set(qn("w:eastAsia"), LANGUAGE)


def set_font(target, name: str, size: float | None = None, bold: bool = False) -> None:
    """``name`` in the East Asian slot of a style or run, Times New Roman for Latin; the template's theme fonts
    removed (they would win over the names in Word)."""
    target.font.name = LATIN_FONT
    if size is not None:
        target.font.size = Pt(size)
    target.font.bold = bold
    target.font.color.rgb = RGBColor(0, 0, 0)
    rpr = target.element.get_or_add_rPr() if hasattr(target, "element") else target._r.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_FONTS:
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), name)
    lang(rpr)


def _paragraph_style(doc, name: str, font: str, size: float, align, indent: bool) -> None:
    styles = doc.styles
    style = (
        styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    set_font(style, font, size)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = INDENT if indent else Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE


def page_setup(doc) -> None:
    """A4 portrait, the standard's margins, the line grid, the document's language and its styles."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    for side, length in MARGINS.items():
        setattr(section, f"{side}_margin", length)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    lang(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), LATIN_LANGUAGE)
        theme_lang.set(qn("w:eastAsia"), LANGUAGE)
    doc.core_properties.language = LANGUAGE
    left, center = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(doc, BODY_STYLE, BODY_FONT, BODY_SIZE, left, indent=True)
    _paragraph_style(doc, TITLE_STYLE, TITLE_FONT, TITLE_SIZE, center, indent=False)
    _paragraph_style(doc, SUBTITLE_STYLE, HEADING_STYLES[2][1], BODY_SIZE, center, indent=False)
    doc.styles[TITLE_STYLE].paragraph_format.line_spacing = Pt(TITLE_SIZE * 1.6)
    # the title's lines are its own height, not two lines of the body's grid each
    off_grid(doc.styles[TITLE_STYLE])
    for name, font in HEADING_STYLES.values():
        _paragraph_style(doc, name, font, BODY_SIZE, left, indent=True)
        doc.styles[name].paragraph_format.keep_with_next = True
    page_numbers(doc)


def _field(paragraph, instruction: str) -> None:
    """A field (PAGE) as Word writes it: begin, instruction, separate, a shown value, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


def _page_number(footer, align, indent: str) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    setattr(paragraph.paragraph_format, indent, Pt(PAGE_NUMBER_SIZE))
    paragraph.paragraph_format.first_line_indent = Pt(0)
    for text in ("— ", None, " —"):
        if text is None:
            _field(paragraph, "PAGE")
        else:
            set_font(paragraph.add_run(text), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def page_numbers(doc) -> None:
    """ "— 1 —" in 四号 宋体 at the outer edge, one character in: right on odd pages, left on even ones."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent")
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")


def landscape_section(doc) -> None:
    """A new page turned on its side for a wide annex; the page numbers go on as before."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE[1], PAGE[0]
    for side, length in ANNEX_MARGINS.items():
        setattr(section, f"{side}_margin", length)


def off_grid(paragraph) -> None:
    """A paragraph (a table cell's) or paragraph style (the title's) that keeps its own line height instead of
    the page's 28.95 pt grid."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    element = paragraph._p if hasattr(paragraph, "_p") else paragraph.element
    element.get_or_add_pPr().append(snap)


def column_widths(weights: tuple[float, ...], width_mm: float = TEXT_WIDTH_MM) -> list[int]:
    """Column widths in mm × 100 (hundredths), in proportion to ``weights``, filling ``width_mm`` of line."""
    total = sum(weights)
    return [round(width_mm * 100 * w / total) for w in weights]
