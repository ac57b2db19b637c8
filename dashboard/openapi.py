"""The OpenAPI 3.1 description of /api/v1 and the health routes, served at /api/v1/openapi.json.

Nothing here is a second copy: the catalog's sets come from data/catalog.py, the filters' rules from
data/queries/filters.py, the API's limits from dashboard/api.py and the body limit from dashboard/guard.py.
Served, the document also lists the years and codes the store holds, so that it says exactly which requests
the server accepts (a year or code the store does not hold is a 400).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from dashboard import guard, health
from dashboard.api import MAX_PARAM_LENGTH, PREFIX, indicator_json
from data import catalog
from data.queries.dimensions import Dimensions
from data.queries.figures import Figure
from data.queries.filters import MAX_CODES, YEAR_PATTERN
from layouts.shell import READY_PATH

# The characters an ECMA-262 pattern (the dialect of JSON Schema) needs escaped to match themselves.
_REGEX_SYNTAX = set("^$\\.*+?()[]{}|/")


def _ref(name: str, kind: str = "schemas") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _literal(text: str) -> str:
    return "".join("\\" + ch if ch in _REGEX_SYNTAX else ch for ch in text)


def codes_pattern(codes: list[str] | None) -> str:
    """One to MAX_CODES codes separated by commas: the store's codes when known, else any text but commas."""
    one = "(?:" + "|".join(_literal(c) for c in codes) + ")" if codes is not None else "[^,]+"
    return f"^{one}(?:,{one}){{0,{MAX_CODES - 1}}}$"


def _nothing(schema: dict) -> dict:
    # An empty store accepts no year and no code: say so rather than list an empty enumeration.
    return {**schema, "not": {}}


def _parameters(dims: Dimensions | None) -> dict[str, dict]:
    text = {"type": "string", "maxLength": MAX_PARAM_LENGTH}
    year = {**text, "pattern": YEAR_PATTERN}
    if dims is not None:
        year = {**year, "enum": [str(y) for y in dims.years]} if dims.years else _nothing(year)

    def codes(members: list[dict] | None) -> dict:
        known = None if members is None else [m["code"] for m in members]
        schema = {**text, "pattern": codes_pattern(known)}
        return _nothing(schema) if known == [] else schema

    many = f"，多个用逗号分隔（最多 {MAX_CODES} 个，不留空格）"
    departments, townships = (None, None) if dims is None else (dims.departments, dims.townships)
    rows = [
        ("year", "年度（四位数字，库中已有数据的年度）", year, "2024", True),
        ("department", "部门代码" + many, codes(departments), "SFJ,GAFJ", False),
        ("township", "乡镇（街道）代码" + many, codes(townships), "qingshan", False),
        ("area", "只返回该领域的指标", _enum(list(catalog.AREAS)), "mediation", False),
    ]
    return {
        name: {
            "name": name,
            "in": "query",
            "required": required,
            "description": about,
            "schema": schema,
            "example": ex,
        }
        for name, about, schema, ex, required in rows
    }


def _object(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict:
    """An object of exactly these properties (all required unless named)."""
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }


STRING = {"type": "string"}
NUMBER_OR_NULL = {"type": ["number", "null"]}
APPLIES = _object(
    {"department": {"type": "boolean"}, "township": {"type": "boolean"}},
    description="部门、乡镇筛选是否适用于该指标；不适用时返回不分部门/不分乡镇的值",
)


def _enum(values: list, nullable: bool = False) -> dict:
    if nullable:
        return {"type": ["string", "null"], "enum": [*values, None]}
    return {"type": "string", "enum": values}


def _indicator() -> dict:
    codes = list(catalog.load())
    described = {
        "code": _enum(codes),
        "area": _enum(list(catalog.AREAS)),
        "name": STRING,
        "unit": STRING,
        "definition": {**STRING, "description": "统计口径"},
        "responsible": {**STRING, "description": "责任部门"},
        "period": _enum(list(catalog.PERIODS)),
        "direction": _enum(list(catalog.DIRECTIONS)),
        "target": NUMBER_OR_NULL,
        "applies": APPLIES,
        "visibility": _enum(list(catalog.VISIBILITIES)),
        "source": _enum(list(catalog.SOURCE_KINDS)),
        "numerator": _enum(codes, nullable=True),
        "denominator": _enum(codes, nullable=True),
    }
    # The handler's own rendering of an indicator names the fields: one it adds without a schema fails here.
    return _object({name: described[name] for name in indicator_json(next(iter(catalog.load().values())))})


def _value() -> dict:
    described = {
        "code": _enum(list(catalog.load())),
        "area": _enum(list(catalog.AREAS)),
        "name": STRING,
        "unit": STRING,
        "value": {**NUMBER_OR_NULL, "description": "本年值；比率为百分数（99.73 表示 99.73%）"},
        "previous": {**NUMBER_OR_NULL, "description": "上年同期值"},
        "yoy_pct": {**NUMBER_OR_NULL, "description": "同比变化（%），保留一位小数"},
        "yoy_points": {**NUMBER_OR_NULL, "description": "百分比类指标的同比变化（百分点）；其他指标为 null"},
        "applies": APPLIES,
        "as_of": {"type": ["string", "null"], "format": "date", "description": "统计截至日期"},
        "source": {**STRING, "description": "数据来源"},
    }
    # Every field of a Figure, as the handler sends it (Figure.to_dict).
    return _object({f.name: described[f.name] for f in fields(Figure)})


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _schemas() -> dict[str, dict]:
    member = {"code": STRING, "name": STRING}
    area = {"code": _enum(list(catalog.AREAS)), "name": _enum(list(catalog.AREAS.values()))}
    filters = {
        "department": _array(STRING),
        "township": _array(STRING),
        "area": _enum(list(catalog.AREAS), True),
    }
    return {
        "Dimensions": _object(
            {
                "years": _array({"type": "integer"}),
                "departments": _array(_object(member)),
                "townships": _array(_object({**member, "kind": STRING})),
            }
        ),
        "Indicators": _object({"areas": _array(_object(area)), "indicators": _array(_ref("Indicator"))}),
        "Indicator": _indicator(),
        "Values": _object(
            {
                "year": {"type": "integer"},
                "demo": {"type": "boolean", "description": "是否为示例数据"},
                "filters": _object(filters),
                "values": _array(_ref("Value")),
            }
        ),
        "Value": _value(),
        "Error": _object({"error": STRING, "parameter": STRING}, required=["error"]),
        "Alive": _object({"status": {"const": "ok"}}),
        "Ready": _object(
            {
                "status": {"const": "ready"},
                "schema": {**STRING, "description": "数据库结构版本（Alembic revision）"},
                "data_version": {**STRING, "description": "数据版本，数据每次更新后改变"},
            }
        ),
        "NotReady": _object({"status": {"const": "unavailable"}, "error": {**STRING, "description": "原因"}}),
    }


def _content(media: str, description: str, schema: dict, headers: dict | None = None) -> dict:
    out: dict[str, Any] = {"description": description, "content": {media: {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _json(description: str, schema: dict, headers: dict | None = None) -> dict:
    return _content("application/json", description, schema, headers)


def _text(description: str, headers: dict | None = None) -> dict:
    return _content("text/plain", description, STRING, headers)


ALLOW = {"Allow": {"required": True, "description": "该路径支持的方法", "schema": STRING}}
RETRY_AFTER = {
    "Retry-After": {
        "required": True,
        "description": f"建议多少秒后重试（{health.RETRY_AFTER}）",
        "schema": {"type": "integer", "minimum": 0},
    }
}
MEGABYTES = guard.MAX_BODY_BYTES // (1024 * 1024)


def _responses() -> dict[str, dict]:
    error = _ref("Error")
    return {
        "BadRequest": _json("参数错误：缺少、重复、未知的参数或取值", error),
        "NotFound": _json(f"{PREFIX}/ 下没有这个路径（任何方法都如此）", error),
        "MethodNotAllowed": _json("该路径不支持这个方法", error, ALLOW),
        "TooLarge": _json(f"请求体超过 {MEGABYTES} MB", error),
        "Unavailable": _json("数据库暂时无法连接", error, RETRY_AFTER),
        "TextMethodNotAllowed": _text("该路径不支持这个方法", ALLOW),
        "TextTooLarge": _text(f"请求体超过 {MEGABYTES} MB"),
    }


API_ERRORS = {
    "400": _ref("BadRequest", "responses"),
    "404": _ref("NotFound", "responses"),
    "405": _ref("MethodNotAllowed", "responses"),
    "413": _ref("TooLarge", "responses"),
    "503": _ref("Unavailable", "responses"),
}
# Outside /api/ the server's own errors are short text (dashboard/api.py).
TEXT_ERRORS = {"405": _ref("TextMethodNotAllowed", "responses"), "413": _ref("TextTooLarge", "responses")}


def _get(summary: str, operation_id: str, responses: dict, parameters: list[dict] | None = None) -> dict:
    operation = {"summary": summary, "operationId": operation_id, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


def _paths(dims: Dimensions | None) -> dict[str, dict]:
    params = _parameters(dims)
    document_schema = {"type": "object", "required": ["openapi", "info", "paths", "components"]}
    ready = {
        "200": _json("就绪", _ref("Ready")),
        "503": _json("未就绪，附中文原因", _ref("NotReady"), RETRY_AFTER),
    }
    return {
        f"{PREFIX}/dimensions": _get(
            "年度、部门和乡镇（街道）",
            "getDimensions",
            {"200": _json("维度", _ref("Dimensions")), **API_ERRORS},
        ),
        f"{PREFIX}/indicators": _get(
            "指标目录",
            "getIndicators",
            {"200": _json("指标目录", _ref("Indicators")), **API_ERRORS},
            [params["area"]],
        ),
        f"{PREFIX}/values": _get(
            "指标数值（含上年值与同比）",
            "getValues",
            {"200": _json("指标数值", _ref("Values")), **API_ERRORS},
            [params[name] for name in ("year", "department", "township", "area")],
        ),
        f"{PREFIX}/openapi.json": _get(
            "本文档", "getOpenApi", {"200": _json("OpenAPI 文档", document_schema), **API_ERRORS}
        ),
        health.HEALTH_PATH: _get(
            "进程存活（不访问数据库）",
            "getHealth",
            {"200": _json("进程在运行", _ref("Alive")), **TEXT_ERRORS},
        ),
        READY_PATH: _get("可以提供服务：数据库可连接且结构为最新", "getReady", {**ready, **TEXT_ERRORS}),
    }


def document(dims: Dimensions | None = None) -> dict[str, Any]:
    """The document; with ``dims`` (the store's), years and codes are listed as the only accepted values."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "法治政府建设数据驾驶舱 API",
            "version": "1.0.0",
            "description": (
                '只读接口：维度、指标目录与指标数值。参数错误返回 400 和 {"error": ..., "parameter": ...}；'
                f"{PREFIX}/ 下的未知路径返回 404 JSON；数据库暂时无法连接时返回 503 和 Retry-After。"
            ),
        },
        "servers": [{"url": "/"}],
        "paths": _paths(dims),
        "components": {"schemas": _schemas(), "responses": _responses()},
    }
