"""What tests/test_imports.py and tests/test_imports_faults.py share: small demo stores copied per test, the
files a department writes, what the desk reads, and the `dashboard` command run as a person runs it."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import conftest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.engine import make_url

from data import demo
from data.engine import open_engine
from data.registers import DISPUTE_TYPES
from data.schema import REGISTERS, category_fact, dispute_case, indicator_fact, staged_row
from data.store import get_meta, migrate

ROOT = Path(__file__).resolve().parent.parent
# The dispute register's columns as its template heads them.
HEAD = ["登记编号", "受理日期", "承办单位", "乡镇（街道）", "调处层级", "纠纷类型", "调处成功", "结案日期"]
MAX_BYTES = 200 * 1024 * 1024


# --- stores ------------------------------------------------------------------------------------------------


def build_store(url: str) -> str:
    """Migrate ``url`` and fill it with the small demo (scale 0.02: every register, 2022-2025; about 4 s)."""
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn, scale=0.02)
    if engine.dialect.name == "sqlite":
        # Everything into the main file, so that copying the file copies the store.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return url


def copy_store(template: str, folder: Path, pg_databases) -> str:
    """A copy of a store no engine has open: the file, or ``CREATE DATABASE ... TEMPLATE`` (dropped with the
    session's test databases); a shared demo store is copied from its untouched twin (conftest.PRISTINE)."""
    source = make_url(conftest.PRISTINE.get(template, template))
    if source.get_backend_name() == "sqlite":
        target = folder / f"store-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(source.database, target)
        return f"sqlite:///{target}"
    name = f"fazhi_test_{uuid.uuid4().hex[:12]}"
    with pg_databases.admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"'))
    pg_databases.names.append(name)
    return source.set(database=name).render_as_string(hide_password=False)


def data_version(conn: Connection) -> int:
    return int(get_meta(conn, "data_version", "0"))


def without_id(conn: Connection, table) -> Counter:
    """Every row of the table but its key, as a multiset: equal exactly when the table holds the same rows."""
    return Counter(tuple(row) for row in conn.execute(select(*[c for c in table.c if c.name != "id"])))


def desk(conn: Connection, register: str = "dispute_case") -> dict:
    """All the desk reads of a register: its rows, the summaries, and the data version."""
    return {
        "rows": without_id(conn, REGISTERS[register]),
        "facts": without_id(conn, indicator_fact),
        "categories": without_id(conn, category_fact),
        "data_version": data_version(conn),
    }


def staged_count(engine: Engine, batch_id: int) -> int:
    with engine.connect() as conn:
        return conn.scalar(
            select(func.count()).select_from(staged_row).where(staged_row.c.batch_id == batch_id)
        )


def fact_sum(conn: Connection, code: str, year: int, **member: str) -> float:
    query = select(func.coalesce(func.sum(indicator_fact.c.value), 0)).where(
        indicator_fact.c.indicator_code == code, indicator_fact.c.year == year
    )
    for column, value in member.items():
        query = query.where(indicator_fact.c[column] == value)
    return float(conn.scalar(query))


def count(conn: Connection, *where) -> int:
    """Dispute register rows, counted with SQL."""
    return conn.scalar(select(func.count()).select_from(dispute_case).where(*where))


# --- files -------------------------------------------------------------------------------------------------


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8", head: list[str] = HEAD) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(head)
        writer.writerows(rows)
    return path


def big_csv(path: Path, rows: int, prefix: str = "BIG") -> Path:
    """``rows`` valid dispute rows of 2024 with numbers of their own, for the justice bureau (about 0.5 s per
    100,000 rows)."""
    towns = ("qingshan", "chengguan", "xinhua", "")
    start = date(2024, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(366)]
    lines = [",".join(HEAD)]
    for i in range(rows):
        success = "否" if i % 7 == 0 else "是"
        lines.append(
            f"{prefix}-{i:07d},{days[i % 366]},,{towns[i % 4]},区,{DISPUTE_TYPES[i % len(DISPUTE_TYPES)]},{success},"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the command line ---------------------------------------------------------------------------------------


def cli_env(url: str, instance: Path) -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": url,
        "DASHBOARD_INSTANCE_PATH": str(instance),
    }


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "dashboard.cli", *args]


def run_cli(*args: str, env: dict[str, str], timeout: int = 300) -> subprocess.CompletedProcess:
    """The command in this process (conftest.run_cli); ``cli_command`` spawns it where a process is needed."""
    return conftest.run_cli(*args, env=env)


def last_line(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.rstrip("\n").splitlines()[-1]
