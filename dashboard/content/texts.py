"""A deck's text slides (issue 21) as the deck, the snapshot and the Word report take them: the bullet lines kept
in the store (data/deck_text.py) for a deck, a year and the one place a deck is narrowed to, in the deck's order,
only those that have lines (an empty slide is left out, never shown blank)."""

from __future__ import annotations

from sqlalchemy import Connection

from data import deck_text
from data.queries.filters import Filters
from layouts.decks import DECKS, Deck

# The deck whose text slides close the Word report (the annual report and the annual 汇报 say the same).
REPORT_DECK = "annual"


def place_code(filters: Filters) -> str | None:
    """The one unit a deck is narrowed to (its text slides are kept under it), None for the whole district."""
    return next(iter(filters.townships), None) or next(iter(filters.departments), None)


def text_slides(conn: Connection, deck: Deck, year: int, unit: str | None) -> list[dict]:
    """The text slides kept for ``deck``, ``year`` and ``unit`` that have lines, in the deck's order: the declared
    ones (layouts/decks.py TEXT_SLIDES) first, then the free ones, oldest first."""
    kept = {t.slide: t.lines for t in deck_text.texts(conn, deck.name, year, unit)}
    declared = [s.title for s in deck.slides if s.kind == "text"]
    order = [t for t in declared if t in kept] + [t for t in kept if t not in declared]
    return [{"kind": "text", "title": t, "lines": list(kept[t]), "notes": "\n".join(kept[t])} for t in order]


def closing(content: dict) -> list[dict]:
    """The Word report's closing sections from a deck's content (live or frozen): its text slides, in order."""
    return [{"title": s["title"], "lines": s["lines"]} for s in content["slides"] if s["kind"] == "text"]


def report_closing(conn: Connection, filters: Filters) -> list[dict]:
    """The closing sections of the Word report for ``filters``: the annual deck's text slides."""
    deck = DECKS[REPORT_DECK]
    return closing({"slides": text_slides(conn, deck, filters.year, place_code(filters))})
