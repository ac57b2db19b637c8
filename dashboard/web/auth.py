"""Signing in and out, and who each request is: from the session cookie or an API token, never from anything
else the browser sends.

Every request starts here (a ``before_request``): the reader's account and scope are put in ``flask.g`` and
:func:`current_scope` hands the scope to the callbacks (Context.scope), the API and the downloads, which pass it
into the query layer's filters. What the reader may then do is the permission gate's (dashboard/web/permissions.py):
with ``DASHBOARD_ANONYMOUS=none`` a visitor reaches only the routes declared open (the sign-in page, health checks,
scripts) and a wall's kiosk link.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, jsonify, redirect, render_template, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.web.connections import Connect
from dashboard.web.permissions import requires
from dashboard.web.scripts import serve_script
from dashboard.web.security import SESSION_COOKIE
from data import accounts
from data.access import ANONYMOUS, ROLE_SCOPE, Action, Scope
from data.writes import personal
from layouts.paths import LOGIN_PATH, LOGIN_SCRIPT_PATH, LOGOUT_PATH, MINE_PATH

log = logging.getLogger("dashboard.web.auth")

# Reachable without signing in whatever DASHBOARD_ANONYMOUS says: the sign-in page and what it loads, the
# program's own scripts (public code, no data), and the health routes that proxies and monitors ask. Requests for
# these are not even identified: a page load asks for some twenty of them, each a session lookup otherwise.
OPEN_PREFIXES = ("/assets/", "/_favicon", "/_dash-component-suites/")
# The longest field the form reads; longer is refused before any work (a password is hashed, and that costs).
MAX_FIELD = max(accounts.MAX_PASSWORD, accounts.MAX_USERNAME)
# After this long without an answer the sign-in page says the server is busy (a sign-in waits out a publish
# holding SQLite's write lock, data/writes.py); a sign-in normally answers within half a second.
SLOW_SIGN_IN_MS = 3000


def current_scope() -> Scope:
    """The scope of the request being served (anonymous outside a request)."""
    return g.get("scope", ANONYMOUS) if has_request_context() else ANONYMOUS


def refusal_status() -> int:
    """The status of a refusal: 401 when nobody signed in (sign in, or send a token), 403 when someone did."""
    return 403 if current_scope().signed_in else 401


def current_account() -> accounts.Account | None:
    return g.get("account") if has_request_context() else None


def client_address() -> str | None:
    # ProxyFix (DASHBOARD_PROXIES) has already put the client's address here when a proxy is in front.
    return (request.remote_addr or "")[:64] or None


def landing(account: accounts.Account) -> str:
    """Where an account goes after signing in: a department or township head to their own figures (MINE_PATH)."""
    return MINE_PATH if ROLE_SCOPE.get(account.role) else "/"


def safe_next(target: str | None) -> str | None:
    """A path on this site to go back to after signing in, or None (never another site: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if target.startswith(LOGIN_PATH) or len(target) > 2000 or not target.isprintable():
        return None
    return target


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _identify(connect: Connect, cfg: Config) -> Response | None:
    """Who is asking: a token (API clients) or the session cookie (browsers), else nobody."""
    g.scope, g.account = ANONYMOUS, None
    if request.path.startswith(OPEN_PREFIXES):
        return None
    token = _bearer()
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and not cookie:
        return None
    if token is not None and len(token) > 200 or cookie is not None and len(cookie) > 200:
        account = None
    else:
        # the request's connection, which its callback goes on to use (dashboard/web/connections.py)
        with connect() as conn:
            if token is not None:
                account = accounts.token_account(conn, token)
            else:
                account = accounts.session_account(conn, cookie, idle_seconds=cfg.session_idle_hours * 3600)
            scope = accounts.scope_of(conn, account) if account else ANONYMOUS
            conn.commit()
    if account is None:
        if token is not None:
            return _unauthorized("令牌无效、已过期或已被吊销")
        # A cookie that no longer names a session (timed out, signed out elsewhere): carry on as a visitor and
        # let the browser forget it.
        g.forget_cookie = True
        return None
    g.scope, g.account = scope, account
    return None


def _unauthorized(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response


def _login_page(message: str | None = None, username: str = "", status: int = 200, next_path: str = ""):
    body = render_template(
        "login.html", message=message, username=username[: accounts.MAX_USERNAME], next_path=next_path
    )
    return Response(body, status=status, mimetype="text/html")


def _set_cookie(response: Response, cfg: Config, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="Lax",
        secure=cfg.secure_cookies,
        path="/",
    )


def _sign_in(engine: Engine, cfg: Config) -> Response:
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    next_path = safe_next(request.form.get("next")) or ""
    if not username or not password:
        return _login_page("请输入用户名和密码", username, 400, next_path)
    if len(username) > MAX_FIELD or len(password) > MAX_FIELD:
        return _login_page("用户名或密码错误", "", 401, next_path)
    address = client_address()
    # waits out a publish holding SQLite's write lock rather than answering 503 (data/writes.py)
    with personal(engine) as conn:
        try:
            account = accounts.authenticate(conn, username, password, address=address)
        except accounts.Throttled as exc:
            conn.commit()
            response = _login_page(str(exc), username, 429, next_path)
            response.headers["Retry-After"] = str(max(1, exc.wait_seconds))
            return response
        except accounts.AccountError as exc:
            # the failure is kept even though the sign-in is not: it counts towards the limit
            conn.commit()
            return _login_page(str(exc), username, 401, next_path)
        token = accounts.start_session(conn, account, address=address)
        conn.commit()
    response = redirect(next_path or landing(account), code=303)
    _set_cookie(response, cfg, token)
    return response


def _sign_out(engine: Engine) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and len(cookie) <= 200:
        with personal(engine) as conn, conn.begin():
            accounts.end_session(conn, cookie, address=client_address())
    response = redirect(LOGIN_PATH, code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def register(server: Flask, engine: Engine, cfg: Config, connect: Connect) -> None:
    # who is asking; what they may do is the permission gate's (dashboard/web/permissions.py), which follows
    @server.before_request
    def _who():
        return _identify(connect, cfg)

    @server.context_processor
    def _template_values() -> dict:
        # The server-rendered pages (sign-in, admin) take their paths and limits from where they are declared.
        return {
            "login_path": LOGIN_PATH,
            "logout_path": LOGOUT_PATH,
            "max_username": accounts.MAX_USERNAME,
            "max_password": accounts.MAX_PASSWORD,
            "login_script": LOGIN_SCRIPT_PATH,
            "slow_after_ms": SLOW_SIGN_IN_MS,
        }

    @server.after_request
    def _forget(response: Response) -> Response:
        # Unless this very answer starts a new session (a sign-in with a stale cookie in the browser): deleting
        # the cookie it just set would leave the person signed out.
        starts = any(h.startswith(f"{SESSION_COOKIE}=") for h in response.headers.getlist("Set-Cookie"))
        if g.get("forget_cookie") and not starts:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    @requires(Action.OPEN)
    def login():
        if request.method == "POST":
            return _sign_in(engine, cfg)
        account = current_account()
        next_path = safe_next(request.args.get("next")) or ""
        if account is not None:
            return redirect(next_path or landing(account), code=303)
        return _login_page(next_path=next_path)

    serve_script(server, LOGIN_SCRIPT_PATH, "login.js")

    @server.post(LOGOUT_PATH)
    @requires(Action.OPEN)
    def logout():
        return _sign_out(engine)
