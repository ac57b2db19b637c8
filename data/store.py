"""Migrating the store, and the few facts it keeps about itself (connecting to it: data/engine.py).

The caller passes the URL: this module never reads the environment (configuration is read at the edge).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, bindparam, inspect, select

from data import catalog
from data.engine import LOCK_WAIT, StoreError, describe
from data.schema import meta, metadata

MIGRATIONS = Path(__file__).with_name("migrations")
# The PostgreSQL advisory lock that keeps two `dashboard init` runs on one database apart (any fixed number).
INIT_LOCK_KEY = 0x66617A6869


def _alembic_config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


@cache
def _known_revisions() -> frozenset[str]:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions())


def _revision(conn: Connection) -> str | None:
    # Another application's history may hold several heads; joined, they are simply not one of ours.
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return _revision(conn)


def _foreign_revision(engine: Engine, revision: str) -> StoreError:
    return StoreError(
        f"数据库 {describe(str(engine.url))} 的迁移记录（alembic_version = {revision}）不是本程序的："
        "它属于另一个应用或更新版本的本程序，请换用本程序自己的库或一个空库"
    )


@contextmanager
def begin_write(engine: Engine, lock_wait: float = LOCK_WAIT) -> Iterator[Connection]:
    """A transaction that holds the store for writing from its first statement, or fails within ``lock_wait``.

    sqlite3 would run a migration's DDL outside any transaction (a migration cut short would leave half a
    schema) and take the write lock only at the first row written; BEGIN IMMEDIATE makes the whole migration
    or demo load one transaction that another writer cannot interleave. On PostgreSQL an advisory lock keeps
    two `dashboard init` runs apart, and lock_timeout bounds the wait for a table someone else holds.
    """
    wait_ms = int(lock_wait * 1000)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {wait_ms}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({INIT_LOCK_KEY})")
        yield conn


def migrate(engine: Engine) -> bool:
    """Create or upgrade the schema to the newest migration, then load the catalog.

    Refuses, changing nothing, a database that holds tables of our names but no history of ours, or another
    application's migration history. Returns whether the schema or the catalog changed: then the summaries
    must be rebuilt from the registers.
    """
    with begin_write(engine) as conn:
        before = _revision(conn)
        if before is not None and before not in _known_revisions():
            raise _foreign_revision(engine, before)
        if before is None:
            taken = sorted(set(inspect(conn).get_table_names()) & set(metadata.tables))
            if taken:
                raise StoreError(
                    f"数据库 {describe(str(engine.url))} 中已有与本程序同名的表（{'、'.join(taken[:5])}）"
                    "却没有本程序的迁移记录：请换一个空库，或先移走这些表"
                )
        command.upgrade(_alembic_config(conn), "head")
        changed = catalog.sync(conn)
    if engine.dialect.name == "sqlite":
        # WAL lets the web server read while `dashboard init` or an import writes. The file keeps the mode, and
        # it is set only once the file is known to be ours: another program's file is left exactly as it was.
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    return changed > 0 or before != head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to serve a store that was never initialised, is behind the code, or is not ours."""
    current = current_revision(engine)
    if current is None:
        raise StoreError(f"数据库 {describe(str(engine.url))} 尚未初始化：请先运行 dashboard init")
    if current not in _known_revisions():
        raise _foreign_revision(engine, current)
    if current != head_revision():
        raise StoreError(
            f"数据库结构版本 {current} 落后于程序（{head_revision()}）：请运行 dashboard init 升级"
        )


# Read on every panel request (the data version): built once.
_META = select(meta.c.value).where(meta.c.key == bindparam("key"))


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.scalar(_META, {"key": key})
    return default if value is None else value


def set_meta(conn: Connection, key: str, value: str) -> None:
    if conn.scalar(select(meta.c.key).where(meta.c.key == key)) is None:
        conn.execute(meta.insert().values(key=key, value=value))
    else:
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))


def bump_data_version(conn: Connection) -> int:
    """Record that the data changed; caches key on this number."""
    version = int(get_meta(conn, "data_version", "0")) + 1
    set_meta(conn, "data_version", str(version))
    set_meta(conn, "data_changed_at", datetime.now(UTC).isoformat(timespec="seconds"))
    return version
