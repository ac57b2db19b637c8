"""The panel cache in files (dashboard/web/filecache.py): one file per entry, shared by workers, kept to its bound."""

from __future__ import annotations

import os
import time

from flask import Flask
from flask_caching import Cache

from dashboard.config import from_env, merge
from dashboard.web.filecache import FileCache


def _cache(tmp_path, **settings) -> Cache:
    config = merge(from_env(), {"instance_path": tmp_path}).cache_settings() | settings
    return Cache(Flask(__name__), config=config)


def _age(folder, seconds: float) -> None:
    """Make every file in ``folder`` look written ``seconds`` ago."""
    then = time.time() - seconds
    for entry in folder.iterdir():
        os.utime(entry, (then, then))


def test_a_server_without_redis_caches_panels_in_files_one_per_entry(tmp_path):
    cache = _cache(tmp_path)
    assert isinstance(cache.cache, FileCache)
    for n in range(5):
        cache.set(f"panel:{n}", {"n": n})
    # five entries, five files: no count file written beside them on every new entry
    assert len(list((tmp_path / "cache").iterdir())) == 5
    assert cache.get("panel:3") == {"n": 3}


def test_another_worker_reads_what_one_wrote(tmp_path):
    one, other = _cache(tmp_path), _cache(tmp_path)
    one.set("panel:x", [1, 2, 3])
    assert other.get("panel:x") == [1, 2, 3]
    assert other.get("panel:y") is None


def test_the_sweep_removes_expired_entries_then_the_oldest_beyond_the_bound(tmp_path):
    cache = FileCache(str(tmp_path), threshold=3, default_timeout=300)
    for n in range(2):
        cache.set(f"old:{n}", n)
    _age(tmp_path, 301)  # past their lifetime
    for n in range(5):
        cache.set(f"new:{n}", n)
        # distinct ages, oldest first
        path = cache._get_filename(f"new:{n}")
        os.utime(path, (time.time() - 100 + n, time.time() - 100 + n))
    assert cache.sweep() == 2 + 2
    assert [cache.get(f"new:{n}") for n in range(5)] == [None, None, 2, 3, 4]
    assert cache.get("old:0") is None
    assert cache.sweep() == 0


def test_a_write_sweeps_at_most_once_a_minute(tmp_path, monkeypatch):
    cache = FileCache(str(tmp_path), threshold=2, default_timeout=300)
    cache.set("a", 1)  # the first write sweeps (an empty folder) and sets the next sweep a minute on
    for key in "bcd":
        cache.set(key, 1)
    assert len(list(tmp_path.iterdir())) == 4  # not yet: the bound is kept by the sweep, not by every write
    monkeypatch.setattr(time, "monotonic", lambda: cache._next_sweep + 1)
    cache.set("e", 1)
    assert len(list(tmp_path.iterdir())) == 2


def test_an_entry_whose_file_another_worker_swept_is_simply_missing(tmp_path):
    one, other = FileCache(str(tmp_path), threshold=0), FileCache(str(tmp_path), threshold=0)
    one.set("k", "v")
    _age(tmp_path, 301)
    assert other.sweep() == 1
    assert one.get("k") is None
    assert one.sweep() == 0
