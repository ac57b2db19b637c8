"""WSGI entry for gunicorn: ``gunicorn dashboard.wsgi:server`` (settings in gunicorn.conf.py)."""

import sys

from dashboard.app import create_app
from dashboard.config import ConfigError
from dashboard.web import logs
from data.engine import StoreError

# gunicorn stops, instead of starting a new worker again and again, when a worker exits with this code: a store
# that is not initialised or a wrong setting needs an operator, not a retry. A store that is only down does not
# end up here: the app starts and says so until it is back.
APP_LOAD_ERROR = 4

logs.configure()
try:
    app = create_app()
except (StoreError, ConfigError) as exc:
    print(f"错误：{exc}", file=sys.stderr)
    raise SystemExit(APP_LOAD_ERROR) from None
server = app.server
