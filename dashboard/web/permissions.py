"""Every route states the action it needs where it is declared, and one gate enforces it before the view runs.

As Superset's ``@protect()`` and Datasette's ``ensure_permission``: a view is declared with ``@requires(action)``
(an :class:`data.access.Action`); routes whose view functions are not ours (Dash's, Flask's static files) are
declared by endpoint with :func:`declare`. The gate (a ``before_request`` installed after the reader is
identified, dashboard/web/auth.py) answers a request whose reader may not do the action: 401 JSON for the API,
the sign-in page for a visitor, 403 for a signed-in reader of the wrong role. A route with no declaration is
refused (403) and logged, so a forgotten one fails closed; tests/test_permissions.py walks ``url_map`` and
fails on any such route. Finer checks (one's own batch, a snapshot's owner) stay in the views.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlencode

from dash import Dash
from flask import Flask, Response, jsonify, redirect, request

from dashboard.web.guard import answers_in_json
from data.access import Action, declare_action, declared_action
from layouts.paths import LOGIN_PATH

log = logging.getLogger(__name__)

# the server's table of endpoints declared by name (views that are not ours): endpoint -> action
EXTENSION = "dashboard.permissions"
# the server's refusers by path prefix: each area answers a refusal in its own words and shape
REFUSERS = "dashboard.refusers"

# the attribute a view carries its own refuser in (a route that answers in a shape its area's refuser does not)
REFUSE = "refuse_action"

Refuser = Callable[[Action], "Response | tuple | None"]
View = TypeVar("View", bound=Callable)


def requires(action: Action, refuse: Refuser | None = None) -> Callable[[View], View]:
    """Declare the action a view needs, and optionally how this route says no (else its area's refuser, see
    :func:`refuse_under`); put it under the route decorator so the route registers the declared view."""

    def mark(view: View) -> View:
        declare_action(view, action)
        setattr(view, REFUSE, refuse)
        return view

    return mark


def declare(server: Flask, endpoint: str, action: Action) -> None:
    """Declare the action of a route whose view function is not ours (Dash's routes, static files)."""
    server.extensions.setdefault(EXTENSION, {})[endpoint] = action


def refuse_under(server: Flask, prefix: str, refuser: Refuser) -> None:
    """Let the area under ``prefix`` answer its own refusals (its page, its JSON); None falls back to the gate's."""
    server.extensions.setdefault(REFUSERS, []).append((prefix, refuser))
    server.extensions[REFUSERS].sort(key=lambda pair: len(pair[0]), reverse=True)


def required(server: Flask, endpoint: str | None) -> Action | None:
    """The action declared for ``endpoint``, or None when it has none."""
    if endpoint is None:
        return None
    declared = server.extensions.get(EXTENSION, {})
    if endpoint in declared:
        return declared[endpoint]
    return declared_action(server.view_functions.get(endpoint))


def install(
    server: Flask, allowed: Callable[[Action], bool], signed_in: Callable[[], bool], api_prefix: str
) -> None:
    """The gate: ``allowed(action)`` says whether the current reader may; the area's refuser shapes the answer."""

    @server.before_request
    def _gate() -> Response | tuple | None:
        if request.endpoint is None:  # no route: Flask answers 404 itself
            return None
        if request.method == "OPTIONS":  # answered by Flask with the route's methods, no view runs
            return None
        action = required(server, request.endpoint)
        if action is None:
            log.error("路由 %s（%s）没有声明所需权限，已拒绝", request.path, request.endpoint)
            return _refused(403, UNDECLARED, api_prefix)
        if allowed(action):
            return None
        own = getattr(server.view_functions.get(request.endpoint), REFUSE, None)
        answer = own(action) if own is not None else None
        if answer is not None:
            return answer
        for prefix, refuser in server.extensions.get(REFUSERS, []):
            if request.path == prefix or request.path.startswith(prefix.rstrip("/") + "/"):
                answer = refuser(action)
                if answer is not None:
                    return answer
                break
        who = signed_in()
        return _refused(403 if who else 401, REFUSED if who else SIGN_IN, api_prefix)


UNDECLARED = "此地址没有声明所需权限，已拒绝"
REFUSED = "无权执行此操作"
# What a program (or the page's own requests) is told when it must sign in first.
SIGN_IN = "请先登录（浏览器会话或 Authorization: Bearer 令牌）"


def _refused(status: int, message: str, api_prefix: str) -> Response | tuple:
    if request.path.startswith(api_prefix) or answers_in_json(request.path):
        return _json(status, message)
    if status == 401:
        # a visitor on a page signs in and comes back to it (a form's POST comes back to its page by GET)
        query = request.query_string.decode("utf-8", "replace")
        back = request.path + ("?" + query if query else "")
        return redirect(f"{LOGIN_PATH}?{urlencode({'next': back})}", code=303)
    return Response(message, status, mimetype="text/plain")


def _json(status: int, message: str) -> tuple[Response, int]:
    # the API's error shape (dashboard/api/routes.py); a 401 names the scheme, as RFC 9110 asks
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response, status


CALLBACKS = "/_dash-update-component"


def install_callbacks(app: Dash, allowed: Callable[[Action], bool], signed_in: Callable[[], bool]) -> None:
    """Each server callback's declared action (callbacks/common.needs), checked on every callback request; a
    request for an unknown callback is left to the guard (dashboard/web/guard.py), which refuses it."""

    @app.server.before_request
    def _callback_gate() -> tuple | None:
        if request.path != CALLBACKS or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        output = body.get("output") if isinstance(body, dict) else None
        spec = app.callback_map.get(output) if isinstance(output, str) else None
        if spec is None or "callback" not in spec:
            return None
        action = declared_action(spec["callback"])
        if action is None:
            log.error("回调 %s 没有声明所需权限，已拒绝", output)
            return _json(403, UNDECLARED)
        if allowed(action):
            return None
        return _json(403 if signed_in() else 401, REFUSED if signed_in() else SIGN_IN)
