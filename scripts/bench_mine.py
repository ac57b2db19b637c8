"""Benchmark of one's own page (/mine) in headless Chromium: its first paint against its floor.

    .venv/bin/python scripts/bench_mine.py --database-url sqlite:///path/to/demo.db [--loads 10]

The store must hold the demo accounts ``market`` (a department head) and ``qingshan`` (a township head) with the
test suite's password (the suite's demo store has them). The app is served in this process (werkzeug, threaded)
and each reader's /mine is loaded ``--loads`` times (1920×1080), the first with the panel cache empty.

- first paint: from the navigation's start to the first frame in which the page's figures (``#mine-counted
  .mine-figures``) are in the document, noted by a MutationObserver installed before any script runs;
- floor: from the navigation's start to the frame in which the page's title (``#mine-title``) is, that is the
  desk's shell and Dash's own scripts, before the page asks for its data: what no work on /mine can remove.

It prints, per reader, the medians and 95th percentiles, cold (the first load) and warm, and the ratio of the
medians (first paint / floor). Target: first paint under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from dashboard.app import create_app

PASSWORD = "测试用的密码-0123"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking"]
OBSERVE = """
(() => {
  const seen = {};
  const look = () => {
    const now = performance.now();
    if (!seen.shell && document.querySelector('#mine-title')) { seen.shell = now; }
    if (!seen.paint && document.querySelector('#mine-counted .mine-figures')) { seen.paint = now; }
    window.__mine = seen;
  };
  new MutationObserver(look).observe(document, {childList: true, subtree: true});
})();
"""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--browser", default="/usr/bin/chromium")
    args = parser.parse_args()
    app = create_app({"database_url": args.database_url, "instance_path": Path(tempfile.mkdtemp())})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.browser, args=ARGS)
        for name in ("market", "qingshan"):
            context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
            context.add_init_script(OBSERVE)
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#mine-counted .mine-figures")
            paints, floors = [], []
            for _ in range(args.loads):
                page.goto(f"{base}/mine?year=2024")
                page.wait_for_function("() => window.__mine && window.__mine.paint", timeout=60_000)
                seen = page.evaluate("window.__mine")
                paints.append(seen["paint"])
                floors.append(seen["shell"])
            context.close()
            cold, warm = paints[0], paints[1:] or paints
            print(
                f"{name:9} first paint: cold {cold:.0f} ms, warm median {statistics.median(warm):.0f} ms, "
                f"p95 {p95(warm):.0f} ms | floor median {statistics.median(floors):.0f} ms | "
                f"ratio {statistics.median(warm) / statistics.median(floors):.2f}"
            )
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
