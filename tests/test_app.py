"""The app factory and the overview callback, without a browser."""

from __future__ import annotations

import json

import pytest

from callbacks.overview import overview_sections
from dashboard import create_app
from dashboard.config import Config, ConfigError, from_env, merge
from data.store import StoreError, migrate, open_engine
from layouts import ids


def test_the_factory_builds_independent_apps(demo_urls, tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(open_engine(empty))
    demo_app = create_app({"database_url": demo_urls["sqlite"]})
    empty_app = create_app({"database_url": empty})
    demo_page = demo_app.server.test_client().get("/_dash-layout").get_json()
    empty_page = empty_app.server.test_client().get("/_dash-layout").get_json()
    assert "示例数据" in json.dumps(demo_page, ensure_ascii=False)
    assert "示例数据" not in json.dumps(empty_page, ensure_ascii=False)
    assert demo_app.server.test_client().get("/api/v1/dimensions").get_json()["years"] == [
        2022,
        2023,
        2024,
        2025,
    ]
    assert empty_app.server.test_client().get("/api/v1/dimensions").get_json()["years"] == []


def test_the_factory_refuses_a_store_that_was_never_initialised(tmp_path):
    with pytest.raises(StoreError, match="dashboard init"):
        create_app({"database_url": f"sqlite:///{tmp_path / 'new.db'}"})


def test_the_embedded_store_lives_in_the_instance_folder(tmp_path):
    cfg = Config(instance_path=tmp_path / "inst").prepare()
    assert (tmp_path / "inst").is_dir()
    assert cfg.resolved_database_url() == f"sqlite:///{tmp_path / 'inst' / 'dashboard.db'}"


def test_configuration_comes_from_the_environment_once():
    cfg = from_env(
        {"DATABASE_URL": "sqlite:///x.db", "DASHBOARD_DEFAULT_YEAR": "2023", "DASHBOARD_PORT": "9000"}
    )
    assert (cfg.database_url, cfg.default_year, cfg.port) == ("sqlite:///x.db", 2023, 9000)
    with pytest.raises(ConfigError, match="DASHBOARD_DEFAULT_YEAR"):
        from_env({"DASHBOARD_DEFAULT_YEAR": "last"})
    with pytest.raises(ConfigError, match="未知配置项"):
        merge(Config(), {"databse_url": "typo"})


def test_overview_shows_the_years_figures_and_refuses_other_years(demo_engine):
    sections = overview_sections(demo_engine, 2024)
    text = json.dumps([s.to_plotly_json() for s in sections], ensure_ascii=False, default=str)
    for shown in ("2712", "99.74", "937", "7.26", "平安建设（法治社会）"):
        assert shown in text
    for bad in (1999, "2024", "1 OR 1=1", [2024], None, True):
        message = overview_sections(demo_engine, bad)
        assert "请选择" in json.dumps(message.to_plotly_json(), ensure_ascii=False)


def test_a_forged_callback_request_gets_a_message_not_a_500(demo_urls):
    client = create_app({"database_url": demo_urls["sqlite"]}).server.test_client()
    body = {
        "output": f"{ids.OVERVIEW_SECTIONS}.children",
        "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
        "inputs": [{"id": ids.YEAR, "property": "value", "value": "2024; DROP TABLE meta"}],
        "changedPropIds": [f"{ids.YEAR}.value"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200
    assert "请选择" in json.dumps(resp.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(
    "body",
    [
        {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []},
        {
            "output": f"{ids.OVERVIEW_SECTIONS}.children",
            "outputs": [{"id": ids.OVERVIEW_SECTIONS, "property": "children"}],
            "inputs": [{"id": ids.YEAR, "property": "value", "value": 2024}],
        },
        {
            "output": f"{ids.OVERVIEW_SECTIONS}.children",
            "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
            "inputs": "x",
        },
        {
            "output": f"{ids.OVERVIEW_SECTIONS}.children",
            "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
            "inputs": [{"id": "other", "property": "value", "value": 2024}],
        },
        [1, 2],
        "text",
    ],
)
def test_a_callback_request_that_matches_no_callback_is_a_400(demo_urls, body):
    client = create_app({"database_url": demo_urls["sqlite"]}).server.test_client()
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 400 and "error" in resp.get_json()
