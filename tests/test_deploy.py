"""README's deployment, run: its nginx block, taken out of README.md as written (only ports, certificate paths and
the upstream's address replaced), in front of gunicorn with gunicorn.conf.py, over HTTPS with a certificate made
here by openssl. An upload of 20 MB goes through and gets the app's answer, not nginx's 413.

nginx comes from the distribution (scripts/test installs it with apt, beside chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import urllib3
from services import free_port

from dashboard.config import Config
from data import accounts
from data.engine import open_engine
from data.store import migrate

# starts nginx and gunicorn: outside the fast tier
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPLOAD_MB = 20


def readme_nginx() -> str:
    blocks = re.findall(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1, "README.md should hold one nginx block"
    return blocks[0]


def _replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"README's nginx block no longer has {old!r} once"
    return text.replace(old, new)


def test_readme_body_size_follows_the_upload_limit():
    """client_max_body_size is the app's upload limit plus 1 MB of form overhead: above the app's own limit, so
    that a file too large is refused by the app in Chinese, never by nginx in English."""
    sizes = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", readme_nginx(), re.MULTILINE)
    assert sizes == [f"{Config().max_upload_mb + 1:g}"]


def _wait(check, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready after {seconds} s")


@pytest.fixture
def deployed(empty_url, tmp_path) -> Iterator[tuple[str, str, str]]:
    """gunicorn on a store made by `dashboard init` (no demo) and nginx in front with README's block: yields the
    HTTP and HTTPS base URLs and a leader's API token."""
    assert os.path.exists(NGINX), (
        "nginx is not installed (scripts/test installs it: apt-get install nginx-light)"
    )
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "leader", "测试用的密码-0123", "leader")
        token = accounts.create_token(conn, "leader")[1]
    engine.dispose()

    key, cert = tmp_path / "dashboard.key", tmp_path / "dashboard.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    block = readme_nginx()
    block = _replace(block, "server 127.0.0.1:8050;", f"server 127.0.0.1:{app_port};")
    block = _replace(block, "listen 80;", f"listen 127.0.0.1:{http_port};")
    block = _replace(block, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    block = _replace(block, "/etc/nginx/tls/dashboard.crt", str(cert))
    block = _replace(block, "/etc/nginx/tls/dashboard.key", str(key))
    temp = "\n".join(
        f"    {kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"daemon off;\nmaster_process off;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n{block}\n}}\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": empty_url,
        "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance"),
        "DASHBOARD_PROXIES": "1",
        "DASHBOARD_SECURE_COOKIES": "1",
        "GUNICORN_WORKERS": "1",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{app_port}", "dashboard.wsgi:server"],
        cwd=ROOT,  # gunicorn reads gunicorn.conf.py from here, as under the README's systemd unit
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    http, https = f"http://127.0.0.1:{http_port}", f"https://127.0.0.1:{https_port}"
    try:
        _wait(lambda: requests.get(f"{https}/readyz", verify=False, timeout=5).status_code == 200, 60)
        yield http, https, token
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=30)
        log.close()


def test_readme_nginx_in_front_of_gunicorn_passes_a_20_mb_upload_over_https(deployed):
    http, https, token = deployed
    redirect = requests.get(f"{http}/present?x=1", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert (
        redirect.headers["Location"].startswith("https://127.0.0.1")
        and "/present?x=1" in redirect.headers["Location"]
    )

    # Not a workbook: the app takes the whole file in and its check refuses it, in Chinese, as JSON.
    body = b"\x00" * (UPLOAD_MB * 1024 * 1024)
    answer = requests.post(
        f"{https}/api/v1/imports",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("大文件.xlsx", body, "application/octet-stream")},
        verify=False,
        timeout=120,
    )
    assert answer.status_code != 413, answer.text[:300]
    assert answer.headers["Content-Type"].startswith("application/json"), answer.text[:300]
    assert answer.status_code in (201, 202), answer.text[:300]
    batch = answer.json()
    if answer.status_code == 202:
        batch = requests.get(
            f"{https}{batch['url']}", headers=answer.request.headers, verify=False, timeout=10
        ).json()
    assert batch["file"]["size"] == len(body), batch
