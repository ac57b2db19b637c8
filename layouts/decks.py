"""Decks for meetings, declared as data (issue 10): an ordered list of slides, each saying what it shows. The
default deck covers every area in the report's order with the figures the overview leads with (layouts/
overview.py HEADLINES) and the area page's monthly trend (layouts/areas.py); the figures, their 口径, direction
and targets come from the catalog through the query layer, as on the desk and the wall."""

from __future__ import annotations

from dataclasses import dataclass

from data.catalog import AREAS
from layouts.areas import AREA_PAGES
from layouts.overview import HEADLINES
from layouts.screens import CANVAS

SLIDE_KINDS: tuple[str, ...] = ("title", "overview", "area", "text", "closing")
# The text slides every annual report and 汇报 closes with (issue 21), in the report's order; their bullet lines are
# kept in the store per deck, year and place (data/deck_text.py). Free text slides (any other title) follow them.
TEXT_SLIDES: tuple[str, ...] = ("工作亮点", "存在的问题", "下一步工作安排")
# A split shows its largest bars and sums the rest into one 其他.
SPLIT_BARS = 6
# The slide canvas: 16:9, designed at 1920×1080 (the presenter scales it; PowerPoint gets 13.333×7.5 in).
SLIDE_SIZE = CANVAS  # the wall's canvas (layouts/screens.py): one size for Python, CSS and the renderer
CLOSING = "汇报完毕，谢谢！"
# Where an area slide's charts sit: margins (left, top, right, bottom) in slide pixels, below the figures.
CHART_AREA = (96, 480, 96, 96)
# A slide's charts by their key in the deck's content, with the words a download link uses.
CHARTS: dict[str, str] = {"chart": "逐月对比图", "split": "分类构成图"}
# One chart on its own, as a picture (CSS pixels; the PNG has twice as many each way).
CHART_IMAGE = (1600, 900)
CHART_IMAGE_SCALE = 2
# The speaker's countdown starts from this many minutes (the notes window lets them choose another).
TALK_MINUTES = 20


@dataclass(frozen=True)
class Slide:
    """``title`` and ``closing`` carry words; ``overview`` every area's headline figures; ``area`` one area's
    ``codes`` as figures with 同比 and targets, ``chart``'s months against the year before and ``split``;
    ``text`` the bullet lines kept for its ``title`` (left out when there are none)."""

    kind: str
    area: str | None = None
    codes: tuple[str, ...] = ()
    chart: str | None = None
    # a second chart: ``code`` split by one register column (the area page's first breakdown), as bars
    split: tuple[str, str, str] | None = None  # (code, column, title)
    title: str | None = None  # a text slide's title, the key its lines are kept under


@dataclass(frozen=True)
class Deck:
    name: str
    # with {district} (data/org.py district_name) and {year}
    title: str
    slides: tuple[Slide, ...]


def _split(page) -> tuple[str, str, str] | None:
    first = page.extras[0] if page.extras else None
    return (first.code, first.column, first.title) if first and first.column else None


def _annual() -> Deck:
    areas = tuple(Slide("area", p.area, tuple(HEADLINES[p.area]), p.trend, _split(p)) for p in AREA_PAGES)
    return Deck(
        "annual",
        "{district}{year}年法治政府建设工作汇报",
        (
            Slide("title"),
            Slide("overview"),
            *areas,
            *(Slide("text", title=t) for t in TEXT_SLIDES),
            Slide("closing"),
        ),
    )


DECKS: dict[str, Deck] = {d.name: d for d in (_annual(),)}

# What the slide editor (/present/<deck>/edit) calls the slides that carry no title of their own.
KIND_LABELS = {"title": "标题页", "overview": "总览", "closing": "结束页"}


def slide_key(kind: str, area: str | None = None, title: str | None = None) -> str:
    """A slide's key in the stored layout (data/deck_layout.py): its kind, with its area or a text slide's title."""
    if kind == "area":
        return f"area:{area}"
    if kind == "text":
        return f"text:{title}"
    return kind


def slide_keys(deck: Deck) -> list[tuple[str, str]]:
    """``deck``'s declared slides as (key, what the editor calls it), in the deck's own order."""
    named = {"area": lambda s: AREAS[s.area], "text": lambda s: f"文字页：{s.title}"}
    return [
        (slide_key(s.kind, s.area, s.title), named[s.kind](s) if s.kind in named else KIND_LABELS[s.kind])
        for s in deck.slides
    ]
