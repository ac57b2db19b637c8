"""Connecting to the store: the URL checked, time limits, no file created where none should be, and the store's
availability watched while the app serves.

The caller passes the URL: this module never reads the environment (configuration is read at the edge).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import psycopg
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from data.availability import Availability, StoreUnavailable, classify, first_line

# The driver this package installs for each backend; SQLAlchemy's default for postgresql:// is psycopg2.
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
# Seconds `dashboard init` waits for another program's lock on the store before it gives up and says so.
LOCK_WAIT = 5.0


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
