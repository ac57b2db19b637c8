"""The admin pages' stores and clients, shared by the tests of /admin/users, /admin/audit and /admin/screens: a
small store per engine (the demo's departments and townships, the accounts of PEOPLE) built once and copied for
each test, the app over a copy, its admin signed in, and the app served for Chromium.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator

import pytest
from conftest import ENGINES, PASSWORD, PEOPLE, PerEngine, new_store_url
from flask.testing import FlaskClient
from import_support import copy_store
from sqlalchemy import insert
from werkzeug.serving import make_server

from dashboard import create_app
from data import accounts
from data import demo_names as names
from data.engine import open_engine
from data.schema import department, township
from data.store import migrate

# Same-origin, as a browser's form post sends it (the CSRF check reads Origin).
OWN = {"Origin": "http://localhost"}


@pytest.fixture(scope="session")
def admin_templates(tmp_path_factory, pg_databases) -> dict[str, str]:
    """One small store per engine, built once and copied for each test."""

    def build(kind: str) -> str:
        url = new_store_url(kind, tmp_path_factory.mktemp("admin"), pg_databases)
        engine = open_engine(url, create=True)
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(
                insert(department),
                [
                    {"code": c, "name": n, "short_name": s, "sort": i}
                    for i, (c, n, s) in enumerate(names.DEPARTMENTS)
                ],
            )
            conn.execute(
                insert(township),
                [
                    {"code": c, "name": n, "kind": k, "sort": i}
                    for i, (c, n, k, _w) in enumerate(names.TOWNSHIPS)
                ],
            )
            for name, (role, tie) in PEOPLE.items():
                accounts.add_user(conn, name, PASSWORD, role, **tie)
        engine.dispose()
        return url

    return PerEngine(build)


@pytest.fixture(params=ENGINES)
def app(request, admin_templates, pg_databases, tmp_path):
    built = create_app({"database_url": copy_store(admin_templates[request.param], tmp_path, pg_databases)})
    yield built
    built.server.extensions["dashboard.engine"].dispose()


def signed_in(app, name: str, password: str = PASSWORD) -> FlaskClient:
    client = app.server.test_client()
    resp = client.post("/login", data={"username": name, "password": password}, headers=OWN)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return client


@pytest.fixture
def admin(app) -> FlaskClient:
    return signed_in(app, "admin")


def messages(resp) -> list[str]:
    found = re.findall(r'class="admin-message[^"]*"[^>]*>(.*?)</div>', resp.get_data(as_text=True), re.S)
    return [html.unescape(m.strip()) for m in found]


def post(client: FlaskClient, path: str, **form: str):
    return client.post(path, data=form, headers=OWN)


WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def served(admin_templates, pg_databases, tmp_path) -> Iterator[str]:
    url = copy_store(admin_templates["sqlite"], tmp_path, pg_databases)
    served_app = create_app({"database_url": url})
    server = make_server("127.0.0.1", 0, served_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    served_app.server.extensions["dashboard.engine"].dispose()
