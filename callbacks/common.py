"""What every callback shares: the store, the cache keyed by data version, and the filters from the store."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from flask_caching import Cache
from sqlalchemy import Engine

from data.queries.filters import Filters
from data.store import get_meta

T = TypeVar("T")


def code_version() -> str:
    """A digest of the code that shapes cached results, so that a new release never serves old ones."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha1()
    for folder in ("callbacks", "layouts", "data"):
        for path in sorted((root / folder).rglob("*.py")) + sorted((root / folder).rglob("*.csv")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass
class Context:
    engine: Engine
    cache: Cache
    build: str = field(default_factory=code_version)

    def data_version(self) -> str:
        with self.engine.connect() as conn:
            return get_meta(conn, "data_version", "0") or "0"

    def cached(self, name: str, filters: Filters | None, build: Callable[[], T]) -> T:
        """``build()``, shared across workers until the data changes (the key holds the data version)."""
        raw = f"{self.build}|{name}|{filters}|{self.data_version()}"
        key = "panel:" + hashlib.sha1(raw.encode()).hexdigest()
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        value = build()
        self.cache.set(key, value)
        return value
