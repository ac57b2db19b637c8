"""Meetings (issue 10): how long the exports take and how fast a slide changes.

    .venv/bin/python scripts/bench_present.py
    .venv/bin/python scripts/bench_present.py --rounds 10 --presses 60

It serves the demo store with gunicorn and gunicorn.conf.py (scripts/wall_server.py) and asks it, as a browser
would, for the default deck of 2024 (12 slides):
- PowerPoint (/present/annual/deck.pptx), target ≤ 5 s;
- PDF (/present/annual/deck.pdf), target ≤ 20 s; the first request each worker answers starts its browser
  (cold), the rest find it warm;
- one chart's PNG (/present/annual/slides/3/chart.png), target ≤ 3 s with the renderer warm;
- the command line, cold: `dashboard export pptx` and `dashboard export pdf`, each a new process;
- a slide change in Chromium at 1920×1080: from the key's event to the frame after the next slide is shown,
  target ≤ 200 ms.
Floors, measured in the same run: the database alone (the deck's content computed in this process, on the same
store), the browser alone (the same renderer printing a one-line page to PDF, and taking a picture of it), and
for the slide change a key the presenter ignores (one frame).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_desk import BIN, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright
from wall_server import _env, served

from dashboard.content.deck import deck_content
from dashboard.exports.render import Renderer, Static
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts.decks import DECKS

QUERY = "year=2024"
PROBE = """
window.__changes = [];
document.addEventListener('keydown', function (e) {
  var shown = document.querySelector('.slide.active'), t0 = e.timeStamp;
  requestAnimationFrame(function () {
    setTimeout(function () {
      window.__changes.push({frame: performance.now() - t0,
                             changed: document.querySelector('.slide.active') !== shown});
    }, 0);
  });
}, true);
"""
TINY = '<!DOCTYPE html><html><body><p id="p">一页</p><script>document.body.dataset.ready = "1"</script></body></html>'


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
        return response.read()


def seconds(values: list[float]) -> str:
    return f"median {statistics.median(values):5.2f} s, max {max(values):5.2f} s ({len(values)} runs)"


def ratio(values: list[float], floor: list[float]) -> str:
    return f"{statistics.median(values) / statistics.median(floor):.1f}× its floor"


def exports(base: str, instance: Path, rounds: int, floor: dict[str, list[float]]) -> None:
    url = f"{base}/present/annual"
    pptx = [timed(lambda: fetch(f"{url}/deck.pptx?{QUERY}")) for _ in range(rounds)]
    times = [t for t, _ in pptx]
    print(
        f"PowerPoint, {len(pptx[0][1]) / 1024:.0f} KB: {seconds(times)} "
        f"({ratio(times, floor['db'])}, the database's); target ≤ 5 s"
    )
    # gunicorn.conf.py runs 2 workers, each with its own browser: the first two PDFs start them (or one does)
    pdf = [timed(lambda: fetch(f"{url}/deck.pdf?{QUERY}")) for _ in range(rounds + 2)]
    cold, warm = [t for t, _ in pdf[:2]], [t for t, _ in pdf[2:]]
    print(
        f"PDF, {len(pdf[-1][1]) / 1024:.0f} KB: warm {seconds(warm)} ({ratio(warm, floor['pdf'])}, the browser's); "
        f"the first two (browsers starting): {', '.join(f'{t:.2f} s' for t in cold)}; target ≤ 20 s"
    )
    png = [timed(lambda: fetch(f"{url}/slides/3/chart.png?{QUERY}")) for _ in range(rounds * 2)]
    times = [t for t, _ in png[2:]]
    print(
        f"chart PNG, {len(png[-1][1]) / 1024:.0f} KB: warm {seconds(times)} "
        f"({ratio(times, floor['png'])}, the browser's); target ≤ 3 s"
    )

    out = Path(tempfile.mkdtemp(prefix="fazhi-present-bench-"))
    for kind in ("pptx", "pdf"):
        command = [BIN / "dashboard", "export", kind, "--year", "2024", "-o", str(out / f"deck.{kind}")]
        took, _ = timed(
            lambda c=command: subprocess.run(c, env=_env(instance), check=True, capture_output=True)
        )
        print(f"`dashboard export {kind}` (a new process, cold): {took:.2f} s")


def floors(instance: Path, rounds: int) -> dict[str, list[float]]:
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{instance / 'dashboard.db'}")
    with engine.connect() as conn:
        db = [
            timed(lambda: deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR)))[0]
            for _ in range(rounds)
        ]
    engine.dispose()
    print(f"floor, the database alone (the deck's content): {seconds(db)}")
    renderer = Renderer(Static({}))
    try:
        renderer.pdf(TINY, (1920, 1080), "body[data-ready]")  # starts the browser
        pdf = [timed(lambda: renderer.pdf(TINY, (1920, 1080), "body[data-ready]"))[0] for _ in range(rounds)]
        png = [
            timed(lambda: renderer.png(TINY, (1920, 1080), "body[data-ready]", "#p"))[0]
            for _ in range(rounds)
        ]
    finally:
        renderer.close()
    print(f"floor, the browser alone (a one-line page): PDF {seconds(pdf)}; PNG {seconds(png)}")
    return {"db": db, "pdf": pdf, "png": png}


def slide_changes(base: str, presses: int) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        page.add_init_script(PROBE)
        page.goto(f"{base}/present/annual?{QUERY}")
        page.wait_for_selector("body[data-ready]")

        def press(key: str) -> list[dict]:
            page.evaluate("window.__changes = []")
            for i in range(presses):
                # back and forth over the area slides, whose charts are the heaviest to show
                page.keyboard.press("Home" if key != "x" and i and i % 10 == 0 else key)
                page.wait_for_timeout(150)
            return page.evaluate("window.__changes")

        moved, still = press("ArrowRight"), press("x")
        browser.close()
    if not all(r["changed"] for r in moved) or any(r["changed"] for r in still):
        raise SystemExit("a press did not do what was expected")
    frame, floor = [r["frame"] for r in moved], [r["frame"] for r in still]
    p95 = statistics.quantiles(frame, n=20, method="inclusive")[-1]
    print(
        f"slide change, {presses} presses: painted median {statistics.median(frame):.1f} ms, p95 {p95:.1f} ms, "
        f"max {max(frame):.1f} ms; floor (a key the presenter ignores) median {statistics.median(floor):.1f} ms; "
        f"ratio {statistics.median(frame) / statistics.median(floor):.1f}×; target ≤ 200 ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--presses", type=int, default=40)
    args = parser.parse_args()
    with served() as wall:
        floor = floors(wall.instance, args.rounds)
        exports(wall.base, wall.instance, args.rounds, floor)
        slide_changes(wall.base, args.presses)


if __name__ == "__main__":
    main()
