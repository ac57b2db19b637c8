"""Benchmark of the desk in headless Chromium: filter changes on a demo store of about N register rows.

    .venv/bin/python scripts/bench_desk.py --rows 1000000 --changes 50

It builds a fresh SQLite store (``dashboard init --demo --rows N``), serves it with gunicorn (2 workers of 4
threads, the file cache shared by both), then in Chromium:
- loads the first page and adds up the bytes on the wire (compressed bodies and headers);
- on the mediation and service pages, makes random filter changes through the filter bar (year, townships,
  departments) and measures, for each, the time from the click until the last change to the page once every
  callback request has answered (the browser paints it in the next frame), and the server time of those
  requests (request sent to first byte, added up).
It prints the median and 95th percentile of each.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
]

# Counts Dash's callback requests in flight, and notes when the page last changed, from inside the page: the
# repaint time is the last change to the page after a filter change (the browser paints it in the next frame),
# measured in the page so that the benchmark's own round trips to the browser are not counted.
PROBE = """
(() => {
  window.__inflight = 0; window.__done = 0; window.__lastMutation = 0;
  const original = window.fetch;
  window.fetch = async (...args) => {
    const url = String(args[0] && args[0].url || args[0]);
    const counted = url.includes('_dash-update-component');
    if (counted) window.__inflight++;
    try { return await original(...args); }
    finally { if (counted) { window.__inflight--; window.__done++; } }
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => { window.__lastMutation = performance.now(); })
      .observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  });
})();
"""
QUIET_MS = 300
SETTLED = f"window.__inflight === 0 && window.__done > window.__before && performance.now() - window.__lastMutation > {QUIET_MS}"
REPAINTED = "window.__lastMutation - window.__t0"
TIMELINE = """
performance.getEntriesByType('resource')
  .filter(e => e.name.includes('_dash-update-component') && e.startTime >= window.__t0)
  .map(e => [Math.round(e.startTime - window.__t0), Math.round(e.responseEnd - window.__t0)])
"""
SERVER_TIME = """
performance.getEntriesByType('resource')
  .filter(e => e.name.includes('_dash-update-component') && e.startTime >= window.__t0)
  .reduce((sum, e) => sum + (e.responseStart - e.requestStart), 0)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not come up")


def first_page_bytes(browser, url: str) -> tuple[int, int]:
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".kpi-card")
    page.wait_for_load_state("networkidle")
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return total, len(requests)


def pick(page: Page, option: str) -> None:
    page.evaluate("window.__before = window.__done; window.__t0 = performance.now()")
    page.get_by_role("option", name=option, exact=True).click()


def change(page: Page, rng: random.Random, years: list[str], towns: list[str], depts: list[str]) -> None:
    """One random change through the filter bar; the timer starts just before the decisive click.

    A township or department already chosen is chosen again, which removes it: selections grow and shrink.
    """
    kind = rng.choice(["year", "township", "township", "department"])
    if kind == "year":
        current = page.locator("#filter-year").inner_text()
        page.locator("#filter-year").click()
        pick(page, rng.choice([y for y in years if y not in current]))
    else:
        control = "filter-township" if kind == "township" else "filter-department"
        page.locator(f"#{control}").click()
        pick(page, rng.choice(towns if kind == "township" else depts))
        page.keyboard.press("Escape")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="fazhi-desk-bench-"))
    env = {**os.environ, "DASHBOARD_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    subprocess.run([BIN / "dashboard", "init", "--demo", "--rows", str(args.rows)], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            BIN / "gunicorn",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "dashboard.wsgi:server",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/api/v1/dimensions", server)
        rng = random.Random(args.seed)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            first = {path: first_page_bytes(browser, base + path) for path in ("/", "/mediation")}
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            page.add_init_script(PROBE)
            repaint, server_ms = [], []
            for path in ("/mediation", "/service"):
                page.goto(f"{base}{path}?year=2024")
                page.wait_for_selector(".kpi-card")
                page.wait_for_function("window.__inflight === 0")
                years = ["2022年", "2023年", "2024年", "2025年"]
                towns = ["城关街道", "青山镇", "白沙镇", "高新技术产业园区", "长岭乡", "东湖街道", "荷塘镇"]
                depts = [
                    "区司法局",
                    "区市场监督管理局",
                    "区人力资源和社会保障局",
                    "区行政审批局",
                    "区住房和城乡建设局",
                ]
                for _ in range(args.changes // 2):
                    change(page, rng, years, towns, depts)
                    page.wait_for_function(SETTLED, timeout=30_000)
                    repaint.append(page.evaluate(REPAINTED))
                    server_ms.append(page.evaluate(SERVER_TIME))
                    if os.environ.get("BENCH_TRACE"):
                        print(round(repaint[-1]), page.evaluate(TIMELINE))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(instance, ignore_errors=True)

    def stats(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]
        return f"median {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms"

    print(
        f"store: about {args.rows:,} register rows (SQLite); server: gunicorn, 2 workers × 4 threads, file cache"
    )
    for path, (size, count) in first.items():
        print(f"first page {path}: {size / 1e6:.2f} MB on the wire in {count} requests")
    print(f"change to repaint ({len(repaint)} changes): {stats(repaint)}")
    print(f"server time per change (callback requests, added up): {stats(server_ms)}")


if __name__ == "__main__":
    main()
