"""Whether the store answers, as the running app sees it, and what to tell people while it does not.

When PostgreSQL is stopped or hangs, or the SQLite file is gone, each request would otherwise wait out its own
connection attempt: with a few threads per worker, a hanging server takes the whole app with it. After a failure
the store counts as down and connections fail at once, except for one probe every ``retry`` seconds; the first
probe that succeeds brings everything back without a restart.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import date, datetime

import psycopg

log = logging.getLogger("dashboard.store")

# sqlite3 reports a missing or unreadable file and a busy writer with these words; other errors are bugs.
SQLITE_OUTAGE = ("unable to open database file", "disk i/o error", "no such table", "file is not a database")
SQLITE_BUSY = ("database is locked", "database table is locked")


# What a panel says while the store is down; the banner above says more.
SHORT = "数据库暂时无法连接"


class StoreUnavailable(RuntimeError):
    """The store cannot be used right now; the message is one line in Chinese, fit to show a person."""


class Availability:
    """The store's state in this process: up, or down since when and why, and when it last answered."""

    def __init__(self, retry: float = 2.0) -> None:
        self.retry = retry
        self._lock = threading.Lock()
        self.down_since: datetime | None = None
        self.reason: str | None = None
        self.last_ok: datetime | None = None
        self._next_probe = 0.0

    @property
    def up(self) -> bool:
        return self.down_since is None

    def message(self) -> str:
        text = SHORT
        if self.last_ok is not None:
            shown = (
                f"{self.last_ok:%H:%M}"
                if self.last_ok.date() == date.today()
                else f"{self.last_ok:%m月%d日 %H:%M}"
            )
            text += f"（最后一次成功读取数据：{shown}）"
        return text + "。恢复后页面会自动刷新。"

    def before_connect(self) -> None:
        """Let a connection attempt through, or refuse it at once while the store is down between probes."""
        with self._lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            if now < self._next_probe:
                raise StoreUnavailable(self.message())
            # This caller is the probe; the others keep failing fast until it has an answer.
            self._next_probe = now + self.retry

    def succeeded(self) -> None:
        with self._lock:
            self.last_ok = datetime.now()
            if self.down_since is not None:
                log.warning("数据库已恢复（中断自 %s 起）", f"{self.down_since:%H:%M:%S}")
                self.down_since = None
                self.reason = None

    def failed(self, reason: str) -> None:
        with self._lock:
            self._next_probe = time.monotonic() + self.retry
            if self.down_since is None:
                # One line when it goes down, not one per request.
                log.warning("数据库无法连接：%s", reason)
                self.down_since = datetime.now()
            self.reason = reason


def classify(error: BaseException) -> str | None:
    """'down' for an error that means the store is unreachable, 'busy' for one that passes, else None."""
    if isinstance(error, StoreUnavailable):
        return "down"
    if isinstance(error, psycopg.errors.QueryCanceled):
        return "busy"
    if isinstance(error, psycopg.OperationalError | psycopg.InterfaceError):
        return "down"
    if isinstance(error, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(error).lower()
        if any(word in text for word in SQLITE_BUSY):
            return "busy"
        if any(word in text for word in SQLITE_OUTAGE):
            return "down"
    return None


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else error.__class__.__name__
