"""The follow-up pages (督办): the list (/supervise), the create form, one follow-up with its thread and forms,
and its attachments.

Server-rendered like the data page, without a line of inline script: every change is a form POST answered
Post/Redirect/Get with a fixed notice. A refused change re-renders its page with status 400 (403 for a reader who
may not) and what was typed, so nothing is lost. Who may do what is data/supervision.py's to say; the routes
only declare the least action that lets the reader through the gate.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, redirect, render_template, request, send_file
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.pages.supervise import forms
from dashboard.web.auth import current_account, current_scope
from dashboard.web.permissions import refuse_under, requires
from dashboard.web.scripts import serve_script
from data import supervision as sv
from data import supervision_changes as changes
from data.access import Action
from data.org import day_zh
from data.store import begin_write
from data.supervision_files import ACCEPTED, KINDS, MAX_FILES, Refused, stored_path
from layouts.paths import (
    LOGIN_PATH,
    SUPERVISE_NEW_PATH,
    SUPERVISE_PATH,
    SUPERVISE_SCRIPT_PATH,
    SUPERVISION_CLOSE_PATH,
    SUPERVISION_FILE_PATH,
    SUPERVISION_PATH,
    SUPERVISION_REPLY_PATH,
    SUPERVISION_RETURN_PATH,
)

NOTICES = {
    "raised": "已发起督办，等待单位回复",
    "replied": "已回复，等待领导审核",
    "closed": "已办结",
    "returned": "已退回，等待单位重新回复",
}
# Multipart framing and the text fields around the files.
FORM_OVERHEAD = 256 * 1024


def supervision_url(
    supervision_id: int, path: str = SUPERVISION_PATH, attachment_id: int | None = None
) -> str:
    url = path.replace("<int:supervision_id>", str(supervision_id))
    return url.replace("<int:attachment_id>", str(attachment_id)) if attachment_id is not None else url


def reply_limit(cfg: Config) -> int:
    """The largest request a reply may be: its files at their limit, together no more than an upload may be (so
    that nginx's client_max_body_size, set from DASHBOARD_MAX_UPLOAD_MB, lets through every reply the app takes
    and the app, not nginx, refuses the rest in Chinese), and the form around them."""
    return min(MAX_FILES * cfg.max_attachment_bytes, cfg.max_upload_bytes) + FORM_OVERHEAD


def who() -> sv.Who:
    account = current_account()
    return sv.Who(account.username if account else None, current_scope())


def size_zh(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def time_zh(moment) -> str:
    local = moment.astimezone()
    return f"{day_zh(local.date())} {local:%H:%M}"


def _page(template: str, status: int = 200, **context: Any) -> Response:
    engine = current_app.extensions["dashboard.engine"]
    with engine.connect() as conn:
        # the header's inbox, as the desk's header shows it (dashboard/app.py account_view)
        inbox = sv.inbox_count(conn, current_scope())
    body = render_template(
        template,
        me=current_account(),
        states=sv.STATES,
        day_zh=day_zh,
        time_zh=time_zh,
        size=size_zh,
        today=date.today(),
        url=supervision_url,
        may_supervise=sv.may_supervise(who()),
        inbox=inbox,
        **context,
    )
    return Response(body, status=status, mimetype="text/html")


def _message(status: int, heading: str, text: str) -> Response:
    return _page("supervise_message.html", status, heading=heading, text=text)


def _refusal(_action: Action) -> Response:
    if not current_scope().signed_in:
        back = request.full_path.rstrip("?") if request.method == "GET" else SUPERVISE_PATH
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': back})}", code=303)
    return _message(
        403,
        "无权执行此操作",
        "发起、办结和退回督办只对领导和管理员开放；回复只对被督办单位的负责人和录入员开放。",
    )


def _status(exc: sv.SupervisionError) -> int:
    return 404 if isinstance(exc, sv.NotFound) else 403 if isinstance(exc, sv.NotAllowed) else 400


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    refuse_under(server, SUPERVISE_PATH, _refusal)
    serve_script(server, SUPERVISE_SCRIPT_PATH, "supervise.js")

    @server.get(SUPERVISE_PATH)
    # anyone signed in: a unit sees its own follow-ups, a leader all (data/supervision.visible)
    @requires(Action.READ_ROWS)
    def supervise_list():
        show_all = request.args.get("show") == "all"
        with engine.connect() as conn:
            found = sv.listing(conn, current_scope(), open_only=not show_all)
        return _page(
            "supervise_list.html",
            items=found,
            show_all=show_all,
            notice=NOTICES.get(request.args.get("notice", "")),
        )

    def _new_form(status: int = 200, error: str | None = None, typed: dict | None = None) -> Response:
        typed = typed if typed is not None else _prefill()
        with engine.connect() as conn:
            offered = forms.choices(conn, date.today())
        return _page("supervise_new.html", status, error=error, typed=typed, **offered)

    @server.get(SUPERVISE_NEW_PATH)
    @requires(Action.SUPERVISE)
    def supervise_new():
        return _new_form()

    @server.post(SUPERVISE_NEW_PATH)
    @requires(Action.SUPERVISE)
    def supervise_create():
        form = request.form
        typed = {k: form.get(k, "")[: changes.MAX_TEXT] for k in ("indicator", "unit", "due", "text")}
        try:
            kind, code = forms.unit_value(typed["unit"])
            due = forms.due_date(typed["due"])
            with begin_write(engine) as conn:
                new_id = changes.create(conn, who(), typed["indicator"], kind, code, due, typed["text"])
        except sv.SupervisionError as exc:
            return _new_form(_status(exc) if isinstance(exc, sv.NotAllowed) else 400, str(exc), typed)
        return redirect(supervision_url(new_id) + "?notice=raised", code=303)

    def _item_page(supervision_id: int, status: int = 200, **context: Any) -> Response:
        me = who()
        try:
            with engine.connect() as conn:
                item = sv.get(conn, supervision_id, me.scope)
        except sv.SupervisionError as exc:
            return _message(_status(exc), "没有这条督办", str(exc))
        return _page(
            "supervise_item.html",
            status,
            item=item,
            may_reply=sv.may_reply(me, item) and item.state is not sv.State.CLOSED,
            may_decide=sv.may_supervise(me) and item.state is sv.State.REPLIED,
            accepted=ACCEPTED,
            accept_attr=",".join(s for k in KINDS.values() for s in k.suffixes),
            max_files=MAX_FILES,
            max_mb=cfg.max_attachment_mb,
            max_bytes=cfg.max_attachment_bytes,
            paths_of={
                "reply": supervision_url(supervision_id, SUPERVISION_REPLY_PATH),
                "close": supervision_url(supervision_id, SUPERVISION_CLOSE_PATH),
                "return": supervision_url(supervision_id, SUPERVISION_RETURN_PATH),
            },
            file_url=lambda a: supervision_url(supervision_id, SUPERVISION_FILE_PATH, a.id),
            **context,
        )

    @server.get(SUPERVISION_PATH)
    @requires(Action.READ_ROWS)
    def supervision_item(supervision_id: int):
        return _item_page(supervision_id, notice=NOTICES.get(request.args.get("notice", "")))

    @server.post(SUPERVISION_REPLY_PATH)
    @requires(Action.REPLY)
    def supervision_reply(supervision_id: int):
        text = request.form.get("text", "")[: changes.MAX_TEXT * 2]
        try:
            with engine.connect() as conn:
                item = sv.get(conn, supervision_id, current_scope())
            if not sv.may_reply(who(), item):  # before any file is kept
                raise sv.NotAllowed(f"只有{item.unit_name}的负责人和录入员可以回复这条督办")
            changes.clean_text(text, "回复内容")
            files = forms.take_files(request.files.getlist("files"), cfg)
            with begin_write(engine) as conn:
                changes.reply(conn, who(), supervision_id, text, files)
        except (sv.SupervisionError, Refused) as exc:
            status = _status(exc) if isinstance(exc, sv.SupervisionError) else 400
            return _item_page(supervision_id, status, error=str(exc), typed_reply=text)
        return redirect(supervision_url(supervision_id) + "?notice=replied", code=303)

    def _decide(supervision_id: int, step, notice: str) -> Response:
        text = request.form.get("text", "")[: changes.MAX_TEXT * 2]
        try:
            with begin_write(engine) as conn:
                step(conn, who(), supervision_id, text)
        except sv.SupervisionError as exc:
            return _item_page(supervision_id, _status(exc), error=str(exc), typed_decision=text)
        return redirect(supervision_url(supervision_id) + f"?notice={notice}", code=303)

    @server.post(SUPERVISION_CLOSE_PATH)
    @requires(Action.SUPERVISE)
    def supervision_close(supervision_id: int):
        return _decide(supervision_id, changes.close, "closed")

    @server.post(SUPERVISION_RETURN_PATH)
    @requires(Action.SUPERVISE)
    def supervision_return(supervision_id: int):
        return _decide(supervision_id, changes.send_back, "returned")

    @server.get(SUPERVISION_FILE_PATH)
    @requires(Action.READ_ROWS)
    def supervision_file(supervision_id: int, attachment_id: int):
        try:
            with engine.connect() as conn:
                found = sv.attachment(conn, supervision_id, attachment_id, current_scope())
        except sv.SupervisionError as exc:
            return _message(404, "没有这个附件", str(exc))
        path = stored_path(cfg.attachments_path, found.sha256)
        if not path.is_file():
            return _message(404, "附件文件不在了", "附件文件已不在服务器上，请联系管理员。")
        response = send_file(path, mimetype=KINDS[found.kind].media_type)
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.name)}"
        return response


def _prefill() -> dict[str, str]:
    """The create form as a link asks for it: ?indicator=..&department=..|&township=.. (from a figure or a warning)."""
    args = request.args
    unit = ""
    if args.get("department"):
        unit = f"department:{args['department'][:32]}"
    elif args.get("township"):
        unit = f"township:{args['township'][:32]}"
    return {"indicator": args.get("indicator", "")[:64], "unit": unit, "due": "", "text": ""}
