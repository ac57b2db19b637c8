"""The data page (/data) and each batch's page (/data/batch/N): templates, uploads, review, versions, figures.

Server-rendered like the admin pages: every change is a form POST answered Post/Redirect/Get, the outcome a code
in the redirect's query string mapped to a fixed text. One static script (dashboard/static/data-page.js, no
inline script: the CSP allows none) sends an upload with a progress bar and follows a batch that is being checked
or published until it is done; without it the forms still work. Clerks and department heads see their own
department's batches; reviewers (leaders, admins) see all and publish, reject and roll back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, render_template, request
from sqlalchemy import Engine, select

from dashboard.config import Config
from dashboard.jobs import Jobs
from dashboard.pages.data import routes as data_routes
from dashboard.pages.data.routes import BadUpload, actor, batch_url, visible_batch
from dashboard.web.auth import current_account, current_scope, refusal_status
from dashboard.web.permissions import refuse_under, requires
from dashboard.web.scripts import serve_script
from dashboard.web.security import SESSION_COOKIE
from data.access import Action
from data.imports import batches, figures, preview, publish, rights, states, versions
from data.imports.batches import Actor, BatchError
from data.imports.states import STATUS_TONES, Status
from data.registers import REGISTERS
from data.schema import department, township
from data.store import begin_write
from layouts import format as fmt
from layouts.paths import BATCH_PATH, DATA_PATH, DATA_SCRIPT_PATH, FIGURE_PATH, LOGIN_PATH, ROLLBACK_PATH

SCRIPT_PATH = DATA_SCRIPT_PATH
# Errors listed on a batch's page; all of them are in the annotated copy.
SHOWN_ERRORS = 1000
NOTICES = {
    Status.PUBLISHED: "批次已发布",
    Status.PUBLISHING: "正在发布，完成后本页自动刷新",
    Status.REJECTED: "批次已驳回",
    "retrying": "正在重新检查",
    Status.ROLLED_BACK: "已回滚，数据恢复到该版本发布之前",
    "figure": "已暂存，等待审核",
}


def _number(value: float | None, unit: str) -> str:
    text, shown = fmt.number(value, unit)
    return text + shown


def _page(template: str, status: int = 200, **context: Any) -> Response:
    body = render_template(
        template,
        me=current_account(),
        data_path=DATA_PATH,
        # the states and how each looks, from data/imports/states.py (templates never retype them)
        statuses=Status,
        tones=STATUS_TONES,
        script=SCRIPT_PATH,
        number=_number,
        change=fmt.before_after,
        batch_url=batch_url,
        template_url=data_routes.template_url,
        rollback_url=lambda version_id: ROLLBACK_PATH.replace("<int:version_id>", str(version_id)),
        figure_path=FIGURE_PATH,
        **context,
    )
    return Response(body, status=status, mimetype="text/html")


def _message(status: int, heading: str, text: str) -> Response:
    return _page("admin_message.html", status, heading=heading, text=text)


def _json_refusal(_action: Action) -> tuple[Response, int] | None:
    # the page's script polls this: a visitor gets JSON; a signed-in reader of the wrong role, the page's refusal
    if actor() is None:
        return jsonify({"error": "请先登录"}), refusal_status()
    return None


def _refusal(change: bool = False) -> Response | None:
    """How the data pages say no, in their own words (the gate, dashboard/web/gate.py, decides when)."""
    who = actor()
    if who is None:
        back = request.full_path.rstrip("?") if request.method == "GET" else DATA_PATH
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': back})}", code=303)
    if not (who.reviewer or who.role in batches.UPLOADER_ROLES):
        return _message(
            403, "无权使用数据管理", "数据管理只对数据录入员、部门负责人和审核人（领导、管理员）开放。"
        )
    if change and ("Authorization" in request.headers or not request.cookies.get(SESSION_COOKIE)):
        return _message(
            403, "需要在浏览器中登录", "在本页提交的改动须在浏览器中登录；程序请用 POST /api/v1/imports。"
        )
    return None


def _back(target: str, notice: str | None = None, error: str | None = None) -> Response:
    query = {k: v for k, v in (("notice", notice), ("error", error)) if v}
    return redirect(f"{target}?{urlencode(query)}" if query else target, code=303)


def _may_upload(conn: Any, who: Actor, register: str) -> bool:
    try:
        rights.upload_scope(conn, who, register, None, None)
    except BatchError:
        return False
    return True


def batch_view(batch: batches.Batch) -> dict[str, Any]:
    """What the pages and the status JSON show of a batch."""
    return {
        "id": batch.id,
        "status": batch.status,
        "status_zh": batch.status_zh,
        "step": batch.step,
        "progress": batch.progress,
        "running": batch.status in states.RUNNING,
    }


def register(server: Flask, engine: Engine, cfg: Config, jobs: Jobs) -> None:
    # the routes under /data declare their action; refused, they answer as the page always has
    refuse_under(server, DATA_PATH, lambda _action: _refusal(change=request.method not in ("GET", "HEAD")))

    serve_script(server, SCRIPT_PATH, "data-page.js")

    @server.get(DATA_PATH)
    @requires(Action.UPLOAD)
    def data_home():
        who = actor()
        with engine.begin() as conn:
            depts = conn.execute(
                select(department.c.code, department.c.name).order_by(department.c.sort)
            ).all()
            towns = conn.execute(select(township.c.code, township.c.name).order_by(township.c.sort)).all()
            listed = (
                batches.listing(conn, limit=50)
                if who.reviewer
                else batches.listing(conn, limit=50, department_code=who.department, created_by=who.username)
            )
            scopes = {b.id: publish.scope_zh(conn, b) if b.period_start else "" for b in listed}
            published = versions.versions(conn, limit=50) if who.reviewer else []
            registers = [REGISTERS[name] for name in REGISTERS if _may_upload(conn, who, name)]
        reported = figures.reported_indicators().values()
        names = {code: name for code, name in depts}
        return _page(
            "data_home.html",
            who=who,
            registers=registers,
            departments=depts,
            townships=towns,
            own_department=names.get(who.department or "", ""),
            batches=listed,
            scopes=scopes,
            versions=published,
            reported=[
                i for i in reported if who.reviewer or i.responsible == names.get(who.department or "")
            ],
            max_mb=cfg.max_upload_mb,
            max_bytes=cfg.max_upload_bytes,
            upload_path=data_routes.UPLOAD_PATH,
            notice=NOTICES.get(request.args.get("notice", "")),
            error=request.args.get("error", "")[:300] or None,
        )

    @server.get(BATCH_PATH)
    @requires(Action.UPLOAD)
    def batch_page(batch_id: int):
        try:
            batch = visible_batch(engine, batch_id, actor())
        except BadUpload as exc:
            return _message(exc.status, "无法查看批次", str(exc))
        # Read only, unless the preview must be computed again: a page (or its polling) looked at while another
        # batch publishes is answered at once, not after that publish lets go of the store (data/writes.py).
        with engine.connect() as conn:
            stale = preview.stale(conn, batch)
        if stale:
            with begin_write(engine) as conn:
                batch = preview.fresh(conn, batch)
        with engine.connect() as conn:
            scope = publish.scope_zh(conn, batch) if batch.period_start else ""
        shown = preview.for_reader(batch.preview.get("figures", []), current_scope())
        district = [f for f in shown if f["level"] == "district"]
        members = [f for f in shown if f["level"] != "district"]
        return _page(
            "data_batch.html",
            who=actor(),
            batch=batch,
            view=batch_view(batch),
            scope=scope,
            errors=batch.errors[:SHOWN_ERRORS],
            shown_errors=SHOWN_ERRORS,
            district=district,
            members=members,
            rows=batch.preview.get("rows"),
            notice=NOTICES.get(request.args.get("notice", "")),
            error=request.args.get("error", "")[:300] or None,
        )

    @server.get(BATCH_PATH + "/status")
    @requires(Action.UPLOAD, refuse=_json_refusal)
    def batch_status(batch_id: int):
        try:
            batch = visible_batch(engine, batch_id, actor())
        except BadUpload as exc:
            return jsonify({"error": str(exc)}), exc.status
        return jsonify(batch_view(batch))

    def _act(batch_id: int, work: Any) -> Response:
        target = batch_url(batch_id)
        try:
            notice = work(actor())
        except BatchError as exc:
            return _back(target, error=str(exc))
        return _back(target, notice=notice)

    @server.post(BATCH_PATH + "/publish")
    @requires(Action.UPLOAD)
    def batch_publish(batch_id: int):
        def work(who: Actor) -> str:
            # marked here, so that the page the browser is sent to already shows it being published
            publish.claim(engine, batch_id, who)
            jobs.publish(batch_id, who)
            return Status.PUBLISHING

        return _act(batch_id, work)

    @server.post(BATCH_PATH + "/reject")
    @requires(Action.UPLOAD)
    def batch_reject(batch_id: int):
        def work(who: Actor) -> str:
            publish.reject(engine, batch_id, who, request.form.get("reason", ""))
            return Status.REJECTED

        return _act(batch_id, work)

    @server.post(BATCH_PATH + "/retry")
    @requires(Action.UPLOAD)
    def batch_retry(batch_id: int):
        def work(who: Actor) -> str:
            try:
                visible_batch(engine, batch_id, who)
            except BadUpload as exc:
                raise BatchError(str(exc)) from None
            with begin_write(engine) as conn:
                batches.restart_check(conn, batch_id)
            jobs.check(batch_id, who)
            return "retrying"

        return _act(batch_id, work)

    @server.post(ROLLBACK_PATH)
    @requires(Action.UPLOAD)
    def version_rollback(version_id: int):
        # the newest version the reviewer's page showed (data_home.html): one published since is not undone unseen
        seen = request.form.get("seen", "")
        try:
            rights.require_reviewer(actor())
            if not seen.isdigit() or len(seen) > 18:
                raise BatchError("回滚须从最新的版本列表提交：请刷新本页，核对后再回滚")
            versions.rollback(engine, version_id, actor(), seen_latest=int(seen))
        except BatchError as exc:
            return _back(DATA_PATH, error=str(exc))
        return _back(DATA_PATH, notice=Status.ROLLED_BACK)

    @server.post(FIGURE_PATH)
    @requires(Action.UPLOAD)
    def figure_submit():
        form = request.form
        try:
            year = int(form.get("year", ""))
            value = float(form.get("value", ""))
        except ValueError:
            return _back(DATA_PATH, error="年度应为整数，数值应为数")
        try:
            batch_id = figures.submit(engine, actor(), form.get("code", ""), year, value, form.get("note"))
        except BatchError as exc:
            return _back(DATA_PATH, error=str(exc))
        return _back(batch_url(batch_id), notice="figure")
