"""Stores for the tests: real SQLite files and real PostgreSQL databases, fresh or holding the demo data.

Every store test runs on both engines. PostgreSQL comes from TEST_DATABASE_URL (scripts/test sets it, starting
a throwaway cluster where none answers); it is never skipped: a missing server fails the run.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from dashboard import create_app
from dashboard.render import ARGS as RENDER_ARGS
from data import accounts, demo
from data.engine import open_engine
from data.store import migrate

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENGINES = ["sqlite", "postgresql"]


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


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
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
    yield engine
    engine.dispose()


class PgDatabases:
    """Creates uniquely named databases on the test server and drops them at the end."""

    def __init__(self, admin: Engine) -> None:
        self.admin = admin
        self.names: list[str] = []

    def create(self) -> str:
        name = f"fazhi_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return make_url(self.admin.url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_databases(pg_admin: Engine) -> Iterator[PgDatabases]:
    dbs = PgDatabases(pg_admin)
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


@pytest.fixture(scope="session")
def demo_urls(tmp_path_factory, pg_databases) -> dict[str, str]:
    """One demo store per engine, built once, with the accounts of PEOPLE: tests that use it must not change
    its data (the audit log of downloads and sign-ins grows; no figure depends on it)."""
    urls = {}
    for kind in ENGINES:
        url = new_store_url(kind, tmp_path_factory.mktemp("demo"), pg_databases)
        engine = open_engine(url, create=True)
        migrate(engine)
        with engine.begin() as conn:
            demo.generate(conn)
            for name, (role, tie) in PEOPLE.items():
                accounts.add_user(conn, name, PASSWORD, role, **tie)
        engine.dispose()
        urls[kind] = url
    return urls


@pytest.fixture(scope="session")
def demo_tokens(demo_urls) -> dict[str, dict[str, str]]:
    """An API token for each of PEOPLE in each demo store: store URL -> name -> token."""
    out: dict[str, dict[str, str]] = {}
    for url in demo_urls.values():
        engine = open_engine(url)
        with engine.begin() as conn:
            out[url] = {name: accounts.create_token(conn, name)[1] for name in PEOPLE}
        engine.dispose()
    return out


@pytest.fixture
def bearer(demo_url, demo_tokens):
    """``bearer(name)``: the headers that make a request one of PEOPLE's, on the demo store under test."""
    return lambda name: {"Authorization": f"Bearer {demo_tokens[demo_url][name]}"}


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


# --- the served app in a real headless Chromium -----------------------------------------------------------
CHROMIUM = "/usr/bin/chromium"
# the same switches as the server's own renderer (dashboard/render.py)
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
