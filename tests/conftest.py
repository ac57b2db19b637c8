"""Stores for the tests: real SQLite files and real PostgreSQL databases, fresh or holding the demo data.

Every store test runs on both engines. PostgreSQL comes from TEST_DATABASE_URL (scripts/test sets it, starting
a throwaway cluster where none answers); it is never skipped: a missing server fails the run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib
import io
import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.exports.render import ARGS as RENDER_ARGS
from data import accounts, catalog, demo
from data.engine import open_engine
from data.store import migrate

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Passwords in tests are hashed with argon2id at its cheapest: the app's cost (0.17 s a hash or a check on this
# machine) is what makes guessing slow, and tests sign in hundreds of times. A stored hash carries its own
# parameters, so nothing else changes; the test of the hashing's cost takes the app's hasher back
# (`real_password_cost`). Every module that holds the hasher gets it (they import it by name).
APP_HASHER = accounts._common._hasher
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
HASHER_HOMES = ("data.accounts._common", "data.accounts.users", "data.accounts.signin")


def use_hasher(hasher: PasswordHasher) -> None:
    for name in HASHER_HOMES:
        importlib.import_module(name)._hasher = hasher
    importlib.import_module("data.accounts.signin")._dummy_hash.cache_clear()


use_hasher(CHEAP_HASHER)


@pytest.fixture
def real_password_cost() -> Iterator[None]:
    use_hasher(APP_HASHER)
    yield
    use_hasher(CHEAP_HASHER)


ENGINES = ["sqlite", "postgresql"]


# The fast tier (scripts/test --fast sets DASHBOARD_TEST_TIER=fast): SQLite only, no browser, no subprocess.
# Tests are marked from the fixtures they use (pytest_collection_modifyitems), and in the fast tier the fixtures
# that would break those rules fail the test with the marker it lacks, so a marker cannot be forgotten.
FAST_TIER = os.environ.get("DASHBOARD_TEST_TIER") == "fast"
TIER_MARKERS = ("browser", "postgres", "slow")
BROWSER_FIXTURES = frozenset({"browser", "page"})
SLOW_FIXTURES = frozenset({"spawn_cli"})


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        names = set(item.fixturenames)
        if names & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
        callspec = getattr(item, "callspec", None)
        if callspec and any(isinstance(v, str) and v == "postgresql" for v in callspec.params.values()):
            item.add_marker(pytest.mark.postgres)


def outside_fast_tier(marker: str, what: str) -> None:
    if FAST_TIER:
        pytest.fail(f"the fast tier runs no {what}: mark this test `{marker}` (or run it on SQLite only)")


@pytest.fixture(scope="session", autouse=FAST_TIER)
def no_subprocess_in_fast_tier() -> Iterator[None]:
    """In the fast tier, starting a process fails the test that does it: mark it `slow` or check in-process."""
    if not FAST_TIER:
        yield
        return
    import subprocess

    original = subprocess.Popen.__init__

    def refuse(self, *args, **kwargs):
        outside_fast_tier("slow", "subprocess")
        original(self, *args, **kwargs)

    subprocess.Popen.__init__ = refuse
    yield
    subprocess.Popen.__init__ = original


@pytest.fixture(scope="session", autouse=True)
def instance_folder(tmp_path_factory) -> Iterator[None]:
    """Apps built in tests keep their instance folder (file cache, SQLite) out of the working tree."""
    previous = os.environ.get("DASHBOARD_INSTANCE_PATH")
    os.environ["DASHBOARD_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
    yield
    if previous is None:
        os.environ.pop("DASHBOARD_INSTANCE_PATH")
    else:
        os.environ["DASHBOARD_INSTANCE_PATH"] = previous


@pytest.fixture(autouse=True)
def own_instance_folder(tmp_path_factory, monkeypatch) -> None:
    """Each test's apps get a folder of their own: the rate limits counted there are shared by every app on it
    (as by every worker of a server), and one test's downloads must not count against the next test's."""
    monkeypatch.setenv("DASHBOARD_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))


def connect_pg_admin() -> Engine:
    """The test server's administrative engine; the fast tier refuses it, and a server that does not answer
    ends the run with the reason (PostgreSQL tests are never skipped)."""
    outside_fast_tier("postgres", "PostgreSQL")
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect ends the run with the reason
        pytest.fail(
            f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is not reachable ({exc}); "
            "run the tests through scripts/test, which starts one",
            pytrace=False,
        )
    return engine


# A store's untouched copy, to copy from (PostgreSQL's CREATE DATABASE ... TEMPLATE refuses a database that any
# session has open, and tests read the shared demo store through engines of their own): store URL -> its copy's.
PRISTINE: dict[str, str] = {}


class PgDatabases:
    """Creates uniquely named databases on the test server and drops them at the end; it connects to the server
    only when a test first needs it, so SQLite-only runs never do."""

    def __init__(self) -> None:
        self._admin: Engine | None = None
        self.names: list[str] = []

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = connect_pg_admin()
        return self._admin

    def create(self) -> str:
        name = f"fazhi_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return make_url(self.admin.url).set(database=name).render_as_string(hide_password=False)

    def copy_of(self, url: str) -> str:
        """A new database copied from ``url``'s (which no session may have open)."""
        name = f"fazhi_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}"'))
        self.names.append(name)
        return make_url(url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self._admin is None:
            return
        with self._admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    dbs = PgDatabases()
    yield dbs
    dbs.drop_all()


def new_store_url(kind: str, folder, pg_databases: PgDatabases) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / f'store-{uuid.uuid4().hex[:8]}.db'}"
    return pg_databases.create()


@pytest.fixture(params=ENGINES)
def empty_url(request, tmp_path, pg_databases) -> str:
    """A fresh, empty store (no schema) on each engine."""
    return new_store_url(request.param, tmp_path, pg_databases)


# --- the `dashboard` command ---------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float | None = None) -> CompletedProcess:
    """The `dashboard` command run inside this process, as ``subprocess.run`` would report it: exit code, stdout
    and stderr. The environment is the test process's without DATABASE_URL, plus ``env``, for the command's
    duration. A person's view of a command (one-line errors, exit codes, output) is the same either way, and
    in-process it costs milliseconds instead of a second of imports; what only a process shows (signals, a
    server on a port, the console script) is spawned by ``spawn_cli``. ``timeout`` is accepted and unused."""
    from dashboard.cli import commands
    from dashboard.web import logs

    saved = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env or {})
    was_configured = logs._configured
    logs._configured = True  # the test process keeps pytest's logging; records still reach stderr if warnings
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = commands.run(list(args))
            except SystemExit as exc:  # argparse: -h (0) and unusable arguments (2)
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        logs._configured = was_configured
        os.environ.clear()
        os.environ.update(saved)
    return CompletedProcess(["dashboard", *args], code, out.getvalue(), err.getvalue())


def spawn_process_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> CompletedProcess:
    """The `dashboard` command in its own process (``python -m dashboard.cli``)."""
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
    )


@pytest.fixture
def spawn_cli():
    """``spawn_cli(*args, env=...)``: the command in a process of its own; a test using it is marked slow."""
    return spawn_process_cli


def assert_one_line_error(proc: CompletedProcess, fragment: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr


# The accounts every demo store holds, one per kind of reader: name -> (role, tie). Their password is PASSWORD.
PEOPLE: dict[str, tuple[str, dict[str, str]]] = {
    "admin": ("admin", {}),
    "leader": ("leader", {}),
    "market": ("department", {"department": "SCJGJ"}),
    "justice": ("department", {"department": "SFJ"}),
    "police": ("department", {"department": "GAFJ"}),
    "qingshan": ("township", {"township": "qingshan"}),
    "clerk": ("clerk", {"department": "SCJGJ"}),
}
PASSWORD = "测试用的密码-0123"

# The shipped catalog has no internal figure (a rate is never seen more widely than its parts, and the report
# publishes every rate): tests that need one make the service center's complaints internal, as a district would on
# /admin/catalog. No rate is counted from it and no deck's headline shows it.
INTERNAL = ("complaints",)


@pytest.fixture
def internal(monkeypatch) -> set[str]:
    """INTERNAL made internal in ``catalog.load()`` for one test (a store without edits keeps it so)."""
    from dataclasses import replace

    cat = catalog.load()
    for code in INTERNAL:
        monkeypatch.setitem(cat, code, replace(cat[code], visibility="internal"))
    assert not catalog.wider_rates(cat, {})
    return set(INTERNAL)


class PerEngine(dict):
    """A store per engine, built by ``build(kind)`` the first time a test asks for that engine, so that the fast
    tier (SQLite only) never builds a PostgreSQL one."""

    def __init__(self, build: Callable[[str], str]) -> None:
        super().__init__()
        self.build = build

    def __missing__(self, kind: str) -> str:
        if kind not in ENGINES:
            raise KeyError(kind)
        self[kind] = self.build(kind)
        return self[kind]

    def values(self):
        return [self[kind] for kind in ENGINES]

    def items(self):
        return [(kind, self[kind]) for kind in ENGINES]


ROOT = Path(__file__).resolve().parent.parent
# Built demo SQLite stores kept between runs, keyed by everything that decides their content (data/ and this file):
# building one costs 15–30 s per test process, copying it a fraction of a second.
DEMO_CACHE = ROOT / ".test-cache"


def build_demo_store(url: str) -> None:
    engine = open_engine(url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        demo.generate(conn)
        for name, (role, tie) in PEOPLE.items():
            accounts.add_user(conn, name, PASSWORD, role, **tie)
    if engine.dialect.name == "sqlite":
        # everything into the main file, so that copying the file copies the store
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def demo_key() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "data").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:20]


def cached_sqlite_demo(folder: Path) -> str:
    """A private copy of the demo SQLite store; the first process to need it builds it (others wait on a lock)."""
    DEMO_CACHE.mkdir(exist_ok=True)
    cached = DEMO_CACHE / f"demo-{demo_key()}.db"
    with open(DEMO_CACHE / "demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cached.exists():
            for stale in DEMO_CACHE.glob("demo-*.db"):
                stale.unlink()
            building = cached.with_suffix(".building")
            building.unlink(missing_ok=True)
            build_demo_store(f"sqlite:///{building}")
            building.replace(cached)
        # copied under the lock: a process whose data/ differs (edited mid-run) deletes stale stores under it
        copy = folder / "demo.db"
        shutil.copyfile(cached, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(scope="session")
def demo_urls(tmp_path_factory, pg_databases) -> dict[str, str]:
    """One demo store per engine, built once (on first use), with the accounts of PEOPLE: tests that use it must
    not change its data (the audit log of downloads and sign-ins grows; no figure depends on it)."""

    def build(kind: str) -> str:
        if kind == "sqlite":
            return cached_sqlite_demo(tmp_path_factory.mktemp("demo"))
        url = new_store_url(kind, tmp_path_factory.mktemp("demo"), pg_databases)
        build_demo_store(url)
        PRISTINE[url] = pg_databases.copy_of(url)
        return url

    return PerEngine(build)


class DemoTokens(dict):
    """An API token for each of PEOPLE in a demo store, made the first time that store's tokens are asked for."""

    def __missing__(self, url: str) -> dict[str, str]:
        engine = open_engine(url)
        with engine.begin() as conn:
            tokens = {name: accounts.create_token(conn, name)[1] for name in PEOPLE}
        engine.dispose()
        self[url] = tokens
        return tokens


@pytest.fixture(scope="session")
def demo_tokens(demo_urls) -> dict[str, dict[str, str]]:
    """An API token for each of PEOPLE in each demo store: store URL -> name -> token."""
    return DemoTokens()


@pytest.fixture
def bearer(demo_url, demo_tokens):
    """``bearer(name)``: the headers that make a request one of PEOPLE's, on the demo store under test."""
    return lambda name: {"Authorization": f"Bearer {demo_tokens[demo_url][name]}"}


def pick(page: Page, name: str) -> None:
    """Choose ``name`` in the open list of a single-choice filter (the year, /mine's period): a radio group whose
    radio buttons Dash draws without size, so it is their labels that are pressed, as a reader does."""
    page.get_by_role("radio", name=name, exact=True).locator("xpath=ancestor::label[1]").click()


def sign_in(page: Page, base_url: str, name: str, target: str | None = None) -> None:
    """Sign ``page`` in as one of PEOPLE through the sign-in form; it then opens ``target``, or where the
    account lands (its own figures for a department or township head)."""
    page.goto(f"{base_url}/login" + (f"?next={target}" if target else ""))
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture(params=ENGINES)
def demo_url(request, demo_urls) -> str:
    return demo_urls[request.param]


@pytest.fixture
def demo_engine(demo_url) -> Iterator[Engine]:
    engine = open_engine(demo_url)
    yield engine
    engine.dispose()


# --- an app over a private copy of the demo store ------------------------------------------------------------


@pytest.fixture(params=ENGINES)
def app(request, demo_urls, tmp_path, pg_databases):
    """The app over a private copy of the demo store on each engine (modules with an app of their own override it):
    a test may change its data."""
    from import_support import copy_store  # imports this module: imported when the fixture runs

    url = copy_store(demo_urls[request.param], tmp_path, pg_databases)
    built = create_app({"database_url": url, "instance_path": tmp_path})
    yield built
    built.server.extensions["dashboard.jobs"].shutdown()
    built.server.extensions["dashboard.engine"].dispose()


def client_as(app, name: str | None):
    """A test client of ``app``, signed in as one of PEOPLE through the sign-in form (None: a visitor)."""
    client = app.server.test_client()
    if name:
        resp = client.post(
            "/login", data={"username": name, "password": PASSWORD}, headers={"Origin": "http://localhost"}
        )
        assert resp.status_code == 303
    return client


# --- the served app in a real headless Chromium -----------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
# the same switches as the server's own renderer (dashboard/exports/render.py)
ARGS = RENDER_ARGS


@pytest.fixture(scope="session")
def base_url(demo_urls, tmp_path_factory) -> Iterator[str]:
    app = create_app(
        {"database_url": demo_urls["sqlite"], "instance_path": tmp_path_factory.mktemp("instance")}
    )
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    outside_fast_tier("browser", "browser")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on(
        "request",
        lambda r: (
            r.url.startswith(base_url)
            or r.url.startswith("data:")
            or pg.problems.append(f"external request: {r.url}")
        ),
    )
    pg.on("response", lambda r: r.status >= 400 and pg.problems.append(f"HTTP {r.status}: {r.url}"))
    yield pg
    context.close()
