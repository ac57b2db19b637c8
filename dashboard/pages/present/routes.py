"""The presenter's routes (issue 10): /present lists the decks, /present/<deck> shows one slide at a time,
/present/<deck>/notes is the speaker's view a second window keeps in step, and the downloads: the deck as
PowerPoint and the annual report's figures as Word. Every one computes its figures for the reader's own scope
(dashboard/web/auth.py), as the desk does: a deck never shows a figure its reader may not see on the desk."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from flask import Flask, Response, render_template, request, send_file
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.content.deck import deck_content
from dashboard.content.names import chart_name, clean, file_title
from dashboard.content.report import ReportRefused, report_docx_bytes, report_title, require_year
from dashboard.exports import pptx as deck_pptx
from dashboard.exports.render import RenderBusy, RenderError
from dashboard.pages.present.editor import editor
from dashboard.pages.present.pages import ChartRefused, chart_png, deck_html, deck_pdf
from dashboard.web import auth
from dashboard.web.permissions import requires
from data import org, snapshots
from data.access import Action
from data.imports.batches import REVIEWER_ROLES
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.snapshots import Snapshot
from data.store import get_meta
from layouts.decks import DECKS
from layouts.format import snapshot_foot
from layouts.paths import DECK_EDIT_PATH, PRESENT_PATH, SCREEN_PATH

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF = "application/pdf"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Refused(ValueError):
    """A request that cannot be answered with a deck: (message, status)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def request_filters(engine: Engine, cfg: Config) -> Filters:
    """The year and the one place the query asks for, checked against the store."""
    args = request.args
    with engine.connect() as conn:
        dims = dimensions(conn)
        default = cfg.year_to_open(dims.years, get_meta(conn, "default_year"))
    raw = args.get("year", "")
    if raw and not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise Refused(f"年度应为四位数字，例如 2024，当前为 “{raw[:20]}”")
    try:
        year = require_year(dims.years, int(raw) if raw else default)
    except ReportRefused as exc:
        raise Refused(str(exc), 404) from None
    townships = {m["code"] for m in dims.townships}
    departments = {m["code"] for m in dims.departments}
    township, department = args.get("township") or None, args.get("department") or None
    if township and department:
        raise Refused("一次只能按一个乡镇或一个部门汇报")
    if township and township not in townships:
        raise Refused(f"乡镇代码 “{township[:40]}” 不存在")
    if department and department not in departments:
        raise Refused(f"部门代码 “{department[:40]}” 不存在")
    return Filters(
        year,
        townships=(township,) if township else (),
        departments=(department,) if department else (),
        scope=auth.current_scope(),
    )


def _query(filters: Filters) -> str:
    pairs = {"year": filters.year, "township": next(iter(filters.townships), None)}
    pairs["department"] = next(iter(filters.departments), None)
    return urlencode({k: v for k, v in pairs.items() if v is not None})


def message_page(message: str, status: int) -> Response:
    body = render_template("present_message.html", message=message, present_path=PRESENT_PATH)
    return Response(body, status=status, mimetype="text/html")


def render_deck(content: dict, base: str, query: str, notes: bool, frozen: str | None = None) -> Response:
    """The slides (or the notes view) of ``content`` served at ``base``; ``frozen``: a snapshot's line for every
    slide's foot. Windows showing the same deck and filters keep in step."""
    chart_url = f"{base}/slides/{{n}}/{{key}}.png" + (f"?{query}" if query else "")
    body = deck_html(
        content,
        "notes" if notes else "slides",
        f"{SCREEN_PATH}/static",
        channel=f"present:{base}?{query}",
        frozen=frozen,
        chart_url=chart_url,
    )
    return Response(body, mimetype="text/html")


def printed(make, *args) -> bytes:
    """A PDF or PNG from the browser, or a page saying why there is none (never a 500)."""
    try:
        return make(*args)
    except ChartRefused as exc:
        raise Refused(str(exc), 404) from None
    except RenderBusy as exc:
        raise Refused(str(exc), 429) from None
    except RenderError as exc:
        raise Refused(str(exc), 503) from None


def may_change(snapshot: Snapshot) -> bool:
    account = auth.current_account()
    return account is not None and (account.role in REVIEWER_ROLES or account.username == snapshot.created_by)


def _edit_year(raw: str | None, years: list[int], default: int | None) -> int | None:
    return int(raw) if raw and raw.isascii() and raw.isdigit() and int(raw) in years else default


def list_page(
    engine: Engine,
    cfg: Config,
    draft: tuple[str, ...] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """The decks, their text slides' editor (for the year and place the query names) and the snapshots;
    ``draft`` (deck, title, text[, new title]): a text refused with ``error``, shown again as typed."""
    args = request.values
    scope = auth.current_scope()
    with engine.connect() as conn:
        dims = dimensions(conn)
        year = cfg.year_to_open(dims.years, get_meta(conn, "default_year"))
        kept = snapshots.list_all(conn)
        district = org.district_name(conn)
        edit_year = _edit_year(args.get("year"), dims.years, year)
        editors = {}
        for d in DECKS.values():
            mine = draft[1:] if draft and draft[0] == d.name else None
            if edit_year is not None:
                editors[d.name] = editor(
                    conn,
                    scope,
                    dims,
                    d.name,
                    edit_year,
                    args.get("unit"),
                    mine,
                    error if mine else "",
                    args.get("saved", "")[:40] if request.method == "GET" else "",
                )
    decks = [
        {
            "name": d.name,
            "title": d.title,
            "editor": editors.get(d.name),
            # hiding and reordering a deck's slides: leaders and admins (dashboard/pages/present/layout.py)
            "edit": DECK_EDIT_PATH.replace("<name>", d.name) if scope.everything else None,
        }
        for d in DECKS.values()
    ]
    frozen = [
        {
            "snapshot": s,
            "line": snapshot_foot(s),
            "may_change": may_change(s),
            "report": s.report_visible_to(scope),
        }
        for s in kept
        if s.visible_to(scope)
    ]
    body = render_template(
        "present_list.html",
        decks=decks,
        years=dims.years,
        year=year,
        district=district,
        townships=dims.townships,
        departments=dims.departments,
        present_path=PRESENT_PATH,
        frozen=frozen,
        signed_in=auth.current_account() is not None,
    )
    return Response(body, status=status, mimetype="text/html")


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    def deck_or_refuse(name: str):
        deck = DECKS.get(name)
        if deck is None:
            raise Refused(f"没有名为 “{name[:40]}” 的汇报", 404)
        return deck

    @server.errorhandler(Refused)
    def _refused(exc: Refused):
        return message_page(str(exc), exc.status)

    @server.get(PRESENT_PATH)
    @requires(Action.READ_FIGURES)
    def present_list():
        return list_page(engine, cfg)

    def content_for(name: str) -> tuple[dict, Filters]:
        deck = deck_or_refuse(name)
        filters = request_filters(engine, cfg)
        with engine.connect() as conn:
            try:
                return deck_content(conn, deck, filters), filters
            except ReportRefused as exc:
                raise Refused(str(exc), 404) from None

    def show(name: str, notes: bool) -> Response:
        content, filters = content_for(name)
        return render_deck(content, f"{PRESENT_PATH}/{name}", _query(filters), notes)

    @server.get(f"{PRESENT_PATH}/<name>")
    @requires(Action.READ_FIGURES)
    def present_deck(name: str):
        return show(name, notes=False)

    @server.get(f"{PRESENT_PATH}/<name>/notes")
    @requires(Action.READ_FIGURES)
    def present_notes(name: str):
        return show(name, notes=True)

    @server.get(f"{PRESENT_PATH}/<name>/deck.pptx")
    @requires(Action.READ_FIGURES)
    def present_pptx(name: str):
        content, _ = content_for(name)
        return download(deck_pptx.build(content), PPTX, f"{file_title(content)}.pptx")

    @server.get(f"{PRESENT_PATH}/<name>/deck.pdf")
    @requires(Action.READ_FIGURES)
    def present_pdf(name: str):
        content, _ = content_for(name)
        pdf = printed(deck_pdf, content, None, cfg.browser)
        return download(pdf, PDF, f"{file_title(content)}.pdf")

    @server.get(f"{PRESENT_PATH}/<name>/slides/<int:number>/<key>.png")
    @requires(Action.READ_FIGURES)
    def present_png(name: str, number: int, key: str):
        content, _ = content_for(name)
        png = printed(chart_png, content, number, key, None, cfg.browser)
        return download(png, PNG, chart_name(content, number, key))

    @server.get(f"{PRESENT_PATH}/report.docx")
    @requires(Action.READ_FIGURES)
    def present_docx():
        filters = request_filters(engine, cfg)
        with engine.connect() as conn:
            content = report_docx_bytes(conn, filters)
            title = report_title(conn, filters.year)
        return download(content, DOCX, f"{title}.docx")


def download(content: bytes, mimetype: str, filename: str) -> Response:
    # A name goes into a header: a line break in it (a snapshot renamed before names were cleaned) made every
    # download of it a 500. Control characters and path separators become spaces.
    filename = clean(filename)
    # send_file writes a Chinese file name as RFC 5987 filename*, with an ASCII fallback
    response = send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename)
    response.cache_control.no_store = True
    return response
