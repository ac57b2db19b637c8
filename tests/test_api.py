"""The JSON API on both engines: the report's figures, and a 4xx for every bad input."""

from __future__ import annotations

import io
import re
from dataclasses import fields

import pytest
from openapi_spec_validator import validate

from dashboard import create_app
from dashboard.api.openapi import document
from dashboard.api.routes import MAX_PARAM_LENGTH
from dashboard.web import guard
from data import catalog, report
from data.imports.states import STATUSES
from data.queries.figures import Figure
from data.queries.filters import MAX_CODES, YEAR_PATTERN
from data.registers import REGISTERS


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


def test_dimensions_and_indicators(client, internal):
    dims = client.get("/api/v1/dimensions").get_json()
    assert dims["years"] == [2022, 2023, 2024, 2025]
    # 16 townships and 区本级; the departments and 未归属部门
    assert len(dims["townships"]) == 17 and 36 <= len(dims["departments"]) <= 46
    assert {"code", "name"} <= set(dims["departments"][0])
    indicators = client.get("/api/v1/indicators").get_json()["indicators"]
    # a visitor's list: the public ones
    public = {c for c, i in catalog.load().items() if i.visibility == "public"}
    assert {i["code"] for i in indicators} == public != set(catalog.load())
    rate = next(i for i in indicators if i["code"] == "mediation_success_rate")
    assert rate["numerator"] == "disputes_resolved" and rate["denominator"] == "disputes_mediated"
    for field in ("code", "area", "name", "unit", "definition", "direction", "applies", "visibility"):
        assert field in rate
    assert client.get("/api/v1/indicators?area=security").get_json()["indicators"][0]["area"] == "security"


def test_openapi_document_describes_the_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    validate(doc)
    validate(document())  # without a store: patterns only
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/dimensions", "/api/v1/indicators", "/api/v1/values", "/healthz", "/readyz"} <= set(
        doc["paths"]
    )
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            success = "201" if method == "post" else "200"
            assert {success, "405", "413"} <= documented, (path, method)
            if path.startswith("/api/"):
                assert {"400", "404", "503"} <= documented, (path, method)


def test_openapi_imports_list_the_registers_and_the_batch_states_declared_in_the_data_layer(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    form = doc["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    # empty: recognised from the header (the data page's form sends the field empty)
    assert form["properties"]["register"]["enum"] == ["", *REGISTERS]
    batch = doc["components"]["schemas"]["Import"]["properties"]
    assert batch["status"]["enum"] == list(STATUSES)
    assert batch["register"]["enum"] == [*REGISTERS, None]


def test_openapi_enumerations_are_the_catalogs_and_the_stores(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    indicator = schemas["Indicator"]["properties"]
    assert indicator["period"]["enum"] == list(catalog.PERIODS)
    assert indicator["direction"]["enum"] == list(catalog.DIRECTIONS)
    assert indicator["visibility"]["enum"] == list(catalog.VISIBILITIES)
    assert indicator["source"]["enum"] == list(catalog.SOURCE_KINDS)
    assert indicator["area"]["enum"] == list(catalog.AREAS) == schemas["Value"]["properties"]["area"]["enum"]
    assert indicator["code"]["enum"] == list(catalog.load())
    assert set(schemas["Value"]["required"]) == {f.name for f in fields(Figure)}
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/values"]["get"]["parameters"]}
    assert params["area"]["enum"] == list(catalog.AREAS)
    dims = client.get("/api/v1/dimensions").get_json()
    assert params["year"]["enum"] == [str(y) for y in dims["years"]]
    assert params["year"]["pattern"] == YEAR_PATTERN
    assert {p["maxLength"] for p in params.values() if "maxLength" in p} == {MAX_PARAM_LENGTH}
    # the codes pattern takes exactly what the handler takes: known codes, commas, at most MAX_CODES of them
    pattern = re.compile(params["department"]["pattern"])
    known = [d["code"] for d in dims["departments"]]
    for codes, accepted in [
        (known[:2], True),
        ([known[0]] * MAX_CODES, True),
        ([known[0]] * (MAX_CODES + 1), False),
        ([known[0], ""], False),
        ([f" {known[0]}"], False),
        (["NOPE"], False),
    ]:
        query = ",".join(codes)
        assert bool(pattern.fullmatch(query)) is accepted, query[:40]
        status = client.get(f"/api/v1/values?year=2024&department={query}").status_code
        assert status == (200 if accepted else 400), query[:40]


def test_the_document_lists_every_response_and_its_shape(client):
    """Each documented shape is closed (no property the document does not name) and the server's answers fit."""
    import jsonschema

    doc = client.get("/api/v1/openapi.json").get_json()

    def check(path: str, status: int, body: dict) -> None:
        response = doc["paths"][path]["get"]["responses"][str(status)]
        if "$ref" in response:
            response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        schema = response["content"]["application/json"]["schema"]
        # the document is the root, so that its "#/components/..." references resolve
        jsonschema.validate(body, {**schema, "components": doc["components"]})

    for path, query in [
        ("/api/v1/dimensions", ""),
        ("/api/v1/indicators", "?area=security"),
        ("/api/v1/values", "?year=2024&township=qingshan"),
    ]:
        resp = client.get(path + query)
        check(path, resp.status_code, resp.get_json())
    for path in ("/healthz", "/readyz"):
        resp = client.get(path)
        check(path, resp.status_code, resp.get_json())
    check("/api/v1/values", 400, client.get("/api/v1/values?year=1999").get_json())
    with pytest.raises(jsonschema.ValidationError):
        check("/api/v1/dimensions", 200, {**client.get("/api/v1/dimensions").get_json(), "extra": 1})


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
        ("year=%202024", "year"),
        ("year=2024%0A", "year"),
        ("year=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94", "year"),
        ("year=2024&department=SFJ,", "department"),
        ("year=2024&department=SFJ,%20GAFJ", "department"),
        ("year=2024&department=SFJ%00", "department"),
        ("year=2024&township=", "township"),
        ("year=2024&area=", "area"),
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
    extra = client.get("/api/v1/dimensions?year=2024")
    assert extra.status_code == 400 and extra.get_json()["parameter"] == "year"


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_every_unknown_path_under_api_is_a_json_404_for_every_method(client, method):
    for path in (
        "/api",
        "/api/",
        "/api/v1",
        "/api/v1/",
        "/api/v1/nothing",
        "/api/v1/values/",
        "/api/v2/values",
    ):
        resp = client.open(path, method=method)
        assert resp.status_code == 404, (method, path, resp.status_code)
        assert resp.mimetype == "application/json"
        if method != "HEAD":
            assert "没有这个地址" in resp.get_json()["error"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_a_method_a_route_does_not_take_is_a_405_with_its_allow_header(client, method):
    for path in ("/api/v1/values", "/api/v1/dimensions", "/api/v1/openapi.json"):
        resp = client.open(path + "?year=2024", method=method)
        assert resp.status_code == 405, (method, path)
        assert "GET" in resp.headers["Allow"].replace(" ", "").split(",")
        assert method in resp.get_json()["error"]
    health = client.open("/healthz", method=method)
    assert health.status_code == 405 and "GET" in health.headers["Allow"]


def test_a_body_over_the_limit_is_a_413(client):
    big = b"x" * (guard.MAX_BODY_BYTES + 1)
    for method, path in [
        ("GET", "/api/v1/values?year=2024"),
        ("POST", "/api/v1/values"),
        ("POST", guard.ENDPOINT),
    ]:
        resp = client.open(path, method=method, data=big, content_type="application/json")
        assert resp.status_code == 413, (method, path)
        assert "请求体过大" in resp.get_json()["error"]
    page = client.post("/", data=big)
    assert page.status_code == 413 and page.mimetype == "text/plain"
    assert "请求体过大" in page.get_data(as_text=True)
    # a body that does not say its length is cut off where it passes the limit
    chunked = client.post(
        guard.ENDPOINT,
        input_stream=io.BytesIO(big),
        content_type="application/json",
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert chunked.status_code == 413 and "error" in chunked.get_json()
