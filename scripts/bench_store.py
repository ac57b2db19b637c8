"""Benchmark of the store: size and standard query times of a demo store of about N register rows.

    .venv/bin/python scripts/bench_store.py --rows 1000000 --engine sqlite
    .venv/bin/python scripts/bench_store.py --rows 1000000 --engine postgresql [--admin-url URL]

It builds a fresh store (a temporary SQLite file, or a new database on the PostgreSQL server), times the demo
generation, then runs each standard query many times and prints the median and 95th percentile in ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from data import demo
from data.queries.figures import figures
from data.queries.filters import Filters
from data.queries.records import records
from data.queries.series import breakdown, monthly
from data.schema import REGISTERS
from data.store import migrate, open_engine


def timed(fn, repeat: int) -> tuple[float, float]:
    fn()  # warm the cache of the database and of Python
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument("--repeat", type=int, default=50)
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
        engine = open_engine(url)
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
            f"store size: {size / 1e6:.0f} MB"
        )

        town = Filters(2024, townships=("qingshan", "baisha"))
        dept = Filters(2024, departments=("SFJ", "RSJ", "ZJJ"))
        queries = {
            "all figures, no filter (62 indicators, with last year)": lambda c: figures(c, Filters(2024)),
            "all figures, 2 townships": lambda c: figures(c, town),
            "all figures, 3 departments": lambda c: figures(c, dept),
            "one area's figures (mediation), 2 townships": lambda c: figures(c, town, area="mediation"),
            "monthly series of a rate, 2 townships": lambda c: monthly(c, "hotline_satisfaction_rate", town),
            "breakdown by township (12345 requests)": lambda c: breakdown(
                c, "hotline_requests", Filters(2024), "township"
            ),
            "breakdown by department (12345 requests)": lambda c: breakdown(
                c, "hotline_requests", Filters(2024), "department"
            ),
            "records page 1 (12345, 2 townships, with total)": lambda c: records(
                c, "hotline_requests", town, page=1
            ),
            "records page 100 (12345, 2 townships, with total)": lambda c: records(
                c, "hotline_requests", town, page=100
            ),
        }
        print("| query | median ms | p95 ms |")
        print("|---|---:|---:|")
        with engine.connect() as conn:
            for label, fn in queries.items():
                med, p95 = timed(lambda fn=fn: fn(conn), args.repeat)
                print(f"| {label} | {med:.1f} | {p95:.1f} |")
        engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for f in folder.glob("*"):
            f.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
