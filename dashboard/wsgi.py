"""WSGI entry for gunicorn: ``gunicorn dashboard.wsgi:server`` (settings in gunicorn.conf.py)."""

import sys

from dashboard import logs
from dashboard.app import create_app
from dashboard.config import ConfigError
from data.store import StoreError

logs.configure()
try:
    app = create_app()
except (StoreError, ConfigError) as exc:
    print(f"错误：{exc}", file=sys.stderr)
    raise SystemExit(2) from None
server = app.server
