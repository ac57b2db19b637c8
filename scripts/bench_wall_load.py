"""Load test of the big screen: many walls on one server, each doing what screen.js does, for minutes.

    .venv/bin/python scripts/bench_wall_load.py                      # 100 walls, 10 minutes, a check every 30 s
    .venv/bin/python scripts/bench_wall_load.py --walls 20 --minutes 2

It builds the demo store in a throwaway instance, serves it with gunicorn and the repository's gunicorn.conf.py
(2 workers of 4 threads, SQLite), makes kiosk links with `dashboard kiosk create` (three kinds: every screen;
overview, mediation and security; three screens pinned to one township), and starts the walls spread over the first
check interval. Each wall replays a real screen's requests: the page, its three static files, then every
``--check`` seconds the version check, and when the version changed each screen of its rotation's panels at once
(as screen.js's Promise.all does). Every ``--change-every`` seconds the benchmark changes a figure and bumps the
data version, as a publish does, and notes when each wall had fetched the new panels.

Before the load, in the same run, the floor: what one version check reads, straight from the database (the kiosk
link and the version, as the route does), and the same check sent alone through the server. It prints, for each
kind of request, the count, errors, median, p95 and max, the ratio of the checks' p95 under load to the floor's,
the server's own time for a check (its Server-Timing header), and how long each data change took to reach every
wall. Targets (issue 9): 0 errors, p95 ≤ 200 ms, a change on every wall within one check interval.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import requests
from wall_server import Wall, served

from data.kiosk import link_for_token
from data.store import get_meta

CONFIG = re.compile(r'<script type="application/json" id="screen-config">(.*?)</script>', re.S)
STATIC = re.compile(r'(?:src|href)="(/screen/static/[^"]+)"')
TIMING = re.compile(r"(\w+);dur=([\d.]+)")


class Log:
    """Every request's kind, time and outcome; appended from many threads (list.append is atomic)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, bool, dict[str, float]]] = []
        self.failures: list[str] = []

    def get(self, session: requests.Session, kind: str, url: str, **params: str) -> requests.Response | None:
        started = time.perf_counter()
        try:
            response = session.get(url, params=params, timeout=30)
            ok = response.status_code == 200
        except requests.RequestException as exc:
            self.rows.append((kind, time.perf_counter() - started, False, {}))
            self.failures.append(f"{kind}: {exc}")
            return None
        server = {name: float(ms) for name, ms in TIMING.findall(response.headers.get("Server-Timing", ""))}
        self.rows.append((kind, time.perf_counter() - started, ok, server))
        if not ok:
            self.failures.append(f"{kind}: HTTP {response.status_code}")
        return response


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def line(name: str, seconds: list[float], errors: int = 0, noun: str = "requests") -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"  {name:<14} {len(ms):>6} {noun}, {errors} errors; median {statistics.median(ms):7.1f} ms, "
        f"p95 {p95(ms):7.1f} ms, max {max(ms):7.1f} ms"
    )


def floor(wall: Wall, url: str, rounds: int = 300) -> float:
    """The check alone: from the database, then through the server. Returns the server-alone p95 in seconds."""
    token = parse_qs(urlsplit(url).query)["kiosk"][0]
    alone = []
    for _ in range(rounds):
        started = time.perf_counter()
        with wall.engine.begin() as conn:
            link_for_token(conn, token)
            get_meta(conn, "data_version")
        alone.append(time.perf_counter() - started)
    log = Log()
    with requests.Session() as session:
        for _ in range(rounds):
            log.get(session, "version", wall.base + "/screen/version", kiosk=token)
    through = [row[1] for row in log.rows]
    app = [row[3].get("app", 0.0) for row in log.rows]
    print("floor, nothing else running:")
    print(line("database alone", alone, noun="reads   "))
    print(line("version check", through, len(log.failures)))
    print(f"  the server's own time for a check (Server-Timing app): median {statistics.median(app):.2f} ms")
    return p95(through)


class Walls:
    def __init__(self, wall: Wall, urls: list[str], args: argparse.Namespace) -> None:
        self.wall, self.urls, self.args = wall, urls, args
        self.log = Log()
        self.fetched: dict[int, list[tuple[int, float]]] = {}
        self.pool = ThreadPoolExecutor(max_workers=4 * args.walls)
        self.end = time.monotonic() + args.minutes * 60

    def run_one(self, number: int, delay: float) -> None:
        time.sleep(delay)
        url = self.urls[number % len(self.urls)]
        token = parse_qs(urlsplit(url).query)["kiosk"][0]
        base = self.wall.base
        session = requests.Session()
        page = self.log.get(session, "page", url)
        if page is None:
            return
        config = json.loads(CONFIG.search(page.text).group(1))
        for path in STATIC.findall(page.text):
            self.log.get(session, "static", base + path)
        shown, fetched = None, self.fetched.setdefault(number, [])
        due = time.monotonic()
        while time.monotonic() < self.end:
            answer = self.log.get(session, "version", base + config["paths"]["version"], kiosk=token)
            version = answer.json()["version"] if answer is not None and answer.ok else shown
            if version != shown:
                asks = [
                    self.pool.submit(
                        self.log.get,
                        requests,
                        "data",
                        base + config["paths"]["data"],
                        screen=name,
                        kiosk=token,
                    )
                    for name in config["rotation"]
                ]
                if all(ask.result() is not None and ask.result().ok for ask in asks):
                    shown = version
                    fetched.append((int(version), time.monotonic()))
            due += config["check"]
            time.sleep(max(0.0, due - time.monotonic()))
        session.close()

    def run(self) -> list[tuple[int, float]]:
        rng = random.Random(self.args.seed)
        walls = [
            threading.Thread(target=self.run_one, args=(n, rng.uniform(0, self.args.check)), daemon=True)
            for n in range(self.args.walls)
        ]
        for thread in walls:
            thread.start()
        changes, step = [], 0
        while time.monotonic() + self.args.change_every < self.end:
            time.sleep(self.args.change_every)
            step += 1
            self.wall.change_data(step)
            with self.wall.engine.connect() as conn:
                changes.append((int(get_meta(conn, "data_version")), time.monotonic()))
        for thread in walls:
            thread.join()
        self.pool.shutdown()
        return changes


def report(walls: Walls, changes: list[tuple[int, float]], floor_p95: float) -> None:
    rows = walls.log.rows
    print(
        f"under load: {walls.args.walls} walls, a check every {walls.args.check} s, {walls.args.minutes} min"
    )
    for kind in ("page", "static", "version", "data"):
        mine = [r for r in rows if r[0] == kind]
        if mine:
            print(line(kind, [r[1] for r in mine], sum(not r[2] for r in mine)))
    everything = [r[1] for r in rows]
    errors = sum(not r[2] for r in rows)
    print(line("all", everything, errors))
    checks = [r for r in rows if r[0] == "version"]
    app = [r[3].get("app", 0.0) for r in checks]
    print(f"  the server's own time for a check under load: median {statistics.median(app):.2f} ms")
    ratio = p95([r[1] for r in checks]) / floor_p95
    print(f"  checks' p95 under load / alone: {ratio:.1f}×")
    for failure in walls.log.failures[:10]:
        print("  failed:", failure)
    reach = []
    for version, at in changes:
        if at + walls.args.check + 10 > walls.end:
            continue
        firsts = [next((t for v, t in got if v >= version), None) for got in walls.fetched.values()]
        if None in firsts:
            print(f"  change to version {version}: {firsts.count(None)} walls never fetched it")
            continue
        reach.append(max(firsts) - at)
    if reach:
        print(
            f"  a data change on every wall: {len(reach)} changes, slowest wall after {max(reach):.1f} s "
            f"(median of the slowest {statistics.median(reach):.1f} s; check interval {walls.args.check} s)"
        )
    verdict = errors == 0 and p95(everything) <= 0.2 and reach and max(reach) <= walls.args.check + 5
    print("targets met" if verdict else "TARGETS NOT MET")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--walls", type=int, default=100)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--check", type=int, default=30, help="seconds between checks (the walls' check=)")
    ap.add_argument("--change-every", type=float, default=120, help="seconds between data changes")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    with served() as wall:
        links = [
            wall.kiosk("全部大屏"),
            wall.kiosk("三屏轮播", "--screens", "overview,mediation,security"),
            wall.kiosk("城关街道", "--screens", "overview,service,mediation", "--township", "chengguan"),
        ]
        urls = [f"{link}&check={args.check}" for link in links]
        floor_p95 = floor(wall, urls[0])
        walls = Walls(wall, urls, args)
        changes = walls.run()
        report(walls, changes, floor_p95)


if __name__ == "__main__":
    main()
