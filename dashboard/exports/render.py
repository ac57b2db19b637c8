"""Pages printed by a headless Chromium (issue 10): a deck as PDF, one chart as PNG.

One renderer per process keeps the browser warm: a thread owns Playwright (its sync API must stay on the
thread that started it) and takes jobs from a queue, one at a time; the browser closes after IDLE seconds
without a job and starts again on the next. Each job opens a fresh page on a made-up origin whose every
request is answered here: the document from the job, the presenter's static files from dashboard/static, and
anything else refused, so nothing the page asks for ever leaves the machine, whatever it contains.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

from dashboard import resources
from layouts.screens import CANVAS

STATIC = resources.STATIC
ORIGIN = "http://render.invalid"
STATIC_PREFIX = "/static"
# A job that takes longer than this is given up (the browser is restarted for the next one).
TIMEOUT = 60.0
# Jobs waiting for the browser beyond this are refused at once rather than holding a request thread each.
MAX_WAITING = 4
# The browser closes after this many seconds without a job (a cold start costs about a second).
IDLE = 600.0
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking"]
# where Debian, Ubuntu and most distributions put the browser when DASHBOARD_BROWSER does not say
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
NO_BROWSER = (
    "服务器上没有可用的 Chromium，无法导出 PDF 或图片。请在服务器上安装（Debian/Ubuntu："
    "apt-get install chromium fonts-noto-cjk），或用环境变量 DASHBOARD_BROWSER 指明浏览器程序的路径"
)


class RenderError(RuntimeError):
    """A page could not be printed; the message says why, in words for the reader."""


class RenderBusy(RenderError):
    """Too many pages are waiting to be printed in this process."""


@dataclass(frozen=True)
class Static:
    """The files a printed page may load: name -> content type, read from dashboard/static."""

    files: dict[str, str]

    def answer(self, path: str) -> tuple[bytes, str] | None:
        name = path.removeprefix(f"{STATIC_PREFIX}/")
        if path.startswith(f"{STATIC_PREFIX}/") and name in self.files:
            return (STATIC / name).read_bytes(), self.files[name]
        return None


def find_browser(configured: str = "") -> str:
    """The Chromium to drive: DASHBOARD_BROWSER when set, else the first of CANDIDATES on PATH."""
    if configured:
        if not os.access(configured, os.X_OK):
            raise RenderError(f"DASHBOARD_BROWSER 指向的 {configured} 不存在或不可执行。{NO_BROWSER}")
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(NO_BROWSER)


class Renderer:
    """Prints pages with one warm browser; safe to call from any thread (jobs run one after another)."""

    def __init__(self, static: Static, browser_path: str = "", idle: float = IDLE) -> None:
        self.static = static
        self.browser_path = browser_path
        self.idle = idle
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- what callers use
    def pdf(self, html: str, size: tuple[int, int], ready: str) -> bytes:
        """``html`` printed to PDF on pages of ``size`` CSS pixels, once ``ready`` (a selector) is present."""
        width, height = size

        def job(page) -> bytes:
            self._open(page, html, ready)
            return page.pdf(width=f"{width}px", height=f"{height}px", print_background=True)

        return self._run(job)

    def png(self, html: str, viewport: tuple[int, int], ready: str, element: str, scale: float = 2) -> bytes:
        """A picture of ``element`` in ``html`` at ``scale`` device pixels per CSS pixel."""

        def job(page) -> bytes:
            self._open(page, html, ready)
            return page.locator(element).screenshot(type="png")

        return self._run(job, viewport=viewport, scale=scale)

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join(timeout=10)

    # --- inside the renderer's thread
    def _open(self, page, html: str, ready: str) -> None:
        def answer(route) -> None:
            path = route.request.url.removeprefix(ORIGIN)
            if not route.request.url.startswith(ORIGIN):
                route.abort("blockedbyclient")
            elif path == "/":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            elif (found := self.static.answer(path)) is not None:
                route.fulfill(body=found[0], content_type=found[1])
            else:
                route.abort("blockedbyclient")

        page.route("**/*", answer)
        # a script that fails would never mark the page ready: stop at once instead of waiting out TIMEOUT
        page.add_init_script(
            "window.addEventListener('error', function () { window.__renderFailed = true; });"
        )
        page.goto(f"{ORIGIN}/", wait_until="load")
        page.wait_for_function(
            f"!!document.querySelector({json.dumps(ready)}) || window.__renderFailed === true",
            timeout=TIMEOUT * 1000,
        )
        if page.evaluate("window.__renderFailed === true"):
            raise RenderError("页面未能画完（页面脚本出错），请把此情况告诉管理员")

    def _run(self, job: Callable, viewport: tuple[int, int] = CANVAS, scale: float = 1) -> Any:
        done: Future = Future()
        self._start()
        if self._jobs.qsize() >= MAX_WAITING:
            raise RenderBusy("正在生成的 PDF 和图片太多，请稍后再试")
        self._jobs.put((job, viewport, scale, done))
        try:
            return done.result(timeout=TIMEOUT + 30)
        except FutureTimeout:
            raise RenderError("导出超时：浏览器在受限时间内没有完成，请稍后再试") from None

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="renderer", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = None
            # one context per page size, kept with the browser (a new one costs a quarter of a second); each job
            # still gets a page of its own, closed after it
            contexts: dict[tuple, object] = {}
            while True:
                try:
                    item = self._jobs.get(timeout=self.idle)
                except queue.Empty:
                    browser = self._close(browser)
                    contexts.clear()
                    continue
                if item is None:
                    break
                job, viewport, scale, done = item
                try:
                    if browser is None or not browser.is_connected():
                        contexts.clear()
                        browser = self._launch(p)
                    if (viewport, scale) not in contexts:
                        contexts[viewport, scale] = browser.new_context(
                            viewport={"width": viewport[0], "height": viewport[1]},
                            device_scale_factor=scale,
                            locale="zh-CN",
                        )
                    page = contexts[viewport, scale].new_page()
                    try:
                        page.set_default_timeout(TIMEOUT * 1000)
                        done.set_result(job(page))
                    finally:
                        page.close()
                except RenderError as exc:
                    done.set_exception(exc)
                except PlaywrightError as exc:
                    done.set_exception(RenderError(f"浏览器未能完成导出：{str(exc).splitlines()[0][:200]}"))
                    browser = self._close(browser)
                    contexts.clear()
                except Exception as exc:  # the caller gets it; this thread must live on
                    done.set_exception(exc)
            self._close(browser)

    def _launch(self, p):
        from playwright.sync_api import Error as PlaywrightError

        path = find_browser(self.browser_path)
        try:
            return p.chromium.launch(executable_path=path, args=ARGS)
        except PlaywrightError as exc:
            raise RenderError(f"无法启动浏览器 {path}：{str(exc).splitlines()[0][:200]}") from None

    @staticmethod
    def _close(browser):
        try:
            if browser is not None:
                browser.close()
        except Exception:  # a broken browser may fail to close; a new one starts next job
            pass
        return None


_renderers: dict[tuple, Renderer] = {}
_renderers_lock = threading.Lock()


def renderer(static: Static, browser_path: str = "") -> Renderer:
    """This process's renderer for these settings, made on first use and closed when the process exits."""
    key = (tuple(sorted(static.files.items())), browser_path)
    with _renderers_lock:
        if key not in _renderers:
            made = _renderers[key] = Renderer(static, browser_path)
            atexit.register(made.close)
        return _renderers[key]
