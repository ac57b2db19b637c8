"""Configuration, read once from the environment at the edge and passed down as a plain value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from data.access import ANONYMOUS_MODES
from data.schema_district import DEFAULT_DUE_DAY, DUE_DAYS


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
    # what a visitor who has not signed in may see: "public" (public figures, no records) or "none" (sign in first)
    anonymous: str = "public"
    # hours a sign-in lasts without a request before it must be repeated
    session_idle_hours: float = 8.0
    # the session cookie only over HTTPS (set when the proxy in front serves HTTPS)
    secure_cookies: bool = False
    # the largest file an import accepts, in MB
    max_upload_mb: float = 50.0
    # where imports are checked and published: "local" (threads of the web process) or "celery" (on REDIS_URL)
    jobs: str = "local"
    # the quiet moment (HH:MM, local time) big screens reload themselves once a day; "off": never
    screen_reload_at: str = "03:30"
    # the Chromium that prints decks to PDF and charts to PNG; empty: chromium (or Chrome) found on PATH
    browser: str = ""
    # the day of the following month a register is due (报送) where a unit's duty names none
    report_day: int = DEFAULT_DUE_DAY
    # the address readers open the site at (https://fazhi.example.gov.cn): the link in a monthly report's push
    public_url: str = ""
    # the largest attachment of a follow-up's reply (督办), in MB; a reply takes up to MAX_FILES of them
    max_attachment_mb: float = 20.0

    @property
    def uploads_path(self) -> Path:
        """Where imported files are kept (to annotate their errors and to retry a batch)."""
        return self.instance_path / "uploads"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def attachments_path(self) -> Path:
        """Where follow-ups' attachments are kept, by their sha256 (data/supervision_files.py)."""
        return self.instance_path / "attachments"

    @property
    def max_attachment_bytes(self) -> int:
        return int(self.max_attachment_mb * 1024 * 1024)

    def year_to_open(self, years: list[int], stored: str | None) -> int | None:
        """The year a page opens on: DASHBOARD_DEFAULT_YEAR, else the store's own default (the demo: 2024),
        else the latest year the store holds."""
        year = self.default_year or (int(stored) if stored and stored.isdigit() else None)
        if year not in years:
            year = years[-1] if years else None
        return year

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
                "CACHE_KEY_PREFIX": REDIS_PREFIX,
                # A Redis that is down or silent costs a request half a second, then the cache is bypassed.
                "CACHE_OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        return {
            # Flask-Caching's file cache, without the file count it rewrites on every new entry
            "CACHE_TYPE": "dashboard.web.filecache.FileCache",
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
    "DASHBOARD_ANONYMOUS": "anonymous",
    "DASHBOARD_SESSION_IDLE_HOURS": "session_idle_hours",
    "DASHBOARD_SECURE_COOKIES": "secure_cookies",
    "DASHBOARD_MAX_UPLOAD_MB": "max_upload_mb",
    "DASHBOARD_JOBS": "jobs",
    "DASHBOARD_SCREEN_RELOAD_AT": "screen_reload_at",
    "DASHBOARD_BROWSER": "browser",
    "DASHBOARD_REPORT_DAY": "report_day",
    "DASHBOARD_PUBLIC_URL": "public_url",
    "DASHBOARD_MAX_ATTACHMENT_MB": "max_attachment_mb",
}


# where imports run: threads of the web process, or Celery workers on Redis
JOB_RUNNERS = ("local", "celery")
# the panel cache's keys in Redis begin with this
REDIS_PREFIX = "fazhi:"
# what redis-py's from_url accepts
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


# setting -> (smallest, largest) for the settings that are a number of seconds or hours
RANGES = {
    "db_timeout": (0.5, 600.0),
    "session_idle_hours": (0.05, 720.0),
    "max_upload_mb": (0.01, 2048.0),
    "max_attachment_mb": (0.01, 200.0),
}
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _env_name(name: str) -> str:
    return next(k for k, v in ENVIRONMENT.items() if v == name)


def _convert(name: str, raw: Any) -> Any:
    if isinstance(raw, bool) and name == "secure_cookies":
        return raw
    if raw is None or isinstance(raw, (int, float, Path)) and not isinstance(raw, bool):
        return float(raw) if name in RANGES else raw
    text = str(raw).strip()
    if name in RANGES:
        low, high = RANGES[name]
        try:
            number = float(text) if text else getattr(Config, name)
        except ValueError:
            number = -1.0
        if not low <= number <= high:
            raise ConfigError(
                f"环境变量 {_env_name(name)} 必须是 {low:g} 到 {high:g} 之间的数，当前为 {text!r}"
            )
        return number
    if name == "anonymous":
        mode = text or Config.anonymous
        if mode not in ANONYMOUS_MODES:
            choices = "、".join(f"{k}（{v}）" for k, v in ANONYMOUS_MODES.items())
            raise ConfigError(f"环境变量 DASHBOARD_ANONYMOUS 只能是 {choices}，当前为 {text[:20]!r}")
        return mode
    if name == "secure_cookies":
        if text.lower() not in TRUE + FALSE:
            raise ConfigError(f"环境变量 DASHBOARD_SECURE_COOKIES 只能是 1 或 0，当前为 {text[:20]!r}")
        return text.lower() in TRUE
    if name == "jobs":
        runner = text or Config.jobs
        if runner not in JOB_RUNNERS:
            raise ConfigError(
                f"环境变量 DASHBOARD_JOBS 只能是 {'、'.join(JOB_RUNNERS)}，当前为 {text[:20]!r}"
            )
        return runner
    if name == "screen_reload_at":
        return _time_of_day(text or Config.screen_reload_at)
    if name == "instance_path":
        return Path(text).expanduser()
    if name == "redis_url" and text and not text.startswith(REDIS_SCHEMES):
        raise ConfigError(
            f"环境变量 REDIS_URL 必须以 {'、'.join(REDIS_SCHEMES)} 开头，例如 redis://127.0.0.1:6379/0，当前为 {text[:60]!r}"
        )
    if name == "public_url":
        if text and not text.startswith(("http://", "https://")):
            raise ConfigError(
                f"环境变量 DASHBOARD_PUBLIC_URL 应为 http:// 或 https:// 开头的站点地址，当前为 {text[:60]!r}"
            )
        return text.rstrip("/")
    if name == "report_day":
        if not text:
            return Config.report_day
        if text.isdigit() and int(text) in DUE_DAYS:
            return int(text)
        raise ConfigError(
            f"环境变量 DASHBOARD_REPORT_DAY 应为 {DUE_DAYS.start} 到 {DUE_DAYS.stop - 1} 之间的整数"
            f"（次月几日前报送），当前为 {text[:20]!r}"
        )
    if name in {"default_year", "port", "proxies"}:
        if not text:
            return None if name == "default_year" else getattr(Config, name)
        if not text.isdigit():
            raise ConfigError(f"环境变量 {_env_name(name)} 必须是整数，当前为 {text!r}")
        return int(text)
    return text


def _time_of_day(text: str) -> str:
    """``HH:MM`` written as screen.js compares it (zero-padded), or "" for "off"."""
    if text.lower() in FALSE:
        return ""
    hours, _, minutes = text.partition(":")
    if hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and int(hours) < 24 and int(minutes) < 60:
        return f"{int(hours):02d}:{minutes}"
    raise ConfigError(
        f"环境变量 DASHBOARD_SCREEN_RELOAD_AT 应为 时:分（如 03:30），或 off（不自动刷新），当前为 {text[:20]!r}"
    )


def from_env(environ: Mapping[str, str] | None = None) -> Config:
    """The configuration the environment describes; unset variables keep their defaults."""
    environ = os.environ if environ is None else environ
    values = {attr: _convert(attr, environ[var]) for var, attr in ENVIRONMENT.items() if var in environ}
    return _consistent(Config(**values))


def _consistent(cfg: Config) -> Config:
    if cfg.jobs == "celery" and not cfg.redis_url:
        raise ConfigError("DASHBOARD_JOBS=celery 需要 REDIS_URL（Celery 的队列在 Redis 上）")
    return cfg


def merge(base: Config, overrides: Mapping[str, Any] | None) -> Config:
    """``base`` with some settings replaced (tests pass a dict to ``create_app``)."""
    if not overrides:
        return base
    known = {f.name for f in fields(Config)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"未知配置项：{', '.join(sorted(unknown))}")
    return _consistent(replace(base, **{k: _convert(k, v) for k, v in overrides.items()}))
