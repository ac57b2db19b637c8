"""The desk's callbacks without a browser: filters from links and controls, forged values, the cache."""

from __future__ import annotations

import pytest
from callback_bodies import area_panels
from flask import Flask
from flask_caching import Cache
from sqlalchemy import insert

from callbacks.area import clicked_filter
from callbacks.common import Context
from callbacks.filters import to_filters, to_search
from dashboard import create_app
from dashboard.config import from_env, merge
from data import facts
from data.access import OPERATOR, Action, declared_action
from data.engine import open_engine
from data.queries.filters import Filters
from data.schema import dispute_case
from layouts import ids
from layouts.records import safe


def test_the_url_query_of_a_filter_state():
    assert to_search(Filters(2024)) == "?year=2024"
    assert to_search(Filters(2024, departments=("SFJ",), townships=("qingshan", "baisha"))) == (
        "?year=2024&department=SFJ&township=baisha,qingshan"
    )


@pytest.mark.parametrize(
    "state",
    [
        None,
        [],
        "2024",
        {"year": "2024"},
        {"year": True},
        {"year": 2024, "township": [1]},
        {"year": 2024, "department": "SFJ"},
    ],
)
def test_unusable_filter_data_gives_no_filters(state):
    assert to_filters(state, OPERATOR) is None


def test_a_bar_click_sets_or_clears_the_filter():
    click = {"points": [{"customdata": "qingshan"}]}
    assert clicked_filter(click, []) == ["qingshan"]
    assert clicked_filter(click, ["qingshan"]) == []
    assert clicked_filter(click, ["baisha", "qingshan"]) == ["qingshan"]
    from dash.exceptions import PreventUpdate

    for bad in (None, {}, {"points": []}, {"points": [{"customdata": ["x"]}]}):
        with pytest.raises(PreventUpdate):
            clicked_filter(bad, [])


def test_cells_that_a_spreadsheet_would_run_are_kept_as_text():
    assert safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [safe(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "正常")] == [
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "正常",
    ]
    assert safe(-3) == -3


def test_the_cache_is_shared_until_the_data_changes(tmp_path, demo_urls):
    import shutil

    url = f"sqlite:///{tmp_path / 'copy.db'}"
    shutil.copy(demo_urls["sqlite"].removeprefix("sqlite:///"), tmp_path / "copy.db")
    engine = open_engine(url)
    # the file cache a server without Redis uses, as two workers would open it
    settings = merge(from_env(), {"instance_path": tmp_path}).cache_settings()
    cache, other = Cache(Flask(__name__), config=settings), Cache(Flask(__name__), config=settings)
    builds = []

    def build():
        builds.append(1)
        return {"n": len(builds)}

    first, second = Context(engine, cache), Context(engine, other)
    assert first.cached("x", None, build) == {"n": 1}
    assert second.cached("x", None, build) == {"n": 1}  # another worker, the same answer, not rebuilt
    with engine.begin() as conn:
        row = conn.execute(dispute_case.select().limit(1)).mappings().one()
        conn.execute(
            insert(dispute_case).values({**{k: v for k, v in row.items() if k != "id"}, "register_no": "X-1"})
        )
        facts.refresh(conn, ["dispute_case"])
    assert second.cached("x", None, build) == {"n": 2}
    engine.dispose()


@pytest.mark.parametrize(
    "inputs",
    [
        [{"id": ids.FILTERS, "property": "data", "value": {"year": [2024], "township": "qingshan"}}],
        [{"id": ids.FILTERS, "property": "data", "value": "DROP TABLE meta"}],
        [{"id": ids.FILTERS, "property": "data", "value": {"year": 2024, "department": [{"$ne": 1}]}}],
    ],
)
def test_forged_panel_requests_never_fail(demo_urls, inputs):
    app = create_app({"database_url": demo_urls["sqlite"]})
    client = app.server.test_client()
    for area in ("mediation", "security"):
        body = area_panels(app, area, None) | {"inputs": inputs, "changedPropIds": []}
        resp = client.post("/_dash-update-component", json=body)
        assert resp.status_code in (200, 204), resp.data[:200]


@pytest.mark.parametrize(
    "store",
    [
        {"code": ["x"], "filters": {"year": 2024}},
        {"code": "service_center_items", "filters": {"year": 2024}},
        "x",
    ],
)
def test_forged_record_requests_are_refused_quietly(demo_urls, store):
    from dash.exceptions import PreventUpdate

    from callbacks.records import open_dialog, rows_response

    engine = open_engine(demo_urls["sqlite"])
    context = Context(engine, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))
    with pytest.raises(PreventUpdate):
        open_dialog(context, store if isinstance(store, str) else {"code": store["code"]}, {"year": 2024})
    with pytest.raises(PreventUpdate):
        rows_response(context, {"startRow": 0, "endRow": 50}, store)
    engine.dispose()


FORGED = [None, 7, -1, True, "x' OR 1=1 --", ["qingshan", 3], {"year": [2024]}, "9" * 400, [[["deep"]]]]


def test_every_callback_answers_forged_values_without_a_server_error(demo_urls):
    """Each registered callback, each input replaced by values a client could forge: a 200 or a 204, never a 500."""
    app = create_app({"database_url": demo_urls["sqlite"]})
    client = app.server.test_client()
    client.get("/")
    for output, spec in list(app.callback_map.items()):
        if spec.get("callback") is None or str(spec.get("inputs", [{}])[0].get("id", "")).startswith("{"):
            continue
        if output.startswith(".."):
            parts = [p.rsplit(".", 1) for p in output.strip(".").split("...")]
            outputs = [{"id": c, "property": p} for c, p in parts]
        else:
            component, prop = output.rsplit(".", 1)
            outputs = {"id": component, "property": prop}
        for value in FORGED:
            body = {
                "output": output,
                "outputs": outputs,
                "inputs": [dict(i, value=value) for i in spec["inputs"]],
                "state": [dict(s, value=value) for s in spec.get("state", [])],
                "changedPropIds": [f"{i['id']}.{i['property']}" for i in spec["inputs"]],
            }
            resp = client.post("/_dash-update-component", json=body)
            # a visitor is refused a callback that needs rows (401) before any value is read
            refused = resp.status_code == 401 and declared_action(spec["callback"]) is Action.READ_ROWS
            assert resp.status_code in (200, 204) or refused, (output, value, resp.status_code)


def test_a_page_reads_its_panels_from_the_cache_at_once_and_writes_the_new_ones_at_once(
    demo_url, tmp_path, monkeypatch
):
    """With Redis each cache call is a round trip: a page's five panels cost two, not ten."""
    calls = []
    for name in ("get", "set", "get_many", "set_many"):
        original = getattr(Cache, name)

        def counted(self, *args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Cache, name, counted)
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})
    client = app.server.test_client()
    body = area_panels(app, "mediation", {"year": 2024, "department": [], "township": ["qingshan"]})
    first = client.post("/_dash-update-component", json=body)
    assert first.status_code == 200
    assert calls == ["get_many", "set_many"]
    calls.clear()
    again = client.post("/_dash-update-component", json=body)
    assert calls == ["get_many"]
    assert again.json == first.json
