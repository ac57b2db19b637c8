"""The app factory: one Dash app (and its Flask server) over one store."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dash
from dash import Dash
from sqlalchemy import Engine

from callbacks import overview as overview_callbacks
from dashboard import api, guard
from dashboard.config import Config, from_env, merge
from data.queries.dimensions import dimensions
from data.store import get_meta, open_engine, require_current
from layouts import overview
from layouts.shell import TITLE, shell

ASSETS = Path(__file__).resolve().parent.parent / "assets"

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


def store_state(engine: Engine, config: Config) -> dict[str, Any]:
    """What the shell shows about the store: its years, the year to open on, whether it is demo data."""
    with engine.connect() as conn:
        years = dimensions(conn).years
        demo = get_meta(conn, "demo") == "true"
        stored_default = get_meta(conn, "default_year")
    year = config.default_year or (int(stored_default) if stored_default else None)
    if year not in years:
        year = years[-1] if years else None
    return {"years": years, "year": year, "demo": demo}


class DashboardDash(Dash):
    def interpolate_index(self, **kwargs: Any) -> str:
        # Dash's placeholder text before the first render is English; the interface is Chinese throughout.
        return super().interpolate_index(**kwargs).replace("Loading...", "正在加载……")


def create_app(config: Config | Mapping[str, Any] | None = None) -> Dash:
    """Build the app; ``config`` is a Config, or settings that override the environment's."""
    cfg = config if isinstance(config, Config) else merge(from_env(), config)
    cfg.prepare()
    engine = open_engine(cfg.resolved_database_url())
    require_current(engine)

    app = DashboardDash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=TITLE,
        update_title=None,
        compress=True,
        serve_locally=True,
        index_string=INDEX,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.server.config["DASHBOARD"] = cfg
    app.server.extensions["dashboard.engine"] = engine
    dash.register_page("overview", path="/", name="总览", title=TITLE, layout=overview.layout)
    # A function, so each page load shows the store as it is now (years added, demo data replaced).
    app.layout = lambda: shell(**store_state(engine, cfg))
    overview_callbacks.register(app, engine)
    api.register(app.server, engine)
    guard.install(app)
    return app
