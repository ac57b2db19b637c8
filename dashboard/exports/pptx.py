"""A deck as a PowerPoint file (issue 10): 16:9, one slide per slide of dashboard/content/deck.py's content, the figures
as text, each chart a native PowerPoint chart holding its data (editable in PowerPoint and WPS, not a picture),
the talking points in the slide's notes. CJK text is set in 微软雅黑 through the East Asian font slot, which
PowerPoint and WPS use for Chinese whatever the Latin font is."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from layouts.format import deck_foot

FACE = "微软雅黑"
INK, DIM, ACCENT, GOOD, BAD = (
    RGBColor(0x1F, 0x29, 0x37),
    RGBColor(0x5B, 0x67, 0x78),
    RGBColor(0xB9, 0x1C, 0x1C),
    RGBColor(0x15, 0x80, 0x3D),
    RGBColor(0xB9, 0x1C, 0x1C),
)
# a figure of the whole district on a department's or township's deck (dashboard/content/screen.py headline: note)
NOTE = RGBColor(0xB4, 0x53, 0x09)
# the catalog's words beside a figure, in the presenter's blue (present.css .fig-beside)
BESIDE = RGBColor(0x1D, 0x4E, 0xD8)
TONES = {"good": GOOD, "bad": BAD, "neutral": DIM}
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.6)


# The text's language: office suites pick the CJK font and line breaking from it (without it, a Chinese run in
# an en-US text falls back to the system's East Asian face, often a Japanese one).
LANGUAGE, ALT_LANGUAGE = "zh-CN", "en-US"
# What may follow the font elements in a:rPr / a:defRPr (CT_TextCharacterProperties' order).
_AFTER_FONTS = {qn(t) for t in ("a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl", "a:extLst")}


def _chinese(rpr) -> None:
    """A run's (or a default's) properties: Chinese language, FACE for Latin, East Asian and complex script."""
    rpr.set("lang", LANGUAGE)
    rpr.set("altLang", ALT_LANGUAGE)
    for tag in ("a:latin", "a:ea", "a:cs"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    after = next((child for child in rpr if child.tag in _AFTER_FONTS), None)
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = rpr.makeelement(qn(tag), {"typeface": FACE})
        if after is None:
            rpr.append(element)
        else:
            after.addprevious(element)


def _chinese_all(element) -> None:
    """Every run and default text property under ``element`` (a chart, a notes page) in Chinese and FACE."""
    for run in element.iter(qn("a:r")):
        run.get_or_add_rPr()
    for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
        for rpr in element.iter(qn(tag)):
            _chinese(rpr)


def _faces(run) -> None:
    _chinese(run._r.get_or_add_rPr())


Run = tuple[str, float, RGBColor, bool]


def _text(slide, left, top, width, height, lines: list[Run | list[Run]], center: bool = False):
    """A text box of ``lines``, each a run (text, size in pt, colour, bold) or a list of runs."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if center:
            paragraph.alignment = PP_ALIGN.CENTER
        for text, size, color, bold in [line] if isinstance(line, tuple) else line:
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = color
            _faces(run)
    return frame


def _title(slide, text: str) -> None:
    _text(slide, MARGIN, Inches(0.35), WIDTH - 2 * MARGIN, Inches(0.9), [(text, 32, INK, True)])


def _figure_lines(f: dict, scale: float = 1.0) -> list[tuple[str, float, RGBColor, bool]]:
    shown = "—" if f["number"] is None else f"{f['number']:.{f['decimals']}f}"
    lines = [
        (f["name"], 16 * scale, DIM, False),
        (f"{shown}{f['unit']}", 36 * scale, INK, True),
    ]
    # the catalog's words beside the figure (上半年，全市排名第一; 一项主张而非统计); no 同比 where none means anything
    if f.get("beside"):
        lines.append((f["beside"], 14 * scale, BESIDE, False))
    if f["change"]:
        lines.append((f["change"], 14 * scale, TONES[f["tone"]], False))
    if f.get("target"):
        lines.append((f"目标 {f['target']}", 14 * scale, DIM, False))
    if f.get("note"):
        lines.append((f["note"], 12 * scale, NOTE, False))
    if f.get("reporting"):  # 报送未齐 (data/reporting_note.py)
        lines.append((f["reporting"], 12 * scale, NOTE, False))
    return lines


def _chart(slide, chart: dict, kind, box: tuple[Emu, Emu, Emu, Emu]) -> None:
    """A native chart holding ``chart``'s series (editable in PowerPoint and WPS) in ``box`` (left, top, w, h)."""
    data = CategoryChartData()
    data.categories = chart["categories"]
    for series in chart["series"]:
        data.add_series(series["name"], series["values"])
    plot = slide.shapes.add_chart(kind, *box, data).chart
    plot.has_title = True
    plot.chart_title.text_frame.text = f"{chart['title']}（{chart['unit']}）"
    if kind == XL_CHART_TYPE.BAR_CLUSTERED:
        # largest on top, every name shown, the values on the bars instead of a crowded axis
        plot.category_axis.reverse_order = True
        plot.category_axis.tick_labels.font.size = Pt(12)
        plot.value_axis.visible = False
        plot.value_axis.has_major_gridlines = False
        plot.plots[0].has_data_labels = True
        plot.plots[0].data_labels.font.size = Pt(12)
        plot.plots[0].gap_width = 60
    plot.has_legend = len(chart["series"]) > 1
    if plot.has_legend:
        plot.legend.position = XL_LEGEND_POSITION.TOP
        plot.legend.include_in_layout = False
    plot.font.size = Pt(14)
    # the chart's text (title, axes, legend, labels) in Chinese with FACE as its East Asian font too
    _chinese_all(plot._chartSpace)


def _figures_only(slide, heads: list[dict]) -> None:
    """A slide of figures alone: two to a row over the whole slide, larger, as the presenter lays them out."""
    rows = max(1, -(-len(heads) // 2))
    top, bottom = Inches(1.4), HEIGHT - Inches(0.7)
    cell_w, cell_h = (WIDTH - 2 * MARGIN) / 2, (bottom - top) / rows
    for i, f in enumerate(heads):
        left, row_top = MARGIN + int(cell_w * (i % 2)), top + int(cell_h * (i // 2))
        _text(
            slide, left, row_top, int(cell_w) - Inches(0.3), int(cell_h) - Inches(0.2), _figure_lines(f, 1.4)
        )


def _area(slide, content: dict) -> None:
    _title(slide, content["title"])
    heads = content["figures"]
    if not content.get("chart") and not content.get("split"):
        _figures_only(slide, heads)
        return
    width = (WIDTH - 2 * MARGIN) / max(len(heads), 1)
    for i, f in enumerate(heads):
        _text(
            slide,
            MARGIN + int(width * i),
            Inches(1.3),
            int(width) - Inches(0.2),
            Inches(1.9),
            _figure_lines(f),
        )
    # the trend and the split side by side (the trend wider), or either one across the slide
    charts = [
        (content.get("chart"), XL_CHART_TYPE.LINE_MARKERS, 3),
        (content.get("split"), XL_CHART_TYPE.BAR_CLUSTERED, 2),
    ]
    charts = [(c, kind, share) for c, kind, share in charts if c]
    top, left, room = Inches(3.3), MARGIN, WIDTH - 2 * MARGIN
    total = sum(share for _, _, share in charts)
    for chart, kind, share in charts:
        width = int(room * share / total)
        _chart(slide, chart, kind, (left, top, width - Inches(0.15), HEIGHT - top - Inches(0.5)))
        left += width


def _overview(slide, content: dict) -> None:
    _title(slide, content["title"])
    blocks = content["areas"]
    columns = 3
    cell_w = (WIDTH - 2 * MARGIN) / columns
    cell_h = Inches(1.95)
    for i, block in enumerate(blocks):
        left = MARGIN + int(cell_w * (i % columns))
        top = Inches(1.3) + int(cell_h * (i // columns))
        lines: list[Run | list[Run]] = [(block["title"], 18, ACCENT, True)]
        for f in block["figures"]:
            shown = "—" if f["number"] is None else f"{f['number']:.{f['decimals']}f}"
            lines.append(
                [
                    (f["name"], 12, DIM, False),
                    *([(f"  {f['note']}", 10, NOTE, False)] if f.get("note") else []),
                ]
            )
            lines.append(
                [(f"{shown}{f['unit']}", 22, INK, True), (f"  {f['change']}", 12, TONES[f["tone"]], False)]
            )
        _text(slide, left, top, int(cell_w) - Inches(0.2), cell_h - Inches(0.1), lines)


# A text slide's type sizes (pt), largest first: the first at which its lines fit the box is used. A CJK character
# is about as wide as the type is tall; a line is 1.2 of it high, with TEXT_GAP of it after each paragraph.
TEXT_SIZES: tuple[float, ...] = (28, 24, 20, 18, 16, 14, 12)
TEXT_GAP = 0.4


def _text_size(lines: list[str], width: Emu, height: Emu) -> float:
    room_w, room_h = (width - Inches(0.4)) / Pt(1), height / Pt(1)
    for size in TEXT_SIZES:
        per_row = max(1, int(room_w // size))
        rows = sum(-(-len(line) // per_row) for line in lines)
        if rows * size * 1.2 + len(lines) * size * TEXT_GAP <= room_h:
            return size
    return TEXT_SIZES[-1]


def _bullet(paragraph) -> None:
    """A round bullet hanging in the left margin, as PowerPoint's own bulleted list has it."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(Inches(0.4)))
    ppr.set("indent", str(-Inches(0.4)))
    ppr.append(ppr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
    ppr.append(ppr.makeelement(qn("a:buChar"), {"char": "•"}))


def _text_slide(slide, content: dict) -> None:
    """A text slide: its title and one editable text box, a bulleted paragraph per line."""
    _title(slide, content["title"])
    box = (MARGIN, Inches(1.45), WIDTH - 2 * MARGIN, HEIGHT - Inches(1.45) - Inches(0.7))
    size = _text_size(content["lines"], box[2], box[3])
    frame = _text(slide, *box, [(line, size, INK, False) for line in content["lines"]])
    for paragraph in frame.paragraphs:
        paragraph.space_after = Pt(size * TEXT_GAP)  # before the bullet: a:spcAft precedes a:buFont in a:pPr
        _bullet(paragraph)


def build(content: dict, frozen: str | None = None) -> bytes:
    """The .pptx file's bytes for ``content`` (dashboard/content/deck.py deck_content); ``frozen``: a snapshot's line,
    in every slide's foot."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    footer = frozen or deck_foot(content)
    for number, s in enumerate(content["slides"], start=1):
        slide = deck.slides.add_slide(blank)
        if s["kind"] in ("title", "closing"):
            lines = [
                (s["title"], 44 if s["kind"] == "title" else 40, INK, True),
                (s["subtitle"], 20, DIM, False),
            ]
            _text(slide, MARGIN, Inches(2.6), WIDTH - 2 * MARGIN, Inches(2.4), lines, center=True)
        elif s["kind"] == "overview":
            _overview(slide, s)
        elif s["kind"] == "text":
            _text_slide(slide, s)
        else:
            _area(slide, s)
        _text(
            slide,
            MARGIN,
            HEIGHT - Inches(0.45),
            WIDTH - 2 * MARGIN,
            Inches(0.35),
            [(f"{footer}　{number}", 12, DIM, False)],
        )
        notes = slide.notes_slide.notes_text_frame
        notes.text = s.get("notes", "")
        _chinese_all(notes._txBody)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
