"""Screenshots of one's own page (/mine) for docs/: a department head's and a township head's, and the print view.

    .venv/bin/python scripts/shots_mine.py --database-url sqlite:///path/to/demo.db [--out docs]

The store must hold the demo accounts ``market`` and ``qingshan`` (the test suite's demo store has them, with the
password below). The app is served in this process; Chromium loads nothing from elsewhere.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from dashboard.app import create_app

PASSWORD = "测试用的密码-0123"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", default="docs")
    parser.add_argument("--browser", default="/usr/bin/chromium")
    args = parser.parse_args()
    out = Path(args.out)
    app = create_app({"database_url": args.database_url, "instance_path": Path(tempfile.mkdtemp())})
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.browser, args=ARGS)
        for name, shot in (("market", "mine-department.png"), ("qingshan", "mine-township.png")):
            context = browser.new_context(viewport={"width": 1440, "height": 1600}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("#mine-counted .mine-figures")
            page.wait_for_selector("#mine-standing .main-svg")
            page.wait_for_timeout(500)
            page.screenshot(path=str(out / shot), full_page=False)
            if name == "market":
                page.locator("#mine-standing-section").screenshot(path=str(out / "mine-standing.png"))
            if name == "qingshan":
                page.set_viewport_size({"width": 794, "height": 1123})
                page.goto(f"{base}/mine/print?year=2024&period=m2")
                page.screenshot(path=str(out / "mine-print.png"), full_page=False)
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
