"""The routes Dash would open on its own are not served: dev tools, hot reload, its MCP server (whatever the
environment says, under the app factory and under the WSGI entry gunicorn imports), and component-suite paths
that name no file (a 404, not a 500)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from dashboard import create_app

DEV_ENVIRONMENT = {
    "DASH_DEBUG": "true",
    "DASH_UI": "true",
    "DASH_PROPS_CHECK": "true",
    "DASH_HOT_RELOAD": "true",
    "DASH_SERVE_DEV_BUNDLES": "true",
    "DASH_PRUNE_ERRORS": "false",
    "DASH_MCP_ENABLED": "true",
    "FLASK_DEBUG": "1",
}


@pytest.fixture
def dev_env_app(demo_urls, tmp_path, monkeypatch):
    for name, value in DEV_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    return create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path})


def _dash_config(html: str) -> dict:
    start = html.index('<script id="_dash-config" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_the_environment_cannot_turn_on_mcp_or_dev_tools(dev_env_app):
    client = dev_env_app.server.test_client()
    assert dev_env_app._enable_mcp is False
    assert not [r.rule for r in dev_env_app.server.url_map.iter_rules() if "mcp" in r.rule]
    mcp = client.post("/_mcp", json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert mcp.status_code == 404
    for path in ("/_reload-hash", "/_dash-debug-menu", "/_alive_x", "/_mcp/tools"):
        assert client.get(path).status_code == 404, path
    page = client.get("/").get_data(as_text=True)
    config = _dash_config(page)
    assert config["ui"] is False and config["props_check"] is False and "hot_reload" not in config
    # the production bundles, not the development ones (dash_renderer.dev.js, react@18.3.1.js)
    assert re.search(r"dash_renderer\.v\w+\.min\.js", page) and ".dev." not in page
    assert dev_env_app.server.debug is False


@pytest.mark.slow
def test_the_wsgi_entry_ignores_the_dev_environment_too(demo_urls, tmp_path):
    """What gunicorn imports (dashboard.wsgi:server), built in a fresh process with the variables set."""
    probe = (
        "import dashboard.wsgi as w; a = w.app; "
        "print(a._enable_mcp, a._dev_tools.ui, a._dev_tools.hot_reload, a._dev_tools.serve_dev_bundles, "
        "w.server.debug, w.server.test_client().get('/_reload-hash').status_code)"
    )
    env = {
        **os.environ,
        **DEV_ENVIRONMENT,
        "DATABASE_URL": demo_urls["sqlite"],
        "DASHBOARD_INSTANCE_PATH": str(tmp_path),
    }
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split()[-6:] == ["False", "False", "False", "False", "False", "404"], run.stdout


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nothing",
        "/_dash-component-suites/dash/",
        "/_dash-component-suites/dash/nothing.js",
        "/_dash-component-suites/nopackage/x.js",
        "/_dash-component-suites/dash/dcc/dash_core_components.js/x",
        "/_dash-component-suites/dash/../dash/dcc/dash_core_components.js.bak",
        "/_dash-component-suites/os/__init__.py",
    ],
)
def test_component_suites_answer_404_for_what_is_not_a_file(demo_urls, tmp_path, path):
    client = create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path}).server.test_client()
    resp = client.get(path)
    assert resp.status_code == 404 and "没有" in resp.get_data(as_text=True)


def test_component_suites_still_serve_the_pages_scripts(demo_urls, tmp_path):
    client = create_app({"database_url": demo_urls["sqlite"], "instance_path": tmp_path}).server.test_client()
    for path in (
        "/_dash-component-suites/dash/dcc/dash_core_components.js",
        "/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1700000000.js",
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
    ):
        assert client.get(path).status_code == 200, path
