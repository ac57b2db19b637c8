"""The indicator catalog: complete against the report, and strict about what it accepts."""

from __future__ import annotations

import csv

import pytest

from data import catalog, catalog_sql, report

HEADER = list(csv.DictReader(catalog.CATALOG_CSV.open(encoding="utf-8")).fieldnames)


def row(**changes) -> dict[str, str]:
    base = dict.fromkeys(HEADER, "")
    base.update(
        code="x",
        area="mediation",
        name="测试",
        unit="件",
        definition="口径",
        responsible="区司法局",
        period="year",
        direction="up",
        applies_department="0",
        applies_township="1",
        visibility="public",
        source_kind="register",
        register="dispute_case",
        measure="count",
    )
    base.update(changes)
    return base


def test_every_report_code_is_in_the_catalog_with_its_area_and_unit():
    cat = catalog.load()
    for code, fig in report.load().items():
        assert code in cat, code
        assert cat[code].area == fig.area
        assert cat[code].unit == fig.unit


def test_rates_name_register_backed_parts():
    cat = catalog.load()
    rates = [i for i in cat.values() if i.is_rate]
    assert {"mediation_success_rate", "enterprise_resolution_rate", "hotline_satisfaction_rate"} <= {
        r.code for r in rates
    }
    for r in rates:
        assert cat[r.numerator].register == cat[r.denominator].register


def test_a_valid_row_parses():
    (ind,) = catalog.parse_rows([row(condition="success=1;closed_on!=null")]).values()
    assert ind.applies_township and not ind.applies_department


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"register": "nope"}, "unknown register"),
        ({"measure": "sum:nope"}, "measure column"),
        ({"condition": "id=1"}, "condition column"),
        ({"condition": "success=yes"}, "0 or 1"),
        ({"condition": "level=区; DROP TABLE x"}, "condition column"),
        ({"area": "elsewhere"}, "unknown area"),
        ({"register": "police_incident", "applies_department": "1"}, "applies to departments"),
        ({"source_kind": "reported", "register": ""}, "cannot be split"),
        ({"applies_township": "yes"}, "0 or 1"),
    ],
)
def test_bad_rows_are_refused_with_the_reason(changes, message):
    with pytest.raises(catalog_sql.CatalogError, match=message):
        catalog.parse_rows([row(**changes)])


def test_a_rate_over_a_reported_figure_is_refused():
    rows = [
        row(code="part", source_kind="reported", register="", measure="", applies_township="0"),
        row(code="r", source_kind="ratio", register="", measure="", numerator="part", denominator="part"),
    ]
    with pytest.raises(catalog_sql.CatalogError, match="not a register-backed"):
        catalog.parse_rows(rows)


def test_no_rate_is_seen_more_widely_than_a_part_it_is_counted_from():
    # a public rate over a public numerator gives its denominator away (issue 19): the three counts behind the
    # report's public rates (参与好差评办件数, 12345热线回访诉求, 行政诉讼应诉案件) are public for that reason
    cat = catalog.read()
    assert catalog.wider_rates(cat, {}) == []
    for code in ("service_rated", "hotline_visited", "court_cases"):
        assert cat[code].visibility == "public"
    (rate, part), *_ = catalog.wider_rates(cat, {"hotline_visited": "internal"})
    assert (rate.code, part.code) == ("hotline_satisfaction_rate", "hotline_visited")
    assert (
        catalog.wider_rates(cat, {"hotline_visited": "internal", "hotline_satisfaction_rate": "restricted"})
        == []
    )


@pytest.mark.parametrize(("rate", "part"), [("public", "internal"), ("internal", "restricted")])
def test_a_catalog_with_a_rate_wider_than_its_part_is_refused(rate, part):
    rows = [
        row(code="done", visibility="public"),
        row(code="all", visibility=part),
        row(
            code="r",
            source_kind="ratio",
            register="",
            measure="",
            numerator="done",
            denominator="all",
            visibility=rate,
        ),
    ]
    with pytest.raises(catalog_sql.CatalogError, match="r: .*its part all"):
        catalog.parse_rows(rows)
    rows[2]["visibility"] = part
    assert set(catalog.parse_rows(rows)) == {"done", "all", "r"}
