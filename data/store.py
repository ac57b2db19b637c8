"""Opening the store, migrating it, and the few facts it keeps about itself.

The caller passes the URL: this module never reads the environment (configuration is read at the edge).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from data import catalog
from data.availability import Availability, StoreUnavailable, classify, first_line
from data.schema import meta, metadata

MIGRATIONS = Path(__file__).with_name("migrations")
# The driver this package installs for each backend; SQLAlchemy's default for postgresql:// is psycopg2.
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
# Seconds `dashboard init` waits for another program's lock on the store before it gives up and says so.
LOCK_WAIT = 5.0
# The PostgreSQL advisory lock that keeps two `dashboard init` runs on one database apart (any fixed number).
INIT_LOCK_KEY = 0x66617A6869


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line, fit to show a person."""


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<无法解析的地址>"


def check_driver(url: str) -> None:
    """Refuse, in one line, a URL whose driver this package does not install (``postgresql+psycopg2://``).

    SQLAlchemy would import that driver only when the engine is created, and fail with an ImportError.
    A malformed URL or an unknown backend passes: open_engine reports those.
    """
    try:
        parsed = make_url(url)
        backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    except (ArgumentError, ImportError):
        return
    if backend in DRIVERS and driver != DRIVERS[backend]:
        raise StoreError(
            f"不支持的数据库驱动 {parsed.drivername}（DATABASE_URL）：PostgreSQL 请写成 "
            "postgresql+psycopg://用户:密码@主机:端口/库名，SQLite 请写成 sqlite:///文件路径"
        )


class _TimedConnection(psycopg.Connection):
    """A psycopg connection whose every wait on the server ends after ``limit`` seconds.

    ``statement_timeout`` ends slow statements, but only a server that still runs can enforce it: one that is
    paused or cut off by the network leaves the socket open and silent, and libpq would wait for ever.
    """

    limit: float = 10.0

    def wait(self, gen, interval=0.1, timeout=None):  # noqa: ANN001, ANN201 - psycopg's own signature
        try:
            return super().wait(gen, interval, self.limit if timeout is None else timeout)
        except psycopg.errors._WaitTimeout:  # noqa: SLF001 - the one error psycopg raises for an expired wait
            # The connection's state is unknown: close it so that the pool never hands it out again.
            self.pgconn.finish()
            raise psycopg.OperationalError(f"数据库在 {self.limit:g} 秒内没有响应") from None


def open_engine(
    url: str,
    *,
    create: bool = False,
    timeout: float | None = None,
    availability: Availability | None = None,
    check: bool = True,
) -> Engine:
    """An engine for ``url``.

    ``create``: an SQLite file may be created (only ``dashboard init`` does; the app must never put an empty
    file where a moved one will come back). ``timeout``: seconds a connection attempt, a statement or any wait
    on the server may take (None: statements are not limited, for long migrations and imports).
    ``availability``: tracks whether the store answers and fails fast while it does not. ``check``: connect once
    now, so that a wrong URL or an unreachable server is reported at once.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"数据库地址格式错误（DATABASE_URL）：{url!r} 不是有效的 SQLAlchemy URL") from None
    backend = parsed.get_backend_name()
    if backend not in {"sqlite", "postgresql"}:
        raise StoreError(f"不支持的数据库类型 {backend!r}：只支持 sqlite 和 postgresql")
    check_driver(url)
    kwargs: dict = {}
    sqlite_path: Path | None = None
    if backend == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            sqlite_path = Path(database).expanduser().resolve()
            if not sqlite_path.parent.is_dir():
                raise StoreError(f"数据库文件所在目录不存在：{sqlite_path.parent}")
            if not create and not sqlite_path.exists():
                raise StoreError(f"数据库文件 {sqlite_path} 不存在：请先运行 dashboard init")
            # A connection per use: a file moved away and put back is found again, and none stays on the old one.
            kwargs["poolclass"] = NullPool
        # sqlite3's wait for a writer's lock; init and imports hold it for seconds, not minutes
        kwargs["connect_args"] = {"timeout": timeout or LOCK_WAIT}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": max(1, round(timeout or 5))}
        if timeout:
            kwargs["pool_timeout"] = timeout
            # The server ends statements a little before the client gives up on the socket.
            limits = f"-c statement_timeout={int(timeout * 1000)} -c lock_timeout={int(timeout * 1000)}"
            kwargs["connect_args"]["options"] = limits
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise StoreError(
            f"不支持的数据库驱动：{parsed.drivername}（PostgreSQL 请用 postgresql+psycopg://）"
        ) from None
    except ArgumentError as exc:
        raise StoreError(f"数据库地址格式错误（DATABASE_URL）：{exc}") from None
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    _watch(engine, backend, sqlite_path if not create else None, timeout, availability)
    if check:
        try:
            with engine.connect():
                pass
        except StoreUnavailable as exc:
            raise StoreError(f"无法连接数据库 {describe(url)}：{exc}") from None
        except DBAPIError as exc:
            raise StoreError(f"无法连接数据库 {describe(url)}：{first_line(exc.orig or exc)}") from None
    return engine


def _watch(
    engine: Engine,
    backend: str,
    must_exist: Path | None,
    timeout: float | None,
    availability: Availability | None,
) -> None:
    """Connections that open the right thing, time out, and report whether the store answers."""

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        if availability is not None:
            availability.before_connect()
        if must_exist is not None:
            # mode=rw: sqlite3 refuses a missing file instead of creating an empty one.
            cargs[:] = [f"file:{quote(str(must_exist))}?mode=rw"]
            cparams["uri"] = True
        if backend == "postgresql" and timeout:
            timed = type("TimedConnection", (_TimedConnection,), {"limit": timeout + 2})
            return timed.connect(*cargs, **cparams)
        return None

    if availability is None:
        return

    @event.listens_for(engine, "checkout")
    def _checked_out(*_args):
        availability.succeeded()

    @event.listens_for(engine, "handle_error")
    def _failed(ctx):
        error = ctx.original_exception
        kind = classify(error)
        # A failed pre-ping is how the pool finds a connection that died with a restart: it reconnects itself.
        if kind is None or ctx.is_pre_ping:
            return
        if kind == "down":
            if not isinstance(error, StoreUnavailable):
                availability.failed(first_line(error))
            ctx.is_disconnect = ctx.is_disconnect or ctx.connection is not None
            raise StoreUnavailable(availability.message()) from error
        raise StoreUnavailable("数据库正忙或响应太慢，请稍后再试。") from error


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


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


def get_meta(conn: Connection, key: str, default: str | None = None) -> str | None:
    value = conn.scalar(select(meta.c.value).where(meta.c.key == key))
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
