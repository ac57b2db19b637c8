"""Which of a deck's slides are shown and in what order (issue 21), kept per deck and chosen on
/present/<deck>/edit: one row per slide key ("title", "overview", "area:mediation", "text:存在的问题",
"closing"). The deck's content (dashboard/content/deck.py) is arranged by it, so the slide window, the notes
window, PowerPoint, PDF and a snapshot frozen from it all follow. Every save is audited in the caller's
transaction. A slide with no row (a free text slide, a slide a later version declares) keeps its declared
place: right after the slide it follows in the deck's own order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select

from data.accounts._common import _clean, _now
from data.accounts.audit import record
from data.schema_decktext import deck_layout


class LayoutError(ValueError):
    """A layout refused, in one Chinese line; nothing was changed."""


@dataclass(frozen=True)
class Placed:
    position: int
    hidden: bool


def load(conn: Connection, deck: str) -> dict[str, Placed]:
    """The stored place of each of ``deck``'s slides, by key; empty when its editor never saved one."""
    rows = conn.execute(select(deck_layout).where(deck_layout.c.deck == deck))
    return {r.slide_key: Placed(r.position, bool(r.hidden)) for r in rows}


def save(
    conn: Connection,
    deck: str,
    order: list[str],
    hidden: set[str],
    known: list[str],
    *,
    actor: str | None = None,
    address: str | None = None,
) -> None:
    """Keep ``order`` (every key of ``known``, once) with ``hidden`` ones hidden; at least one slide shown."""
    if sorted(order) != sorted(known) or len(set(order)) != len(order):
        raise LayoutError("页序应列出这套汇报的每一页，各一次")
    if not set(hidden) <= set(known):
        raise LayoutError("要隐藏的页不在这套汇报中")
    if not set(known) - set(hidden):
        raise LayoutError("不能隐藏全部页面：至少放映一页")
    before = load(conn, deck)
    conn.execute(delete(deck_layout).where(deck_layout.c.deck == deck))
    now, who = _now(), _clean(actor, deck_layout.c.updated_by.type.length)
    conn.execute(
        insert(deck_layout),
        [
            {
                "deck": deck,
                "slide_key": key,
                "position": i,
                "hidden": key in hidden,
                "updated_by": who,
                "updated_at": now,
            }
            for i, key in enumerate(order)
        ],
    )
    was = [k for k, _ in sorted(before.items(), key=lambda kv: kv[1].position)]
    record(
        conn,
        "deck_layout_saved",
        actor=actor,
        address=address,
        subject=deck,
        order=order,
        hidden=sorted(hidden, key=order.index),
        before={"order": was, "hidden": [k for k in was if before[k].hidden]},
    )


def arrange(slides: list[dict], placed: dict[str, Placed]) -> list[dict]:
    """``slides`` (each with its ``key``, in the deck's own order) in the stored order, the hidden ones left out;
    a slide with no stored place follows the slide before it."""
    if not placed:
        return slides
    ranked, last = [], -1.0
    for i, slide in enumerate(slides):
        spot = placed.get(slide["key"])
        last = float(spot.position) if spot else last
        if spot is None or not spot.hidden:
            ranked.append(((last, 0 if spot else 1, i), slide))
    return [slide for _, slide in sorted(ranked, key=lambda pair: pair[0])]
