"""The panel cache in files, for a server without Redis: Flask-Caching's file cache, without its file count.

Flask-Caching's FileSystemCache bounds the folder by keeping a count of its files in a file of its own, which
every write of a new entry reads twice and writes once more: a panel request with five panels to store wrote
ten files and read ten, and that was a third of its time. Here each entry is one file written once, and the
folder is kept to its bound by a sweep, at most once a minute in each worker, that looks at the files' ages
(one ``stat`` each, no file opened): the expired ones go, then the oldest ones while there are too many.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any

from flask import Flask
from flask_caching.backends.filesystemcache import FileSystemCache

# Seconds between two sweeps of one worker.
SWEEP_EVERY = 60.0


class FileCache(FileSystemCache):
    """Entries in files under ``cache_dir``; at most about ``threshold`` of them, none kept past its timeout."""

    def __init__(
        self, cache_dir: str, threshold: int = 500, default_timeout: int = 300, **kwargs: Any
    ) -> None:
        # threshold=0: the parent keeps no count (and never prunes); the sweep below bounds the folder instead
        super().__init__(cache_dir, threshold=0, default_timeout=default_timeout, **kwargs)
        self.limit = threshold
        self.lifetime = default_timeout
        self._lock = threading.Lock()
        self._next_sweep = 0.0

    @classmethod
    def factory(
        cls, app: Flask, config: dict[str, Any], args: list[Any], kwargs: dict[str, Any]
    ) -> FileCache:
        kwargs.update(threshold=config["CACHE_THRESHOLD"], hash_method=config["CACHE_FILE_HASH_METHOD"])
        return cls(config["CACHE_DIR"], *args, **kwargs)

    def set(self, key: str, value: Any, timeout: Any = None, mgmt_element: bool = False) -> bool:
        stored = super().set(key, value, timeout, mgmt_element)
        self._maybe_sweep()
        return stored

    def _maybe_sweep(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or not self._lock.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_EVERY
            self.sweep()
        finally:
            self._lock.release()

    def sweep(self) -> int:
        """Remove the entries older than their lifetime, then the oldest ones beyond the bound; how many went.

        Every entry is written with the default timeout, so a file's age says whether it has expired.
        """
        now = time.time()
        entries = []
        with os.scandir(self._path) as found:
            for entry in found:
                try:
                    entries.append((entry.stat().st_mtime, entry.path))
                except FileNotFoundError:  # another worker's sweep took it
                    continue
        expired = [path for mtime, path in entries if self.lifetime and now - mtime > self.lifetime]
        kept = sorted(
            (mtime, path) for mtime, path in entries if not self.lifetime or now - mtime <= self.lifetime
        )
        surplus = [path for _mtime, path in kept[: max(0, len(kept) - self.limit)]] if self.limit else []
        for path in expired + surplus:
            with contextlib.suppress(FileNotFoundError):  # another worker's sweep took it
                os.remove(path)
        return len(expired) + len(surplus)
