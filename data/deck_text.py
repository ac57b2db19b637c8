"""A deck's text slides as data (issue 21): 工作亮点, 存在的问题, 下一步工作安排 and any free text slide, as bullet
lines kept per deck, year and place (the whole district, a department or a township). The presenter's list page
and `dashboard deck text` write them; the deck (dashboard/content/deck.py) shows the ones that have lines, a
snapshot freezes them with the figures, and the Word report closes with them.

Text is cleaned here, once, for every writer: one bullet a line, blank lines and list markers dropped, control
characters removed, and the limits below (a slide must fit on one 16:9 page at a readable size). Every change
is audited in the caller's transaction. An empty text clears the slide: an empty slide is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from data.accounts._common import _clean, _now, _utc
from data.accounts.audit import record
from data.org import by_code
from data.schema_decktext import deck_text

# The whole district's key (data/schema_decktext.py): no unit's code is empty.
WHOLE_DISTRICT = ""
# What fits one slide at no less than 24 px on the 1920×1080 canvas and in PowerPoint's text box.
MAX_LINES = 10
MAX_LINE = 150
MAX_CHARS = 700
MAX_TITLE = deck_text.c.slide.type.length
# Years a text may be kept for: as targets (data/targets.py YEARS).
YEARS = range(2000, 2101)
# Markers people type at the head of a bullet line (the slide draws its own bullets).
MARKERS = "-–—•·*●○■□▪◆◇>"


class DeckTextError(ValueError):
    """A text slide refused, in one Chinese line; nothing was changed."""


@dataclass(frozen=True)
class DeckText:
    deck: str
    year: int
    unit: str | None  # None: the whole district
    slide: str
    lines: tuple[str, ...]
    updated_by: str | None
    updated_at: datetime | None


def lines_of(text: str | None) -> tuple[str, ...]:
    """``text``'s bullet lines: one a line, blank lines and leading list markers dropped, controls removed."""
    out = []
    for raw in (text or "").splitlines():
        line = "".join(ch if ch.isprintable() else " " for ch in raw)
        line = " ".join(line.split()).lstrip(MARKERS).strip()
        if line:
            out.append(line)
    return tuple(out)


def check_title(title: object) -> str:
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(title or "")).split())
    if not text:
        raise DeckTextError("文字页的标题不能为空")
    if len(text) > MAX_TITLE:
        raise DeckTextError(f"文字页的标题最多 {MAX_TITLE} 个字，当前 {len(text)} 个")
    return text


def check_lines(lines: tuple[str, ...], title: str) -> None:
    if len(lines) > MAX_LINES:
        raise DeckTextError(f"“{title}”最多 {MAX_LINES} 行（一行一条），当前 {len(lines)} 行")
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            raise DeckTextError(f"“{title}”第 {number} 行有 {len(line)} 个字，一行最多 {MAX_LINE} 个字")
    total = sum(map(len, lines))
    if total > MAX_CHARS:
        raise DeckTextError(f"“{title}”共 {total} 个字，一页最多 {MAX_CHARS} 个字：请精简或分成两页")


def check_year(year: int) -> int:
    if year not in YEARS:
        raise DeckTextError(f"年度 {year} 超出范围：应在 {YEARS.start} 到 {YEARS.stop - 1} 之间")
    return year


def unit_key(conn: Connection, unit: str | None) -> str:
    """The stored key of ``unit`` (a department's or township's code; None for the district), checked."""
    if not unit:
        return WHOLE_DISTRICT
    if unit not in by_code(conn):
        raise DeckTextError(
            f"没有代码为 {str(unit)[:40]} 的部门或乡镇（街道）：dashboard org list 查看全部单位"
        )
    return unit


def _where(deck: str, year: int, key: str, slide: str | None = None) -> tuple:
    clauses = (deck_text.c.deck == deck, deck_text.c.year == year, deck_text.c.unit_code == key)
    return (*clauses, deck_text.c.slide == slide) if slide is not None else clauses


def _row(row) -> DeckText:
    return DeckText(
        row.deck,
        row.year,
        row.unit_code or None,
        row.slide,
        lines_of(row.body),
        row.updated_by,
        _utc(row.updated_at),
    )


def texts(conn: Connection, deck: str, year: int, unit: str | None = None) -> list[DeckText]:
    """The text slides kept for ``deck``, ``year`` and ``unit`` (None: the district), oldest first."""
    query = select(deck_text).where(*_where(deck, year, unit or WHOLE_DISTRICT))
    rows = conn.execute(query.order_by(deck_text.c.created_at, deck_text.c.slide))
    return [_row(r) for r in rows]


def list_all(conn: Connection) -> list[DeckText]:
    """Every text slide kept, by deck, year, place and age."""
    query = select(deck_text).order_by(
        deck_text.c.deck, deck_text.c.year, deck_text.c.unit_code, deck_text.c.created_at, deck_text.c.slide
    )
    return [_row(r) for r in conn.execute(query)]


def set_text(
    conn: Connection,
    deck: str,
    year: int,
    slide: str,
    text: str,
    unit: str | None = None,
    *,
    actor: str | None = None,
    address: str | None = None,
) -> DeckText | None:
    """Keep ``text``'s lines as ``slide`` of ``deck`` for ``year`` and ``unit``; an empty text clears the slide
    (None). ``deck`` is checked by the caller against the declared decks (layouts/decks.py)."""
    title, key = check_title(slide), unit_key(conn, unit)
    check_year(year)
    lines = lines_of(text)
    if not lines:
        clear(conn, deck, year, title, unit, actor=actor, address=address)
        return None
    check_lines(lines, title)
    body = "\n".join(lines)
    where = _where(deck, year, key, title)
    before = conn.scalar(select(deck_text.c.body).where(*where))
    if before == body:
        return _row(conn.execute(select(deck_text).where(*where)).one())
    now, who = _now(), _clean(actor, deck_text.c.updated_by.type.length)
    if before is None:
        conn.execute(
            insert(deck_text).values(
                deck=deck,
                year=year,
                unit_code=key,
                slide=title,
                body=body,
                updated_by=who,
                updated_at=now,
                created_at=now,
            )
        )
    else:
        conn.execute(update(deck_text).where(*where).values(body=body, updated_by=who, updated_at=now))
    record(
        conn,
        "deck_text_set",
        actor=actor,
        address=address,
        subject=title,
        deck=deck,
        year=year,
        unit=key or None,
        lines=len(lines),
        before=before,
    )
    return _row(conn.execute(select(deck_text).where(*where)).one())


def rename(
    conn: Connection,
    deck: str,
    year: int,
    slide: str,
    new: str,
    unit: str | None = None,
    *,
    declared: frozenset[str] | set[str],
    actor: str | None = None,
    address: str | None = None,
) -> str:
    """Give the free text slide ``slide`` the title ``new``, keeping its lines and its place (by age); the title
    kept. ``declared``: the deck's own text slides' titles (layouts/decks.py), which keep theirs."""
    old, title, key = check_title(slide), check_title(new), unit_key(conn, unit)
    if title == old:
        return old
    if old in declared:
        raise DeckTextError(f"“{old}”是这套汇报自带的文字页，不能改标题")
    if conn.scalar(select(deck_text.c.slide).where(*_where(deck, year, key, old))) is None:
        raise DeckTextError(f"没有名为“{old}”的文字页")
    if title in declared or conn.scalar(select(deck_text.c.slide).where(*_where(deck, year, key, title))):
        raise DeckTextError(f"已有名为“{title}”的文字页：请换一个标题")
    who = _clean(actor, deck_text.c.updated_by.type.length)
    conn.execute(
        update(deck_text)
        .where(*_where(deck, year, key, old))
        .values(slide=title, updated_by=who, updated_at=_now())
    )
    record(
        conn,
        "deck_text_renamed",
        actor=actor,
        address=address,
        subject=title,
        deck=deck,
        year=year,
        unit=key or None,
        before=old,
    )
    return title


def clear(
    conn: Connection,
    deck: str,
    year: int,
    slide: str,
    unit: str | None = None,
    *,
    actor: str | None = None,
    address: str | None = None,
) -> bool:
    """Remove ``slide``'s text; False when it had none (nothing is recorded then)."""
    title, key = check_title(slide), unit_key(conn, unit)
    where = _where(deck, year, key, title)
    before = conn.scalar(select(deck_text.c.body).where(*where))
    if before is None:
        return False
    conn.execute(delete(deck_text).where(*where))
    record(
        conn,
        "deck_text_cleared",
        actor=actor,
        address=address,
        subject=title,
        deck=deck,
        year=year,
        unit=key or None,
        before=before,
    )
    return True
