"""Opening the store, migrating it, and the few facts it keeps about itself.

The caller passes the URL: this module never reads the environment (configuration is read at the edge).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from data import catalog
from data.schema import meta

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(RuntimeError):
    """The store cannot be used; the message is one line, fit to show a person."""


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<无法解析的地址>"


def open_engine(url: str) -> Engine:
    """An engine for ``url``, checked by connecting once."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"数据库地址格式错误（DATABASE_URL）：{url!r} 不是有效的 SQLAlchemy URL") from None
    if parsed.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(f"不支持的数据库类型 {parsed.get_backend_name()!r}：只支持 sqlite 和 postgresql")
    kwargs: dict = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            folder = Path(database).expanduser().resolve().parent
            if not folder.is_dir():
                raise StoreError(f"数据库文件所在目录不存在：{folder}")
    else:
        kwargs["pool_pre_ping"] = True
        kwargs.setdefault("connect_args", {})["connect_timeout"] = 5
    try:
        engine = create_engine(parsed, **kwargs)
    except NoSuchModuleError:
        raise StoreError(
            f"不支持的数据库驱动：{parsed.drivername}（PostgreSQL 请用 postgresql+psycopg://）"
        ) from None
    except ArgumentError as exc:
        raise StoreError(f"数据库地址格式错误（DATABASE_URL）：{exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else exc.__class__.__name__
        raise StoreError(f"无法连接数据库 {describe(url)}：{reason}") from None
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the web server read while `dashboard init` or an import writes.
    cur.execute("PRAGMA journal_mode=WAL")
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


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> bool:
    """Create or upgrade the schema to the newest migration, then load the catalog.

    Returns whether the schema or the catalog changed: then the summaries must be rebuilt from the registers.
    """
    before = current_revision(engine)
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")
        changed = catalog.sync(conn)
    return changed > 0 or before != head_revision()


def require_current(engine: Engine) -> None:
    """Refuse to serve a store that was never initialised or is behind the code."""
    current = current_revision(engine)
    if current is None:
        raise StoreError(f"数据库 {describe(str(engine.url))} 尚未初始化：请先运行 dashboard init")
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
