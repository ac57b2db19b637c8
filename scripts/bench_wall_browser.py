"""The big screen in headless Chromium: first load on the wire, switching screens, and memory over a long run.

    .venv/bin/python scripts/bench_wall_browser.py                    # all three, the heap over 30 minutes
    .venv/bin/python scripts/bench_wall_browser.py --heap-minutes 0   # load and switching only

It serves the demo store with gunicorn and gunicorn.conf.py (scripts/wall_server.py) and opens a kiosk link
showing every screen, at 1920×1080:
- first load: every response's bytes on the wire (compressed bodies and headers) until the wall has painted
  (target ≤ 2 MB);
- switching: ``--switches`` presses of → and, for each, the time from the key's event to the frame after the
  next screen was shown, and to the end of its fade; the floor is the same measure for a key the wall ignores
  (the browser alone: one frame). Target: painted within 500 ms;
- memory: the wall rotating every 5 s and checking every 5 s for ``--heap-minutes``, a figure changed every
  minute (so panels repaint and numbers count up); every minute, after a forced garbage collection, the JS heap
  in use and the DOM's node count. Growth is the last sample against the one after the first two minutes
  (target ≤ 10 %).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench_desk import CHROMIUM_ARGS
from playwright.sync_api import Page, sync_playwright
from wall_server import Wall, served

PROBE = """
window.__switches = [];
document.addEventListener('keydown', function (e) {
  var shown = document.querySelector('.screen.active');
  var t0 = e.timeStamp, row = {key: e.key};
  requestAnimationFrame(function () {
    setTimeout(function () {
      row.frame = performance.now() - t0;
      var now = document.querySelector('.screen.active');
      row.changed = now !== shown;
      if (!row.changed) { row.faded = row.frame; window.__switches.push(row); return; }
      now.addEventListener('transitionend', function () {
        row.faded = performance.now() - t0; window.__switches.push(row);
      }, {once: true});
    }, 0);
  });
}, true);
"""


def first_load(browser, url: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(".screen.active .figure-number")
    page.wait_for_load_state("networkidle")
    total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
    print(f"first load: {total / 1e6:.2f} MB on the wire in {len(finished)} requests (target ≤ 2 MB)")
    for r in sorted(finished, key=lambda r: -r.sizes()["responseBodySize"])[:4]:
        print(f"  {r.sizes()['responseBodySize'] / 1e3:8.1f} kB  {r.url.split('?')[0].split('/', 3)[-1]}")
    context.close()


def presses(page: Page, key: str, count: int) -> list[dict]:
    page.evaluate("window.__switches = []")
    for _ in range(count):
        page.keyboard.press(key)
        page.wait_for_timeout(700)
    return page.evaluate("window.__switches")


def ms(values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
    return f"median {statistics.median(values):6.1f} ms, p95 {p95:6.1f} ms, max {max(values):6.1f} ms"


def switching(browser, url: str, count: int) -> None:
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    page.add_init_script(PROBE)
    page.goto(url + "&every=3600")
    page.wait_for_selector(".screen.active .figure-number")
    page.wait_for_timeout(3000)  # every screen's panels fetched and drawn
    moved = presses(page, "ArrowRight", count)
    still = presses(page, "x", count)
    if not all(r["changed"] for r in moved) or any(r["changed"] for r in still):
        raise SystemExit("a press did not do what was expected")
    frame, faded, floor = (
        [r[k] for r in rows] for rows, k in ((moved, "frame"), (moved, "faded"), (still, "frame"))
    )
    print(f"switching to the next screen, {count} presses of →:")
    print(f"  painted (the frame after):   {ms(frame)}")
    print(f"  fade finished:               {ms(faded)}")
    print(f"  floor, a key the wall ignores: {ms(floor)}")
    print(
        f"  painted / floor (medians): {statistics.median(frame) / statistics.median(floor):.1f}×; target ≤ 500 ms"
    )
    page.context.close()


def heap(browser, wall: Wall, url: str, minutes: int) -> None:
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    cdp = page.context.new_cdp_session(page)
    page.goto(url + "&every=5&check=5")
    page.wait_for_selector(".screen.active .figure-number")
    samples = []
    started = time.monotonic()
    for minute in range(minutes + 1):
        time.sleep(max(0.0, started + minute * 60 - time.monotonic()))
        if minute:
            wall.change_data(minute)
        cdp.send("HeapProfiler.collectGarbage")
        used = cdp.send("Runtime.getHeapUsage")["usedSize"]
        nodes = cdp.send("Memory.getDOMCounters")["nodes"]
        samples.append((used, nodes))
        print(f"  minute {minute:3d}: JS heap {used / 1e6:6.2f} MB, {nodes} DOM nodes", flush=True)
    base = samples[min(2, len(samples) - 1)]
    growth = (samples[-1][0] - base[0]) / base[0] * 100
    rotations = minutes * 60 // 5
    print(
        f"memory over {minutes} min ({rotations} screen changes, {minutes} data changes): JS heap "
        f"{base[0] / 1e6:.2f} → {samples[-1][0] / 1e6:.2f} MB ({growth:+.1f} %, target ≤ 10 %), "
        f"DOM nodes {base[1]} → {samples[-1][1]}"
    )
    page.context.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--switches", type=int, default=30)
    ap.add_argument("--heap-minutes", type=int, default=30)
    args = ap.parse_args()
    with served() as wall, sync_playwright() as p:
        url = wall.kiosk("大厅")
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        first_load(browser, url)
        switching(browser, url, args.switches)
        if args.heap_minutes:
            heap(browser, wall, url, args.heap_minutes)
        browser.close()


if __name__ == "__main__":
    main()
