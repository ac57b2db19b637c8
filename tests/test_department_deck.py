"""A department's deck (issue 21, item 3): /present/annual?department=SFJ is made of what 区司法局 answers for (the
catalog's 责任部门: the district's figure) and what it counts itself (indicators split by department where its
rows count something), not the district's slides with a filter; its slides are none more than half empty. On
both engines, through the content function and the page; the merging rule on slides made up here."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import client_as, run_cli

from dashboard.content import department
from dashboard.content.deck import deck_content
from dashboard.content.report import ReportRefused
from data import catalog
from data.access import OPERATOR
from data.queries.figures import figures
from data.queries.filters import Filters
from layouts.decks import DECKS

SFJ = Filters(2024, departments=("SFJ",), scope=OPERATOR)


def _area_figures(content: dict) -> dict[str, dict]:
    return {f["code"]: f for s in content["slides"] if s["kind"] == "area" for f in s["figures"]}


def test_sfjs_deck_holds_only_sfjs_figures(demo_engine):
    cat = catalog.load()
    with demo_engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], SFJ)
        district = {f.code: f.value for f in figures(conn, replace(SFJ, departments=()))}
        own = {f.code: f.value for f in figures(conn, SFJ)}
        filtered = deck_content(conn, DECKS["annual"], replace(SFJ, departments=()))
    shown = _area_figures(content)
    responsible = {c for c, i in cat.items() if i.responsible == "区司法局"}
    counted = {c for c, i in cat.items() if i.applies_department and own.get(c) and c not in responsible}
    assert set(shown) == responsible | counted
    # another department's figure that does not split by department (审批局's 进驻部门数, 公安's 警情) is not SFJ's
    assert not {"service_center_departments", "efficiency_gain_pct", "criminal_alerts"} & set(shown)
    for code, fig in shown.items():
        expected = district[code] if code in responsible else own[code]
        assert fig["number"] == pytest.approx(float(_plain(expected, cat[code].unit)), abs=0.01), code
        assert fig["note"] == (department.RESPONSIBLE_NOTE if code in responsible else department.OWN_NOTE)
    # the district deck has slides SFJ's does not
    assert {"政务服务", "平安建设"} <= {s["title"] for s in filtered["slides"]}
    assert not {"政务服务", "平安建设"} & {s["title"] for s in content["slides"]}


def _plain(value: float, unit: str) -> float:
    return value / 10_000 if unit != "%" and abs(value) >= 50_000 else value


def test_no_slide_of_a_department_deck_is_more_than_half_empty(demo_engine):
    with demo_engine.connect() as conn:
        for code in ("SFJ", "ZJJ", "XZSPJ"):
            slides = deck_content(conn, DECKS["annual"], replace(SFJ, departments=(code,)))["slides"]
            areas = [s for s in slides if s["kind"] == "area"]
            assert areas, code
            assert all(department.fullness(s) >= 0.5 for s in areas), [
                (s["title"], len(s["figures"])) for s in areas if department.fullness(s) < 0.5
            ]
            assert all(len(s["figures"]) <= department.FIGURES_PER_SLIDE for s in areas)
            # an area over two slides says so
            titles = [s["title"] for s in areas]
            assert all(
                t.endswith("（续）") for a, t in zip(titles, titles[1:], strict=False) if t.startswith(a)
            )


def test_a_departments_own_share_is_said_as_its_own_without_the_districts_rank(demo_engine):
    with demo_engine.connect() as conn:
        slides = deck_content(conn, DECKS["annual"], replace(SFJ, departments=("ZJJ",)))["slides"]
    notes = "".join(s["notes"] for s in slides)
    # named once in each paragraph (each line of the 总览), not before every clause
    lines = [line for s in slides if s["kind"] in ("area", "overview") for line in s["notes"].split("\n")]
    assert all(line.count("区住房和城乡建设局") == 1 for line in lines), lines
    assert "全市排名第一" not in notes and "全区各级调委会" not in notes
    figs = [f for s in slides if s["kind"] == "area" for f in s["figures"]]
    assert not [f for f in figs if f.get("beside") and "全市排名第一" in f["beside"]]


def test_the_page_shows_the_department_deck(app):
    client = client_as(app, "justice")
    page = client.get("/present/annual?year=2024&department=SFJ").get_data(as_text=True)
    config = json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])
    titles = [s["title"] for s in config["content"]["slides"]]
    assert "矛盾纠纷" in titles and "政务服务" not in titles


def test_sparse_slides_merge_while_they_fit():
    def area(name: str, n: int, chart: bool = False) -> dict:
        figs = [{"code": f"{name}{i}"} for i in range(n)]
        return {
            "kind": "area",
            "area": name,
            "title": name,
            "figures": figs,
            "chart": chart,
            "notes": f"{name}。",
        }

    merged = department.merge_sparse([area("甲", 1), area("乙", 2), area("丙", 2), area("丁", 1, chart=True)])
    assert [s["title"] for s in merged] == ["甲 · 乙", "丙", "丁"]
    assert merged[0]["notes"] == "甲。乙。" and len(merged[0]["figures"]) == 3
    assert [len(p) for p in department._balanced(tuple("abcdefg"))] == [4, 3]
    assert [len(p) for p in department._balanced(tuple("abcde"))] == [3, 2]


def test_an_empty_store_has_no_deck_to_make(empty_url):
    from data.engine import open_engine
    from data.store import migrate

    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.connect() as conn, pytest.raises(ReportRefused, match="库中没有 2024 年的数据"):
        deck_content(conn, DECKS["annual"], SFJ)
    engine.dispose()


def test_dashboard_export_pptx_writes_the_department_deck(demo_urls, tmp_path):
    import os

    from pptx import Presentation

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DATABASE_URL": demo_urls["sqlite"], "DASHBOARD_INSTANCE_PATH": str(tmp_path / "instance")}
    out = tmp_path / "司法局.pptx"
    done = run_cli("export", "pptx", "--year", "2024", "--department", "SFJ", "-o", str(out), env=env)
    assert done.returncode == 0, done.stderr
    text = "\n".join(
        shape.text_frame.text
        for s in Presentation(str(out)).slides
        for shape in s.shapes
        if shape.has_text_frame
    )
    assert "行政复议（续）" in text and "全区数（本部门负责）" in text and "上半年，全市排名第一" in text
    assert "进驻区政务服务中心部门数" not in text and "接报刑事警情" not in text
