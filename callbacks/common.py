"""What every callback shares: the store, the cache keyed by data version, and the filters from the store."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask_caching import Cache
from sqlalchemy import Connection, Engine

from data.access import ANONYMOUS, Action, Scope, declare_action
from data.queries.filters import Filters
from data.store import get_meta

T = TypeVar("T")
log = logging.getLogger("dashboard.cache")
_MISSING = object()


class CacheGuard:
    """The panel cache, bypassed while it fails (Redis down, disk full): panels are then computed every time.

    One warning when it fails and one when it is back, not one per request; after a failure it is tried again
    every ``retry`` seconds.
    """

    def __init__(self, cache: Cache, retry: float = 5.0) -> None:
        self.cache = cache
        self.retry = retry
        self._lock = threading.Lock()
        self._down_until: float | None = None

    def _usable(self) -> bool:
        with self._lock:
            return self._down_until is None or time.monotonic() >= self._down_until

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            if self._down_until is None:
                log.warning("面板缓存不可用，暂时不用缓存：%s", exc)
            self._down_until = time.monotonic() + self.retry

    def _worked(self) -> None:
        if self._down_until is not None:
            with self._lock:
                if self._down_until is not None:
                    log.warning("面板缓存已恢复")
                    self._down_until = None

    def get(self, key: str) -> object:
        if not self._usable():
            return _MISSING
        try:
            value = self.cache.get(key)
        except Exception as exc:  # noqa: BLE001 - any cache failure means: compute without it
            self._failed(exc)
            return _MISSING
        self._worked()
        return _MISSING if value is None else value

    def set(self, key: str, value: object) -> None:
        if not self._usable():
            return
        try:
            self.cache.set(key, value)
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)

    def get_many(self, keys: list[str]) -> dict[str, object]:
        """The entries of ``keys`` that are cached (one round trip to Redis for them all)."""
        if not keys or not self._usable():
            return {}
        try:
            values = self.cache.get_many(*keys)
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return {}
        self._worked()
        return {k: v for k, v in zip(keys, values, strict=True) if v is not None}

    def set_many(self, entries: dict[str, object]) -> None:
        if not entries or not self._usable():
            return
        try:
            self.cache.set_many(entries)
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)


def code_version() -> str:
    """A digest of the code that shapes cached results, so that a new release never serves old ones."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for folder in ("callbacks", "layouts", "data"):
        for path in sorted((root / folder).rglob("*.py")) + sorted((root / folder).rglob("*.csv")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Cached:
    """A result kept in the panel cache: its name and filters (with the data and code versions) make its key;
    ``build`` computes it through the request's connection when it is not there."""

    name: str
    filters: Filters | None
    build: Callable[[Connection], object]


@dataclass
class Context:
    engine: Engine
    cache: Cache
    # the reader of the request being served, from the session or token (dashboard/web/auth.py passes its function)
    scope: Callable[[], Scope] = lambda: ANONYMOUS
    # lends the request's connection (dashboard/web/connections.py), which the session lookup opened; None: a new one
    connect: Callable[[], AbstractContextManager[Connection]] | None = None
    build: str = field(default_factory=code_version)
    guard: CacheGuard = field(init=False)
    # what data_version read, by connection (a connection is one request's; it is forgotten with it)
    _versions: weakref.WeakKeyDictionary = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.guard = CacheGuard(self.cache)
        self._versions = weakref.WeakKeyDictionary()

    @contextmanager
    def connection(self, conn: Connection | None = None) -> Iterator[Connection]:
        """``conn`` if the caller holds one, else the request's (``connect``; by default a new one)."""
        if conn is not None:
            yield conn
            return
        with (self.connect or self.engine.connect)() as own:
            yield own

    def data_version(self, conn: Connection | None = None) -> str:
        """The store's data version, read once per connection: a page's panels share one per request."""
        if conn is None:
            with self.connection() as own:
                return self.data_version(own)
        if conn not in self._versions:
            self._versions[conn] = get_meta(conn, "data_version", "0") or "0"
        return self._versions[conn]

    def cached(
        self, name: str, filters: Filters | None, build: Callable[[], T], conn: Connection | None = None
    ) -> T:
        """``build()``, shared across workers until the data changes (the key holds the data version)."""
        return self.cached_all([Cached(name, filters, lambda _conn: build())], conn)[0]

    def cached_all(self, wanted: list, conn: Connection | None = None) -> list:
        """Each ``Cached`` of ``wanted`` from the cache, or built through ``conn`` (the request's connection by
        default); anything else in ``wanted`` as it is. One cache read for them all and one write for those built:
        with Redis, two round trips for a page's panels instead of two for each.

        The version is read through the same connection as the figures, in one transaction.
        """
        with self.connection(conn) as conn:
            version = self.data_version(conn)
            keys = {
                i: "panel:"
                + hashlib.sha1(f"{self.build}|{w.name}|{w.filters}|{version}".encode()).hexdigest()
                for i, w in enumerate(wanted)
                if isinstance(w, Cached)
            }
            found = self.guard.get_many(list(dict.fromkeys(keys.values())))
            out, built = [], {}
            for i, w in enumerate(wanted):
                key = keys.get(i)
                if key is None:
                    out.append(w)
                elif key in found:
                    out.append(found[key])
                else:
                    if key not in built:
                        built[key] = w.build(conn)
                    out.append(built[key])
        self.guard.set_many(built)
        return out


def needs(action: Action) -> Callable:
    """Declare the action a server callback needs; put it under ``@app.callback`` (whose wrapper keeps the mark).
    The gate refuses a callback request whose reader may not do it (dashboard/web/gate.py)."""
    return lambda function: declare_action(function, action)
