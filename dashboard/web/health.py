"""Health for operators and proxies: /healthz (the process answers), /readyz (the store answers and is current),
and a 503 instead of a 500 wherever the store cannot be reached."""

from __future__ import annotations

from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from flask import Flask, Response, jsonify, request
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from dashboard.web.permissions import requires
from data.access import Action
from data.availability import StoreUnavailable, first_line
from data.store import get_meta, head_revision
from layouts.paths import HEALTH_PATH, READY_PATH

# Seconds a client should wait before asking again while the store is down.
RETRY_AFTER = 5


@lru_cache(maxsize=1)
def _head() -> str:
    return head_revision()


def readiness(engine: Engine) -> tuple[dict, int]:
    """(body, status): 200 when the store answers and its schema is the program's, else 503 with the reason."""
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            version = get_meta(conn, "data_version", "0") if current else None
    except StoreUnavailable as exc:
        return {"status": "unavailable", "error": str(exc)}, 503
    except DBAPIError as exc:
        return {"status": "unavailable", "error": f"数据库出错：{first_line(exc.orig or exc)}"}, 503
    if current is None:
        return {"status": "unavailable", "error": "数据库尚未初始化：请运行 dashboard init"}, 503
    if current != _head():
        reason = f"数据库结构版本 {current} 与程序（{_head()}）不一致：请运行 dashboard init 升级"
        return {"status": "unavailable", "error": reason}, 503
    return {"status": "ready", "schema": current, "data_version": str(version or "0")}, 200


def register(server: Flask, engine: Engine) -> None:
    @server.get(HEALTH_PATH)
    @requires(Action.OPEN)
    def healthz():
        return jsonify({"status": "ok"})

    @server.get(READY_PATH)
    @requires(Action.OPEN)
    def readyz():
        body, status = readiness(engine)
        response = jsonify(body)
        response.status_code = status
        response.cache_control.no_store = True
        if status == 503:
            response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @server.errorhandler(StoreUnavailable)
    def _store_unavailable(exc: StoreUnavailable):
        if request.path.startswith("/api/"):
            response = jsonify({"error": str(exc)})
        else:
            response = Response(str(exc), mimetype="text/plain; charset=utf-8")
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
