"""Benchmark of the warnings (预警): every rule evaluated as a publish does it, on a big store, against a floor.

    .venv/bin/python scripts/bench_alerts.py --rows 1000000 --engine postgresql
    .venv/bin/python scripts/bench_alerts.py --database-url URL        # a store already built (bench_store --keep)

A fresh store of about --rows register rows (as `dashboard init --demo --rows N`; PostgreSQL: a new database,
dropped at the end unless --keep), or --database-url. Then, each --repeat times, in a transaction rolled back:
1. ``alerts.evaluate`` for the years one register publish of 2024 touches (2024 and 2025, as
   data/imports/publish.py asks), and for every year (a figure publish or a rollback of one);
2. the floor: the reads the evaluation cannot do without, done once with nothing computed: the year's and the
   previous year's summary rows (data/alerts_year.load_year) and the overdue rules' register counts.
Prints the median and the slowest of each, the ratio to the floor, and the target (2 s).
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

from data import alert_rules, alerts, demo
from data.alerts_compute import overdue_rules
from data.alerts_year import load_year
from data.engine import open_engine
from data.schema import REGISTERS
from data.store import migrate

TARGET = 2.0  # seconds, every rule after a publish on PostgreSQL with a big store (issue 20)


def timed(engine, work, repeat: int) -> tuple[float, float]:
    spent = []
    for run in range(repeat + 1):  # the first run warms the caches and is not counted
        with engine.connect() as conn:
            transaction = conn.begin()
            start = time.perf_counter()
            work(conn)
            if run:
                spent.append(time.perf_counter() - start)
            transaction.rollback()
    return statistics.median(spent), max(spent)


def floor(conn, years: list[int]) -> None:
    overdue = [r for r in alert_rules.rules(conn) if r.kind == "overdue"]
    for year in years:
        data = load_year(conn, year)
        for rule in overdue:
            overdue_rules(conn, data, rule)


def build(args) -> tuple[str, object]:
    if args.database_url:
        return args.database_url, None
    if args.engine == "sqlite":
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='fazhi-bench-')) / 'bench.db'}", None
    name = f"fazhi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(args.admin_url).set(database=name).render_as_string(hide_password=False), (admin, name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="postgresql")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument("--database-url", help="a store already built: nothing is generated or dropped")
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--keep", action="store_true", help="leave the store in place and print its URL")
    args = ap.parse_args()
    url, dropped = build(args)
    try:
        engine = open_engine(url, create=True)
        migrate(engine)
        if not args.database_url:
            start = time.perf_counter()
            with engine.begin() as conn:
                demo.generate(conn, scale=demo.scale_for_rows(args.rows))
            print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
            if engine.dialect.name == "postgresql":
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            rows = sum(conn.scalar(select(func.count()).select_from(t)) for t in REGISTERS.values())
            held = sorted(alerts.coverage(conn))
        print(f"engine: {engine.dialect.name}; register rows: {rows:,}; years: {held}", flush=True)
        publish_years = [y for y in (2024, 2025) if y in held]
        cases = {
            "floor: the reads alone (2024, 2025)": lambda c: floor(c, publish_years),
            "evaluate after a publish of 2024 (2024, 2025)": lambda c: alerts.evaluate(c, publish_years),
            "floor: the reads alone (every year)": lambda c: floor(c, held),
            "evaluate every year (figure publish, rollback)": lambda c: alerts.evaluate(c),
        }
        results = {name: timed(engine, work, args.repeat) for name, work in cases.items()}
        with engine.connect() as conn:
            raised = alerts.evaluate(conn)
            conn.rollback()
        floors = {
            "evaluate after a publish of 2024 (2024, 2025)": "floor: the reads alone (2024, 2025)",
            "evaluate every year (figure publish, rollback)": "floor: the reads alone (every year)",
        }
        print(f"| case | median | slowest | ÷ floor |  ({raised} warnings, {args.repeat} runs)")
        for name, (median, slowest) in results.items():
            ratio = f"{median / results[floors[name]][0]:.1f}×" if name in floors else ""
            print(f"| {name} | {median * 1000:.0f} ms | {slowest * 1000:.0f} ms | {ratio} |")
        worst = results["evaluate every year (figure publish, rollback)"][1]
        print(
            f"target: every rule after a publish under {TARGET:.0f} s; slowest here {worst:.2f} s", flush=True
        )
        if args.keep:
            print(f"kept: {url}")
        engine.dispose()
    finally:
        if dropped and not args.keep:
            admin, name = dropped
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
