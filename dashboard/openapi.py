"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/BadRequest"}


def _param(name: str, description: str, required: bool = False, example: str | None = None) -> dict:
    schema: dict[str, Any] = {"type": "string", "maxLength": 2000}
    if name == "year":
        schema = {"type": "string", "pattern": "^[0-9]{4}$"}
    out = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
    if example:
        out["example"] = example
    return out


VALUE = {
    "type": "object",
    "required": [
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
    ],
    "properties": {
        "code": {"type": "string"},
        "area": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "value": {"type": ["number", "null"], "description": "本年值；比率为百分数（99.73 表示 99.73%）"},
        "previous": {"type": ["number", "null"], "description": "上年同期值"},
        "yoy_pct": {"type": ["number", "null"], "description": "同比变化（%），保留一位小数"},
        "yoy_points": {
            "type": ["number", "null"],
            "description": "百分比类指标的同比变化（百分点）；其他指标为 null",
        },
        "applies": {
            "type": "object",
            "description": "部门、乡镇筛选是否适用于该指标；不适用时返回不分部门/不分乡镇的值",
            "properties": {"department": {"type": "boolean"}, "township": {"type": "boolean"}},
        },
        "as_of": {"type": ["string", "null"], "format": "date", "description": "统计截至日期"},
        "source": {"type": "string", "description": "数据来源"},
    },
}

INDICATOR = {
    "type": "object",
    "required": ["code", "area", "name", "unit", "definition", "direction", "applies", "visibility"],
    "properties": {
        "code": {"type": "string"},
        "area": {"type": "string"},
        "name": {"type": "string"},
        "unit": {"type": "string"},
        "definition": {"type": "string", "description": "统计口径"},
        "responsible": {"type": "string", "description": "责任部门"},
        "period": {"type": "string", "enum": ["year", "h1"]},
        "direction": {"type": "string", "enum": ["up", "down", "neutral"]},
        "target": {"type": ["number", "null"]},
        "applies": {
            "type": "object",
            "properties": {"department": {"type": "boolean"}, "township": {"type": "boolean"}},
        },
        "visibility": {"type": "string", "enum": ["public", "internal", "restricted"]},
        "source": {"type": "string", "enum": ["register", "ratio", "reported"]},
        "numerator": {"type": ["string", "null"]},
        "denominator": {"type": ["string", "null"]},
    },
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "法治政府建设数据驾驶舱 API",
            "version": "1.0.0",
            "description": '只读接口：维度、指标目录与指标数值。参数错误返回 400 和 {"error": ...}。',
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/dimensions": {
                "get": {
                    "summary": "年度、部门和乡镇（街道）",
                    "operationId": "getDimensions",
                    "responses": {
                        "200": {
                            "description": "维度",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Dimensions"}}
                            },
                        },
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/indicators": {
                "get": {
                    "summary": "指标目录",
                    "operationId": "getIndicators",
                    "parameters": [_param("area", "只返回该领域的指标", example="mediation")],
                    "responses": {
                        "200": {
                            "description": "指标目录",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "areas": {"type": "array", "items": {"type": "object"}},
                                            "indicators": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Indicator"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/values": {
                "get": {
                    "summary": "指标数值（含上年值与同比）",
                    "operationId": "getValues",
                    "parameters": [
                        _param("year", "年度", required=True, example="2024"),
                        _param("department", "部门代码，多个用逗号分隔", example="SFJ,GAFJ"),
                        _param("township", "乡镇（街道）代码，多个用逗号分隔", example="qingshan"),
                        _param("area", "只返回该领域的指标", example="mediation"),
                    ],
                    "responses": {
                        "200": {
                            "description": "指标数值",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["year", "demo", "values"],
                                        "properties": {
                                            "year": {"type": "integer"},
                                            "demo": {"type": "boolean", "description": "是否为示例数据"},
                                            "filters": {"type": "object"},
                                            "values": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Value"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": ERROR,
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "本文档",
                    "operationId": "getOpenApi",
                    "responses": {
                        "200": {"description": "OpenAPI 文档", "content": {"application/json": {}}}
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Dimensions": {
                    "type": "object",
                    "required": ["years", "departments", "townships"],
                    "properties": {
                        "years": {"type": "array", "items": {"type": "integer"}},
                        "departments": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
                        "townships": {"type": "array", "items": {"$ref": "#/components/schemas/Member"}},
                    },
                },
                "Member": {
                    "type": "object",
                    "required": ["code", "name"],
                    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
                },
                "Indicator": INDICATOR,
                "Value": VALUE,
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
                },
            },
            "responses": {
                "BadRequest": {
                    "description": "参数错误",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
    }
