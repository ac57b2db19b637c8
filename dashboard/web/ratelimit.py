"""How often a client may do something, counted once for every worker: in Redis when REDIS_URL is set, else in a
small SQLite file in the instance folder that every worker process of the machine opens.

Flask-Limiter's ``memory://`` counted per worker, so with two gunicorn workers a client got twice the number the
README promises. Windows are fixed (a minute starts on the minute), as Flask-Limiter's were.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path
from typing import Protocol

import redis

from dashboard.config import REDIS_PREFIX, Config

log = logging.getLogger("dashboard.web.ratelimit")

# The counter's file in the instance folder.
FILE_NAME = "ratelimit.db"


class Counter(Protocol):
    def hit(self, key: str, limit: int, seconds: int) -> int | None:
        """Count one more for ``key``: None if it is within ``limit`` per ``seconds``, else the seconds to wait."""


def _window(seconds: int, now: float) -> tuple[int, int]:
    """The current window's number and the seconds left in it."""
    start = int(now // seconds)
    return start, max(1, int((start + 1) * seconds - now))


class RedisCounter:
    def __init__(self, url: str) -> None:
        self.redis = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)

    def hit(self, key: str, limit: int, seconds: int) -> int | None:
        window, left = _window(seconds, time.time())
        name = f"{REDIS_PREFIX}limit:{key}:{seconds}:{window}"
        try:
            pipe = self.redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, seconds + 1)
            count = pipe.execute()[0]
        except redis.RedisError as exc:
            # A limit that cannot be counted lets the request through rather than take the feature down.
            log.warning("频率限制无法计数（Redis 不可用）：%s", exc)
            return None
        return None if count <= limit else left


class FileCounter:
    """Counts in SQLite: its file lock makes each count atomic across the processes sharing the folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, count INTEGER, until REAL)")
            self.local.conn = conn
        return conn

    def hit(self, key: str, limit: int, seconds: int) -> int | None:
        now = time.time()
        window, left = _window(seconds, now)
        name = f"{key}:{seconds}:{window}"
        try:
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM hits WHERE until < ?", (now,))
                (count,) = conn.execute(
                    "INSERT INTO hits VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE SET count = count + 1 "
                    "RETURNING count",
                    (name, now + left),
                ).fetchone()
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            log.warning("频率限制无法计数（%s）：%s", self.path, exc)
            return None
        return None if count <= limit else left


def make_counter(cfg: Config) -> Counter:
    if cfg.redis_url:
        return RedisCounter(cfg.redis_url)
    return FileCounter((cfg.instance_path / FILE_NAME).resolve())
