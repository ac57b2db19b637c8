"""The package as an operator installs it: the built wheel and the locked dependencies in a fresh virtual
environment, run from a folder outside the checkout, under `dashboard serve` and under gunicorn."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# starts processes (servers, workers, the command): outside the fast tier
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# Everything but what a checkout accumulates; the build then sees the tree as a fresh clone would.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "instance", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "docs"
)
# What the desk needs in the browser beside Dash's own bundles: every stylesheet and script under assets/.
OWN_FILES = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "assets").rglob("*") if p.suffix in {".css", ".js"}
)
# dcc.Graph asks for plotly.js by this path; the app answers with its basic bundle from dashboard/static.
PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def run(cmd: list, log: Path, **kwargs) -> None:
    with log.open("a") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{log.read_text()[-4000:]}"


@dataclass
class Installed:
    venv: Path
    elsewhere: Path
    env: dict[str, str]
    log: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """The wheel and requirements.lock in a new venv, and a demo store made by the installed `dashboard init`."""
    tmp = tmp_path_factory.mktemp("package")
    log = tmp / "install.log"
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCE)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", tmp / "dist", src], log)
    (wheel,) = (tmp / "dist").glob("fazhi_dashboard-*.whl")

    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", venv], log)
    # --no-compile: byte-compiling plotly and the rest costs two thirds of the install; imports compile lazily.
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--disable-pip-version-check", "--no-compile"]
    run([*pip, "--require-hashes", "-r", ROOT / "requirements.lock"], log)
    run([*pip, "--no-deps", wheel], log)

    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    drop = {"DATABASE_URL", "REDIS_URL", "PYTHONPATH", "VIRTUAL_ENV", "GUNICORN_CMD_ARGS", "XDG_RUNTIME_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DASHBOARD_")}
    env |= {"DASHBOARD_INSTANCE_PATH": str(tmp / "instance"), "HOME": str(tmp / "home")}
    found = subprocess.run(
        [venv / "bin" / "python", "-c", "import importlib.util as u; print(u.find_spec('dashboard').origin)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.startswith(str(venv)), f"dashboard imported from {found.stdout}, not the venv"
    run([venv / "bin" / "dashboard", "init", "--demo"], log, cwd=elsewhere, env=env)
    return Installed(venv=venv, elsewhere=elsewhere, env=env, log=log)


def test_the_installed_command_checks_the_demo_store_against_the_report(installed):
    proc = subprocess.run(
        [installed.venv / "bin" / "python", "-m", "dashboard", "check", "--year", "2024"],
        cwd=installed.elsewhere,
        env=installed.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "共 50 项，0 项不同。" in proc.stdout


def test_the_installed_command_writes_the_reports_figures_as_a_word_document(installed):
    # the sentence file (data/writeup.csv) travels in the wheel
    out = installed.elsewhere / "报告.docx"
    proc = subprocess.run(
        [installed.venv / "bin" / "dashboard", "export", "docx", "--year", "2024", "-o", out],
        cwd=installed.elsewhere,
        env=installed.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0 and out.stat().st_size > 10_000, proc.stdout + proc.stderr


class PageFiles(HTMLParser):
    """The stylesheets and scripts a page names."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.urls.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.urls.append(a["src"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200, url
        return resp.read()


def serve(installed: Installed, cmd: list, port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, cwd=installed.elsewhere, env=installed.env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            fetch(f"http://127.0.0.1:{port}/api/v1/dimensions")
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"the server did not come up:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def assert_styled_desk(base: str) -> None:
    html = fetch(base + "/").decode()
    assert "法治政府建设数据驾驶舱" in html
    parser = PageFiles()
    parser.feed(html)
    paths = [url.split("?")[0] for url in parser.urls]
    assert set(OWN_FILES) <= {p.lstrip("/") for p in paths}, paths
    assert any(p.startswith("/_dash-component-suites/dash/dash-renderer/") for p in paths), paths
    for url in parser.urls:
        body = fetch(base + url)
        assert body, url
        own = url.split("?")[0].lstrip("/")
        if own in OWN_FILES:
            assert body == (ROOT / own).read_bytes(), f"{own} differs from the checkout's"
    assert fetch(base + PLOTLY_JS) == (ROOT / "dashboard/static/plotly-basic.min.js").read_bytes()


def test_dashboard_serve_from_the_wheel_serves_the_styled_desk(installed, tmp_path):
    port = free_port()
    proc = serve(
        installed,
        [installed.venv / "bin" / "dashboard", "serve", "--port", str(port)],
        port,
        tmp_path / "out",
    )
    try:
        assert_styled_desk(f"http://127.0.0.1:{port}")
    finally:
        stop(proc)


def test_gunicorn_with_the_shipped_config_serves_and_logs_each_request_once(installed, tmp_path):
    port = free_port()
    out = tmp_path / "out"
    gunicorn = [installed.venv / "bin" / "gunicorn", "-c", ROOT / "gunicorn.conf.py"]
    proc = serve(installed, [*gunicorn, "-b", f"127.0.0.1:{port}", "dashboard.wsgi:server"], port, out)
    try:
        assert_styled_desk(f"http://127.0.0.1:{port}")
    finally:
        stop(proc)

    lines = out.read_text().splitlines()
    requests = [line for line in lines if " dashboard.request: GET / " in line]
    assert len(requests) == 1, lines
    assert not [line for line in lines if "HTTP/1.1" in line], (
        "gunicorn's access log repeats the request line"
    )
    assert any(" gunicorn.error: Booting worker" in line for line in lines), lines
    assert not (Path(installed.env["HOME"]) / ".gunicorn").exists(), "gunicorn opened a control socket"


def pins(lock: Path) -> dict[str, str]:
    found = {}
    for line in lock.read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            name, version = line.split(";")[0].split("\\")[0].strip().split("==")
            found[canonicalize_name(name)] = version
    return found


def test_the_locks_pin_what_pyproject_asks_for():
    """Run scripts/lock after changing the dependencies in pyproject.toml; this says when that was forgotten."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, test = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-test.lock")
    for lock, wanted in [
        (runtime, project["dependencies"]),
        (test, project["dependencies"] + project["optional-dependencies"]["test"]),
    ]:
        for spec in map(Requirement, wanted):
            name = canonicalize_name(spec.name)
            assert name in lock, f"{spec} is not in the lock file: run scripts/lock"
            assert spec.specifier.contains(lock[name], prereleases=True), f"{spec}: locked {lock[name]}"
    assert {name: test.get(name) for name in runtime} == runtime, "the two locks pin different versions"
