"""Small writes made on a person's behalf, while a publish may hold the store (issue 19).

SQLite has one write lock, and a publish holds it for its whole transaction so that no reader ever sees half a
version: 18.8 s for 600,000 rows of the dispute register here (docs/performance.md). Reading is never held up
(the store runs in WAL mode); what a person does that writes is, and the store's usual wait (DASHBOARD_DB_TIMEOUT,
10 s) would answer 503 before such a publish ends. So:

- a write that only keeps a time current (a session's or a token's "last seen") is tried without waiting and
  left out when the store is busy: the next request writes it (TOUCH_EVERY is a minute, a session's idle limit
  hours), and the page or the batch being polled is answered at once;
- a write that must happen (signing in or out, the audit line of a download) waits up to PERSONAL_WAIT, longer
  than such a publish, and the person is answered late rather than refused.

PostgreSQL takes row locks, which a publish never holds on these tables: both are plain writes there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Executable
from sqlalchemy.exc import OperationalError

from data.availability import StoreUnavailable

# Seconds a person's own write waits for SQLite's write lock: past a publish of a million rows (about 30 s here).
PERSONAL_WAIT = 60.0


def _busy_timeout(conn: Connection, ms: int | None = None) -> int:
    """SQLite's wait for a lock on this connection, in ms; set to ``ms`` when given (returns the old value)."""
    old = int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
    if ms is not None:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(ms)}")
    return old


def try_write(conn: Connection, statement: Executable) -> bool:
    """Run ``statement`` now or not at all: False, with the connection still usable, when SQLite's write lock is
    held by someone else. For writes that the next request makes again."""
    if conn.dialect.name != "sqlite":
        conn.execute(statement)
        return True
    old = _busy_timeout(conn, 0)
    try:
        conn.execute(statement)
    except (StoreUnavailable, OperationalError):
        return False
    finally:
        _busy_timeout(conn, old)
    return True


@contextmanager
def personal(engine: Engine, wait: float = PERSONAL_WAIT) -> Iterator[Connection]:
    """A connection for writes a person waits on (commit as with ``engine.connect()``, or ``conn.begin()``),
    which on SQLite waits ``wait`` seconds for the write lock."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            _busy_timeout(conn, int(wait * 1000))
            conn.commit()
        yield conn
