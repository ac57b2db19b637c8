"""How often one client may have a deck printed (PDF) or a chart drawn (PNG): each takes the server's Chromium
for a second or more, and 8 anonymous clients looping on PDFs took the API from 26 ms to 5 s without one 429.

Everyone may print a deck they may open, visitors too (a public deck is public), but at most RENDERS_PER_MINUTE
a minute per client, counted for all workers (dashboard/web/ratelimit.py); beyond the few jobs the browser queue
holds (dashboard/render.MAX_WAITING) a request is refused at once with 429, never left waiting on a thread.
"""

from __future__ import annotations

from flask import Flask, Response, request

from dashboard.web.auth import client_address
from dashboard.web.ratelimit import Counter
from layouts.paths import PRESENT_PATH

RENDERS_PER_MINUTE = 6
RENDERED = ("/deck.pdf", ".png")


def is_render(path: str) -> bool:
    return path.startswith(f"{PRESENT_PATH}/") and path.endswith(RENDERED)


def install(server: Flask, counter: Counter) -> None:
    @server.before_request
    def _limit_renders():
        if request.method not in ("GET", "HEAD") or not is_render(request.path):
            return None
        wait = counter.hit(f"render:{client_address()}", RENDERS_PER_MINUTE, 60)
        if wait is None:
            return None
        response = Response(
            f"导出 PDF 和图片太频繁，请稍后再试（每人每分钟最多 {RENDERS_PER_MINUTE} 次）。",
            status=429,
            mimetype="text/plain",
        )
        response.headers["Retry-After"] = str(wait)
        return response
