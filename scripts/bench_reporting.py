"""Benchmark of the reporting rhythm (报送) and the organisation import on a big store.

    .venv/bin/python scripts/bench_reporting.py --rows 1000000 --engine sqlite
    .venv/bin/python scripts/bench_reporting.py --rows 10000000 --engine postgresql [--repeat 20] [--keep]
    .venv/bin/python scripts/bench_reporting.py --database-url URL      # a store kept by bench_store.py --keep

It builds a fresh demo store of about N register rows as scripts/bench_store.py does (or uses the one given), then:

1. imports an organisation of 200 departments and 50 townships from the organisation workbook, as
   `dashboard org import FILE` does (the command itself, in this process: reading the workbook, checking every
   row, writing and auditing) — first into an empty store, then into the big one (250 new units), then again
   (nothing changed);
2. gives each of the 250 units 12 registers to send (3,000 duties) and publishes, for every year the store holds,
   each unit's register of each month (36,000 batches a year; about 1 in 20 left unsent, 1 in 10 late);
3. times, many times over, beside the floor measured in the same run (a SELECT 1 round trip on the same
   connection): a month's status (`dashboard reporting status --month`, the command itself, its 3,000 lines
   printed to nowhere), a year's status (the /data/reporting matrix: 12 months), and the 报送未齐 notes every
   figure request adds (data/reporting_note.py).

Targets (issue 18): the import under 5 s; a year's status under 1 s on PostgreSQL with 10M rows.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine, create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.cli.commands import run as run_command  # noqa: E402
from data import demo, org_workbook, reporting  # noqa: E402
from data.registers import REGISTERS as REGISTER_SPECS  # noqa: E402
from data.reporting_matrix import matrix  # noqa: E402
from data.reporting_note import _notes, register_notes  # noqa: E402
from data.schema import REGISTERS, import_batch, published_version  # noqa: E402
from data.schema_district import DEFAULT_DUE_DAY, report_duty  # noqa: E402
from data.store import migrate  # noqa: E402

DEPARTMENTS, TOWNSHIPS = 200, 50


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Median and 95th percentile of the wall time, and median of this process's CPU time, in ms: on a shared
    machine the wall time includes waiting for a core, the CPU time does not (nor the server's work)."""
    fn()  # warm the caches of the database and of Python
    samples, cpu = [], []
    for _ in range(repeat):
        start, busy = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - busy) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], statistics.median(cpu)


def organisation(folder: Path, prefix: str) -> Path:
    """The organisation workbook filled with 200 departments and 50 townships, as a district fills it."""
    blank = folder / "template.xlsx"
    org_workbook.write_template(blank)
    book = load_workbook(blank)
    kinds = ["镇", "乡", "街道", "园区"]
    rows = {
        org_workbook.DEPARTMENT_SHEET: [
            [f"{prefix}D{i:03d}", f"区第{i}局", f"第{i}局", i] for i in range(1, DEPARTMENTS + 1)
        ],
        org_workbook.TOWNSHIP_SHEET: [
            [f"{prefix}t{i:02d}", f"第{i}{kinds[i % 4]}", kinds[i % 4], i] for i in range(1, TOWNSHIPS + 1)
        ],
    }
    for sheet, filled in rows.items():
        ws = book[sheet]
        ws.delete_rows(2, ws.max_row)
        for row in filled:
            ws.append(row)
    out = folder / f"组织机构{prefix}.xlsx"
    book.save(out)
    return out


def command(url: str, *args: str) -> float:
    """Seconds the `dashboard` command takes in this process (its output thrown away); exit 0 required."""
    os.environ["DATABASE_URL"] = url
    quiet = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        code = run_command(list(args))
    took = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"dashboard {' '.join(args)} exited {code}: {quiet.getvalue()[-500:]}")
    return took


def units_of(prefix: str) -> list[str]:
    return [f"{prefix}D{i:03d}" for i in range(1, DEPARTMENTS + 1)] + [
        f"{prefix}t{i:02d}" for i in range(1, TOWNSHIPS + 1)
    ]


def rhythm(engine: Engine, units: list[str], years: list[int]) -> int:
    """Duties for every unit and register, and a year of monthly publishes per year; returns batches written."""
    rng = random.Random(18)
    township = {u for u in units if "t" in u[-3:]}
    with engine.begin() as conn:
        conn.execute(
            insert(report_duty),
            [{"unit_code": u, "register": r, "due_day": None} for u in units for r in REGISTER_SPECS],
        )
        next_id = (conn.scalar(select(func.max(import_batch.c.id))) or 0) + 1
        written = 0
        for year in years:
            batches, versions = [], []
            for month in range(1, 13):
                first = date(year, month, 1)
                last = reporting.due_date(year, month, 1) - timedelta(days=1)
                for unit in units:
                    for register in REGISTER_SPECS:
                        if rng.random() < 0.05:
                            continue  # not sent
                        late = 20 if rng.random() < 0.1 else 0
                        at = datetime.combine(reporting.due_date(year, month, 5), datetime.min.time(), UTC)
                        at += timedelta(days=late)
                        batches.append(
                            {
                                "id": next_id,
                                "kind": "register",
                                "register": register,
                                "department_code": None if unit in township else unit,
                                "township_code": unit if unit in township else None,
                                "period_start": first,
                                "period_end": last,
                                "status": "published",
                                "step": "",
                                "progress": 100,
                                "created_at": at,
                                "error_count": 0,
                            }
                        )
                        versions.append({"batch_id": next_id, "published_at": at, "summary": "{}"})
                        next_id += 1
            for start in range(0, len(batches), 5000):
                conn.execute(insert(import_batch), batches[start : start + 5000])
                conn.execute(insert(published_version), versions[start : start + 5000])
            written += len(batches)
        if engine.dialect.name == "postgresql":
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('import_batch', 'id'), :n)"), {"n": next_id}
            )
    return written


def new_store(args, folder: Path) -> tuple[str, Callable[[], None]]:
    """A fresh database (its URL) and how to drop it."""
    if args.engine == "sqlite":
        path = folder / f"{uuid.uuid4().hex[:8]}.db"
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)
    name = f"fazhi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return make_url(args.admin_url).set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument(
        "--database-url", help="a big store already built (bench_store.py --keep): used, not dropped"
    )
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument(
        "--keep", action="store_true", help="leave the store built here in place and print its URL"
    )
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="fazhi-bench-reporting-"))
    drops: list[Callable[[], None]] = []
    kept = ""  # the file name of a SQLite store kept with --keep
    try:
        # 1a. the organisation into an empty store: a district's first day
        empty, drop = new_store(args, folder)
        drops.append(drop)
        command(empty, "init")
        first_import = command(empty, "org", "import", str(organisation(folder, "")))
        again = command(empty, "org", "import", str(organisation(folder, "")))

        if args.database_url:
            url = args.database_url
        else:
            url, drop = new_store(args, folder)
            if args.keep and args.engine == "sqlite":
                kept = Path(make_url(url).database).name
            if not args.keep:
                drops.append(drop)
        from data.engine import open_engine

        engine = open_engine(url, create=True)
        if not args.database_url:
            migrate(engine)
            start = time.perf_counter()
            with engine.begin() as conn:
                demo.generate(conn, scale=demo.scale_for_rows(args.rows))
            print(f"demo store built in {time.perf_counter() - start:.0f} s", flush=True)
        with engine.connect() as conn:
            done = conn.scalar(select(func.count()).select_from(report_duty))
        # 1b. the organisation into the big store (250 new units), then once more (nothing changed)
        big_import = command(url, "org", "import", str(organisation(folder, "B")))
        big_again = command(url, "org", "import", str(organisation(folder, "B")))
        with engine.connect() as conn:
            rows = sum(conn.scalar(select(func.count()).select_from(t)) for t in REGISTERS.values())
            years = [y for (y,) in conn.execute(text("SELECT DISTINCT year FROM calendar ORDER BY year"))]
        # 2. the rhythm: duties and monthly publishes for every year the store holds
        start = time.perf_counter()
        # a store this script kept (--keep) already has its rhythm: measured again as it is
        batches = 0 if done else rhythm(engine, units_of("B"), years)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        print(
            f"engine: {engine.dialect.name}; register rows: {rows:,}; years {years[0]}–{years[-1]}; "
            f"{len(units_of('B'))} units × {len(REGISTER_SPECS)} registers = "
            f"{len(units_of('B')) * len(REGISTER_SPECS):,} duties; {batches:,} published batches "
            f"(written in {time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        print()
        print("| organisation import (`dashboard org import`, 200 departments + 50 townships) | s | target |")
        print("|---|---:|---:|")
        for label, took in (
            ("into an empty store (250 new units)", first_import),
            ("again, nothing changed", again),
            (
                f"into the store of {rows:,} rows ({'no change: kept store' if done else '250 new units'})",
                big_import,
            ),
            ("again, nothing changed", big_again),
        ):
            print(f"| {label} | {took:.2f} | < 5 |")
        print()

        year = years[-1]
        today = date(year + 1, 6, 1)
        print(
            f"| {year} ({args.repeat} runs each) | median ms | p95 ms | median ÷ floor | CPU ms (this process) | target |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        with engine.connect() as conn:
            floor, _, _ = timed(lambda: conn.execute(text("SELECT 1")).scalar(), args.repeat * 5)
            print(f"| floor: SELECT 1 round trip | {floor:.3f} | | 1× | | |")
            queries: dict[str, tuple[Callable[[], object], str]] = {
                "a month's status (data/reporting.status, 3,000 duties)": (
                    lambda: reporting.status(conn, year, 2),
                    "",
                ),
                "a year's status (data/reporting.statuses, 12 months × 3,000 duties)": (
                    lambda: reporting.statuses(conn, year),
                    "< 1000",
                ),
                "the /data/reporting matrix of the year (status and 催报)": (
                    lambda: matrix(conn, year, today),
                    "< 1000",
                ),
                "报送未齐 notes of the year, computed (data/reporting_note._notes)": (
                    lambda: _notes(conn, year, (1, 12), today, DEFAULT_DUE_DAY),
                    "",
                ),
                "报送未齐 notes, as every figures request asks (kept by data version)": (
                    lambda: register_notes(conn, year, (1, 12), today),
                    "",
                ),
            }
            for label, (fn, target) in queries.items():
                med, p95, cpu = timed(fn, args.repeat)
                print(
                    f"| {label} | {med:.1f} | {p95:.1f} | {med / floor:.0f}× | {cpu:.0f} | {target} |",
                    flush=True,
                )
        med, p95, cpu = timed(lambda: command(url, "reporting", "status", "--month", f"{year}-02"), 5)
        print(
            f"| `dashboard reporting status --month {year}-02` (in process, output discarded) | {med:.0f} | {p95:.0f} | {med / floor:.0f}× | {cpu:.0f} | < 1000 |"
        )
        engine.dispose()
        if args.keep and not args.database_url:
            print(f"kept: {url}")
    finally:
        for drop in drops:
            drop()
        # everything but a SQLite store kept on purpose (its URL was printed), with its -wal and -shm
        for f in folder.glob("*"):
            if not (kept and f.name.startswith(kept)):
                f.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


if __name__ == "__main__":
    main()
