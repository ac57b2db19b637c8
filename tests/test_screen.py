"""The big screen's server side: what a wall's URL asks for, each screen's panels against the API's values, the
version check, kiosk links and bad input — on both engines, on the shared demo store."""

from __future__ import annotations

import json

import pytest
from conftest import ENGINES

from dashboard import create_app
from dashboard.content.wall import read_wall
from data import kiosk
from data.engine import open_engine
from data.queries.dimensions import Dimensions
from layouts.screens import CANVAS, EVERY_DEFAULT, LAYOUT_BY_NAME, RELOAD_SPREAD, SCREENS

DIMS = Dimensions(
    years=[2023, 2024],
    departments=[{"code": "SFJ", "name": "区司法局", "short_name": "司法局"}],
    townships=[{"code": "qingshan", "name": "青山镇"}],
)
ALL = tuple(s.name for s in SCREENS)


def test_a_wall_that_asks_for_nothing_rotates_every_screen_of_the_default_year():
    wall = read_wall({}, DIMS, 2024)
    assert wall.screens == ALL and wall.every == EVERY_DEFAULT and wall.year == 2024 and wall.notices == ()


@pytest.mark.parametrize("every", ["0", "-5", "abc", "99999", "2.5"])
def test_a_rotation_that_cannot_be_is_the_default_and_said(every):
    wall = read_wall({"every": every}, DIMS, 2024)
    assert wall.every == EVERY_DEFAULT
    assert len(wall.notices) == 1 and f"every={every} 无效" in wall.notices[0]


def test_unknown_screens_are_skipped_with_the_names_that_exist():
    wall = read_wall({"screens": "mediation,nope,security,mediation"}, DIMS, 2024)
    assert wall.screens == ("mediation", "security")
    assert "没有名为“nope”的大屏" in wall.notices[0] and "mediation（矛盾纠纷）" in wall.notices[0]
    assert read_wall({"screens": "nope"}, DIMS, 2024).screens == ALL


def test_an_unknown_place_or_year_shows_the_district_and_says_so():
    wall = read_wall({"township": "atlantis", "year": "1999"}, DIMS, 2024)
    assert wall.township is None and wall.year == 2024
    assert any("1999" in n for n in wall.notices) and any("atlantis" in n for n in wall.notices)
    pinned = read_wall({"township": "qingshan", "department": "SFJ"}, DIMS, 2024)
    assert pinned.township == "qingshan" and pinned.department is None and pinned.notices


def test_a_wall_layout_is_read_from_the_url_and_an_unknown_one_is_left_to_the_display():
    assert read_wall({}, DIMS, 2024).layout is None  # the browser picks by the display's shape
    assert read_wall({"layout": "auto"}, DIMS, 2024).layout is None
    assert read_wall({"layout": "wide"}, DIMS, 2024).layout == "wide"
    odd = read_wall({"layout": "huge"}, DIMS, 2024)
    assert odd.layout is None and "layout=huge 无效" in odd.notices[0] and "wide（" in odd.notices[0]
    # the declared wide layout is three whole screens side by side: a 5760×1080 splice wall
    assert LAYOUT_BY_NAME["wide"].canvas == (5760, 1080) and LAYOUT_BY_NAME["standard"].canvas == CANVAS


@pytest.fixture(params=ENGINES)
def served(request, demo_urls, tmp_path):
    url = demo_urls[request.param]
    app = create_app({"database_url": url, "instance_path": tmp_path})
    yield app.server.test_client(), url
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _values(client, query: str) -> dict[str, dict]:
    body = client.get(f"/api/v1/values?{query}").get_json()
    return {v["code"]: v for v in body["values"]}


@pytest.mark.parametrize("query", ["year=2024", "year=2024&township=qingshan", "year=2023"])
def test_every_headline_on_every_screen_is_the_apis_value(served, query):
    client, _ = served
    values = _values(client, query)
    for screen in SCREENS:
        resp = client.get(f"/screen/data?screen={screen.name}&{query}")
        assert resp.status_code == 200, resp.get_data(as_text=True)
        body = resp.get_json()
        shown = [
            f
            for p in body["panels"]
            for f in [*p.get("figures", []), *(x for a in p.get("areas", []) for x in a["figures"])]
        ]
        assert shown, screen.name
        for f in shown:
            value = values[f["code"]]["value"]
            if value is None:
                assert f["number"] is None
            elif f["unit"].startswith("万"):
                assert f["number"] == pytest.approx(value / 10_000, abs=0.005)
            else:
                assert f["number"] == pytest.approx(value, abs=0.005)


def test_the_map_and_the_ranking_hold_every_township_of_the_split(served):
    client, _ = served
    body = client.get("/screen/data?screen=mediation&year=2024").get_json()
    ranking = next(p for p in body["panels"] if "rows" in p)
    total = sum(int(r["shown"].removesuffix("件")) for r in ranking["rows"])
    assert total == 2712
    mapped = next(
        p for p in body["panels"] if "figure" in p and p["figure"]["data"][0].get("fill") == "toself"
    )
    labels = [a["text"] for a in mapped["figure"]["layout"]["annotations"]]
    assert len(labels) == 16 and sum(int(t.split("<b>")[1].removesuffix("件</b>")) for t in labels) == 2712


def test_the_version_check_is_small_and_uncached(served):
    client, _ = served
    resp = client.get("/screen/version")
    assert resp.status_code == 200 and resp.get_json()["version"].isdigit()
    assert "no-store" in resp.headers["Cache-Control"] and len(resp.data) < 100


@pytest.mark.parametrize("bad", ["screen=nope", "screen=", ""])
def test_an_unknown_screen_is_a_404_in_json(served, bad):
    client, _ = served
    resp = client.get(f"/screen/data?{bad}")
    assert resp.status_code == 404 and resp.get_json()["error"] == "没有这个大屏"


def test_the_page_says_what_the_url_got_wrong_and_escapes_it(served):
    client, _ = served
    resp = client.get("/screen?every=abc&screens=</script><b>x")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "every=abc 无效" in page and "</script><b>" not in page


def _config(page: str) -> dict:
    return json.loads(page.split('id="screen-config">', 1)[1].split("</script>", 1)[0])


@pytest.mark.parametrize(("setting", "reload_at"), [("04:15", "04:15"), ("off", None)])
def test_the_daily_reload_follows_the_configuration(demo_urls, tmp_path, setting, reload_at):
    app = create_app(
        {"database_url": demo_urls["sqlite"], "instance_path": tmp_path, "screen_reload_at": setting}
    )
    try:
        config = _config(app.server.test_client().get("/screen").get_data(as_text=True))
        assert config["reloadAt"] == reload_at and config["reloadSpread"] == RELOAD_SPREAD
    finally:
        app.server.extensions["dashboard.jobs"].shutdown()
        app.server.extensions["dashboard.engine"].dispose()


def test_a_kiosk_link_opens_the_screen_only_and_stops_when_revoked(demo_urls, tmp_path):
    url = demo_urls["sqlite"]
    engine = open_engine(url)
    with engine.begin() as conn:
        link, token = kiosk.create_link(conn, f"大厅-{tmp_path.name}", screens=("mediation",), year=2024)
    app = create_app({"database_url": url, "instance_path": tmp_path, "anonymous": "none"})
    client = app.server.test_client()
    try:
        assert client.get("/screen").status_code == 303, "without a link the wall must sign in"
        page = client.get(f"/screen?kiosk={token}")
        assert page.status_code == 200 and '"rotation": ["mediation"]' in page.get_data(as_text=True)
        assert client.get(f"/screen/version?kiosk={token}").status_code == 200
        assert client.get(f"/screen/data?screen=mediation&kiosk={token}").status_code == 200
        # the token opens nothing else
        assert client.get(f"/api/v1/values?year=2024&kiosk={token}").status_code == 401
        assert client.get(f"/?kiosk={token}").status_code == 303
        forged = client.get("/screen?kiosk=forged")
        assert forged.status_code == 403 and "此大屏链接无效" in forged.get_data(as_text=True)
        with engine.begin() as conn:
            kiosk.revoke_link(conn, link.name)
        refused = client.get(f"/screen/version?kiosk={token}")
        assert refused.status_code == 403 and refused.get_json() == {
            "error": "此大屏链接已停用",
            "revoked": True,
        }
        assert "此大屏链接已停用" in client.get(f"/screen?kiosk={token}").get_data(as_text=True)
    finally:
        app.server.extensions["dashboard.jobs"].shutdown()
        app.server.extensions["dashboard.engine"].dispose()
        engine.dispose()
