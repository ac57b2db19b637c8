"""Frozen figures for meetings (issue 10): "冻结数据" keeps a deck's content as a snapshot (data/snapshots.py)
with its own URL, /present/s/<id>, which shows and exports exactly what was frozen whatever the data does
since, saying "数据截至 …（快照）" on every slide. Signed-in readers freeze; the one who froze a snapshot, a
leader or an admin renames and deletes it; a reader opens it only if they may see every figure it holds."""

from __future__ import annotations

from flask import Flask, redirect, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.content.deck import frozen_content
from dashboard.content.report import ReportRefused, frozen_report_docx
from dashboard.exports import pptx as deck_pptx
from dashboard.pages.present.pages import chart_png, deck_pdf
from dashboard.pages.present.routes import (
    DOCX,
    PDF,
    PNG,
    PPTX,
    Refused,
    chart_name,
    download,
    may_change,
    message_page,
    printed,
    render_deck,
    request_filters,
)
from dashboard.web import auth
from dashboard.web.permissions import refuse_under, requires
from data import snapshots
from data.access import Action
from data.snapshots import Snapshot, SnapshotError
from layouts.decks import DECKS
from layouts.format import snapshot_foot, snapshot_report_line
from layouts.paths import PRESENT_PATH, SNAPSHOT_PATH

SIGN_IN = "请先登录：冻结、重命名和删除快照需要账号"


def _signed_in() -> str:
    account = auth.current_account()
    if account is None:
        raise Refused(SIGN_IN, 403)
    return account.username


def _open(engine: Engine, snapshot_id: str) -> Snapshot:
    with engine.connect() as conn:
        try:
            snapshot = snapshots.get(conn, snapshot_id)
        except SnapshotError as exc:
            raise Refused(str(exc), 404) from None
    if not snapshot.visible_to(auth.current_scope()):
        raise Refused("此快照含有您无权查看的指标", 403)
    return snapshot


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    # freezing needs an account: a visitor is told so on the presenter's page (its routes declare Action.FREEZE)
    refuse_under(server, PRESENT_PATH, lambda _action: message_page(SIGN_IN, 403))

    @server.post(f"{PRESENT_PATH}/<name>/snapshot")
    @requires(Action.FREEZE)
    def snapshot_create(name: str):
        actor = _signed_in()
        deck = DECKS.get(name)
        if deck is None:
            raise Refused(f"没有名为 “{name[:40]}” 的汇报", 404)
        filters = request_filters(engine, cfg)
        with engine.begin() as conn:
            try:
                content = frozen_content(conn, deck, filters)
            except ReportRefused as exc:
                raise Refused(str(exc), 404) from None
            try:
                made = snapshots.create(
                    conn,
                    content,
                    request.form.get("name") or None,
                    actor=actor,
                    address=auth.client_address(),
                )
            except SnapshotError as exc:  # the cap, or a name too long
                raise Refused(str(exc), 400) from None
        return redirect(f"{SNAPSHOT_PATH}/{made.id}", code=303)

    def _slides(snapshot_id: str, notes: bool):
        """A snapshot's slide window or its notes window: the same frozen content, its own line at every foot."""
        snapshot = _open(engine, snapshot_id)
        return render_deck(
            snapshot.shown, f"{SNAPSHOT_PATH}/{snapshot.id}", "", notes, snapshot_foot(snapshot)
        )

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>")
    @requires(Action.READ_FIGURES)
    def snapshot_show(snapshot_id: str):
        return _slides(snapshot_id, notes=False)

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>/notes")
    @requires(Action.READ_FIGURES)
    def snapshot_notes(snapshot_id: str):
        return _slides(snapshot_id, notes=True)

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>/deck.pptx")
    @requires(Action.READ_FIGURES)
    def snapshot_pptx(snapshot_id: str):
        snapshot = _open(engine, snapshot_id)
        content = deck_pptx.build(snapshot.shown, snapshot_foot(snapshot))
        return download(content, PPTX, f"{snapshot.name}.pptx")

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>/report.docx")
    @requires(Action.READ_FIGURES)
    def snapshot_docx(snapshot_id: str):
        snapshot = _open(engine, snapshot_id)
        if snapshot.report is None:
            raise Refused(snapshots.NO_REPORT, 404)
        if not snapshot.report_visible_to(auth.current_scope()):
            raise Refused("此快照的报告部分含有您无权查看的指标", 403)
        content = frozen_report_docx(snapshot.report, snapshot_report_line(snapshot))
        return download(content, DOCX, f"{snapshot.name}（报告数字部分）.docx")

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>/deck.pdf")
    @requires(Action.READ_FIGURES)
    def snapshot_pdf(snapshot_id: str):
        snapshot = _open(engine, snapshot_id)
        pdf = printed(deck_pdf, snapshot.shown, snapshot_foot(snapshot), cfg.browser)
        return download(pdf, PDF, f"{snapshot.name}.pdf")

    @server.get(f"{SNAPSHOT_PATH}/<snapshot_id>/slides/<int:number>/<key>.png")
    @requires(Action.READ_FIGURES)
    def snapshot_png(snapshot_id: str, number: int, key: str):
        snapshot = _open(engine, snapshot_id)
        png = printed(chart_png, snapshot.shown, number, key, snapshot_foot(snapshot), cfg.browser)
        return download(png, PNG, chart_name(snapshot.shown, number, key, snapshot.name))

    @server.post(f"{SNAPSHOT_PATH}/<snapshot_id>/<action>")
    @requires(Action.FREEZE)
    def snapshot_change(snapshot_id: str, action: str):
        actor = _signed_in()
        if action not in ("rename", "delete"):
            raise Refused("没有这个操作", 404)
        snapshot = _open(engine, snapshot_id)
        if not may_change(snapshot):
            raise Refused("只有冻结它的人、领导或管理员可以重命名或删除这个快照", 403)
        with engine.begin() as conn:
            try:
                if action == "rename":
                    snapshots.rename(
                        conn,
                        snapshot.id,
                        request.form.get("name", ""),
                        actor=actor,
                        address=auth.client_address(),
                    )
                else:
                    snapshots.remove(conn, snapshot.id, actor=actor, address=auth.client_address())
            except SnapshotError as exc:
                raise Refused(str(exc), 400) from None
        return redirect(PRESENT_PATH, code=303)
