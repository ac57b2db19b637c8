"""The big screen in a real headless Chromium, on a store of its own (it changes data): scaled without scrollbars
or clipping at four display sizes, the headline figures equal to the API's, rotation, a data change painted
without a reload, a lost connection marked and recovered from, every screen through a kiosk link until it is
revoked, and the daily reload."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import new_store_url
from playwright.sync_api import Error, Page, expect
from werkzeug.serving import make_server

from dashboard import create_app
from data import demo, kiosk
from data.engine import open_engine
from data.imports import figures, publish
from data.imports.batches import COMMAND_LINE
from data.store import migrate
from layouts.screens import SCREENS

SHOTS = Path("/tmp/shots")
CODE = "service_center_departments"
WALL = "/screen?screens=overview,mediation&every=6&check=2&year=2024"


@pytest.fixture(scope="module")
def served(tmp_path_factory, pg_databases) -> Iterator[tuple[str, str]]:
    url = new_store_url("sqlite", tmp_path_factory.mktemp("screen-browser"), pg_databases)
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
    engine.dispose()
    app = create_app({"database_url": url, "instance_path": tmp_path_factory.mktemp("instance")})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", url
    server.shutdown()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _wall(browser, base: str, width: int, height: int) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("request", lambda r: r.url.startswith(base) or problems.append(f"external: {r.url}"))
    page.goto(base + WALL)
    expect(page.locator(f'.screen.active .figure[data-code="{CODE}"] .figure-number')).not_to_have_text("")
    return page, problems


SMALLEST_TEXT = """() => {
  let smallest = [1000, ''];
  const screen = document.querySelector('.screen.active');
  for (const e of [...screen.querySelectorAll('*'), ...document.querySelectorAll('.wall-head *, .wall-foot *')]) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(e);
    if (!own || style.visibility === 'hidden' || style.display === 'none' || !e.getClientRects().length) continue;
    const size = parseFloat(style.fontSize);
    if (size < smallest[0]) smallest = [size, e.textContent.trim().slice(0, 30)];
  }
  return smallest;
}"""


def _api(page: Page, base: str) -> dict[str, float | None]:
    body = page.request.get(f"{base}/api/v1/values?year=2024").json()
    return {v["code"]: v["value"] for v in body["values"]}


@pytest.mark.browser
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080), (3840, 2160), (5760, 1080)])
def test_the_wall_fills_the_display_without_scrolling_or_clipping_and_shows_the_apis_figures(
    browser, served, width, height
):
    base, _ = served
    page, problems = _wall(browser, base, width, height)
    try:
        page.wait_for_timeout(1800)  # the count-up has ended
        scroll = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        assert scroll == [width, height]
        canvas = page.locator("#canvas").bounding_box()
        assert canvas["x"] >= -0.5 and canvas["y"] >= -0.5
        assert canvas["x"] + canvas["width"] <= width + 0.5 and canvas["y"] + canvas["height"] <= height + 0.5
        assert canvas["width"] == pytest.approx(width, abs=1) or canvas["height"] == pytest.approx(
            height, abs=1
        )
        for box in page.locator(".screen.active .panel, .screen.active .area").all():
            b = box.bounding_box()
            assert b["x"] >= canvas["x"] - 0.5 and b["x"] + b["width"] <= canvas["x"] + canvas["width"] + 0.5
            assert (
                b["y"] >= canvas["y"] - 0.5 and b["y"] + b["height"] <= canvas["y"] + canvas["height"] + 0.5
            )
        values = _api(page, base)
        shown = page.locator(".screen.active .figure")
        assert shown.count() >= 20
        for i in range(shown.count()):
            figure = shown.nth(i)
            value = values[figure.get_attribute("data-code")]
            text = figure.locator(".figure-number").inner_text()
            unit = figure.locator(".figure-unit").inner_text()
            if value is None:
                assert text == "—"
            else:
                assert float(text) == pytest.approx(
                    value / 10_000 if unit.startswith("万") else value, abs=0.01
                )
        # the headline type is at least 48 canvas pixels (the canvas is scaled whole)
        size = page.locator(".screen.active .figure-number").first.evaluate(
            "e => parseFloat(getComputedStyle(e.parentElement).fontSize)"
        )
        assert size >= 48
        # and every other text on the canvas, in the charts too, at least 20 (what is shown, not what is hidden)
        smallest = page.evaluate(SMALLEST_TEXT)
        assert smallest[0] >= 20, smallest
        if width == 1920:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "screen-overview.png"))
        assert problems == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_wall_rotates_follows_a_data_change_and_survives_a_lost_connection(browser, served):
    base, url = served
    page, problems = _wall(browser, base, 1920, 1080)
    try:
        page.evaluate("window.__sameDocument = true")
        # rotation: the next screen after `every` seconds, the progress line running
        expect(page.locator(".screen.active")).to_have_attribute("data-screen", "mediation", timeout=9000)
        expect(page.locator("#progress")).to_have_class("wall-progress running")
        page.keyboard.press("ArrowLeft")
        expect(page.locator(".screen.active")).to_have_attribute("data-screen", "overview")
        page.keyboard.press(" ")
        expect(page.locator("#paused")).to_be_visible()

        # a change published as a reviewer would reaches the wall at its next check, without a reload
        number = page.locator(f'.screen.active .figure[data-code="{CODE}"] .figure-number')
        before = int(number.inner_text())
        engine = open_engine(url)
        batch = figures.submit(engine, COMMAND_LINE, CODE, 2024, before + 5, "大屏验收")
        publish.publish(engine, batch, COMMAND_LINE)
        engine.dispose()
        expect(number).to_have_text(str(before + 5), timeout=8000)
        assert page.evaluate("window.__sameDocument") is True
        assert problems == []

        # the server out of reach: the last figures stay, marked; back: the mark goes by itself
        page.route("**/screen/version**", lambda route: route.abort())
        expect(page.locator("#offline")).to_contain_text("连接中断，显示的是", timeout=8000)
        expect(number).to_have_text(str(before + 5))
        page.unroute("**/screen/version**")
        expect(page.locator("#offline")).to_be_hidden(timeout=8000)
        assert page.evaluate("window.__sameDocument") is True
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_kiosk_wall_paints_every_screen_and_stops_when_its_link_is_revoked(browser, served):
    base, url = served
    engine = open_engine(url)
    with engine.begin() as conn:
        _, token = kiosk.create_link(conn, "大厅")
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and m.text != REFUSED and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(f"{base}/screen?kiosk={token}&every=3600&check=2")
        for screen in SCREENS:
            active = page.locator(".screen.active")
            expect(active).to_have_attribute("data-screen", screen.name)
            expect(page.locator("#screen-title")).to_have_text(screen.title)
            # every panel painted: figures, a chart or a list, never an empty box
            for body in active.locator(".panel-body").all():
                expect(
                    body.locator(".figure, .area, .main-svg, .rank-row, .alert-row, .hidden-note").first
                ).to_be_visible()
            page.wait_for_timeout(400)  # the fade-in
            smallest = page.evaluate(SMALLEST_TEXT)
            assert smallest[0] >= 20, (screen.name, smallest)
            page.keyboard.press("ArrowRight")
        expect(page.locator(".screen.active")).to_have_attribute("data-screen", SCREENS[0].name)
        assert problems == []

        with engine.begin() as conn:
            kiosk.revoke_link(conn, "大厅")
        expect(page.locator("#disabled")).to_have_text("此大屏链接已停用", timeout=6000)
        expect(page.locator("#progress")).to_have_class("wall-progress")

        forged = page.goto(f"{base}/screen?kiosk=forged-token")
        assert forged.status == 403
        expect(page.locator("body")).to_contain_text("此大屏链接无效")
    finally:
        context.close()
        engine.dispose()


# the browser logs a refused fetch (403) as a console error; the wall handles it
REFUSED = "Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"


def _reloads_at_half_past_three(browser, base: str, offline: bool) -> bool:
    """Whether a wall opened at 03:29:30 (Beijing time) has reloaded by 03:41, the end of the reload's spread."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        page.clock.install(time=datetime(2026, 3, 2, 3, 29, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
        page.goto(base + "/screen?every=3600&check=3600")
        expect(page.locator(".screen.active .figure-number").first).not_to_have_text("")
        page.evaluate("window.__sameDocument = true")
        if offline:
            page.route("**/screen/version**", lambda route: route.abort())
        # In steps of 5 s with real pauses between: the reload's own version check is a real request, which a
        # jump of minutes would outrun (its 15 s time-out would fire first).
        for _ in range(11 * 12 + 6):
            page.clock.run_for(5000)
            time.sleep(0.1)
            try:
                if page.evaluate("window.__sameDocument") is None:
                    return True
            except Error:  # the document went away while it was asked
                return True
        return False
    finally:
        context.close()


@pytest.mark.browser
def test_the_wall_reloads_itself_at_its_quiet_moment_and_not_into_an_unreachable_server(browser, served):
    base, _ = served
    assert _reloads_at_half_past_three(browser, base, offline=False)
    assert not _reloads_at_half_past_three(browser, base, offline=True)


@pytest.mark.browser
def test_an_ultra_wide_wall_uses_its_whole_width_with_three_screens_side_by_side(browser, served):
    """A 5760×1080 splice wall shows three whole screens across it, not one 16:9 screen in its middle third;
    `layout=` in the URL (a kiosk link's too) chooses otherwise."""
    base, url = served
    width, height = 5760, 1080
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(base + "/screen?year=2024&every=3600")
        active = page.locator(".screen.active")
        expect(active).to_have_count(3)
        expect(page.locator(".screen.active .figure-number").first).not_to_have_text("")
        page.wait_for_timeout(1800)  # the count-up has ended
        canvas = page.locator("#canvas").bounding_box()
        assert canvas == {"x": 0, "y": 0, "width": width, "height": height}
        assert page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        ) == [
            width,
            height,
        ]
        # the used width: panels from the left edge to the right edge, each screen in its own third
        boxes = [b.bounding_box() for b in page.locator(".screen.active .panel").all()]
        assert min(b["x"] for b in boxes) < 40 and max(b["x"] + b["width"] for b in boxes) > width - 40
        thirds = sorted(round(s.bounding_box()["x"] / 1920) for s in active.all())
        assert thirds == [0, 1, 2]
        names = [s.get_attribute("data-screen") for s in active.all()]
        assert names == [s.name for s in SCREENS[:3]]
        expect(page.locator("#screen-title")).to_have_text(" · ".join(s.title for s in SCREENS[:3]))
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "screen-wide-5760.png"))
        # the next turn brings the next three
        page.keyboard.press("ArrowRight")
        expect(active.first).to_have_attribute("data-screen", SCREENS[3].name)

        # layout= in the URL wins over the display's shape; through a kiosk link as well
        page.goto(base + "/screen?year=2024&layout=standard")
        expect(active).to_have_count(1)
        assert page.locator("#canvas").bounding_box()["width"] == pytest.approx(1920, abs=1)
        engine = open_engine(url)
        with engine.begin() as conn:
            _, token = kiosk.create_link(conn, "拼接屏")
        engine.dispose()
        small = context.new_page()
        small.set_viewport_size({"width": 1920, "height": 1080})
        small.goto(f"{base}/screen?kiosk={token}&layout=wide")
        expect(small.locator(".screen.active")).to_have_count(3)
        assert small.locator("#canvas").get_attribute("data-layout") == "wide"
    finally:
        context.close()
