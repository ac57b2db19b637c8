"""The slide order page, DECK_EDIT_PATH (issue 21): which of a deck's slides are shown and in what order, for everyone who
presents it (kept per deck by data/deck_layout.py, audited). A plain form: an order number and a 放映 box per
slide; saving sorts by the numbers. Leaders and admins change it (the deck is the district's); a department head,
who may write their own deck's text slides, is told who may."""

from __future__ import annotations

from flask import Flask, Response, redirect, render_template, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.pages.present.routes import Refused, message_page
from dashboard.web import auth
from dashboard.web.permissions import requires
from data import deck_layout
from data.access import Action
from layouts.decks import DECKS, slide_keys
from layouts.paths import DECK_EDIT_PATH, PRESENT_PATH

EDIT_REFUSED = "调整汇报的页序（隐藏、排序）需要领导或管理员的账号"


def _refused(_action: Action) -> Response:
    return message_page(EDIT_REFUSED, 403)


def _rows(engine: Engine, name: str) -> list[dict]:
    """The deck's declared slides in their current order, each with its key, name, number and whether shown."""
    keys = slide_keys(DECKS[name])
    with engine.connect() as conn:
        placed = deck_layout.load(conn, name)
    slides = [{"key": k, "title": label} for k, label in keys]
    arranged = deck_layout.arrange(
        slides, {k: deck_layout.Placed(p.position, False) for k, p in placed.items()}
    )
    return [
        {**s, "number": i, "shown": not (placed.get(s["key"]) and placed[s["key"]].hidden)}
        for i, s in enumerate(arranged, 1)
    ]


def _page(name: str, rows: list[dict], error: str = "", saved: bool = False, status: int = 200) -> Response:
    body = render_template(
        "present_edit.html",
        deck=name,
        rows=rows,
        error=error,
        saved=saved,
        action=DECK_EDIT_PATH.replace("<name>", name),
        present_path=PRESENT_PATH,
    )
    return Response(body, status=status, mimetype="text/html")


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    def deck_for_leaders(name: str) -> str:
        if name not in DECKS:
            raise Refused(f"没有名为 “{name[:40]}” 的汇报", 404)
        if not auth.current_scope().everything:
            raise Refused(EDIT_REFUSED, 403)
        return name

    @server.get(DECK_EDIT_PATH)
    @requires(Action.EDIT_DECK, _refused)
    def deck_edit(name: str):
        name = deck_for_leaders(name)
        return _page(name, _rows(engine, name), saved=request.args.get("saved") == "1")

    @server.post(DECK_EDIT_PATH)
    @requires(Action.EDIT_DECK, _refused)
    def deck_edit_save(name: str):
        name = deck_for_leaders(name)
        labels = slide_keys(DECKS[name])
        known = [k for k, _ in labels]
        numbers = {}
        for i, (key, label) in enumerate(labels):
            raw = request.form.get(f"order:{key}", "").strip()
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
                rows = _rows(engine, name)
                return _page(name, rows, f"“{label}”的顺序应为正整数，当前为 “{raw[:20]}”", status=400)
            numbers[key] = (int(raw), i)
        order = sorted(known, key=numbers.__getitem__)
        shown = set(request.form.getlist("show"))
        account = auth.current_account()
        try:
            with engine.begin() as conn:
                deck_layout.save(
                    conn,
                    name,
                    order,
                    {k for k in known if k not in shown},
                    known,
                    actor=account.username if account else None,
                    address=auth.client_address(),
                )
        except deck_layout.LayoutError as exc:
            return _page(name, _rows(engine, name), str(exc), status=400)
        return redirect(f"{DECK_EDIT_PATH.replace('<name>', name)}?saved=1", code=303)
