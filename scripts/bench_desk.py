"""Benchmark of the desk in headless Chromium: filter changes against their floors, on a store of about N rows.

    .venv/bin/python scripts/bench_desk.py --rows 1000000 --changes 50
    .venv/bin/python scripts/bench_desk.py --rows 1000000 --engine postgresql [--admin-url URL]
    .venv/bin/python scripts/bench_desk.py --database-url URL     # a store already built (bench_store --keep)

It builds a fresh store (``dashboard init --demo --rows N``: an SQLite file, or a new database on the
PostgreSQL server, dropped at the end), serves it with gunicorn and the repository's gunicorn.conf.py (2 workers
of 4 threads), then in Chromium (1920×1080):
- loads the first pages and adds up the bytes on the wire (compressed bodies and headers);
- on the mediation and service pages, makes random filter changes through the filter bar (year, townships,
  departments) and measures, in the page, the time from the click until the last change to the page once
  every callback request has answered (the browser paints it in the next frame): change → repaint;
- for each change, reads every callback request's Server-Timing header (dashboard/web/timing.py): ``app``, the
  server's time for the request, and ``db``, the time of the SQL it ran, with the number of statements; and the
  requests' number and sizes (compressed, and as JSON);
- then measures the floor: the same repaint with no server at all. The change's own responses were kept in the
  page; they are handed back to Dash's renderer through ``dash_clientside.set_props`` (the function a
  clientside callback uses to set props), first the previous change's, then this change's: the page repaints
  from the one state to the other and back, the same cards and charts through the same renderer and the same
  ``Plotly.react`` calls as the real change, only without requests. This is what Chromium needs to repaint what
  the change repaints, and what no server work can remove; it is the floor the target is set against.
  For reference, the plotly-only floor redraws only the charts, calling ``Plotly.react`` with exactly the
  arguments dcc.Graph passed it for the other state (the KPI cards are not rebuilt).

Both repaints are timed the same way: from the press of the click (or the replay's start) to the last change
to the page, noted by a MutationObserver; the page is taken as settled after 300 ms without one. It prints
medians and 95th percentiles, the ratio of the p95s (target: change → repaint ≤ 2 × floor), where a change's
time goes in the page (before the first request, waiting for the responses, after the last one), and the
server's time against its queries' (target: ≤ 3 ×). The requests of a change run at the same time in the
server's threads, beside the browser, on the same machine: their ``app`` times, added up, include their waits
for the CPU. So the benchmark sends each change's requests again, one at a time, with nothing else running,
first with the panel cache emptied, then cached: the server's own cost of a change.

``db`` is what the engine's cursors report: on PostgreSQL (psycopg reads the whole result in ``execute``) the
statements' whole round trips; on SQLite the time to each statement's first row, which for these aggregates is
nearly all of it (fetching the rest is in ``app``). Opening a connection is not SQL: it is in ``app``.
BENCH_TRACE=1 prints each change with each of its requests.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from desk_probe import (
    COLLECT,
    PROBE,
    QUIET,
    REPLAY_DASH,
    REPLAY_PLOTLY,
    REPLAY_RESULT,
    REPLAYED,
    SETTLED,
    START,
)
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dashboard.config import REDIS_PREFIX

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
]

YEARS = ["2022年", "2023年", "2024年", "2025年"]
TOWNS = ["城关街道", "青山镇", "白沙镇", "高新技术产业园区", "长岭乡", "东湖街道", "荷塘镇"]
DEPTS = ["区司法局", "区市场监督管理局", "区人力资源和社会保障局", "区行政审批局", "区住房和城乡建设局"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict) -> tuple[subprocess.Popen, str]:
    """gunicorn with the repository's gunicorn.conf.py on a free port: (the process, its base URL)."""
    port = free_port()
    command = [
        BIN / "gunicorn",
        "-c",
        ROOT / "gunicorn.conf.py",
        "-b",
        f"127.0.0.1:{port}",
        "dashboard.wsgi:server",
    ]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return server, f"http://127.0.0.1:{port}"


def wait_until_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
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
    page.evaluate(START)
    page.get_by_role("option", name=option, exact=True).click()


def change(page: Page, rng: random.Random) -> bool:
    """One random change through the filter bar; the timer starts just before the decisive click. True when the
    menu stays open (a multiple choice) and is to be closed once the change has settled.

    A township or department already chosen is chosen again, which removes it: selections grow and shrink.
    """
    kind = rng.choice(["year", "township", "township", "department"])
    if kind == "year":
        current = page.locator("#filter-year").inner_text()
        page.locator("#filter-year").click()
        pick(page, rng.choice([y for y in YEARS if y not in current]))
        return False
    control = "filter-township" if kind == "township" else "filter-department"
    page.locator(f"#{control}").click()
    pick(page, rng.choice(TOWNS if kind == "township" else DEPTS))
    return True


def replay(page: Page, script: str, k: int) -> float:
    page.evaluate(script, k)
    page.wait_for_function(REPLAYED, timeout=30_000)
    ms, requests = page.evaluate(REPLAY_RESULT)
    if requests:
        raise SystemExit(f"a replay made {requests} requests: it is not a floor")
    return ms


def run_changes(page: Page, base: str, changes: int, rng: random.Random) -> list[dict]:
    """Changes on the mediation and service pages; each with its floors (after the first on a page)."""
    done = []
    for path in ("/mediation", "/service"):
        page.goto(f"{base}{path}?year=2024")
        page.wait_for_selector(".kpi-card")
        page.wait_for_function("() => window.__inflight === 0")
        for k in range(changes // 2):
            menu_open = change(page, rng)
            page.wait_for_function(SETTLED, timeout=60_000)
            result = page.evaluate(COLLECT)
            if menu_open:
                # A person closes the menu after looking, a second action of its own: pressed at once, as the
                # driver did before, its work fell inside the change it would follow by seconds.
                page.keyboard.press("Escape")
                page.wait_for_function(QUIET, timeout=30_000)
            result["page"] = path
            if k:
                index = page.evaluate("window.__history.length") - 1
                result["floor"] = [replay(page, REPLAY_DASH, index - 1), replay(page, REPLAY_DASH, index)]
                result["plotly"] = [
                    replay(page, REPLAY_PLOTLY, index - 1),
                    replay(page, REPLAY_PLOTLY, index),
                ]
            done.append(result)
            if os.environ.get("BENCH_TRACE"):
                trace(result)
    return done


TIMING = re.compile(r'(\w+);dur=([0-9.]+)(?:;desc="([^"]*)")?')


def trace(result: dict) -> None:
    floor = result.get("floor")
    print(
        f"{result['page']}: repaint {result['repaint']:.0f} ms, floor {floor and [round(f) for f in floor]}, "
        f"in Plotly.react (calls overlap) {result['react']:.0f} ms, server {result['app']:.1f} ms, sql {result['db']:.1f} ms, "
        f"{len(result['requests'])} requests, {result['transfer'] / 1000:.1f} kB"
    )
    for r in result["requests"]:
        parts = {m[0]: (m[1], m[2]) for m in TIMING.findall(r["timing"])}
        app, db = parts.get("app", ("?", "")), parts.get("db", ("?", ""))
        print(
            f"    {r['output'][:60]:60} sent {r['start']:4.0f} answered {r['headers']:4.0f} "
            f"status {r['status']} app {app[0]:>6} db {db[0]:>5} ({db[1]}) "
            f"{r['encoded'] / 1000:.1f} kB ({r['decoded'] / 1000:.1f} kB JSON)"
        )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


def stats(values: list[float], unit: str = "ms") -> str:
    return f"median {statistics.median(values):.0f} {unit}, p95 {p95(values):.0f} {unit}"


def report(done: list[dict]) -> None:
    repaint = [r["repaint"] for r in done]
    floor = [f for r in done for f in r.get("floor", [])]
    plotly = [f for r in done for f in r.get("plotly", [])]
    asked = [r for r in done if r["requests"]]
    before = [min(q["start"] for q in r["requests"]) for r in asked]
    waited = [
        max(q["headers"] for q in r["requests"]) - min(q["start"] for q in r["requests"]) for r in asked
    ]
    after = [r["repaint"] - max(q["headers"] for q in r["requests"]) for r in asked]
    app, db = [r["app"] for r in done], [r["db"] for r in done]
    print(f"change → repaint ({len(repaint)} changes): {stats(repaint)}")
    print(f"floor, the same repaint with no server ({len(floor)} replays): {stats(floor)}")
    print(f"    change → repaint p95 ÷ floor p95: {p95(repaint) / p95(floor):.2f} (target ≤ 2)")
    print(f"plotly-only floor, the charts alone ({len(plotly)} replays): {stats(plotly)}")
    print(f"    change → repaint p95 ÷ plotly-only floor p95: {p95(repaint) / p95(plotly):.2f}")
    print("where a change's time goes, in the page:")
    print(f"    from the click to the first request: {stats(before)}")
    print(f"    from the first request to the last response: {stats(waited)}")
    print(f"    from the last response to the repaint: {stats(after)}")
    print(f"server time per change (Server-Timing app, added up): {stats(app)}")
    print(f"SQL time per change (Server-Timing db, added up): {stats(db)}")
    ratios = [a / d for a, d in zip(app, db, strict=True) if d]
    print(
        f"    server ÷ SQL: {sum(app) / sum(db):.2f} over all changes; per change median "
        f"{statistics.median(ratios):.2f}, p95 {p95(ratios):.2f} (target ≤ 3)"
    )
    queries = [
        sum(int(m[2].split()[0]) for q in r["requests"] for m in TIMING.findall(q["timing"]) if m[2])
        for r in done
    ]
    print(f"SQL statements per change: {stats(queries, '')}")
    print(f"requests per change: {stats([len(r['requests']) for r in done], '')}")
    print(
        f"bytes per change: on the wire {stats([r['transfer'] / 1000 for r in done], 'kB')}; "
        f"as JSON {stats([r['decoded'] / 1000 for r in done], 'kB')}"
    )


BENCH_USER = "bench-leader"
BENCH_PASSWORD = "bench-password-0123"


def add_reader(env: dict) -> None:
    """A leader account to sign in with (the desk as a signed-in reader sees it: internal figures too)."""
    done = subprocess.run(
        [BIN / "dashboard", "user", "add", BENCH_USER, "--role", "leader"],
        env={**env, "DASHBOARD_PASSWORD": BENCH_PASSWORD},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 and "已存在" not in done.stderr:
        raise SystemExit(done.stderr.strip())


def sign_in(page: Page, base: str) -> str:
    """Sign the page in through the form; the session cookie's header, for the requests sent again."""
    page.goto(base + "/login")
    page.fill("#username", BENCH_USER)
    page.fill("#password", BENCH_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())


def empty_cache(cache: Path, redis_url: str | None) -> None:
    """Forget every cached panel: the files of the file cache, or the app's keys in Redis."""
    if redis_url:
        import redis

        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(REDIS_PREFIX + "*"))
        if keys:
            client.delete(*keys)
        return
    # the files, not the folder: the workers' caches write into it
    for entry in cache.glob("*"):
        entry.unlink()


def one_at_a_time(
    base: str, done: list[dict], cache: Path, cookie: str | None = None, redis_url: str | None = None
) -> None:
    """Each change's requests sent again, one after the other with nothing else running: the server's own cost
    of a change, without the waits for the CPU that requests sent together (and the browser) cause. First with
    the panel cache emptied (what a change to a new filter costs), then again (the same change, cached)."""
    for label in ("panel cache emptied", "cached"):
        if label.startswith("panel"):
            empty_cache(cache, redis_url)
        app, db = [], []
        for change_ in done:
            totals = [0.0, 0.0]
            for request in change_["requests"]:
                post = urllib.request.Request(
                    base + "/_dash-update-component",
                    data=request["body"].encode(),
                    headers={
                        "Content-Type": "application/json",
                        "Accept-Encoding": "gzip, deflate, br, zstd",
                        # the browser's session, and its origin (a POST with a cookie must name its origin)
                        "Origin": base,
                        **({"Cookie": cookie} if cookie else {}),
                    },
                )
                with urllib.request.urlopen(post, timeout=60) as resp:
                    resp.read()
                    parts = {m[0]: float(m[1]) for m in TIMING.findall(resp.headers.get("Server-Timing", ""))}
                totals[0] += parts.get("app", 0.0)
                totals[1] += parts.get("db", 0.0)
            app.append(totals[0])
            db.append(totals[1])
        ratio = f"; server ÷ SQL {sum(app) / sum(db):.2f}" if label.startswith("panel") and sum(db) else ""
        print(f"the same requests one at a time, {label}: server {stats(app)}; SQL {stats(db)}{ratio}")


def build_store(args: argparse.Namespace, env: dict) -> tuple[str | None, object]:
    """The store to serve: (its URL, or None for the instance's SQLite file; a function that removes it)."""
    if args.database_url:
        return args.database_url, lambda: None
    if args.engine == "sqlite":
        subprocess.run([BIN / "dashboard", "init", "--demo", "--rows", str(args.rows)], env=env, check=True)
        return None, lambda: None
    name = f"fazhi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        subprocess.run(
            [BIN / "dashboard", "init", "--demo", "--rows", str(args.rows)],
            env={**env, "DATABASE_URL": url},
            check=True,
        )
        with create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    except BaseException:
        drop()
        raise
    return url, drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="PostgreSQL connection that may create and drop a database (--engine postgresql)",
    )
    ap.add_argument("--database-url", help="serve this store as it is (not built, not dropped)")
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--anonymous",
        action="store_true",
        help="measure as a visitor who has not signed in (default: a leader)",
    )
    ap.add_argument(
        "--redis-url",
        help="the panel cache in this Redis, as deployed (the app's keys are deleted first); default: a file cache",
    )
    args = ap.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="fazhi-desk-bench-"))
    env = {**os.environ, "DASHBOARD_INSTANCE_PATH": str(instance)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
        # what an earlier run cached would be hits in this one
        empty_cache(instance / "cache", args.redis_url)
    url, remove = build_store(args, env)
    if url:
        env["DATABASE_URL"] = url
    if not args.anonymous:
        add_reader(env)
    server, base = start_gunicorn(env)
    engine = make_url(url).get_backend_name() if url else "sqlite"
    rows = "given store" if args.database_url else f"about {args.rows:,} register rows"
    try:
        wait_until_up(base + "/api/v1/dimensions", server)
        reader = "a visitor, not signed in" if args.anonymous else "a leader, signed in"
        print(
            f"store: {rows} ({engine}); server: gunicorn, gunicorn.conf.py (2 workers × 4 threads), "
            f"{'Redis' if args.redis_url else 'file'} cache;"
            f" reader: {reader}"
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for path in ("/", "/mediation"):
                size, count = first_page_bytes(browser, base + path)
                print(f"first page {path}: {size / 1e6:.2f} MB on the wire in {count} requests")
            page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
            cookie = None if args.anonymous else sign_in(page, base)
            page.add_init_script(PROBE)
            done = run_changes(page, base, args.changes, random.Random(args.seed))
            browser.close()
        report(done)
        one_at_a_time(base, done, instance / "cache", cookie, args.redis_url)
    finally:
        server.terminate()
        server.wait(timeout=10)
        remove()
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
