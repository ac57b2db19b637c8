"""Security headers on every kind of response, the Content-Security-Policy against the page as served (and in
a real Chromium, where a blocked script would show), and cross-site requests refused before any callback runs."""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from callback_bodies import area_panels
from conftest import sign_in
from dash import Dash
from flask import Response
from playwright.sync_api import Page, expect

from dashboard import create_app
from dashboard.web import security
from dashboard.web.permissions import requires
from data.access import Action
from layouts.areas import AREA_PAGES
from layouts.records import PAGE_SIZE
from layouts.shell import PAGES

ENDPOINT = "/_dash-update-component"
FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Cross-Origin-Opener-Policy": "same-origin",
}
DIRECTIVES = {
    "default-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
OWN = "http://localhost"  # the Flask test client's origin
FOREIGN = "https://evil.example"
STATE = {"year": 2024, "department": [], "township": []}


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = sources
    return directives


def assert_secured(resp) -> None:
    for name, value in FIXED.items():
        assert resp.headers.get(name) == value, name
    directives = policy(resp.headers["Content-Security-Policy"])
    script = directives.pop("script-src")
    assert script[0] == "'self'" and len(script) > 1 and all(s.startswith("'sha256-") for s in script[1:])
    assert directives == DIRECTIVES


def fresh(demo_urls, tmp_path, **config) -> Dash:
    return create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path, **config})


@pytest.fixture(scope="module")
def app(demo_urls, tmp_path_factory) -> Dash:
    return fresh(demo_urls, tmp_path_factory.mktemp("instance"))


# --- headers on every kind of response ---------------------------------------------------------------------
DOWNLOAD = "/download/records.csv?code=disputes_mediated&year=2024&township=baisha"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/mediation?year=2024", 200),
        ("GET", "/no-such-page", 200),  # Dash's shell, which says so itself
        ("GET", "/assets/2-app/app.css", 200),
        ("GET", "/assets/2-app/filters.js", 200),
        ("GET", "/_dash-component-suites/plotly/package_data/plotly.min.js", 200),
        ("GET", "/_dash-component-suites/dash/dcc/dash_core_components.js", 200),
        ("GET", "/_dash-layout", 200),
        ("GET", "/_dash-dependencies", 200),
        ("GET", "/_favicon.ico", 200),
        ("GET", "/api/v1/dimensions", 200),
        ("GET", "/api/v1/values?year=abc", 400),
        ("GET", "/api/v1/nothing", 404),
        ("POST", "/api/v1/dimensions", 405),
        ("POST", ENDPOINT, 400),
        ("GET", DOWNLOAD, 401),  # not signed in: no rows
        # a visitor is refused rows before the format is looked at
        ("GET", "/download/records.pdf?code=disputes_mediated&year=2024", 401),
        ("GET", "/healthz", 200),
        ("GET", "/readyz", 200),
        ("GET", "/_reload-hash", 404),
        ("HEAD", "/", 200),
    ],
)
def test_every_kind_of_response_carries_the_headers(app, method, path, status):
    with app.server.test_client().open(path, method=method, json={} if method == "POST" else None) as resp:
        assert resp.status_code == status
        assert_secured(resp)


def test_a_body_too_large_a_fault_and_the_refusal_itself_carry_them(demo_urls, tmp_path):
    app = fresh(demo_urls, tmp_path)

    def boom():
        raise RuntimeError("a fault in a route")

    app.server.add_url_rule("/boom", view_func=requires(Action.OPEN)(boom))
    client = app.server.test_client()
    too_large = client.post(ENDPOINT, data=b"x" * (4 * 1024 * 1024 + 1), content_type="application/json")
    assert too_large.status_code == 413
    assert_secured(too_large)
    assert client.get("/boom").status_code == 500
    assert_secured(client.get("/boom"))
    refused = client.post(ENDPOINT, json={}, headers={"Origin": FOREIGN})
    assert refused.status_code == 403
    assert_secured(refused)


def test_too_many_downloads_carry_them(demo_urls, demo_tokens, tmp_path):
    client = fresh(demo_urls, tmp_path).server.test_client()
    # a visitor's download requests are refused before they are counted: these are a leader's
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {demo_tokens[demo_urls['sqlite']]['leader']}"
    statuses = [client.get("/download/records.pdf").status_code for _ in range(12)]
    assert statuses[-1] == 429
    assert_secured(client.get("/download/records.pdf"))


def test_a_store_that_is_down_answers_503_with_them(tmp_path):
    # Nothing listens on port 9: the store is down from the start, and the app runs saying so.
    app = create_app(
        {"database_url": "postgresql+psycopg://postgres@127.0.0.1:9/none", "instance_path": tmp_path}
    )
    client = app.server.test_client()
    for path in ("/readyz", "/api/v1/dimensions"):
        resp = client.get(path)
        assert resp.status_code == 503, path
        assert_secured(resp)


def test_a_header_a_route_sets_itself_is_kept(demo_urls, tmp_path):
    app = fresh(demo_urls, tmp_path)

    def framed():
        return Response("可嵌入", headers={"X-Frame-Options": "DENY", "Content-Security-Policy": "sandbox"})

    app.server.add_url_rule("/framed", view_func=requires(Action.OPEN)(framed))
    resp = app.server.test_client().get("/framed")
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Content-Security-Policy"] == "sandbox"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


# --- the policy against the page as served -----------------------------------------------------------------
class InlineScripts(HTMLParser):
    """The text of every inline script the browser would run (a JSON data block is not run)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        kind = (attributes.get("type") or "text/javascript").lower()
        if tag == "script" and "src" not in attributes and "json" not in kind:
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.scripts.append("".join(self._open))
            self._open = None


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@pytest.mark.parametrize("path", ["/", "/mediation?year=2024", "/no-such-page"])
def test_the_policy_lists_exactly_the_pages_inline_scripts(app, path):
    resp = app.server.test_client().get(path)
    parser = InlineScripts()
    parser.feed(resp.get_data(as_text=True))
    assert parser.scripts, "Dash's renderer bootstrap is an inline script"
    script_src = policy(resp.headers["Content-Security-Policy"])["script-src"]
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert set(script_src) == {"'self'"} | {sha256(s) for s in parser.scripts}


# --- cross-site requests -----------------------------------------------------------------------------------
def raw_client(app: Dash):
    # Without its cookie jar, which would replace a Cookie header given here with the jar's (none).
    return app.server.test_client(use_cookies=False)


def callback(app: Dash, headers: dict[str, str]):
    return raw_client(app).post(ENDPOINT, json=area_panels(app, "mediation", STATE), headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": FOREIGN},
        {"Origin": "null"},
        {"Origin": "https://localhost"},  # another scheme
        {"Origin": "http://localhost:8050"},  # another port
        {"Origin": "http://localhost.evil.example"},
        {"Origin": FOREIGN, "Referer": f"{OWN}/mediation"},  # Origin decides when it is there
        {"Referer": f"{FOREIGN}/page"},
        {"Referer": "not a url"},
        {"Cookie": "fazhi_session=abc"},
        {"Cookie": "anything=1"},
        # a Host that makes no origin, and an Origin as unreadable: no match
        {"Host": "localhost:99999", "Origin": "http://localhost:99999"},
    ],
)
def test_a_cross_site_callback_is_refused_before_it_runs(app, headers):
    resp = callback(app, headers)
    assert resp.status_code == 403
    assert resp.get_json() == {"error": "跨站请求已拒绝"}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": OWN},
        {"Origin": "HTTP://LOCALHOST:80"},  # the same origin, written otherwise
        {"Origin": OWN, "Cookie": "fazhi_session=abc"},
        {"Referer": f"{OWN}/mediation?year=2024"},
        {"Referer": f"{OWN}/", "Cookie": "fazhi_session=abc"},
        {},  # a client that is not a browser, carrying nobody's session
    ],
)
def test_a_same_site_or_cookieless_callback_passes_through(app, headers):
    resp = callback(app, headers)
    assert resp.status_code == 200
    assert "mediation" in resp.get_data(as_text=True)


def test_elsewhere_a_refusal_is_chinese_text_and_reading_is_never_refused(app):
    browser = raw_client(app)
    for path in ("/", "/logout", "/login"):
        resp = browser.post(path, headers={"Origin": FOREIGN})
        assert resp.status_code == 403, path
        assert resp.mimetype == "text/plain" and "跨站请求已拒绝" in resp.get_data(as_text=True)
    assert browser.post("/api/v1/dimensions", headers={"Origin": FOREIGN}).get_json() == {
        "error": "跨站请求已拒绝"
    }
    for method in ("GET", "HEAD", "OPTIONS"):
        resp = browser.open("/api/v1/dimensions", method=method, headers={"Origin": FOREIGN, "Cookie": "a=1"})
        assert resp.status_code != 403, method


PROXIED = {"Host": "dashboard.example.internal", "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"}


def test_behind_a_proxy_the_origin_is_the_one_the_browser_used(demo_urls, tmp_path):
    """With `proxies` set, ProxyFix puts the scheme nginx forwards in place: the browser's https page passes."""
    app = fresh(demo_urls, tmp_path, proxies=1)
    assert callback(app, {**PROXIED, "Origin": "https://dashboard.example.internal"}).status_code == 200
    assert callback(app, {**PROXIED, "Referer": "https://dashboard.example.internal/"}).status_code == 200
    assert callback(app, {**PROXIED, "Origin": "http://dashboard.example.internal"}).status_code == 403
    assert callback(app, {**PROXIED, "Origin": FOREIGN}).status_code == 403


def test_without_proxies_forwarded_headers_are_not_believed(app):
    assert callback(app, {**PROXIED, "Origin": "https://dashboard.example.internal"}).status_code == 403
    assert callback(app, {**PROXIED, "Origin": "http://dashboard.example.internal"}).status_code == 200


def test_the_forwarded_host_is_not_believed_either(demo_urls, tmp_path):
    """ProxyFix trusts only X-Forwarded-For and -Proto (dashboard/app.py): the host is the Host header, which
    nginx passes on (`proxy_set_header Host`, README)."""
    app = fresh(demo_urls, tmp_path, proxies=1)
    forwarded = {**PROXIED, "Host": "127.0.0.1:8050", "X-Forwarded-Host": "dashboard.example.internal"}
    assert callback(app, {**forwarded, "Origin": "https://dashboard.example.internal"}).status_code == 403
    assert callback(app, {**forwarded, "Origin": "https://127.0.0.1:8050"}).status_code == 200


def test_origins_are_compared_as_browsers_write_them():
    assert security.origin_of("HTTPS://Example.Internal:443/a?b") == "https://example.internal"
    assert security.origin_of("http://[::1]:8050/") == "http://[::1]:8050"
    for odd in ("null", "", "file:///etc/passwd", "http://host:99999/", "javascript:alert(1)"):
        assert security.origin_of(odd) is None, odd


# --- in a real Chromium ------------------------------------------------------------------------------------
# Installed before any of the page's scripts: every violation of the policy, whatever blocked it.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push({directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile,
                     line: e.lineNumber, sample: e.sample});
}, true);
"""
# Every chart of the page (dcc.Graph, className "chart") drawn by plotly.js with its data, not a placeholder.
CHARTS_DRAWN = """(count) => {
  const charts = [...document.querySelectorAll(".chart")];
  return charts.length === count && charts.every(c => c.querySelector(".main-svg .trace"));
}"""
# The charts each page has (layouts/area.py); two areas have yearly figures only, and no charts.
CHARTS = {p.path: bool(p.trend) + bool(p.split) + len(p.extras) for p in AREA_PAGES}


def listened(page: Page) -> Page:
    page.add_init_script(LISTEN)
    return page


def assert_clean(page: Page) -> None:
    assert page.evaluate("window.__csp") == []
    assert page.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("path", [path for path, _ in PAGES])
def test_every_page_runs_under_the_policy(page: Page, base_url, path):
    # signed in, so that every chart has something to draw (a visitor's internal ones say 登录后可查看)
    sign_in(listened(page), base_url, "leader")
    resp = page.goto(f"{base_url}{path}?year=2024")
    assert "script-src 'self' 'sha256-" in resp.headers["content-security-policy"]
    page.wait_for_selector(".kpi-card")
    if CHARTS.get(path):
        page.wait_for_function(CHARTS_DRAWN, arg=CHARTS[path])
    else:
        assert page.locator(".chart").count() == 0
    assert_clean(page)


@pytest.mark.browser
def test_a_filter_and_the_records_grid_run_under_the_policy(page: Page, base_url):
    sign_in(listened(page), base_url, "leader")
    page.goto(f"{base_url}/mediation?year=2024")
    page.wait_for_function(CHARTS_DRAWN, arg=CHARTS["/mediation"])
    card = page.locator('.kpi-card[data-code="disputes_mediated"] .kpi-value')
    district = card.inner_text()
    page.locator("#filter-township").click()
    page.get_by_role("option", name="青山镇", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_url("**township=qingshan**")
    expect(card).not_to_have_text(district)  # the panels answered for the township
    page.wait_for_function(CHARTS_DRAWN, arg=CHARTS["/mediation"])
    page.locator('.kpi-card[data-code="disputes_mediated"] .kpi-drill').click()
    page.wait_for_selector("#records-grid .ag-row")
    page.get_by_role("button", name="下一页").click()
    expect(page.locator(f'#records-grid .ag-row[row-index="{PAGE_SIZE}"]')).to_be_visible()
    assert_clean(page)


@pytest.mark.browser
def test_signing_in_and_ones_own_figures_run_under_the_policy(page: Page, base_url):
    sign_in(listened(page), base_url, "market")
    page.wait_for_selector("#mine-standing")
    assert page.url.endswith("/mine")
    assert_clean(page)


@pytest.mark.browser
def test_the_browser_enforces_the_policy_and_the_listener_hears_it(page: Page, base_url):
    """The control for the tests above: an injected inline script is blocked, and reported."""
    listened(page).goto(f"{base_url}/")
    page.wait_for_selector(".kpi-card")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                   document.body.appendChild(s); }"""
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__csp")[0]["directive"] == "script-src-elem"
