"""Security headers on every response, and cross-site requests that change something refused.

The Content-Security-Policy allows scripts only from this server plus the inline scripts Dash itself writes
into the page, by hash: an injected ``<script>`` or ``onclick=`` does not run. Everything the desk loads comes
from this server (offline intranets, no CDN), so ``'self'`` is the whole allow-list.

Cross-site request forgery: a page on another site can make a signed-in reader's browser post to this one
(a callback, /logout, an admin form). Browsers say where such a request comes from (Origin, else Referer); a
request that says another origin is refused before anything reads its body.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from dash import Dash
from flask import Response, jsonify, request

from dashboard.web.guard import answers_in_json
from dashboard.web.logs import printable

log = logging.getLogger("dashboard.web.security")

# The session cookie's name (dashboard/web/auth.py sets it at sign-in).
SESSION_COOKIE = "fazhi_session"
REFUSED = "跨站请求已拒绝"
# Methods a browser may send cross-site without a preflight and that change nothing here.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def content_security_policy(script_hashes: list[str]) -> str:
    """The policy, with ``script_hashes`` ('sha256-...') as the only inline scripts allowed to run."""
    directives = {
        "default-src": ["'self'"],
        # No 'unsafe-eval': nothing the desk runs evaluates strings. plotly.js's basic bundle has no eval or
        # Function constructor; the webpack runtime of Dash, dcc and dash-bootstrap-components only reaches
        # `new Function("return this")` where globalThis is missing (never in a supported browser); AG Grid's
        # `new Function` compiles string expressions in columnDefs (valueGetter: "..."), which the records grid
        # does not use — dash-ag-grid's own {"function": ...} props go through its bundled parser instead.
        # No worker-src or blob: scripts: none of them starts a worker.
        "script-src": ["'self'", *script_hashes],
        # plotly.js, AG Grid and the dropdowns write <style> elements and style attributes at run time.
        "style-src": ["'self'", "'unsafe-inline'"],
        # plotly.js draws its "download as PNG" through an <img> of a data: or blob: URL; Bootstrap's
        # stylesheet has its icons (form controls, close buttons) as data: SVGs.
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def security_headers(script_hashes: list[str]) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        # same-origin, not strict-origin-when-cross-origin: the desk links nowhere else, and an intranet's host
        # name is nobody else's business. The page's own requests keep their full Referer, which the
        # cross-site check below falls back on when a browser sends no Origin.
        "Referrer-Policy": "same-origin",
        # frame-ancestors for current browsers, X-Frame-Options for those that ignore it.
        "X-Frame-Options": "SAMEORIGIN",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL, lower-case and without the default port; None otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), parts.hostname
    if scheme not in DEFAULT_PORTS or not host:
        return None
    # http://ours@elsewhere names elsewhere, and http://elsewhere@ours is no browser's Origin or Referer either
    # (they never carry user information): such a header is nobody's origin.
    if "@" in parts.netloc:
        return None
    if ":" in host:  # an IPv6 address, which urlsplit unbrackets
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def cross_site_reason() -> str | None:
    """Why the current request must be refused as cross-site, or None when it may proceed."""
    if request.method in SAFE_METHODS:
        return None
    # As Flask sees it: behind nginx, ProxyFix has already put the browser's scheme in place (config `proxies`).
    own = origin_of(request.host_url)

    def ours(url: str) -> bool:
        # A Host header that makes no origin matches nothing, not even a header that makes none either.
        return own is not None and origin_of(url) == own

    origin = request.headers.get("Origin")
    if origin is not None:
        # "null" (a sandboxed frame, a redirect across sites, a page with Referrer-Policy no-referrer) is refused.
        return None if ours(origin) else f"Origin {origin[:100]!r}"
    referer = request.headers.get("Referer")
    if referer is not None:
        return None if ours(referer) else f"Referer {referer[:100]!r}"
    # Neither: not a browser's cross-site request (they always send Origin with one). Without cookies it
    # carries nobody's session, so it can do nothing on anyone's behalf; with them it is refused.
    if request.headers.get("Cookie", "").strip():
        return "no Origin or Referer, but cookies"
    return None


def _refused() -> Response:
    if answers_in_json(request.path):
        response = jsonify({"error": REFUSED})
    else:
        response = Response(f"{REFUSED}：请从本站页面操作。", mimetype="text/plain; charset=utf-8")
    response.status_code = 403
    return response


def install(app: Dash) -> None:
    """Headers on every response of ``app.server``, and cross-site non-GET requests answered 403.

    Call it after every callback is registered (a clientside callback written inline adds a script whose hash
    the policy must list) and before the other before_request hooks, so that a forged request is refused
    before the callback guard reads its body. Both hold in create_app; tests/test_security.py checks the
    policy against the page as served.
    """
    headers = security_headers(list(app.csp_hashes()))
    server = app.server

    @server.before_request
    def _refuse_cross_site():
        reason = cross_site_reason()
        if reason is None:
            return None
        log.warning("拒绝跨站请求：%s %s（%s）", request.method, printable(request.path[:200]), reason)
        return _refused()

    @server.after_request
    def _add_headers(response: Response) -> Response:
        # setdefault: a route that sets one of these itself (a page that may be framed, say) keeps its own.
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
