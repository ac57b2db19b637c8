"""Answers meant for one reader are never kept by a cache on the way (a proxy, the browser's disk, the back
button of a shared office PC): ``Cache-Control: private, no-store``.

Private: whatever a signed-in reader or a token gets (their figures, decks, /data), every callback answer (it
depends on the session), the records and their downloads, and the kiosk page (its token is in the URL). A
response that says how it may be cached itself (static files, the plotly bundle) keeps its own header; an
anonymous visitor's public figures stay cacheable.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from layouts import records as view
from layouts.paths import API_PREFIX, API_RECORDS, DATA_PATH

PRIVATE = "private, no-store"
PRIVATE_PATHS = (
    "/_dash-update-component",
    API_PREFIX + API_RECORDS,
    view.DOWNLOAD_PATH.split("records")[0],
    DATA_PATH,
)


def is_private() -> bool:
    if g.get("account") is not None or request.headers.get("Authorization"):
        return True
    if "kiosk" in request.args:
        return True
    return request.path.startswith(PRIVATE_PATHS)


def install(server: Flask) -> None:
    @server.after_request
    def _private(response: Response) -> Response:
        if "Cache-Control" not in response.headers and is_private():
            response.headers["Cache-Control"] = PRIVATE
        return response
