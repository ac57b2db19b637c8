"""WSGI entry for gunicorn: ``gunicorn -w 2 -b 127.0.0.1:8050 --no-control-socket dashboard.wsgi:server``."""

import sys

from dashboard.app import create_app
from dashboard.config import ConfigError
from data.store import StoreError

try:
    app = create_app()
except (StoreError, ConfigError) as exc:
    print(f"错误：{exc}", file=sys.stderr)
    raise SystemExit(2) from None
server = app.server
