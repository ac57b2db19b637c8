"""gunicorn's settings for the dashboard, so that the whole command is ``gunicorn dashboard.wsgi:server``.

gunicorn reads ./gunicorn.conf.py by default (or ``-c PATH``). Command-line flags and GUNICORN_CMD_ARGS still
override any value here. Workers and threads also follow GUNICORN_WORKERS and GUNICORN_THREADS.
"""

import os

from dashboard.web.logs import settings


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"错误：环境变量 {name} 必须是正整数，当前为 {raw!r}")
    return int(raw)


# Localhost only: nginx in front buffers slow clients, which would otherwise hold a worker thread each.
bind = "127.0.0.1:8050"

# Each worker holds its own engine and connection pool; threads share them. 2 × 4 fits a 2-core server.
workers = _count("GUNICORN_WORKERS", 2)
threads = _count("GUNICORN_THREADS", 4)
worker_class = "gthread"

# Seconds a worker may stay silent before it is killed and replaced; gthread workers report between
# requests, so a long download in one thread does not trip it.
timeout = 60
# Seconds in-flight requests get to finish on a restart or stop (systemd's TimeoutStopSec must be longer).
graceful_timeout = 30
# Seconds an idle keep-alive connection from nginx stays open.
keepalive = 5

# gunicorn 27 opens a control socket under ~/.gunicorn by default; two instances on one machine collide.
control_socket_disable = True

# The app's own logging: one line per request from dashboard.request, so gunicorn's access log stays off.
logconfig_dict = settings()
accesslog = None
