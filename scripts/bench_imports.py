"""Benchmark of real-data import: an .xlsx and a CSV checked and staged, a batch published, against floors.

    .venv/bin/python scripts/bench_imports.py                       # SQLite and PostgreSQL, fresh stores
    .venv/bin/python scripts/bench_imports.py --engines postgresql --rows-xlsx 100000 --rows-csv 1000000
    .venv/bin/python scripts/bench_imports.py --database-url URL    # a demo store already built (bench_store --keep)

Per engine: a fresh store (a temporary SQLite file, or a new database on the PostgreSQL server; dropped unless
--keep), migrated, with the demo district (--scale 1: about 520,000 register rows, so the register already
holds the year a publish replaces). For the register (--register, default service_transaction, the widest):
1. a --rows-xlsx .xlsx of valid rows of one department and year (real Excel dates, a title line above the
   header): ``stage.receive`` + ``stage.check`` timed until staged; floor: ``files.read_chunks`` alone;
2. ``publish.publish`` of that batch (replaced rows archived, summaries of the year rebuilt); floor: a plain
   ``bulk_insert`` of the same rows into an empty copy of the register (same columns and indexes);
3. a --rows-csv UTF-8 CSV of another department and year: ``dashboard import FILE --department X`` in a child
   process, its wall time and peak RSS (GNU time); floor: a child that only reads it (``files.read_chunks``).
   The upload limit (DASHBOARD_MAX_UPLOAD_MB, default 50 MB) is raised for the child when the CSV is larger.
Each step prints where its time went (functions of data/imports timed in place), its floor and the ratio; the
end prints the targets. With --database-url the version is rolled back and the CSV batch rejected at the end.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import xlsxwriter
from sqlalchemy import Column, Index, Integer, MetaData, Table, create_engine, func, select, text
from sqlalchemy.engine import make_url

from data import demo, facts
from data.bulk import bulk_insert
from data.demo_names import DEPARTMENTS, TOWNSHIPS
from data.engine import open_engine
from data.imports import batches, files, intake, preview, publish, stage, versions
from data.imports.batches import COMMAND_LINE
from data.imports.validate import Checker
from data.registers import REGISTERS as DECLARED
from data.schema import REGISTERS
from data.store import get_meta, migrate

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = Path(sys.executable).parent / "dashboard"
XLSX_SCOPE, CSV_SCOPE = ("SCJGJ", 2024), ("RSJ", 2023)  # (department, year): the xlsx replaces a demo year
TARGETS = {"xlsx": 30.0, "publish": 10.0, "csv": 90.0, "rss": 1024.0}  # s, s, s, MiB
READ_CSV = """import sys, time
from pathlib import Path
from data.imports import files, intake
u = intake.inspect(Path(sys.argv[1]), Path(sys.argv[1]).name, 1 << 40)
t = files.find_table(u, sys.argv[2])
start = time.perf_counter()
n = sum(len(c) for c in files.read_chunks(u, t))
print(n, time.perf_counter() - start)
"""


def say(*parts: object) -> None:
    print(*parts, flush=True)


class Timers:
    """Wraps functions where they are looked up and adds up the time spent in them (a generator: in its steps)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.undo: list[tuple[object, str, object]] = []

    def wrap(self, owner: object, name: str, label: str) -> None:
        original, spent = getattr(owner, name), self.spent
        spent[label] = 0.0  # reported in the order wrapped

        def steps(*a, **k):
            it, end = original(*a, **k), object()
            while True:
                t = time.perf_counter()
                item = next(it, end)
                spent[label] += time.perf_counter() - t
                if item is end:
                    return
                yield item

        def call(*a, **k):
            t = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                spent[label] += time.perf_counter() - t

        setattr(owner, name, steps if inspect.isgeneratorfunction(original) else call)
        self.undo.append((owner, name, original))

    def report(self, total: float) -> None:
        for owner, name, original in reversed(self.undo):
            setattr(owner, name, original)
        self.undo.clear()
        for label, seconds in self.spent.items():
            say(f"    {label:<58} {seconds:7.2f} s  {seconds / total:5.1%}")
        self.spent.clear()


def make_rows(register: str, n: int, dept: str, year: int, prefix: str, seed: int):
    """Valid rows of the register, as a clerk of ``dept`` fills them in: names, 是/否, dates of ``year``."""
    rng = random.Random(seed)
    fields = DECLARED[register].fields
    names = [f.name for f in fields]
    dept_name = {c: name for c, name, _s in DEPARTMENTS}[dept]
    towns = [name for _c, name, _k, _w in TOWNSHIPS]
    texts = [f"测试事项{i:03d}" for i in range(200)]
    start, days = date(year, 1, 1), (date(year, 12, 31) - date(year, 1, 1)).days + 1
    for i in range(1, n + 1):
        day = start + timedelta(days=rng.randrange(days))
        row = []
        for f in fields:
            if f.kind == "register_no":
                v = f"{prefix}-{i:07d}"
            elif f.name == "occurred_on":
                v = day
            elif f.kind == "date":  # completed_on / closed_on: on or after the day, or not yet
                v = None if rng.random() < 0.1 else day + timedelta(days=rng.randint(0, 20))
            elif f.kind == "department":
                v = dept_name
            elif f.kind == "township":
                v = None if rng.random() < 0.3 else rng.choice(towns)
            elif f.kind == "choice":
                v = None if not f.required and rng.random() < 0.2 else rng.choice(f.choices)
            elif f.kind == "bool":
                v = "是" if rng.random() < 0.8 else "否"
            elif f.kind == "int":
                v = rng.randint(f.minimum or 0, f.maximum or 20)
            else:
                v = rng.choice(texts)
            row.append(v)
        if "requests_resolved" in names:  # resolved ≤ raised
            a, b = names.index("requests_raised"), names.index("requests_resolved")
            row[b] = min(row[a], row[b])
        yield row


def write_xlsx(path: Path, register: str, rows) -> None:
    book = xlsxwriter.Workbook(path, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(DECLARED[register].label[:31])
    sheet.write_row(0, 0, [f"{DECLARED[register].label}（基准测试）"])
    sheet.write_row(1, 0, [f.label for f in DECLARED[register].fields])
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, row)
    book.close()


def write_csv(path: Path, register: str, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([f.label for f in DECLARED[register].fields])
        out.writerows(
            ["" if v is None else v.isoformat() if isinstance(v, date) else v for v in r] for r in rows
        )


def run_child(cmd: list[str], env: dict, log: Path) -> tuple[float, float, int]:
    """Wall time (s), peak RSS (MiB) and exit code of a child process. The peak is GNU time's: the child's own
    ru_maxrss (os.wait4, RUSAGE_CHILDREN) starts at this process's peak, which Linux carries across the exec."""
    peak = log.with_suffix(".rss")
    with log.open("w") as out:
        start = time.perf_counter()
        cmd = ["/usr/bin/time", "-f", "%M", "-o", str(peak), *cmd]
        rc = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT).returncode
        wall = time.perf_counter() - start
    return wall, int(peak.read_text().split()[-1]) / 1024, rc


def copy_of(source: Table) -> Table:
    """An empty table shaped like the register, with the same indexes (the floor of inserting into it)."""
    name = f"bench_copy_{source.name}"
    columns = [Column("id", Integer, primary_key=True, autoincrement=True)]
    columns += [Column(c.name, c.type, nullable=c.nullable) for c in source.c if c.name != "id"]
    indexes = [
        Index(i.name.replace(source.name, name), *i.columns.keys(), unique=i.unique) for i in source.indexes
    ]
    return Table(name, MetaData(), *columns, *indexes)


def bench(url: str, label: str, folder: Path, args, fresh: bool) -> list[tuple]:
    engine, register, timers = open_engine(url, create=fresh), args.register, Timers()
    if fresh:
        migrate(engine)
        start = time.perf_counter()
        with engine.begin() as conn:
            demo.generate(conn, scale=args.scale)
        say(f"[{label}] demo store (scale {args.scale:g}) built in {time.perf_counter() - start:.1f} s")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    with engine.connect() as conn:
        if get_meta(conn, "demo") != "true":
            raise SystemExit(f"{url} is not a demo store: the benchmark publishes into it")
        held = conn.scalar(select(func.count()).select_from(REGISTERS[register]))
    say(f"[{label}] {register} holds {held:,} rows")
    uploads, tag = folder / "instance" / "uploads", uuid.uuid4().hex[:6].upper()
    results = []

    # 1. the .xlsx: receive + check (read, validate, stage, preview)
    (dept, year), n = XLSX_SCOPE, args.rows_xlsx
    xlsx, start = folder / f"{register}_{dept}_{year}.xlsx", time.perf_counter()
    write_xlsx(xlsx, register, make_rows(register, n, dept, year, f"X{year}-{tag}", 1))
    say(
        f"[{label}] wrote {xlsx.name}: {xlsx.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - start:.1f} s"
    )
    for owner, name, what in (
        (intake, "inspect", "intake.inspect (type, zip bomb, sha256)"),
        (files, "find_table", "files.find_table (header, layout)"),
        (files, "read_chunks", "files.read_chunks (calamine + pandas)"),
        (Checker, "check", "Checker.check (every cell)"),
        (stage, "_numbers_elsewhere", "stage._numbers_elsewhere (numbers outside the batch)"),
        (stage, "bulk_insert", "stage: insert staged rows (from the spill file)"),
        (preview, "compute", "preview.compute (rows and figures before/after)"),
        (preview, "load_temporary", "  of which preview.load_temporary"),
        (stage, "_progress", "stage._progress (progress writes)"),
    ):
        timers.wrap(owner, name, what)
    start = time.perf_counter()
    batch_id = stage.receive(
        engine, uploads, xlsx, xlsx.name, COMMAND_LINE, register=register, department_code=dept
    )
    batch = stage.check(engine, uploads, batch_id, COMMAND_LINE, 1 << 40)
    took = time.perf_counter() - start
    say(f"[{label}] xlsx {n:,} rows: {batch.status} in {took:.2f} s; rows {batch.preview.get('rows')}")
    timers.report(took)
    if batch.status != "staged":
        raise SystemExit(f"batch {batch_id} ended {batch.status}: {batch.errors[:5]}")
    upload = intake.inspect(xlsx, xlsx.name, 1 << 40)
    table, start = files.find_table(upload, register), time.perf_counter()
    assert sum(len(c) for c in files.read_chunks(upload, table)) == n
    floor = time.perf_counter() - start
    say(f"    floor: files.read_chunks alone {floor:.2f} s; ratio {took / floor:.1f}×")
    results.append(("xlsx", f"{n:,}-row .xlsx validated + staged", took, floor))

    # 2. publish it; floor: the same rows bulk-inserted into an empty copy of the register
    columns, copy = preview.payload_columns(register), copy_of(REGISTERS[register])
    with engine.begin() as conn:
        rows = [preview.row_tuple(p, columns) for p in preview.staged_rows(conn, batch_id)]
        copy.create(conn)
    start = time.perf_counter()
    with engine.begin() as conn:
        bulk_insert(conn, copy, rows, columns=[*columns, "year", "month"])
    floor = time.perf_counter() - start
    with engine.begin() as conn:
        copy.drop(conn)
    del rows
    timers.wrap(preview, "insert_staged", "preview.insert_staged (the batch's rows into the register)")
    timers.wrap(publish, "bulk_insert", "bulk_insert (the replaced rows into the archive)")
    timers.wrap(facts, "refresh", "facts.refresh (summaries of the years touched)")
    start = time.perf_counter()
    batch = publish.publish(engine, batch_id, COMMAND_LINE)
    took = time.perf_counter() - start
    say(f"[{label}] publish: {batch.status} ({batch.step}) in {took:.2f} s")
    timers.report(took)
    say(f"    floor: bulk_insert into an empty copy {floor:.2f} s; ratio {took / floor:.1f}×")
    results.append(("publish", f"publish the {n:,}-row batch, summaries included", took, floor))
    with engine.connect() as conn:
        version = conn.scalar(select(func.max(publish.published_version.c.id)))

    # 3. the CSV, in a child process: `dashboard import`; floor: a child that only reads it
    (dept, year), n = CSV_SCOPE, args.rows_csv
    path, start = folder / f"{register}_{dept}_{year}.csv", time.perf_counter()
    write_csv(path, register, make_rows(register, n, dept, year, f"C{year}-{tag}", 2))
    size = path.stat().st_size / 2**20
    say(f"[{label}] wrote {path.name}: {size:.1f} MiB in {time.perf_counter() - start:.1f} s")
    env = dict(os.environ, DATABASE_URL=url, DASHBOARD_INSTANCE_PATH=str(folder / "instance"))
    if size > 50:
        env["DASHBOARD_MAX_UPLOAD_MB"] = str(int(size) + 10)
        say(f"    larger than the default upload limit (50 MB): DASHBOARD_MAX_UPLOAD_MB={int(size) + 10}")
    cmd = [str(DASHBOARD), "import", str(path), "--register", register, "--department", dept]
    took, rss, rc = run_child(cmd, env, folder / "import.log")
    lines = (folder / "import.log").read_text().splitlines()
    with engine.connect() as conn:
        done = batches.get(conn, int(lines[-1])) if rc == 0 and lines[-1].isdigit() else None
    if done is None or done.status != "staged":
        say("\n".join(lines[-30:]))
        raise SystemExit(f"dashboard import exited {rc}")
    say(
        f"[{label}] dashboard import: {done.status} in {took:.2f} s, peak RSS {rss:.0f} MiB; {done.preview['rows']}"
    )
    log = folder / "read.log"
    wall, floor_rss, rc = run_child([sys.executable, "-c", READ_CSV, str(path), register], env, log)
    count, floor = log.read_text().split()
    floor = float(floor)
    say(
        f"    floor: a child reading it in chunks: read {floor:.2f} s (process {wall:.2f} s, {int(count):,} rows), "
        f"peak RSS {floor_rss:.0f} MiB; ratio {took / floor:.1f}×"
    )
    results.append(("csv", f"{n:,}-row CSV checked + staged (dashboard import)", took, floor))
    results.append(("rss", "  its peak RSS", rss, floor_rss))
    if not fresh:  # leave a given store with the figures it had
        versions.rollback(engine, version, COMMAND_LINE)
        publish.reject(engine, done.id, COMMAND_LINE, "基准测试")
    engine.dispose()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--database-url", help="a demo store already built: run on it (nothing built or dropped)")
    ap.add_argument(
        "--admin-url",
        default=os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    ap.add_argument(
        "--register", choices=["service_transaction", "hotline_request"], default="service_transaction"
    )
    ap.add_argument("--rows-xlsx", type=int, default=100_000)
    ap.add_argument("--rows-csv", type=int, default=1_000_000)
    ap.add_argument("--scale", type=float, default=1.0, help="demo scale (1: about 520,000 register rows)")
    ap.add_argument("--keep", action="store_true", help="leave the stores and files in place")
    args = ap.parse_args()

    if args.database_url:
        stores = [(args.database_url, make_url(args.database_url).get_backend_name(), False)]
    else:
        stores = [(None, name.strip(), True) for name in args.engines.split(",")]
    table = []
    for url, label, fresh in stores:
        folder, admin = Path(tempfile.mkdtemp(prefix="fazhi-imports-")), None
        if fresh and label == "sqlite":
            url = f"sqlite:///{folder / 'bench.db'}"
        elif fresh:
            scratch = f"fazhi_imports_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{scratch}"'))
            url = make_url(args.admin_url).set(database=scratch).render_as_string(hide_password=False)
        try:
            table += [(label, *r) for r in bench(url, label, folder, args, fresh)]
        finally:
            if args.keep:
                say(f"kept: {url} and {folder}")
            else:
                if admin is not None:
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
                shutil.rmtree(folder, ignore_errors=True)
            if admin is not None:
                admin.dispose()

    say("\n| engine | what | target | measured | floor | ratio | |\n|---|---|---:|---:|---:|---:|---|")
    for label, key, what, measured, floor in table:
        unit, fmt = (" MiB", "{:.0f}") if key == "rss" else (" s", "{:.2f}")
        verdict = "pass" if measured <= TARGETS[key] else "FAIL"
        say(
            f"| {label} | {what} | ≤ {TARGETS[key]:g}{unit} | {fmt.format(measured)}{unit} | "
            f"{fmt.format(floor)}{unit} | {measured / floor:.1f}× | {verdict} |"
        )


if __name__ == "__main__":
    main()
