"""The district's catalog edits (data/catalog_edits.py) as the store has them now, before every request that may
show an indicator: another worker, or the command line, may have changed a name or a visibility since.

One small indexed read on the request's own connection; files (scripts, styles, assets) and health checks skip it.
"""

from __future__ import annotations

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard.web.connections import Connect
from data import catalog_edits
from data.availability import StoreUnavailable
from layouts.paths import HEALTH_PATH, READY_PATH, SCREEN_STATIC_PATH

# Requests that never show an indicator: the framework's bundles, assets and callback list, the wall's files,
# health checks.
FILE_PREFIXES = (
    "/_dash-component-suites/",
    "/assets/",
    "/_favicon.ico",
    "/_reload-hash",
    "/_dash-dependencies",
    SCREEN_STATIC_PATH,
)
FILE_ENDPOINTS = {"static", "_dash_assets.static"}


def install(server: Flask, connect: Connect) -> None:
    @server.before_request
    def _catalog_edits() -> None:
        path = request.path
        if (
            request.endpoint in FILE_ENDPOINTS
            or path in (HEALTH_PATH, READY_PATH)
            or path.startswith(FILE_PREFIXES)
        ):
            return
        try:
            with connect() as conn:
                catalog_edits.refresh(conn)
        except (SQLAlchemyError, StoreUnavailable):
            # the store is down or behind: the route itself says so (the desk its banner, the API its 503)
            return
