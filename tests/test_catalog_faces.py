"""A district's catalog edit reaches every face on the demo store, on both engines: the display name on the wall
and in the API, visibility through Scope.sees (an indicator made internal leaves the visitor's wall, the kiosk
link's wall and the visitor's API), the responsible department through Scope.responsible_for (a restricted
indicator goes to the department now responsible for it)."""

from __future__ import annotations

import pytest
from conftest import client_as

from data import catalog, catalog_changes, kiosk


@pytest.fixture(autouse=True)
def forget_edits():
    yield
    catalog.use_edits({})


def rate_parts() -> set[str]:
    return {p for i in catalog.read().values() if i.is_rate for p in (i.numerator, i.denominator)}


def wall(client, query: str = "") -> dict[str, str]:
    resp = client.get(f"/screen/data?screen=mediation&year=2024{query}")
    assert resp.status_code == 200
    panels = resp.get_json()["panels"]
    return {
        f["code"]: f["name"]
        for p in panels
        for f in [*p.get("figures", []), *(x for a in p.get("areas", []) for x in a["figures"])]
    }


def listed(client) -> dict[str, dict]:
    return {i["code"]: i for i in client.get("/api/v1/indicators").get_json()["indicators"]}


def values(client) -> set[str]:
    return {v["code"] for v in client.get("/api/v1/values?year=2024").get_json()["values"]}


def test_an_edit_reaches_the_wall_the_kiosk_and_the_api(app):
    engine = app.server.extensions["dashboard.engine"]
    visitor = client_as(app, None)
    # one no public rate is counted from, so it may be made internal
    code = next(
        c for c in wall(visitor) if catalog.read()[c].visibility == "public" and c not in rate_parts()
    )
    with engine.begin() as conn:
        _, token = kiosk.create_link(conn, "一楼大厅", screens=("mediation",), year=2024)
        catalog_changes.save(conn, code, {"display_name": "本区调解指标"}, actor="admin")
    kiosk_query = f"&kiosk={token}"
    assert wall(visitor)[code] == "本区调解指标"
    assert wall(visitor, kiosk_query)[code] == "本区调解指标"
    assert listed(visitor)[code]["name"] == "本区调解指标"

    with engine.begin() as conn:
        catalog_changes.save(conn, code, {"visibility": "internal"}, actor="admin")
    assert code not in wall(visitor) and code not in wall(visitor, kiosk_query)
    assert code not in listed(visitor) and code not in values(visitor)
    leader = client_as(app, "leader")
    assert listed(leader)[code]["visibility"] == "internal" and code in values(leader)
    assert code in wall(leader)

    with engine.begin() as conn:
        catalog_changes.undo(conn, code)
        catalog_changes.undo(conn, code)
    assert wall(visitor)[code] == catalog.read()[code].name and code in listed(visitor)


def test_a_restricted_indicator_follows_its_new_responsible_department(app):
    engine = app.server.extensions["dashboard.engine"]
    code = next(
        c
        for c, i in catalog.read().items()
        if c not in rate_parts() and i.responsible not in ("区司法局", "")
    )
    justice, market = client_as(app, "justice"), client_as(app, "market")
    assert code in listed(justice)
    with engine.begin() as conn:
        catalog_changes.save(conn, code, {"visibility": "restricted"}, actor="admin")
    assert code not in listed(justice)
    with engine.begin() as conn:
        catalog_changes.save(conn, code, {"department": "SFJ"}, actor="admin")
    assert listed(justice)[code]["responsible"] == "区司法局"
    assert code not in listed(market) and code not in listed(client_as(app, None))
