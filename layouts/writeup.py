"""The report's figures section in words: data/writeup.py's sentence templates filled with figures, grouped
under the report's headings, in the report's register (issue 21): 实现零投诉 for a zero, 实现全覆盖 for 100%,
较上年增加2个 for a small tally, no 同比 where the catalog says none means anything (a one-off, a claim), a subject
for a clause said without the one it goes on from. Shared by the Word document (dashboard/exports/docx.py) and the
talking points of a deck (dashboard/content/deck.py); it is given the figures, it never queries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from data import catalog
from data.queries.figures import Figure
from data.writeup import Sentence
from layouts.format import number, yoy_phrase

NO_VALUE = "（暂无数据）"
# What may close a sentence that another was meant to follow; a paragraph ends with a full stop instead.
OPEN_ENDS = "，；、"
# Where a change with nothing to say stood: taken out with the comma before it (办结率100%，{change}。).
_GONE = "\x00"
_GAP = re.compile(f"[，、；]?{_GONE}")


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


def change_words(fig: Figure, ind: catalog.Indicator) -> str:
    """The change from last year as the report would say it, or nothing: no 同比 on a one-off piece of work or a
    claim (the catalog's nature), on a zero (零投诉 says it) or on 100% kept; 较上年增加2个 for a small tally."""
    if fig.value is None or fig.previous is None or fig.value == 0 or not ind.compares:
        return ""
    if ind.nature == "tally":
        delta = fig.value - fig.previous
        if delta == 0:
            return "与上年持平"
        shown, unit = number(abs(delta), fig.unit)
        return f"较上年{'增加' if delta > 0 else '减少'}{shown}{unit}"
    if fig.unit == "%" and fig.value == fig.previous == 100:
        return ""
    return yoy_phrase(fig.yoy_pct, fig.yoy_points) or ""


def value_words(fig: Figure, ind: catalog.Indicator, year: int | None, whole: bool = True) -> str:
    """The figure with its unit and the catalog's qualifiers other than the period: 20%，全市排名第一 (those of
    the district's figure only where it is the district's, ``whole``)."""
    if fig.value is None:
        return NO_VALUE
    shown, unit = number(fig.value, fig.unit)
    said = [q for q in ind.qualifiers(year, whole) if q != catalog.PERIODS.get(ind.period)]
    return "，".join([f"{shown}{unit}", *said])


def fill(template: str, fig: Figure, year: int | None = None, whole: bool = True) -> str:
    """A sentence with its figure: ``{value}`` as 2712件 (7.26万件), ``{change}`` as change_words says it; a
    half-year figure's sentence opens with 上半年."""
    ind = catalog.load()[fig.code]
    change = change_words(fig, ind) or _GONE
    text = _GAP.sub("", template.format(value=value_words(fig, ind, year, whole), change=change))
    period = catalog.PERIODS[ind.period] if ind.period != "year" else ""
    return text if text.startswith(period) else period + text


def _end(template: str) -> str:
    return template[-1] if template and template[-1] in OPEN_ENDS + "。" else ""


def say(
    sentences: tuple[Sentence, ...],
    figures: list[Figure],
    year: int | None = None,
    parts: frozenset[str] = frozenset(),
) -> str:
    """``figures`` in the order given, each in its own sentence of ``sentences`` (or its name, value and change):
    a row that goes on from the one before it says itself ``alone`` when that one was not just said; zeros in a
    row as one 实现零投诉、零差错、零超时; 100% as the row's ``full`` phrase. ``parts``: the codes whose figure is
    a department's or township's part, not the district's (no 全市排名第一 on it). Not yet closed with a full stop."""
    own = {s.code: s for s in sentences}
    before = {b.code: a.code for a, b in zip(sentences, sentences[1:], strict=False) if a.item == b.item}
    said: list[str] = []
    zeros: list[str] = []
    last = None
    for fig in figures:
        s = own.get(fig.code)
        template = s.template if s else f"{fig.name}{{value}}，{{change}}；"
        if s and s.alone and before.get(s.code) not in (None, last):
            template = s.alone + _end(s.template)
        if s and s.zero and fig.value == 0:
            # a zero after a zero joins it: 实现零投诉、零差错 (the run's sentence is rewritten whole)
            if zeros:
                said.pop()
            zeros.append(s.zero if not zeros else s.zero.removeprefix("实现"))
            said.append("、".join(zeros) + _end(s.template))
        else:
            zeros = []
            full = s and s.full and fig.unit == "%" and fig.value == 100
            said.append(
                s.full + _end(s.template) if full else fill(template, fig, year, fig.code not in parts)
            )
        last = fig.code
    return "".join(said)


def talking_points(
    sentences: tuple[Sentence, ...],
    figures: list[Figure],
    year: int | None = None,
    parts: frozenset[str] = frozenset(),
) -> str:
    """What a presenter says about ``figures``, in the report's phrasing (say); one paragraph."""
    said = say(sentences, figures, year, parts)
    return _paragraph(said) if said else ""


def overview_points(
    sentences: tuple[Sentence, ...],
    groups: list[tuple[str, list[Figure]]],
    year: int,
    parts: frozenset[str] = frozenset(),
) -> str:
    """The 总览's words: one sentence per area, opened by its name (政务服务方面，…。), one line each."""
    lines = []
    for title, figures in groups:
        said = say(sentences, figures, year, parts).rstrip(OPEN_ENDS + "。")
        if said:
            lines.append(f"{title}方面，{said.replace('。', '；')}。")
    return "\n".join(lines)


def _paragraph(text: str) -> str:
    text = text.rstrip(OPEN_ENDS)
    return text if text.endswith("。") else text + "。"


def sections(
    sentences: tuple[Sentence, ...],
    figures: dict[str, Figure],
    year: int,
    parts: frozenset[str] = frozenset(),
) -> list[Section]:
    """The sentences whose figure is in ``figures`` (those the reader may see), in the file's order, as
    sections of items; headings with their ``{year}`` filled. A heading left with no sentence is left out."""
    # (chapter, section) -> item -> the figures said under it, in the file's order
    grouped: dict[tuple[str, str], dict[str, list[Figure]]] = {}
    for s in sentences:
        fig = figures.get(s.code)
        if fig is not None:
            chapter, title, item = (h.format(year=year) for h in (s.chapter, s.section, s.item))
            grouped.setdefault((chapter, title), {}).setdefault(item, []).append(fig)
    return [
        Section(
            chapter,
            title,
            [Item(item, _paragraph(say(sentences, figs, year, parts))) for item, figs in items.items()],
        )
        for (chapter, title), items in grouped.items()
    ]


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
