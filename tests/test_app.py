"""The app factory and the overview callback, without a browser."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask_caching import Cache

from callbacks.common import Context
from callbacks.overview import overview_sections
from dashboard import create_app
from dashboard.config import Config, ConfigError, from_env, merge
from data.engine import StoreError, open_engine
from data.store import migrate
from layouts import ids


def test_the_factory_builds_independent_apps(demo_urls, tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(open_engine(empty, create=True))
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


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("REDIS_URL", "garbage"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("DASHBOARD_DB_TIMEOUT", "0"),
        ("DASHBOARD_DB_TIMEOUT", "nan"),
        ("DASHBOARD_DB_TIMEOUT", "ten"),
        ("DASHBOARD_ANONYMOUS", "everyone"),
        ("DASHBOARD_SESSION_IDLE_HOURS", "0"),
        ("DASHBOARD_SESSION_IDLE_HOURS", "forever"),
        ("DASHBOARD_SECURE_COOKIES", "maybe"),
        ("DASHBOARD_SCREEN_RELOAD_AT", "24:00"),
        ("DASHBOARD_SCREEN_RELOAD_AT", "3:5"),
        ("DASHBOARD_SCREEN_RELOAD_AT", "nightly"),
    ],
)
def test_a_setting_the_app_cannot_use_is_named_in_one_line(variable, value):
    with pytest.raises(ConfigError, match=variable) as err:
        from_env({variable: value})
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("value", "kept"), [("03:30", "03:30"), ("4:05", "04:05"), ("off", ""), ("", "03:30")]
)
def test_the_walls_daily_reload_is_a_time_of_day_or_off(value, kept):
    assert from_env({"DASHBOARD_SCREEN_RELOAD_AT": value}).screen_reload_at == kept


def context(engine) -> Context:
    return Context(engine=engine, cache=Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))


def state(year=2024, department=(), township=()) -> dict:
    return {"year": year, "department": list(department), "township": list(township)}


def test_overview_shows_the_years_figures_and_refuses_other_years(demo_engine):
    sections = overview_sections(context(demo_engine), state())
    text = json.dumps([s.to_plotly_json() for s in sections], ensure_ascii=False, default=str)
    for shown in ("2712", "99.74", "937", "7.26", "平安建设（法治社会）", "/mediation?year=2024"):
        assert shown in text
    for bad in (state(1999), state("2024"), state("1 OR 1=1"), state([2024]), None, state(True), [2024], "x"):
        message = overview_sections(context(demo_engine), bad)
        assert "请选择" in json.dumps(message.to_plotly_json(), ensure_ascii=False)


def test_a_filter_that_does_not_apply_is_marked_on_the_card(demo_engine):
    sections = overview_sections(context(demo_engine), state(department=["SFJ"]))
    security = texts(sections[-1])
    assert "平安建设（法治社会）" in security
    assert security.count("不分部门") == 4 and "937" in security
    # Mediation is split by the handling department: its figures change instead of being marked.
    mediation = texts(sections[6])
    assert "矛盾纠纷" in mediation and "不分部门" not in mediation and "2712" not in mediation


def texts(component) -> str:
    """Every string inside a component tree, joined."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(texts(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else texts(children)


def test_a_forged_callback_request_gets_a_message_not_a_500(demo_urls):
    client = create_app({"database_url": demo_urls["sqlite"]}).server.test_client()
    body = {
        "output": f"{ids.OVERVIEW_SECTIONS}.children",
        "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
        "inputs": [{"id": ids.FILTERS, "property": "data", "value": {"year": "2024; DROP TABLE meta"}}],
        "changedPropIds": [f"{ids.FILTERS}.data"],
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
            "inputs": [{"id": ids.FILTERS, "property": "data", "value": {"year": 2024}}],
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


OVERVIEW = {
    "output": f"{ids.OVERVIEW_SECTIONS}.children",
    "outputs": {"id": ids.OVERVIEW_SECTIONS, "property": "children"},
    "inputs": [
        {"id": ids.FILTERS, "property": "data", "value": {"year": 2024, "department": [], "township": []}}
    ],
    "changedPropIds": [f"{ids.FILTERS}.data"],
}


def _overview(**changes) -> str:
    return json.dumps({**OVERVIEW, **changes})


def _overview_value(value_json: str) -> str:
    return _overview(inputs="@@").replace(
        '"@@"', f'[{{"id": "{ids.FILTERS}", "property": "data", "value": {value_json}}}]'
    )


@pytest.fixture(scope="module")
def forged_app(demo_urls):
    return create_app({"database_url": demo_urls["sqlite"]})


def _clientside_sync(app) -> str:
    """A well-formed request for the filter bar's clientside callback, which has no server function."""
    output = next(k for k in app.callback_map if k.startswith(f"..{ids.URL}.search"))
    spec = app.callback_map[output]
    return json.dumps(
        {
            "output": output,
            "outputs": [
                dict(zip(("id", "property"), p.rsplit(".", 1), strict=True))
                for p in output.strip(".").split("...")
            ],
            "inputs": [dict(i, value=None) for i in spec["inputs"]],
            "state": [dict(s, value=None) for s in spec["state"]],
            "changedPropIds": [f"{ids.URL}.search"],
        }
    )


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("clientside", "浏览器"),
        (_overview(changedPropIds=[{"id": ids.FILTERS}]), "changedPropIds"),
        (_overview(changedPropIds="filters.data"), "changedPropIds"),
        (_overview(changedPropIds=[f"{ids.YEAR}.value"]), "changedPropIds"),
        (_overview(state=None), "state"),
        (_overview(state="x"), "state"),
        (_overview(state=[{"id": ids.FILTERS, "property": "data"}]), "state"),
        (_overview(outputs=None), "outputs"),
        (_overview(outputs={"id": ids.OVERVIEW_SECTIONS, "property": "children", "x": 1}), "outputs"),
        (_overview(inputs=[{"id": ids.FILTERS, "property": "data", "value": None, "extra": 1}]), "inputs"),
        (_overview(inputs=[{"id": ids.FILTERS, "value": None}]), "inputs"),
        (_overview(inputs=[{"id": [ids.FILTERS], "property": "data"}]), "inputs"),
        (_overview(output=["x"]), "回调"),
        (_overview_value("[" * 5000 + "]" * 5000), "嵌套"),
        (_overview_value('{"a":' * 100 + "1" + "}" * 100), "嵌套"),
        (_overview_value('{"year": 18446744073709551617, "department": [], "township": []}'), "64"),
        (_overview_value('{"year": 2024, "department": [-9223372036854775809], "township": []}'), "64"),
        ("{", "JSON"),
    ],
)
def test_malformed_callback_bookkeeping_and_values_are_a_400(forged_app, body, says):
    if body == "clientside":
        body = _clientside_sync(forged_app)
    resp = forged_app.server.test_client().post(
        "/_dash-update-component", data=body, content_type="application/json"
    )
    assert resp.status_code == 400, resp.data[:300]
    assert says in resp.get_json()["error"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        '{"year": NaN}',
        '{"year": Infinity, "department": [], "township": []}',
        '{"year": 2024, "department": ["\\u0000"]}',
    ],
)
def test_odd_but_well_formed_callback_values_get_a_handled_answer(forged_app, value):
    body = (
        _overview(inputs=[{"id": ids.FILTERS, "property": "data"}])
        if value is None
        else _overview_value(value)
    )
    resp = forged_app.server.test_client().post(
        "/_dash-update-component", data=body, content_type="application/json"
    )
    assert resp.status_code in (200, 204), resp.data[:300]
    if resp.status_code == 200:
        assert "请选择" in json.dumps(resp.get_json(), ensure_ascii=False)


def test_concurrent_first_requests_all_get_their_scripts(demo_urls):
    """Under a threaded server the very first requests arrive together; none may find Dash half set up."""
    from concurrent.futures import ThreadPoolExecutor

    app = create_app({"database_url": demo_urls["sqlite"]})
    paths = ["/_dash-component-suites/dash/dcc/dash_core_components.js", "/_dash-layout", "/"] * 8

    def get(path: str) -> int:
        return app.server.test_client().get(path).status_code

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        assert set(pool.map(get, paths)) == {200}
