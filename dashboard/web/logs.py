"""Logging: one configuration for every way the app runs, and one log line per request.

``configure()`` is called once per process by its entry point (the `dashboard` command, dashboard/wsgi.py), and
gunicorn.conf.py hands the same ``settings()`` to gunicorn, so that gunicorn's own messages look like the app's.
The app factory does not configure logging: tests build many apps in one process.
"""

from __future__ import annotations

import logging
import logging.config
import re
import sys
import time
from typing import Any

from flask import Flask, Response, g, request, request_finished, request_started

REQUEST_LOGGER = "dashboard.request"
FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"

request_log = logging.getLogger(REQUEST_LOGGER)
_configured = False
# What may not go into a log line as it is: a CR or LF in a path (%0D%0A decoded) would start a forged line.
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` for a log line: controls, spaces and line separators percent-encoded, as in a URL."""
    return _UNPRINTABLE.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode("utf-8")), text)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record is written (systemd's journal reads it)."""

    # A handler that kept the stream it was built with would write to a closed file once someone swapped
    # sys.stderr (pytest's capture does, per test).
    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def settings() -> dict[str, Any]:
    """The ``logging.config.dictConfig`` settings: the app's INFO and up, other libraries' WARNING and up."""
    return {
        "version": 1,
        # Loggers created before this runs (SQLAlchemy's, gunicorn's) keep working.
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": FORMAT}},
        "handlers": {"stderr": {"()": StderrHandler, "formatter": "line"}},
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {
            # Flask's app logger ("dashboard.app", errors with their traceback) and the request line.
            "dashboard": {"level": "INFO"},
            # gunicorn's own messages (workers booting, timeouts) through the handler above, at --log-level.
            "gunicorn.error": {"propagate": True},
            # The request line above is the access log under every server; gunicorn's would repeat it.
            "gunicorn.access": {"level": "CRITICAL", "propagate": False},
        },
    }


def configure() -> None:
    """Apply ``settings()``; later calls in the same process do nothing."""
    global _configured
    if _configured:
        return
    logging.config.dictConfig(settings())
    _configured = True


def install_request_log(server: Flask) -> None:
    """Log one line per request: method, path, status and milliseconds (to the response's headers)."""
    # Signals, not before/after_request hooks: they wrap the whole dispatch whatever hooks return early
    # (the plotly.js bundle, the callback guard) and see the response after every after_request hook.
    request_started.connect(_started, server)
    request_finished.connect(_finished, server)


def _started(sender: Flask, **_: Any) -> None:
    request.environ["dashboard.started"] = time.perf_counter()


def _finished(sender: Flask, response: Response, **_: Any) -> None:
    started = request.environ.get("dashboard.started")
    ms = (time.perf_counter() - started) * 1000 if started is not None else float("nan")
    # who asked, when someone signed in did (dashboard/web/auth.py puts the account in g): an operator reading the
    # log can tell a department's traffic from a visitor's without the audit log
    account = g.get("account")
    user = account.username if account is not None else None
    method, path = printable(request.method), printable(request.path)
    fields = {"method": method, "path": path, "status": response.status_code, "ms": ms}
    if user is None:
        request_log.info("%s %s %d %.1f ms", method, path, response.status_code, ms, extra=fields)
        return
    request_log.info(
        "%s %s %d %.1f ms user=%s",
        method,
        path,
        response.status_code,
        ms,
        user,
        extra={**fields, "user": user},
    )
