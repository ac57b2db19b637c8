"""The app factory: one Dash app (and its Flask server) over one store."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from dash import Dash, html
from flask import Flask, Response, request
from flask_caching import Cache
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from callbacks import area as area_callbacks
from callbacks import errors as callback_errors
from callbacks import mine as mine_callbacks
from callbacks import overview as overview_callbacks
from callbacks import records as records_callbacks
from callbacks import shell as shell_callbacks
from callbacks.common import Context
from dashboard import resources
from dashboard.api import imports as api_imports
from dashboard.api import routes as api
from dashboard.config import Config, from_env, merge
from dashboard.jobs import make_jobs
from dashboard.pages import first_steps
from dashboard.pages import mine as mine_pages
from dashboard.pages import screen as screen_routes
from dashboard.pages.admin import alerts as admin_alerts
from dashboard.pages.admin import audit as admin_audit
from dashboard.pages.admin import catalog as admin_catalog
from dashboard.pages.admin import org as admin_org
from dashboard.pages.admin import screens as admin_screens
from dashboard.pages.admin import users as admin
from dashboard.pages.data import page as data_page
from dashboard.pages.data import reporting as data_reporting
from dashboard.pages.data import routes as data_routes
from dashboard.pages.desk import downloads
from dashboard.pages.present import layout as deck_layout_routes
from dashboard.pages.present import routes as present_routes
from dashboard.pages.present import snapshots as snapshot_routes
from dashboard.pages.present import texts as deck_text_routes
from dashboard.pages.supervise import routes as supervise_routes
from dashboard.web import (
    auth,
    catalog_sync,
    connections,
    converters,
    export_limits,
    gate,
    guard,
    health,
    logs,
    permissions,
    private_cache,
    security,
    timing,
)
from dashboard.web.ratelimit import make_counter
from data import org, supervision
from data.access import ROLE_ACTIONS, ROLE_SCOPE, ROLES, Action, Scope
from data.accounts import Account
from data.availability import Availability, StoreUnavailable
from data.engine import open_engine
from data.queries.dimensions import dimensions
from data.store import get_meta, require_current
from layouts import area, mine, overview, paths
from layouts.areas import AREA_PAGES
from layouts.shell import TITLE, shell

log = logging.getLogger("dashboard")

ASSETS = resources.ASSETS

INDEX = """<!DOCTYPE html>
<html lang="zh-CN">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


# plotly.js's partial bundle with scatter, bar and pie (plotly.js-basic-dist-min 4.1.1, the plotly.js of
# plotly 7.1.0): 0.4 MB on the wire instead of 1.4 MB for the full bundle, which the desk does not need.
PLOTLY_BASIC = resources.STATIC / "plotly-basic.min.js"


def serve_basic_plotly(server: Flask) -> None:
    """Answer dcc.Graph's request for plotly.js with the basic bundle (dcc asks for it by a fixed path)."""
    body = PLOTLY_BASIC.read_bytes()

    @server.before_request
    def _plotly():
        path = request.path
        if path.startswith("/_dash-component-suites/plotly/package_data/plotly") and path.endswith(".js"):
            response = Response(body, mimetype="application/javascript")
            response.cache_control.public = True
            response.cache_control.max_age = 365 * 24 * 3600
            return response
        return None


class DashboardDash(Dash):
    def interpolate_index(self, **kwargs: Any) -> str:
        # Dash's placeholder text before the first render is English; the interface is Chinese throughout.
        return super().interpolate_index(**kwargs).replace("Loading...", "正在加载……")


def account_view(account: Account | None, scope: Scope, names: dict[str, str], inbox: int = 0) -> dict | None:
    """What the header shows about the signed-in account (layouts/shell.py account_bar); ``inbox``: how many
    follow-ups wait for this reader (data/supervision.inbox_count)."""
    if account is None:
        return None
    tied = ROLE_SCOPE.get(account.role)
    code = scope.department if tied == "department" else scope.township if tied == "township" else None
    return {
        "name": account.name,
        "role": ROLES[account.role],
        "tied": names.get(code, code) if code else None,
        "mine": tied,
        "data": Action.UPLOAD in ROLE_ACTIONS[account.role],
        "admin": Action.ADMIN in ROLE_ACTIONS[account.role],
        "catalog": Action.EDIT_CATALOG in ROLE_ACTIONS[account.role],
        "inbox": inbox,
    }


def store_state(engine: Engine, config: Config) -> dict[str, Any]:
    """What the shell shows about the store: years, departments, townships, the year to open on, demo or not."""
    with engine.connect() as conn:
        dims = dimensions(conn)
        demo = get_meta(conn, "demo") == "true"
        stored_default = get_meta(conn, "default_year")
        district = org.district_name(conn)
        scope = auth.current_scope()
        inbox = supervision.inbox_count(conn, scope) if scope.signed_in else 0
    return {
        "district": district,
        "years": dims.years,
        "year": config.year_to_open(dims.years, stored_default),
        "demo": demo,
        "departments": dims.departments,
        "townships": dims.townships,
        "account": account_view(auth.current_account(), scope, dims.names(), inbox),
    }


def app_title(engine: Engine) -> str:
    """The product's title after the district's name (本区 until one is set); alone while the store is down."""
    try:
        with engine.connect() as conn:
            return f"{org.district_name(conn)}{TITLE}"
    except (StoreUnavailable, DBAPIError):
        return TITLE


def serving_engine(cfg: Config, availability: Availability) -> Engine:
    """The store as the app uses it: time limits, no file created, and a store that is down now is not fatal.

    A store that answers but is not initialised or is behind the code is refused: that needs `dashboard init`,
    not waiting. One that does not answer may be restarting; the app starts and says so until it is back.
    """
    url = cfg.resolved_database_url()
    engine = open_engine(url, timeout=cfg.db_timeout, availability=availability, check=False)
    try:
        require_current(engine)
    except StoreUnavailable as exc:
        log.warning("启动时无法连接数据库，先以“暂时无法连接”状态运行：%s", exc)
    return engine


PATHS = {name: value for name, value in vars(paths).items() if name.isupper()}


def create_app(config: Config | Mapping[str, Any] | None = None) -> Dash:
    """Build the app; ``config`` is a Config, or settings that override the environment's."""
    cfg = config if isinstance(config, Config) else merge(from_env(), config)
    cfg.prepare()
    availability = Availability()
    engine = serving_engine(cfg, availability)

    app = DashboardDash(
        __name__,
        assets_folder=str(ASSETS),
        title=TITLE,
        update_title=None,
        compress=True,
        serve_locally=True,
        index_string=INDEX,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        on_error=callback_errors.handle,
        # Dash's MCP server runs callbacks outside /_dash-update-component; DASH_MCP_ENABLED must not open it.
        enable_mcp=False,
    )
    app.server.config["DASHBOARD"] = cfg
    converters.install(app.server)
    # how often a client may do something, counted for every worker at once (Redis or the instance folder)
    counter = app.server.extensions["dashboard.counter"] = make_counter(cfg)
    if cfg.proxies:
        # The client's address (per-client limits, the request log) is the one the proxies were given.
        app.server.wsgi_app = ProxyFix(app.server.wsgi_app, x_for=cfg.proxies, x_proto=cfg.proxies)
    app.server.extensions["dashboard.engine"] = engine
    cache = Cache(app.server, config=cfg.cache_settings())
    connect = connections.install(app.server, engine)
    context = Context(engine=engine, cache=cache, scope=auth.current_scope, connect=connect)

    # A function, so each page load shows the store as it is now (years added, demo data replaced).
    def page() -> html.Div:
        try:
            return shell(**store_state(engine, cfg))
        except StoreUnavailable as exc:
            return shell(years=[], year=None, demo=False, departments=[], townships=[], banner=str(exc))

    app.layout = page
    # Every page's components, so that callback validation knows ids that only appear after routing.
    app.validation_layout = html.Div(
        [
            shell(years=[], year=None, demo=True, departments=[], townships=[]),
            overview.layout(),
            mine.layout(),
            *[area.layout(page) for page in AREA_PAGES],
        ]
    )

    shell_callbacks.register(app)
    overview_callbacks.register(app, context)
    area_callbacks.register(app, context)
    records_callbacks.register(app, context)
    mine_callbacks.register(app, context)
    security.install(app)  # after the callbacks (its script hashes), before the other request hooks
    private_cache.install(app.server)
    export_limits.install(app.server, counter)
    logs.install_request_log(app.server)
    timing.install(app.server, engine)
    # before every route of the app's own: who is asking, and whether a visitor may ask at all
    auth.register(app.server, engine, cfg, connect)
    allowed, signed_in = gate.install(app, cfg)
    # every server-rendered page links through the one route table
    app.server.context_processor(lambda: {"paths": PATHS})
    # and is titled, as the desk is, with the district's name
    app.server.context_processor(lambda: {"app_title": app_title(engine)})
    admin.register(app.server, engine)
    first_steps.register(app.server, engine)
    admin_screens.register(app.server, engine)  # under /admin/: admin.register's hooks cover it
    admin_org.register(app.server, engine, cfg.report_day)  # likewise
    admin_catalog.register(app.server, engine)  # likewise (its routes declare EDIT_CATALOG)
    admin_alerts.register(app.server, engine)  # likewise
    admin_audit.register(app.server, engine)  # likewise
    health.register(app.server, engine)
    downloads.register(app.server, engine, counter)
    mine_pages.register(app.server, engine, cfg)
    jobs = make_jobs(cfg, engine)
    app.server.extensions["dashboard.jobs"] = jobs
    data_routes.register(app.server, engine, cfg, jobs)
    data_page.register(app.server, engine, cfg, jobs)
    data_reporting.register(app.server, engine, cfg)
    screen_routes.register(app.server, engine, cfg, context)
    present_routes.register(app.server, engine, cfg)
    snapshot_routes.register(app.server, engine, cfg)
    deck_text_routes.register(app.server, engine, cfg)
    deck_layout_routes.register(app.server, engine, cfg)
    supervise_routes.register(app.server, engine, cfg)
    api.register(app.server, engine, cfg, jobs)
    limit = data_routes.body_limit(cfg)
    replies = supervise_routes.reply_limit(cfg)
    guard.install(
        app,
        uploads={
            data_routes.UPLOAD_PATH: limit,
            api_imports.PATH: limit,
            paths.SUPERVISION_REPLY_PATH: replies,
            paths.API_SUPERVISION_REPLIES_PATH: replies,
        },
    )
    # after the guard, which answers a malformed callback request with 400 before its action is looked up
    permissions.install_callbacks(app, allowed, signed_in)
    # the district's catalog edits over the catalog file, as the store has them now, before any view reads them;
    # last, so that a request refused by the hooks above costs no read
    catalog_sync.install(app.server, connect)
    serve_basic_plotly(app.server)
    # Dash registers its script bundles on the first request, and marks that done before it is: under a
    # threaded server (gunicorn --threads) a concurrent first request for a bundle then fails. Do it now.
    with app.server.test_request_context("/"):
        app._setup_server()
    return app
