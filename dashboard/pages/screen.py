"""The big screen's routes: the page (/screen), its cheap version check, each screen's panels as JSON, and its
own static files. A kiosk link's token (``?kiosk=``) opens these and nothing else, with public figures only,
whatever DASHBOARD_ANONYMOUS says (dashboard/web/auth.py lets such requests through to here, where the token is
checked on every request, so a revoked link stops at the wall's next check)."""

from __future__ import annotations

import json

from flask import Flask, Response, jsonify, render_template, request
from sqlalchemy import Connection, Engine

from callbacks.common import Context
from dashboard import resources
from dashboard.config import Config
from dashboard.content.screen import screen_panels
from dashboard.content.wall import read_wall
from dashboard.web import auth
from dashboard.web.permissions import requires
from data import kiosk, org
from data.access import ANONYMOUS, Action
from data.kiosk import KioskLink
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.store import get_meta
from layouts.format import district_legend
from layouts.paths import SCREEN_PATH
from layouts.screens import BY_NAME, CANVAS, LAYOUTS, RELOAD_SPREAD, SCREENS

STATIC = resources.STATIC
FILES = {
    "screen.js": "application/javascript",
    "screen.css": "text/css",
    "plotly-basic.min.js": "application/javascript",
    # what screen.js and present.js share: the scaled canvas, an element builder
    "canvas.js": "application/javascript",
    # the presenter's (dashboard/pages/present/routes.py): the same static route, so the same plotly bundle
    "present.js": "application/javascript",
    "present.css": "text/css",
}
DISABLED = "此大屏链接已停用"
INVALID = "此大屏链接无效，请向管理员索取新的链接"


def _link(conn: Connection) -> tuple[KioskLink | None, str | None]:
    """The kiosk link the request carries (None without one) and, for a bad one, why it is refused."""
    token = request.args.get("kiosk")
    if token is None:
        return None, None
    link = kiosk.link_for_token(conn, token)
    if link is None:
        return None, INVALID
    if link.revoked:
        return link, DISABLED
    kiosk.seen(conn, link)
    return link, None


def _message_page(message: str, status: int) -> Response:
    body = render_template("screen_message.html", message=message)
    return Response(body, status=status, mimetype="text/html")


def _declared() -> list[dict]:
    """The screens as the browser builds them: names, titles and each panel's kind, title and box."""
    return [
        {
            "name": s.name,
            "title": s.title,
            "panels": [{"kind": p.kind, "title": p.title, "box": p.box.as_dict()} for p in s.panels],
        }
        for s in SCREENS
    ]


def register(server: Flask, engine: Engine, cfg: Config, context: Context) -> None:
    files = {name: (STATIC / name).read_bytes() for name in FILES}

    @server.get(f"{SCREEN_PATH}/static/<name>")
    @requires(Action.OPEN)
    def screen_static(name: str):
        if name not in files:
            return Response("没有这个文件", status=404, mimetype="text/plain")
        response = Response(files[name], mimetype=FILES[name])
        response.cache_control.public = True
        response.cache_control.max_age = 3600
        return response

    @server.get(SCREEN_PATH)
    @requires(Action.WALL)
    def screen_page():
        with engine.begin() as conn:
            link, refused = _link(conn)
            if refused:
                return _message_page(refused, 403)
            dims = dimensions(conn)
            demo = get_meta(conn, "demo") == "true"
            year = cfg.year_to_open(dims.years, get_meta(conn, "default_year"))
            district = org.district_name(conn)
        wall = read_wall(request.args, dims, year, link)
        config = {
            # one screen's canvas (a pane), and the wall layouts that set panes side by side
            "canvas": CANVAS,
            "layouts": [layout.as_dict() for layout in LAYOUTS],
            "layout": wall.layout,
            "screens": _declared(),
            "rotation": list(wall.screens),
            "every": wall.every,
            "check": wall.check,
            "reloadAt": cfg.screen_reload_at or None,
            "reloadSpread": RELOAD_SPREAD,
            "year": wall.year,
            "township": wall.township,
            "department": wall.department,
            "kiosk": request.args.get("kiosk"),
            "notices": list(wall.notices),
            "demo": demo,
            "place": dims.names().get(wall.township or wall.department or "", "全区"),
            "legend": district_legend("乡镇" if wall.township else "部门")
            if wall.township or wall.department
            else None,
            "paths": {"version": f"{SCREEN_PATH}/version", "data": f"{SCREEN_PATH}/data"},
        }
        # Inside a <script> element: what the URL put in a notice must not be able to close it.
        text = json.dumps(config, ensure_ascii=False)
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return render_template("screen.html", config=text, static=f"{SCREEN_PATH}/static", district=district)

    @server.get(f"{SCREEN_PATH}/version")
    @requires(Action.WALL)
    def screen_version():
        # What every wall asks every 30 s: one small read, nothing computed.
        with engine.begin() as conn:
            link, refused = _link(conn)
            version = None if refused else get_meta(conn, "data_version", "0")
        if refused:
            return _no_store(jsonify({"error": refused, "revoked": refused == DISABLED}), 403)
        return _no_store(jsonify({"version": version}), 200)

    @server.get(f"{SCREEN_PATH}/data")
    @requires(Action.WALL)
    def screen_data():
        screen = BY_NAME.get(request.args.get("screen", ""))
        if screen is None:
            return _no_store(jsonify({"error": "没有这个大屏"}), 404)
        with engine.begin() as conn:
            link, refused = _link(conn)
            dims = dimensions(conn)
            year = cfg.year_to_open(dims.years, get_meta(conn, "default_year"))
        if refused:
            return _no_store(jsonify({"error": refused, "revoked": refused == DISABLED}), 403)
        wall = read_wall(request.args, dims, year, link)
        if wall.year is None:
            return _no_store(jsonify({"error": "库中还没有任何年度的数据"}), 404)
        # A wall shows public figures only; a signed-in reader's own screen shows what they may see.
        scope = ANONYMOUS if link is not None else auth.current_scope()
        filters = Filters(
            wall.year,
            departments=(wall.department,) if wall.department else (),
            townships=(wall.township,) if wall.township else (),
            scope=scope,
        )
        return _no_store(jsonify(screen_panels(context, screen, filters)), 200)


def _no_store(response: Response, status: int) -> Response:
    response.status_code = status
    response.cache_control.no_store = True
    return response
