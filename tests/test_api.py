"""The JSON API on both engines: the report's figures, and a 4xx for every bad input."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from dashboard import create_app
from data import catalog, report


@pytest.fixture
def client(demo_url, tmp_path):
    app = create_app({"database_url": demo_url, "instance_path": tmp_path})
    return app.server.test_client()


def test_values_for_2024_hold_every_report_figure(client):
    resp = client.get("/api/v1/values?year=2024")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["year"] == 2024 and body["demo"] is True
    by_code = {v["code"]: v for v in body["values"]}
    for code, fig in report.load().items():
        value = by_code[code]
        assert report.agrees(fig, value["value"]), (code, value["value"])
        assert set(value) >= {
            "code",
            "area",
            "name",
            "unit",
            "value",
            "previous",
            "yoy_pct",
            "applies",
            "as_of",
            "source",
        }
        if fig.yoy_pct is not None:
            assert value["yoy_pct"] == fig.yoy_pct


def test_values_follow_township_department_and_area_filters(client):
    all_mediation = client.get("/api/v1/values?year=2024&area=mediation").get_json()["values"]
    assert {v["area"] for v in all_mediation} == {"mediation"}
    town = client.get("/api/v1/values?year=2024&area=mediation&township=qingshan").get_json()["values"]
    two = client.get("/api/v1/values?year=2024&area=mediation&township=qingshan,baisha").get_json()["values"]
    count = {v["code"]: v["value"] for v in town}["disputes_mediated"]
    assert 0 < count < 2712
    assert count < {v["code"]: v["value"] for v in two}["disputes_mediated"]
    security = client.get("/api/v1/values?year=2024&area=security&department=SFJ").get_json()["values"]
    alerts = {v["code"]: v for v in security}["criminal_alerts"]
    assert alerts["value"] == 937 and alerts["applies"] == {"department": False, "township": True}


def test_dimensions_and_indicators(client):
    dims = client.get("/api/v1/dimensions").get_json()
    assert dims["years"] == [2022, 2023, 2024, 2025]
    assert len(dims["townships"]) == 16 and 35 <= len(dims["departments"]) <= 45
    assert {"code", "name"} <= set(dims["departments"][0])
    indicators = client.get("/api/v1/indicators").get_json()["indicators"]
    assert {i["code"] for i in indicators} == set(catalog.load())
    rate = next(i for i in indicators if i["code"] == "mediation_success_rate")
    assert rate["numerator"] == "disputes_resolved" and rate["denominator"] == "disputes_mediated"
    for field in ("code", "area", "name", "unit", "definition", "direction", "applies", "visibility"):
        assert field in rate
    assert client.get("/api/v1/indicators?area=security").get_json()["indicators"][0]["area"] == "security"


def test_openapi_document_describes_the_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/dimensions", "/api/v1/indicators", "/api/v1/values"} <= set(doc["paths"])


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("", "year"),
        ("year=", "year"),
        ("year=abc", "year"),
        ("year=2024.0", "year"),
        ("year=-1", "year"),
        ("year=99999999999999999999", "year"),
        ("year=1999", "year"),
        ("year=2024&year=2023", "year"),
        ("year=2024&department=NOPE", "department"),
        ("year=2024&department=SFJ&department=GAFJ", "department"),
        ("year=2024&department=,,", "department"),
        ("year=2024&township=qingshan,' OR 1=1 --", "township"),
        ("year=2024&township=" + "a" * 5000, "township"),
        ("year=2024&township=" + ",".join(["qingshan"] * 101), "township"),
        ("year=2024&area=nowhere", "area"),
        ("year=2024&color=red", "color"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, query, parameter):
    resp = client.get(f"/api/v1/values?{query}")
    assert resp.status_code == 400, resp.data[:200]
    body = resp.get_json()
    assert body["parameter"] == parameter
    assert parameter in body["error"] and "Traceback" not in body["error"]


def test_unknown_routes_and_methods_answer_in_json(client):
    missing = client.get("/api/v1/nothing")
    assert missing.status_code == 404 and "error" in missing.get_json()
    post = client.post("/api/v1/values?year=2024")
    assert post.status_code == 405 and "error" in post.get_json()
    extra = client.get("/api/v1/dimensions?year=2024")
    assert extra.status_code == 400 and extra.get_json()["parameter"] == "year"
