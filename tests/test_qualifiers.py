"""The catalog's qualifier and note beside a figure on every face (issue 21, item 2): checked when the catalog is
read; on the desk's card, the wall's and the deck's figure, the Word table and the API's indicator; only on the
district's figure where a qualifier is the district's (全市排名第一); a claim shown as a number with no 同比."""

from __future__ import annotations

import pytest
from conftest import client_as

from callbacks.figures import about
from dashboard.content.screen import headline
from data import catalog, catalog_sql
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts.cards import kpi_card

RATE = "agency_head_court_appearance_rate"


def _fig(code: str, value: float, yoy_points: float | None = None, yoy_pct: float | None = None) -> dict:
    ind = catalog.load()[code]
    return {
        "code": code,
        "name": ind.name,
        "unit": ind.unit,
        "value": value,
        "previous": None,
        "yoy_pct": yoy_pct,
        "yoy_points": yoy_points,
        "as_of": "2024-06-30",
        "source": "测试",
    }


def _text(component) -> str:
    """Every string inside a Dash component, in order."""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    children = children if isinstance(children, list) else [children]
    return "".join(_text(c) for c in children)


def test_the_catalog_says_which_figures_compare_and_what_stands_beside_them():
    cat = catalog.load()
    assert cat[RATE].qualifiers(2024) == ("上半年", "全市排名第一")
    assert cat[RATE].qualifiers(2023) == ("上半年",) and cat[RATE].qualifiers(2024, whole=False) == (
        "上半年",
    )
    assert (
        cat["efficiency_gain_pct"].beside(2024) == "一项主张而非统计"
        and not cat["efficiency_gain_pct"].compares
    )
    assert not cat["officers_certified"].compares and cat["disputes_mediated"].compares
    assert cat["service_center_departments"].nature == "tally"


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("nature", "guess", "unknown nature"),
        ("qualifier", "24:全市第一", "a year is written"),
        ("qualifier", "2024:" + "很" * 13, "1 to 12 characters"),
        ("note", "说" * 61, "note longer than"),
    ],
)
def test_a_bad_nature_qualifier_or_note_is_refused(column, value, words):
    row = {k: "" for k in ("register", "measure", "condition", "numerator", "denominator", "categories")}
    row |= {
        "code": "x",
        "area": "decision",
        "name": "某数",
        "unit": "件",
        "definition": "某",
        "responsible": "区司法局",
        "period": "year",
        "direction": "up",
        "target": "",
        "applies_department": "0",
        "applies_township": "0",
        "visibility": "public",
        "source_kind": "reported",
        "nature": "statistic",
        "qualifier": "",
        "note": "",
    }
    with pytest.raises(catalog_sql.CatalogError, match=words):
        catalog.parse_rows([row | {column: value}])
    claim = row | {"nature": "claim"}
    with pytest.raises(catalog_sql.CatalogError, match="a claim needs a note"):
        catalog.parse_rows([claim])


def test_the_desk_card_shows_the_words_and_no_change_for_a_claim():
    cat = catalog.load()
    district = Filters(2024, scope=OPERATOR)
    card = _text(kpi_card(_fig(RATE, 20, yoy_points=8.9), about(cat[RATE], 2024), [], drill=False))
    assert "上半年，全市排名第一" in card and "说明：只统计上半年开庭的案件" in card
    claim = kpi_card(_fig("efficiency_gain_pct", 60, 18), about(cat["efficiency_gain_pct"], 2024), [], False)
    assert (
        "一项主张而非统计" in _text(claim) and "同比提高" not in _text(claim) and "不作同比" in _text(claim)
    )
    # a department's part is not ranked first in the city
    mine = Filters(2024, departments=("SFJ",), scope=OPERATOR)
    part = _text(kpi_card(_fig(RATE, 20, 8.9), about(cat[RATE], 2024, mine.whole(cat[RATE])), [], False))
    assert "全市排名第一" not in part and "上半年" in part
    # the wall's and the deck's figure
    assert headline(_fig(RATE, 20, 8.9), cat[RATE], district)["beside"] == "上半年，全市排名第一"
    assert headline(_fig(RATE, 20, 8.9), cat[RATE], mine)["beside"] == "上半年"
    shown = headline(_fig("efficiency_gain_pct", 60, 18), cat["efficiency_gain_pct"], district)
    assert (
        shown["change"] == ""
        and shown["beside"] == "一项主张而非统计"
        and shown["about"].startswith("一项主张")
    )


def test_the_api_gives_each_indicator_its_nature_qualifiers_and_note(app):
    body = client_as(app, "leader").get("/api/v1/indicators").get_json()
    by_code = {i["code"]: i for i in body["indicators"]}
    assert by_code[RATE]["qualifiers"] == [{"year": 2024, "text": "全市排名第一"}]
    assert by_code["efficiency_gain_pct"]["nature"] == "claim"
    assert by_code["officers_certified"]["note"] == "当年一次性工作量，不作同比"
    assert by_code["disputes_mediated"]["qualifiers"] == [] and by_code["disputes_mediated"]["note"] is None
