"""A deck's content for given filters (issue 10): every slide's words, figures, chart series and talking points,
as plain JSON-ready data. The presenter, the exports and a frozen snapshot all start from this one function, so
what a slide shows is computed in one place and only what the reader's scope may see is in it."""

from __future__ import annotations

from sqlalchemy import Connection

from callbacks.figures import ignored
from dashboard.content import department
from dashboard.content.report import place, report_document, require_year
from dashboard.content.screen import headline
from dashboard.content.texts import closing, place_code, text_slides
from data import catalog, deck_layout, org, writeup
from data.queries.categories import categories
from data.queries.dimensions import dimensions
from data.queries.figures import Figure, figures
from data.queries.filters import Filters
from data.queries.series import compared_note, monthly
from data.store import get_meta
from layouts import writeup as words
from layouts.charts import MONTHS
from layouts.decks import CLOSING, SPLIT_BARS, Deck, Slide, slide_key
from layouts.format import aside, day, district_note


def _noted(title: str, ind: catalog.Indicator, filters: Filters) -> str:
    """A chart's title, saying when it shows the whole district under a place it does not split by."""
    note = district_note(ignored(ind, filters))
    return f"{title}　{note}" if note else title


def _chart(conn: Connection, code: str, filters: Filters) -> dict | None:
    """``code``'s months, this year against the year before; None with no month of this year."""
    ind = catalog.load()[code]
    series = monthly(conn, code, filters)
    if not any(series.get(filters.year) or []):
        return None
    return {
        "code": code,
        "title": _noted(f"{ind.name}：逐月对比{aside(compared_note(conn, code, filters))}", ind, filters),
        "unit": ind.unit,
        "categories": MONTHS,
        "series": [
            {"name": f"{y}年", "values": series[y]} for y in (filters.year - 1, filters.year) if y in series
        ],
    }


def _split(conn: Connection, split: tuple[str, str, str], filters: Filters) -> dict | None:
    """``split``'s code by its column, the largest SPLIT_BARS - 1 and the rest as 其他; None with no rows."""
    code, column, title = split
    rows = [r for r in categories(conn, code, filters, column) if r["value"]]
    if not rows:
        return None
    if len(rows) > SPLIT_BARS:
        rest = sum(r["value"] for r in rows[SPLIT_BARS - 1 :])
        rows = [*rows[: SPLIT_BARS - 1], {"name": f"其他（{len(rows) - SPLIT_BARS + 1}类）", "value": rest}]
    ind = catalog.load()[code]
    return {
        "code": code,
        "title": _noted(title, ind, filters),
        "unit": ind.unit,
        "categories": [str(r["name"]) for r in rows],
        "series": [{"name": ind.name, "values": [r["value"] for r in rows]}],
    }


def _parts(filters: Filters, shown: list[Figure]) -> frozenset[str]:
    """The figures that are a department's or township's part, not the district's (said without its ranks)."""
    cat = catalog.load()
    return frozenset(f.code for f in shown if not filters.whole(cat[f.code]))


def _area(
    conn: Connection, slide: Slide, filters: Filters, shown: list[Figure], own: department.Own | None = None
) -> dict | None:
    """An area's slide; on a department's deck (``own``) its figures drawn and said as the department's."""
    cat = catalog.load()
    if not shown:
        return None
    visible_chart = slide.chart and filters.scope.sees(cat[slide.chart])
    visible_split = slide.split and filters.scope.sees(cat[slide.split[0]])
    chart_filters = own.chart_filters if own else (lambda _code: filters)
    return {
        "kind": "area",
        "area": slide.area,
        "title": catalog.AREAS[slide.area],
        "figures": [own.heads[f.code] if own else headline(f.to_dict(), cat[f.code], filters) for f in shown],
        "chart": _chart(conn, slide.chart, chart_filters(slide.chart)) if visible_chart else None,
        "split": _split(conn, slide.split, chart_filters(slide.split[0])) if visible_split else None,
        "notes": own.notes([f.code for f in shown])
        if own
        else words.talking_points(writeup.load(), shown, filters.year, _parts(filters, shown)),
    }


def _overview(
    deck: Deck,
    visible: dict[str, Figure],
    filters: Filters,
    own: department.Own | None = None,
    hidden: frozenset[str] = frozenset(),
) -> dict:
    """Each area's first two figures; the talking points say them, one sentence per area. An area whose slide is
    hidden (``hidden``: slide keys, /present/<deck>/edit) is not summed up either: the meeting does not see it."""
    cat = catalog.load()
    blocks, leads, done = [], [], set()
    for slide in deck.slides:
        if slide.kind == "area" and slide.area not in done and slide_key("area", slide.area) not in hidden:
            done.add(slide.area)  # a department's area may run over two slides: its first two figures lead
            shown = [visible[c] for c in slide.codes if c in visible][:2]
            if shown:
                heads = [
                    own.heads[f.code] if own else headline(f.to_dict(), cat[f.code], filters) for f in shown
                ]
                blocks.append({"area": slide.area, "title": catalog.AREAS[slide.area], "figures": heads})
                leads.append((catalog.AREAS[slide.area], shown))
    if own:
        said = [(title, own.notes([f.code for f in figs]).rstrip("。")) for title, figs in leads]
        notes = "\n".join(f"{title}方面，{text.replace('。', '；')}。" for title, text in said if text)
    else:
        parts = _parts(filters, [f for _, figs in leads for f in figs])
        notes = words.overview_points(writeup.load(), leads, filters.year, parts)
    return {"kind": "overview", "title": "总览", "areas": blocks, "notes": notes}


def deck_content(conn: Connection, deck: Deck, filters: Filters) -> dict:
    """Every slide of ``deck`` for ``filters``; an area whose figures the reader may see none of is left out."""
    require_year(dimensions(conn).years, filters.year)
    title = deck.title.format(district=org.district_name(conn), year=filters.year)
    where = place(conn, filters)
    # every figure the reader may see, in one pass; each slide takes its own from it. A department's deck is
    # made of its own figures (dashboard/content/department.py), not the district's slides with a filter.
    own = department.own(conn, filters) if len(filters.departments) == 1 else None
    if own:
        deck = department.department_deck(deck, own.chosen)
    shown = own.figures if own else {f.code: f for f in figures(conn, filters)}
    as_of = max((f.as_of for f in shown.values() if f.as_of), default=None)
    slides = []
    placed = deck_layout.load(conn, deck.name)
    hidden = frozenset(key for key, spot in placed.items() if spot.hidden)
    texts = {t["title"]: t for t in text_slides(conn, deck, filters.year, place_code(filters))}
    declared = {s.title for s in deck.slides if s.kind == "text"}
    # the free text slides go where the declared ones end: before the closing slide, else last
    free = [t for title, t in texts.items() if title not in declared]
    for slide in deck.slides:
        if slide.kind == "title":
            subtitle = f"{where}　数据截至 {day(as_of)}"
            slides.append({"kind": "title", "title": title, "subtitle": subtitle, "notes": f"{title}。"})
        elif slide.kind == "overview":
            slides.append(_overview(deck, shown, filters, own, hidden))
        elif slide.kind == "area":
            content = _area(conn, slide, filters, [shown[c] for c in slide.codes if c in shown], own)
            if content is not None:
                slides.append(content)
        elif slide.kind == "text":
            slides.extend([texts[slide.title]] if slide.title in texts else [])
        else:
            slides.extend(free)
            free = []
            slides.append({"kind": "closing", "title": CLOSING, "subtitle": title, "notes": CLOSING})
    slides.extend(free)
    if own:
        slides = department.merge_sparse(slides)
    for s in slides:
        s["key"] = slide_key(s["kind"], s.get("area"), s["title"])
    # the order and the hidden slides chosen on /present/<deck>/edit
    slides = deck_layout.arrange(slides, placed)
    return {
        "deck": deck.name,
        "title": title,
        "year": filters.year,
        "place": where,
        "township": next(iter(filters.townships), None),
        "department": next(iter(filters.departments), None),
        "as_of": as_of,
        "version": get_meta(conn, "data_version", "0"),
        "demo": get_meta(conn, "demo") == "true",
        "slides": slides,
    }


def frozen_content(conn: Connection, deck: Deck, filters: Filters) -> dict:
    """What a snapshot keeps: the deck's content and, for the Word document, the annual report's figures for the
    same filters and scope."""
    content = deck_content(conn, deck, filters)
    return content | {"report": report_document(conn, filters).to_dict() | {"closing": closing(content)}}
