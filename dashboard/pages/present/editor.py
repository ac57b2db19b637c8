"""The text slides' editor on the presenter's list page (issue 21): for one deck, year and place, a plain
textarea per text slide (the deck's declared ones, the free ones already kept, and one new free slide), one
bullet a line. Who may edit which place: leaders and admins any (the district, a department, a township), a
department head only their own department's deck (Action.EDIT_DECK, data/access.py); nobody else sees it.

What the page shows is computed here from the store and the reader's scope; the saving route is
dashboard/pages/present/texts.py, which renders this again with the refused text kept when a text is refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from data import deck_text
from data.access import Action, Scope
from data.queries.dimensions import Dimensions
from layouts.decks import DECKS, TEXT_SLIDES
from layouts.format import moment
from layouts.paths import DECK_TEXT_PATH

ROWS = 6  # a textarea's height in lines: the report's 存在的问题 has three to five


@dataclass
class TextSlide:
    title: str
    body: str
    declared: bool
    changed: str = ""  # 最后修改：who, when
    new: bool = False  # the empty slide a new free one is written in (its title is typed)
    renamed: str = ""  # a free slide's new title as typed, shown again when refused


@dataclass
class Editor:
    """The editor of one deck's text slides for ``year`` and ``unit`` ("" the whole district)."""

    deck: str
    action: str
    year: int
    unit: str
    units: list[tuple[str, str]]  # (code, name) the reader may edit, "" for 全区
    slides: list[TextSlide] = field(default_factory=list)
    error: str = ""
    saved: str = ""
    limits: str = ""


def editable_units(scope: Scope, dims: Dimensions) -> list[tuple[str, str]]:
    """The places ``scope`` may write text slides for: everything for leaders and admins, a department head's own."""
    if not scope.may(Action.EDIT_DECK):
        return []
    if scope.everything:
        return [
            ("", "全区"),
            *((d["code"], d["name"]) for d in dims.departments),
            *((t["code"], t["name"]) for t in dims.townships),
        ]
    names = dims.names()
    return [(scope.department, names.get(scope.department, scope.department))] if scope.department else []


def editor(
    conn: Connection,
    scope: Scope,
    dims: Dimensions,
    deck: str,
    year: int,
    unit: str | None,
    draft: tuple[str, ...] | None = None,
    error: str = "",
    saved: str = "",
) -> Editor | None:
    """The editor for ``deck``, ``year`` and ``unit`` (the reader's first editable place when not theirs to edit);
    ``draft`` (title, text[, new title]): a refused text, shown again as typed. None when the reader may edit nothing."""
    units = editable_units(scope, dims)
    if not units:
        return None
    allowed = {code for code, _ in units}
    unit = unit if unit in allowed else units[0][0]
    kept = {t.slide: t for t in deck_text.texts(conn, deck, year, unit or None)}
    declared = [s.title for s in DECKS[deck].slides if s.kind == "text"] or list(TEXT_SLIDES)
    slides = []
    for title in [*declared, *(t for t in kept if t not in declared)]:
        text = kept.get(title)
        changed = f"最后修改：{text.updated_by or '命令行'}，{moment(text.updated_at)}" if text else ""
        body = "\n".join(text.lines) if text else ""
        slides.append(TextSlide(title, body, title in declared, changed))
    slides.append(TextSlide("", "", False, new=True))
    if draft is not None:
        title, body, *renamed = draft
        match = next((s for s in slides if s.title == title), slides[-1])
        match.title, match.body = title, body
        match.renamed = renamed[0] if renamed and not match.declared else ""
    limits = (
        f"一行一条，最多 {deck_text.MAX_LINES} 行、每行 {deck_text.MAX_LINE} 字、共 {deck_text.MAX_CHARS} 字；"
        "清空并保存即不再放映、导出这一页"
    )
    action = DECK_TEXT_PATH.replace("<name>", deck)
    return Editor(deck, action, year, unit, units, slides, error, saved, limits)
