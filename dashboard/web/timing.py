"""Server-Timing: each response says how long the server spent on it and how much of that was SQL.

    Server-Timing: db;dur=1.8;desc="3 queries", app;dur=6.2

``app`` is the whole request inside the Flask app, from the WSGI call until the response's headers are sent:
routing, the callback guard, the callback, Dash's JSON encoding and the compression of the body. ``db`` is the
time of the SQL statements the request ran (cursor execute to its return, fetching included for the drivers
that fetch on execute), and their number. Browsers show both in their developer tools, and Chromium hands
them to the page in the Resource Timing API (``performance.getEntriesByType("resource")[i].serverTiming``),
which scripts/bench_desk.py reads to set the server's time beside its queries' time.

The statements are summed into ``flask.g`` of the request that runs them (the engine's events fire in the
request's thread); statements outside a request (start-up, the CLI) are not counted. A streamed response
(downloads) sends its headers before its rows are read: its figures cover only what came before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, g, has_app_context, request, request_started
from sqlalchemy import Engine, event

HEADER = "Server-Timing"
_ENVIRON_KEY = "dashboard.web.timing"


class Tally:
    """The SQL time (seconds) and statement count of one request."""

    __slots__ = ("db", "queries", "started")

    def __init__(self) -> None:
        self.db = 0.0
        self.queries = 0
        self.started: float | None = None

    def header(self, app_seconds: float) -> str:
        noun = "query" if self.queries == 1 else "queries"
        return f'db;dur={self.db * 1000:.1f};desc="{self.queries} {noun}", app;dur={app_seconds * 1000:.1f}'


def _tally() -> Tally | None:
    return g.get("_timing") if has_app_context() else None


def _before(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
    tally = _tally()
    if tally is not None:
        tally.started = time.perf_counter()


def _after(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
    tally = _tally()
    if tally is not None and tally.started is not None:
        tally.db += time.perf_counter() - tally.started
        tally.queries += 1
        tally.started = None


def _start_tally(sender: Flask, **_: Any) -> None:
    g._timing = request.environ.get(_ENVIRON_KEY)


class _Timed:
    """WSGI middleware: starts the clock, and adds the header when the app starts its response.

    Middleware rather than a Flask hook: Flask's after_request hooks run before Flask-Compress compresses the
    body (it registered first, so it runs last), and the clock must include that.
    """

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        tally = environ[_ENVIRON_KEY] = Tally()

        def timed_start_response(status: str, headers: list, *args: Any) -> Callable:
            headers.append((HEADER, tally.header(time.perf_counter() - started)))
            return start_response(status, headers, *args)

        return self.wsgi_app(environ, timed_start_response)


def install(server: Flask, engine: Engine) -> None:
    """Time every request of ``server`` and the SQL it runs on ``engine``."""

    # A signal rather than a before_request hook: it runs before every hook, whichever of them answers early.
    request_started.connect(_start_tally, server)
    event.listen(engine, "before_cursor_execute", _before)
    event.listen(engine, "after_cursor_execute", _after)
    server.wsgi_app = _Timed(server.wsgi_app)  # type: ignore[method-assign]
