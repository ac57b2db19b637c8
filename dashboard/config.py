"""Configuration, read once from the environment at the edge and passed down as a plain value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A setting has a value the app cannot use."""


@dataclass(frozen=True)
class Config:
    # SQLAlchemy URL of the store; empty: an SQLite file in the instance folder
    database_url: str = ""
    # folder for the embedded SQLite store and other local state, created on first use
    instance_path: Path = Path("instance")
    # the year the app opens on; None: the store's default (the report year for demo data) or its latest year
    default_year: int | None = None
    host: str = "127.0.0.1"
    port: int = 8050
    # Redis for the panel cache shared by all workers; empty: a file cache in the instance folder
    redis_url: str = ""
    # seconds a connection attempt or a statement may take while serving, so a hanging server holds no thread
    db_timeout: float = 10.0
    # reverse proxies in front (nginx: 1) whose X-Forwarded-For names the client; 0: trust no such header
    proxies: int = 0

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_path / 'dashboard.db').resolve()}"

    def prepare(self) -> Config:
        """Create the instance folder when the embedded store or the file cache lives there."""
        if not self.database_url or not self.redis_url:
            self.instance_path.mkdir(parents=True, exist_ok=True)
        return self

    def cache_settings(self) -> dict:
        """Flask-Caching settings: Redis when given, else files that every worker on the machine shares."""
        if self.redis_url:
            return {
                "CACHE_TYPE": "RedisCache",
                "CACHE_REDIS_URL": self.redis_url,
                "CACHE_KEY_PREFIX": "fazhi:",
                # A Redis that is down or silent costs a request half a second, then the cache is bypassed.
                "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        return {
            "CACHE_TYPE": "FileSystemCache",
            "CACHE_DIR": str((self.instance_path / "cache").resolve()),
            "CACHE_THRESHOLD": 5000,
        }


ENVIRONMENT = {
    "DATABASE_URL": "database_url",
    "DASHBOARD_INSTANCE_PATH": "instance_path",
    "DASHBOARD_DEFAULT_YEAR": "default_year",
    "DASHBOARD_HOST": "host",
    "DASHBOARD_PORT": "port",
    "REDIS_URL": "redis_url",
    "DASHBOARD_DB_TIMEOUT": "db_timeout",
    "DASHBOARD_PROXIES": "proxies",
}


# what redis-py's from_url accepts
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def _convert(name: str, raw: Any) -> Any:
    if raw is None or isinstance(raw, (int, float, Path)) and not isinstance(raw, bool):
        return float(raw) if name == "db_timeout" else raw
    text = str(raw).strip()
    if name == "db_timeout":
        try:
            seconds = float(text) if text else Config.db_timeout
        except ValueError:
            seconds = -1.0
        if not 0.5 <= seconds <= 600:
            raise ConfigError(f"环境变量 DASHBOARD_DB_TIMEOUT 必须是 0.5 到 600 之间的秒数，当前为 {text!r}")
        return seconds
    if name == "instance_path":
        return Path(text).expanduser()
    if name == "redis_url" and text and not text.startswith(REDIS_SCHEMES):
        raise ConfigError(
            f"环境变量 REDIS_URL 必须以 {'、'.join(REDIS_SCHEMES)} 开头，例如 redis://127.0.0.1:6379/0，当前为 {text[:60]!r}"
        )
    if name in {"default_year", "port", "proxies"}:
        if not text:
            return None if name == "default_year" else getattr(Config, name)
        if not text.isdigit():
            env = next(k for k, v in ENVIRONMENT.items() if v == name)
            raise ConfigError(f"环境变量 {env} 必须是整数，当前为 {text!r}")
        return int(text)
    return text


def from_env(environ: Mapping[str, str] | None = None) -> Config:
    """The configuration the environment describes; unset variables keep their defaults."""
    environ = os.environ if environ is None else environ
    values = {attr: _convert(attr, environ[var]) for var, attr in ENVIRONMENT.items() if var in environ}
    return Config(**values)


def merge(base: Config, overrides: Mapping[str, Any] | None) -> Config:
    """``base`` with some settings replaced (tests pass a dict to ``create_app``)."""
    if not overrides:
        return base
    known = {f.name for f in fields(Config)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"未知配置项：{', '.join(sorted(unknown))}")
    return replace(base, **{k: _convert(k, v) for k, v in overrides.items()})
