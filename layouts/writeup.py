"""The report's figures section in words: data/writeup.py's sentence templates filled with figures, grouped
under the report's headings. Shared by the Word document (dashboard/exports/docx.py) and, later, the talking points
of a deck; it is given the figures, it never queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from data.queries.figures import Figure
from data.writeup import Sentence
from layouts.format import number, yoy_phrase

NO_VALUE = "（暂无数据）"
NO_COMPARISON = "上年无可比数据"
# What may close a sentence that another was meant to follow; a paragraph ends with a full stop instead.
OPEN_ENDS = "，；、"


@dataclass(frozen=True)
class Item:
    """One numbered item of the report (or a section's own text when ``title`` is empty) and its paragraph."""

    title: str
    text: str


@dataclass(frozen=True)
class Section:
    chapter: str
    title: str
    items: list[Item]


def fill(template: str, fig: Figure) -> str:
    """A sentence with its figure: ``{value}`` as 2712件 (7.26万件), ``{change}`` as 同比上升4.2%."""
    shown, unit = number(fig.value, fig.unit)
    value = NO_VALUE if fig.value is None else f"{shown}{unit}"
    # 0 after 0 has no percentage, but nothing changed
    same = fig.value is not None and fig.value == fig.previous
    change = "同比持平" if same else yoy_phrase(fig.yoy_pct, fig.yoy_points) or NO_COMPARISON
    return template.format(value=value, change=change)


def talking_points(sentences: tuple[Sentence, ...], figures: list[Figure]) -> str:
    """What a presenter says about ``figures``, in the report's phrasing: each figure's own sentence from
    data/writeup.csv where it has one, else its name, value and 同比; one paragraph."""
    own = {s.code: s.template for s in sentences}
    said = [fill(own.get(f.code, f"{f.name}{{value}}，{{change}}；"), f) for f in figures]
    return _paragraph("".join(said)) if said else ""


def _paragraph(text: str) -> str:
    text = text.rstrip(OPEN_ENDS)
    return text if text.endswith("。") else text + "。"


def sections(sentences: tuple[Sentence, ...], figures: dict[str, Figure], year: int) -> list[Section]:
    """The sentences whose figure is in ``figures`` (those the reader may see), in the file's order, as
    sections of items; headings with their ``{year}`` filled. A heading left with no sentence is left out."""
    out: list[Section] = []
    for s in sentences:
        fig = figures.get(s.code)
        if fig is None:
            continue
        chapter, title, item = (h.format(year=year) for h in (s.chapter, s.section, s.item))
        if not out or (out[-1].chapter, out[-1].title) != (chapter, title):
            out.append(Section(chapter, title, []))
        items = out[-1].items
        if not items or items[-1].title != item:
            items.append(Item(item, ""))
        items[-1] = Item(item, items[-1].text + fill(s.template, fig))
    return [Section(s.chapter, s.title, [Item(i.title, _paragraph(i.text)) for i in s.items]) for s in out]


# The report's own numbering at the head of a heading: 一、 (chapter), （一） (section), 1. (item).
_CHAPTER = re.compile(r"^[一二三四五六七八九十]+、")
_SECTION = re.compile(r"^（[一二三四五六七八九十]+）")
_ITEM = re.compile(r"^\d+[.．、]")
_DIGITS = "一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1–99 as the report numbers its chapters and sections: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else f"{_DIGITS[tens - 1]}十")
    return head + ("" if ones == 0 else _DIGITS[ones - 1]) if n else "〇"


def renumber(sections: list[Section]) -> list[Section]:
    """The headings numbered without gaps: the report's numbers (一、（一）1.) belong to its full text, and a
    document that leaves out the headings with no figure would jump from 1 to 5. Chapters count through the
    document, sections within their chapter and items through their chapter, as the report counts them."""
    out: list[Section] = []
    chapters: dict[str, str] = {}
    section_no = item_no = 0
    for s in sections:
        if s.chapter not in chapters:
            chapters[s.chapter] = _CHAPTER.sub(f"{chinese_numeral(len(chapters) + 1)}、", s.chapter)
            section_no = item_no = 0
        section_no += 1
        title = _SECTION.sub(f"（{chinese_numeral(section_no)}）", s.title)
        items = []
        for item in s.items:
            if item.title and _ITEM.match(item.title):
                item_no += 1
                item = Item(_ITEM.sub(f"{item_no}.", item.title), item.text)
            items.append(item)
        out.append(Section(chapters[s.chapter], title, items))
    return out
