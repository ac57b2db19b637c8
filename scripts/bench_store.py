"""Benchmark of the store: size and standard query times of a demo store of about N register rows.

    .venv/bin/python scripts/bench_store.py --rows 1000000 --engine sqlite
    .venv/bin/python scripts/bench_store.py --rows 10000000 --engine postgresql [--admin-url URL] [--keep]

It builds a fresh store (a temporary SQLite file, or a new database on the PostgreSQL server), times the demo
generation, then runs each standard query many times and prints the median and 95th percentile in ms, beside
its floor: the round trip of a trivial statement (SELECT 1) on the same connection, what any query costs
whatever it reads. The records (明细) are read as the grid reads them (data/queries/records.py ``block``):
page 1, page 1000 by keyset from the last row of page 999, the last page from the end of the list, and, for
contrast, page 1000 by OFFSET (a jump with no known neighbour). ``--keep`` leaves the store in place and
prints its URL, for scripts/bench_desk.py --database-url; the caller then drops it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.engine import make_url

from data import demo
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import block
from data.queries.series import breakdown, monthly
from data.schema import REGISTERS
from data.store import get_meta, migrate

PAGE = 50  # rows per page, as the grid asks for them (layouts/records.py PAGE_SIZE)


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm the cache of the database and of Python
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def record_queries(conn: Connection, code: str, filters: Filters) -> dict[str, Callable[[], object]]:
    """The grid's reads of the list behind ``code``, page 1000 reached as the grid reaches it (none when the
    list has fewer than 1000 pages)."""
    first = block(conn, code, filters, 0, PAGE)
    total, deep = first.total, 999 * PAGE
    if total < deep + PAGE:
        print(
            f"| records of {code}, {filters}: {total:,} rows, fewer than 1000 pages (use more --rows) | | | |"
        )
        return {}
    previous = block(conn, code, filters, deep - PAGE, PAGE, total=total)  # page 999, by OFFSET, once
    after = previous.last_key
    last = (total - 1) // PAGE * PAGE
    return {
        "page 1 (rows and count)": lambda: block(conn, code, filters, 0, PAGE),
        "page 1000 by keyset (rows and count)": lambda: block(conn, code, filters, deep, PAGE, after=after),
        "page 1000 by keyset (count remembered)": lambda: block(
            conn, code, filters, deep, PAGE, after=after, total=total
        ),
        "last page, from the end (count remembered)": lambda: block(
            conn, code, filters, last, PAGE, total=total
        ),
        "page 1000 by OFFSET, no known neighbour (count remembered)": lambda: block(
            conn, code, filters, deep, PAGE, total=total
        ),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument("--repeat", type=int, default=50)
    ap.add_argument("--keep", action="store_true", help="leave the store in place and print its URL")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    admin = None
    if args.engine == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
    else:
        name = f"fazhi_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = open_engine(url, create=True)
        migrate(engine)
        scale = demo.scale_for_rows(args.rows)
        start = time.perf_counter()
        with engine.begin() as conn:
            demo.generate(conn, scale=scale)
        build = time.perf_counter() - start
        if args.engine == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            rows = sum(conn.scalar(select(func.count()).select_from(t)) for t in REGISTERS.values())
            if args.engine == "sqlite":
                size = (folder / "bench.db").stat().st_size
            else:
                size = conn.scalar(text("SELECT pg_database_size(current_database())"))
        print(
            f"engine: {args.engine}; register rows: {rows:,} (scale {scale:.3f}); build: {build:.1f} s; "
            f"store size: {size / 1e6:.0f} MB",
            flush=True,
        )

        town = Filters(2024, townships=("qingshan", "baisha"), scope=OPERATOR)
        dept = Filters(2024, departments=("SFJ", "RSJ", "ZJJ"), scope=OPERATOR)
        queries: dict[str, Callable[[Connection], object]] = {
            "floor: SELECT 1 round trip": lambda c: c.execute(text("SELECT 1")).scalar(),
            "data version (read by every panel request)": lambda c: get_meta(c, "data_version", "0"),
            "all figures, no filter (62 indicators, with last year)": lambda c: figures(
                c, Filters(2024, scope=OPERATOR)
            ),
            "all figures, 2 townships": lambda c: figures(c, town),
            "all figures, 3 departments": lambda c: figures(c, dept),
            "one area's figures (mediation), 2 townships": lambda c: figures(c, town, area="mediation"),
            "monthly series of a rate, 2 townships": lambda c: monthly(c, "hotline_satisfaction_rate", town),
            "breakdown by township (12345 requests)": lambda c: breakdown(
                c, "hotline_requests", Filters(2024, scope=OPERATOR), "township"
            ),
            "breakdown by department (12345 requests)": lambda c: breakdown(
                c, "hotline_requests", Filters(2024, scope=OPERATOR), "department"
            ),
        }
        print("| query | median ms | p95 ms | median ÷ floor |")
        print("|---|---:|---:|---:|")
        with engine.connect() as conn:
            floor = None
            for label, fn in queries.items():
                med, p95 = timed(lambda fn=fn: fn(conn), args.repeat)
                floor = floor or med
                print(f"| {label} | {med:.2f} | {p95:.2f} | {med / floor:.0f}× |", flush=True)
            for what, code, filters in (
                ("12345 requests, 2 townships", "hotline_requests", town),
                ("12345 requests, whole district", "hotline_requests", Filters(2024, scope=OPERATOR)),
            ):
                first = None
                for label, fn in record_queries(conn, code, filters).items():
                    med, p95 = timed(fn, args.repeat)
                    first = first or med
                    print(
                        f"| records {what}: {label} | {med:.2f} | {p95:.2f} | "
                        f"{med / floor:.0f}× (÷ page 1: {med / first:.2f}) |",
                        flush=True,
                    )
        engine.dispose()
        if args.keep:
            print(f"kept: {url}")
    finally:
        if admin is not None and not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not (args.keep and args.engine == "sqlite"):
            for f in folder.glob("*"):
                f.unlink()
            folder.rmdir()


if __name__ == "__main__":
    main()
