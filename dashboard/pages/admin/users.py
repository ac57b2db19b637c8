"""The admin pages: accounts (/admin/users), for the role ``admin`` only, and the helpers the other admin pages
share; the audit log (/admin/audit) is dashboard/pages/admin/audit.py, the kiosk links (/admin/screens) screens.py.

Server-rendered like the sign-in page and without a line of script (the CSP allows none inline): every change
is a form POST answered Post/Redirect/Get, the outcome a code in the redirect's query string mapped to a fixed
text, so nothing typed into a URL is ever shown as a message. A refused change re-renders the page with status
400, the AccountError's line and what was typed (never a password). data.accounts checks every value and
writes the audit event in the change's own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, redirect, render_template, request
from sqlalchemy import Connection, Engine

from dashboard.web.auth import client_address, current_account
from dashboard.web.permissions import refuse_under, requires
from data import accounts
from data.access import ROLE_ACTIONS, ROLE_SCOPE, ROLES, Action, roles_that
from data.queries.dimensions import UNASSIGNED, dimensions
from layouts.paths import ADMIN_AREA, ADMIN_PATH, AUDIT_PATH, CATALOG_PATH, LOGIN_PATH, SCREENS_PATH

# What was typed comes back in the form, but a huge field is not reflected back whole.
ECHO_LIMIT = 200
# As data.accounts.USERNAME_PATTERN allows.
USERNAME_RULE = f"用户名由英文字母、数字和 _ . - @ 组成，最多 {accounts.MAX_USERNAME} 个字符"
PLACE_KINDS = {"department": "部门", "township": "乡镇（街道）"}
NOTICES = {
    "added": "已新建账号 {user}",
    "disabled": "已停用账号 {user}：其登录已结束，令牌在停用期间无效",
    "enabled": "已启用账号 {user}",
    "password": "已重置 {user} 的密码：该账号已有的登录全部结束",
    "updated": "已修改账号 {user}",
    "unchanged": "账号 {user} 没有变化",
}
# What the forms are built from: the option lists, and the limits the browser checks before data.accounts does.
FORM_CONTEXT: dict[str, Any] = {
    "roles": ROLES,
    "kinds": PLACE_KINDS,
    "tied": {kind: "、".join(ROLES[r] for r, t in ROLE_SCOPE.items() if t == kind) for kind in PLACE_KINDS},
    "limits": {
        "min_password": accounts.MIN_PASSWORD,
        "max_password": accounts.MAX_PASSWORD,
        "max_username": accounts.MAX_USERNAME,
        "max_name": accounts.MAX_DISPLAY_NAME,
        # HTML compiles `pattern` with the v flag, under which a bare "-" in a class is an error.
        "username_pattern": accounts.USERNAME_PATTERN.pattern.replace("-]", r"\-]"),
        "username_rule": USERNAME_RULE,
    },
}
NEW_FIELDS = ("username", "name", "role", "department", "township")
UPDATE_FIELDS = ("role", "department", "township", "name")
Change = Callable[[Connection, str], tuple[str, str]]


@dataclass(frozen=True)
class Failure:
    """A refused form: its message, which ("new", "password", "update", "state"), whose row, what was typed."""

    message: str
    form: str
    username: str = ""
    typed: dict[str, str] = field(default_factory=dict)


def page(template: str, status: int = 200, **context: Any) -> Response:
    body = render_template(template, me=current_account(), **context)
    return Response(body, status=status, mimetype="text/html")


def _refusal(action: Action) -> Response | None:
    """How the admin pages say no, in their own words; the gate (dashboard/web/gate.py) decides when: a visitor
    signs in, a role without ``action`` is told whom the page is for, and a role with it was refused because a
    change came from a token or without the browser's session."""
    account = current_account()
    if account is None:
        # After signing in the browser GETs ``next``: a form's own path would answer 405, so it is its page's.
        form_page = next((p for p in (SCREENS_PATH, CATALOG_PATH) if request.path.startswith(p)), ADMIN_PATH)
        back = request.full_path.rstrip("?") if request.method == "GET" else form_page
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': back})}", code=303)
    if action not in ROLE_ACTIONS[account.role]:
        heading = REFUSED_HEADING.get(action, REFUSED_HEADING[Action.ADMIN])
        return page(
            "admin_message.html",
            403,
            heading=heading,
            text=REFUSED_TEXT.get(action, REFUSED_TEXT[Action.ADMIN]),
        )
    text = "账号、指标目录和大屏链接的改动只能在浏览器中登录后从本页提交，接口令牌只能查看。"
    return page("admin_message.html", 403, heading="需要在浏览器中登录", text=text)


# What a role without the action is told, by the action the page declares.
REFUSED_HEADING = {Action.ADMIN: "需要管理员权限", Action.EDIT_CATALOG: "需要管理员或领导权限"}
REFUSED_TEXT = {
    Action.ADMIN: "账号管理、审计日志和大屏链接只对管理员开放。",
    Action.EDIT_CATALOG: "指标目录只对管理员和领导开放。",
}


def when(moment: datetime | None, seconds: bool = False) -> str:
    shape = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return "—" if moment is None else moment.astimezone().strftime(shape)


def place_choices(conn: Connection) -> dict[str, list[dict[str, str]]]:
    """The departments and townships an account may be tied to: the stored ones, not the members that
    stand for rows naming none."""
    dims, reserved = dimensions(conn), {u.code for u in UNASSIGNED.values()}
    members = {"department": dims.departments, "township": dims.townships}
    return {kind: [m for m in listed if m["code"] not in reserved] for kind, listed in members.items()}


def _user_row(a: accounts.Account, names: dict[str, dict[str, str]], failure: Failure | None) -> dict:
    tie = ROLE_SCOPE.get(a.role)
    code = a.department if tie == "department" else a.township if tie == "township" else None
    form = {"role": a.role, "department": a.department or "", "township": a.township or "", "name": a.name}
    failed = failure is not None and failure.username == a.username
    return {
        "account": a,
        "place": names[tie].get(code, code) if tie and code else "全区",
        "last_login": when(a.last_login_at),
        "created": when(a.created_at),
        "form": failure.typed if failed and failure.form == "update" else form,
        "open": failure.form if failed else None,
    }


def _notice(users: list[accounts.Account]) -> str | None:
    # Named only when the name is an account's: the query string cannot make the page say anything else.
    template, user = NOTICES.get(request.args.get("ok", "")), request.args.get("u", "")
    if template is None or user not in {a.username for a in users}:
        return None
    return template.format(user=user)


def _users_page(engine: Engine, failure: Failure | None = None) -> Response:
    with engine.connect() as conn:
        users = accounts.list_users(conn)
        choices = place_choices(conn)
    names = {kind: {p["code"]: p["name"] for p in places} for kind, places in choices.items()}
    return page(
        "admin_users.html",
        400 if failure else 200,
        rows=[_user_row(a, names, failure) for a in users],
        failure=failure,
        notice=None if failure else _notice(users),
        new=failure.typed if failure and failure.form == "new" else {},
        choices=choices,
        **FORM_CONTEXT,
    )


def _role_and_ties() -> tuple[str, dict[str, str | None]]:
    """The role chosen and the one place it is tied to: the other select is ignored (a form sends both)."""
    role = request.form.get("role", "")
    tie = ROLE_SCOPE.get(role)
    ties = {kind: (request.form.get(kind) or None) if kind == tie else None for kind in PLACE_KINDS}
    if tie is not None and ties[tie] is None:
        raise accounts.AccountError(f"角色“{ROLES[role]}”需要选择{PLACE_KINDS[tie]}")
    return role, ties


def actor() -> dict[str, str | None]:
    return {"actor": current_account().username, "address": client_address()}


def _create(conn: Connection, _username: str) -> tuple[str, str]:
    form = request.form
    role, ties = _role_and_ties()
    password = form.get("password", "")
    if password != form.get("password2", ""):
        raise accounts.AccountError("两次输入的密码不一致")
    name = form.get("name", "") or None
    made = accounts.add_user(conn, form.get("username", ""), password, role, name=name, **ties, **actor())
    return "added", made.username


def _update(conn: Connection, username: str) -> tuple[str, str]:
    role, ties = _role_and_ties()
    before = accounts.require_user(conn, username)
    after = accounts.update(conn, username, role=role, name=request.form.get("name", ""), **ties, **actor())
    return ("unchanged" if after == before else "updated"), after.username


def _set_password(conn: Connection, username: str, **who: str | None) -> None:
    accounts.set_password(conn, username, request.form.get("password", ""), **who)


def _on_row(change: Callable[..., None], code: str) -> Change:
    def run(conn: Connection, username: str) -> tuple[str, str]:
        change(conn, username, **actor())
        return code, username

    return run


# action in the path -> (the change, which form it is, the fields a refusal gives back)
ACTIONS: dict[str, tuple[Change, str, tuple[str, ...]]] = {
    "update": (_update, "update", UPDATE_FIELDS),
    "password": (_on_row(_set_password, "password"), "password", ()),
    "disable": (_on_row(accounts.disable, "disabled"), "state", ()),
    "enable": (_on_row(accounts.enable, "enabled"), "state", ()),
}


def _apply(engine: Engine, change: Change, form: str, fields: tuple[str, ...], username: str) -> Response:
    try:
        # One transaction: a refusal anywhere leaves neither the change nor its audit event behind.
        with engine.begin() as conn:
            code, subject = change(conn, username)
    except accounts.AccountError as exc:
        typed = {name: request.form.get(name, "")[:ECHO_LIMIT] for name in fields}
        return _users_page(engine, Failure(str(exc), form, username[:ECHO_LIMIT], typed))
    return redirect(f"{ADMIN_PATH}?{urlencode({'ok': code, 'u': subject})}", code=303)


def register(server: Flask, engine: Engine) -> None:
    """The admin routes; after auth.register, whose hook has already said who is asking."""

    # Every template gets the admin pages' paths: the header shows an admin their links on any page.
    @server.context_processor
    def _admin_paths() -> dict[str, Any]:
        return {
            "admin_path": ADMIN_PATH,
            "audit_path": AUDIT_PATH,
            "screens_path": SCREENS_PATH,
            "catalog_roles": roles_that(Action.EDIT_CATALOG),
        }

    # every route under /admin declares Action.ADMIN; the gate (dashboard/web/permissions.py) asks this for the answer
    refuse_under(server, ADMIN_AREA, _refusal)

    @server.after_request
    def _no_store(response: Response) -> Response:
        # Account lists and the log must not stay in a shared or back-button cache.
        if request.path == ADMIN_AREA or request.path.startswith(ADMIN_AREA + "/"):
            response.cache_control.no_store = True
        return response

    @server.route(ADMIN_PATH, methods=["GET", "POST"])
    @requires(Action.ADMIN)
    def admin_users():
        if request.method == "GET":
            return _users_page(engine)
        return _apply(engine, _create, "new", NEW_FIELDS, "")

    @server.post(f"{ADMIN_PATH}/<username>/<action>")
    @requires(Action.ADMIN)
    def admin_user_action(username: str, action: str):
        return _apply(engine, *ACTIONS[action], username) if action in ACTIONS else abort(404)
