"""Saving a deck's text slides from the list page's editor (issue 21, dashboard/pages/present/editor.py): one
slide's lines for one deck, year and place, checked and kept by data/deck_text.py (audited), then back to the
list page at the same year and place. A refused text is shown again as typed, with the reason (400): nothing
typed is lost. A department head writes only their own department's deck; a visitor or a township head is told
who may (403)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.pages.present.editor import editable_units
from dashboard.pages.present.routes import Refused, list_page, message_page
from dashboard.web import auth
from dashboard.web.permissions import requires
from data import deck_text
from data.access import Action
from data.queries.dimensions import dimensions
from layouts.decks import DECKS
from layouts.paths import DECK_TEXT_PATH, PRESENT_PATH

EDIT_REFUSED = "修改汇报的文字页需要领导、管理员或部门负责人的账号（部门负责人只能改本部门的汇报）"
# where the list page shows the editor (its element id)
ANCHOR = "deck-texts-{name}"


def _refused(_action: Action) -> Response:
    return message_page(EDIT_REFUSED, 403)


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    @server.post(DECK_TEXT_PATH)
    @requires(Action.EDIT_DECK, _refused)
    def deck_text_save(name: str):
        if name not in DECKS:
            raise Refused(f"没有名为 “{name[:40]}” 的汇报", 404)
        form = request.form
        with engine.connect() as conn:
            dims = dimensions(conn)
        raw = form.get("year", "")
        if not (raw.isascii() and raw.isdigit() and int(raw) in dims.years):
            raise Refused(f"年度应为库中已有的年度（{'、'.join(map(str, dims.years)) or '无'}）", 400)
        year, unit = int(raw), form.get("unit", "")
        if unit not in {code for code, _ in editable_units(auth.current_scope(), dims)}:
            raise Refused("只能修改本部门汇报的文字页", 403)
        title, body = form.get("slide", ""), form.get("body", "")
        # a free slide's title field: a new title renames it (its lines and place stay)
        renamed = form.get("title")
        account = auth.current_account()
        who = account.username if account else None
        declared = frozenset(s.title for s in DECKS[name].slides if s.kind == "text")
        try:
            with engine.begin() as conn:
                if renamed is not None and renamed.strip() and title.strip():
                    title = deck_text.rename(
                        conn,
                        name,
                        year,
                        title,
                        renamed,
                        unit or None,
                        declared=declared,
                        actor=who,
                        address=auth.client_address(),
                    )
                deck_text.set_text(
                    conn,
                    name,
                    year,
                    title,
                    body,
                    unit or None,
                    actor=who,
                    address=auth.client_address(),
                )
        except deck_text.DeckTextError as exc:
            return list_page(engine, cfg, (name, form.get("slide", ""), body, renamed or ""), str(exc), 400)
        query = urlencode({"year": year, "unit": unit, "saved": " ".join(title.split())[:40]})
        return redirect(f"{PRESENT_PATH}?{query}#{ANCHOR.format(name=name)}", code=303)
