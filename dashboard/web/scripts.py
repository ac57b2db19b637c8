"""A page's own script (dashboard/static), served at the path the route table declares: read once at start,
cached by browsers for SCRIPT_MAX_AGE (a release changes the file and the process). The Content-Security-Policy
runs no inline script, so every server-rendered page that needs a few lines of behaviour gets a file of its own.
"""

from __future__ import annotations

from flask import Flask, Response

from dashboard import resources
from dashboard.web.permissions import requires
from data.access import Action

SCRIPT_MAX_AGE = 300  # seconds


def serve_script(server: Flask, path: str, name: str, action: Action = Action.OPEN) -> None:
    """Answer GET ``path`` with dashboard/static/``name``, for readers who may ``action``."""
    body = (resources.STATIC / name).read_bytes()

    def script() -> Response:
        response = Response(body, mimetype="application/javascript")
        response.cache_control.max_age = SCRIPT_MAX_AGE
        return response

    server.add_url_rule(path, endpoint=f"script:{name}", view_func=requires(action)(script), methods=["GET"])
