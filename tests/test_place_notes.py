"""A department's or township's wall and deck say which figures are the whole district's: a figure the place does
not split (a reported figure, a police register under a department) shows the district's value marked
全区数（不分部门）, as the desk marks it 不分部门; a figure the place splits is the place's own, unmarked. On both
engines, on the shared demo store."""

from __future__ import annotations

import io

import pytest
from conftest import ENGINES
from pptx import Presentation

from dashboard import create_app
from dashboard.content import department
from dashboard.content.deck import deck_content
from dashboard.exports import pptx as deck_pptx
from data import catalog
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts.decks import DECKS
from layouts.screens import SCREENS

PLACES = [
    ("department", "SFJ", "applies_department", "全区数（不分部门）"),
    ("township", "qingshan", "applies_township", "全区数（不分乡镇）"),
]


@pytest.fixture(params=ENGINES)
def client(request, demo_urls, tmp_path):
    app = create_app({"database_url": demo_urls[request.param], "instance_path": tmp_path})
    yield app.server.test_client()
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _values(client, query: str) -> dict[str, float | None]:
    return {v["code"]: v["value"] for v in client.get(f"/api/v1/values?{query}").get_json()["values"]}


def _shown(value: float | None, unit: str) -> float | None:
    return None if value is None else round(value / 10_000 if unit.startswith("万") else value, 2)


@pytest.mark.parametrize(("kind", "code", "applies", "note"), PLACES)
def test_a_places_wall_marks_the_districts_figures_and_only_those(client, kind, code, applies, note):
    cat = catalog.load()
    district, own = _values(client, "year=2024"), _values(client, f"year=2024&{kind}={code}")
    marked = unmarked = 0
    for screen in SCREENS:
        body = client.get(f"/screen/data?screen={screen.name}&year=2024&{kind}={code}").get_json()
        shown = [
            f
            for p in body["panels"]
            for f in [*p.get("figures", []), *(x for a in p.get("areas", []) for x in a["figures"])]
        ]
        for f in shown:
            ind = cat[f["code"]]
            if getattr(ind, applies):
                assert f["note"] is None and f["mark"] is None, f
                assert f["number"] == _shown(own[f["code"]], f["unit"]), f
                unmarked += 1
            else:
                assert f["note"] == note and f["mark"] == "全区数", f
                assert f["number"] == _shown(district[f["code"]], f["unit"]), f
                marked += 1
    assert marked and unmarked


def test_a_departments_wall_marks_the_police_screens_charts_but_not_its_own_ranking(client):
    """On 司法局's wall the police figures are the district's: every chart of that screen says so. The service
    screen's ranking of departments compares them all on purpose and is not marked."""
    security = client.get("/screen/data?screen=security&year=2024&department=SFJ").get_json()["panels"]
    assert [p.get("note") for p in security[1:]] == ["全区数（不分部门）"] * 4
    service = client.get("/screen/data?screen=service&year=2024&department=SFJ").get_json()["panels"]
    ranking = next(p for p in service if "rows" in p)
    assert ranking["note"] is None and ranking["rows"]
    district = client.get("/screen/data?screen=security&year=2024").get_json()["panels"]
    assert all(p.get("note") is None for p in district[1:])


def test_a_departments_deck_says_whose_every_figure_is(demo_engine):
    """A department's deck is its own (dashboard/content/department.py): the district's figures it answers for and
    its own share of those it counts, each marked so; nothing unmarked passes for the department's."""
    with demo_engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR, departments=("SFJ",)))
    figures = [f for s in content["slides"] for f in s.get("figures", [])]
    notes = {f["note"] for f in figures}
    assert (
        figures
        and department.RESPONSIBLE_NOTE in notes
        and notes <= {department.RESPONSIBLE_NOTE, department.OWN_NOTE}
    )


@pytest.mark.parametrize(("kind", "code", "applies", "note"), [p for p in PLACES if p[0] == "township"])
def test_a_places_deck_and_its_powerpoint_mark_the_districts_figures(demo_engine, kind, code, applies, note):
    cat = catalog.load()
    place = {"departments": (code,)} if kind == "department" else {"townships": (code,)}
    with demo_engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR, **place))
    figures = [
        f
        for s in content["slides"]
        for f in [*s.get("figures", []), *(x for a in s.get("areas", []) for x in a["figures"])]
    ]
    assert any(f["note"] for f in figures) and any(not f["note"] for f in figures)
    for f in figures:
        assert f["note"] == (None if getattr(cat[f["code"]], applies) else note), f
    deck = Presentation(io.BytesIO(deck_pptx.build(content)))
    for slide, spec in zip(deck.slides, content["slides"], strict=True):
        for f in spec.get("figures", []):
            if f["note"]:
                # the note sits in the figure's own box, right under its number
                box = next(
                    s.text_frame.text
                    for s in slide.shapes
                    if s.has_text_frame and s.text_frame.text.startswith(f["name"])
                )
                assert note in box, box
        for key in ("chart", "split"):
            chart = spec.get(key)
            if chart:
                assert chart["title"].endswith(note) == (not getattr(cat[chart["code"]], applies)), chart[
                    "title"
                ]
