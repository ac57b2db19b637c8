"""The gate's wiring: which action Dash's and Flask's own routes need, and who may do an action now (the reader's
scope, a wall's kiosk link, a page's form only from the signed-in browser). dashboard/web/permissions.py holds the
mechanism; this is where the app decides.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import Dash
from flask import request

from dashboard.api.shapes import PREFIX
from dashboard.config import Config
from dashboard.web import auth, guard, permissions
from dashboard.web.security import SESSION_COOKIE
from data.access import Action

# Dash's and Flask's own routes (their view functions are not ours): endpoint -> the action each needs. The desk's
# pages and callbacks show figures (each callback reads within the reader's scope); bundles and assets are open.
FRAMEWORK_ROUTES: dict[str, Action] = {
    "/": Action.READ_FIGURES,
    "/<path:path>": Action.READ_FIGURES,
    "/_dash-layout": Action.READ_FIGURES,
    "/_dash-dependencies": Action.READ_FIGURES,
    "/_dash-update-component": Action.READ_FIGURES,
    "/_dash-component-suites/<string:package_name>/<path:fingerprinted_path>": Action.OPEN,
    "/_favicon.ico": Action.OPEN,
    "/_reload-hash": Action.OPEN,
    "_dash_assets.static": Action.OPEN,
    "static": Action.OPEN,
}


def changes_a_page() -> bool:
    """A form posted to a page: not a read, not the API, not Dash's own requests."""
    path = request.path
    return request.method not in ("GET", "HEAD", "OPTIONS") and not (
        path.startswith(PREFIX) or guard.answers_in_json(path)
    )


def in_browser() -> bool:
    """Signed in through the browser's session cookie, not an API token."""
    return "Authorization" not in request.headers and bool(request.cookies.get(SESSION_COOKIE))


def install(app: Dash, cfg: Config) -> tuple[Callable[[Action], bool], Callable[[], bool]]:
    """The gate of every route and callback (dashboard/web/permissions.py), after the reader is identified."""
    server = app.server
    for endpoint, action in FRAMEWORK_ROUTES.items():
        permissions.declare(server, endpoint, action)
    public = cfg.anonymous == "public"

    def allowed(action: Action) -> bool:
        # a wall's kiosk link reads the wall without an account; the wall's routes check its token themselves
        if action is Action.WALL and request.args.get("kiosk"):
            return True
        if action is not Action.OPEN and changes_a_page() and not in_browser():
            # a token reads pages; a change submitted on a page needs the signed-in browser, whose session the
            # cross-site check covers (programs change things through the API)
            return False
        return auth.current_scope().may(action, anonymous_public=public)

    def signed_in() -> bool:
        return auth.current_scope().signed_in

    permissions.install(server, allowed=allowed, signed_in=signed_in, api_prefix=PREFIX)
    return allowed, signed_in
