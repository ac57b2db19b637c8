"""The schemas and query parameters of the OpenAPI document (dashboard/api/openapi.py puts them together).

Nothing here is a second copy: the catalog's sets come from data/catalog.py, the filters' rules from
data/queries/filters.py, the records' limits from data/queries/records.py, the API's from dashboard/web/params.py.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from dashboard.api import alerts as api_alerts
from dashboard.api.records import CURSOR_PATTERN, DEFAULT_LIMIT, LIMIT_PATTERN, MAX_CURSOR
from dashboard.api.shapes import indicator_json
from dashboard.web.params import MAX_PARAM_LENGTH
from data import catalog
from data.imports.states import STATUSES, Status
from data.imports.validate import MAX_ERRORS
from data.queries.dimensions import Dimensions
from data.queries.figures import Figure
from data.queries.filters import MAX_CODES, YEAR_PATTERN
from data.queries.records import MAX_PAGE_SIZE
from data.registers import REGISTERS

# The characters an ECMA-262 pattern (the dialect of JSON Schema) needs escaped to match themselves.
_REGEX_SYNTAX = set("^$\\.*+?()[]{}|/")


def ref(name: str, kind: str = "schemas") -> dict:
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


def parameters(dims: Dimensions | None) -> dict[str, dict]:
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
        (
            "code",
            "有登记明细的指标代码（填报类指标没有明细）",
            _enum(_record_codes()),
            "disputes_mediated",
            True,
        ),
        (
            "after",
            "上一页返回的 next 游标（不给则从第一行开始）",
            {**text, "maxLength": MAX_CURSOR, "pattern": CURSOR_PATTERN},
            None,
            False,
        ),
        (
            "limit",
            f"每页行数，默认 {DEFAULT_LIMIT}，最多 {MAX_PAGE_SIZE}（更大的数按 {MAX_PAGE_SIZE}）",
            {**text, "pattern": LIMIT_PATTERN},
            "100",
            False,
        ),
    ]
    return {
        name: {
            "name": name,
            "in": "query",
            "required": required,
            "description": about,
            "schema": schema,
            **({"example": ex} if ex is not None else {}),
        }
        for name, about, schema, ex, required in rows
    }


def _record_codes() -> list[str]:
    return [c for c, i in catalog.load().items() if i.source_kind != "reported"]


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
        "nature": {
            **_enum(list(catalog.NATURES)),
            "description": "数字的性质：统计数、存量小数、一次性工作量、一项主张而非统计（后两者不作同比，主张不画趋势）",
        },
        "qualifiers": {
            "type": "array",
            "description": "显示在数字旁的限定语（上半年另见 period）；year 为空时每年都适用",
            "items": _object({"year": {"type": ["integer", "null"]}, "text": STRING}),
        },
        "note": {"type": ["string", "null"], "description": "说明（为什么不作同比等）"},
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
        "target": {
            **NUMBER_OR_NULL,
            "description": "该年度的目标：筛选为单个部门或乡镇（街道）且它有自己的目标时取它的，否则取全区的；"
            "该年度未设目标时为指标目录的默认目标；没有目标为 null",
        },
        "compared_with": {
            "type": ["string", "null"],
            "description": "可比口径：按机构改革后的单位筛选时，上年同期值还含被并入的单位（如“含原区信访局”）；否则为 null",
        },
        "reporting": {
            "type": ["string", "null"],
            "description": "报送未齐：该数字所依据的登记簿，有应报单位尚未报送所看期间已结束的月份时的说明"
            "（如“矛盾纠纷调处登记 2月：应报 41 个单位，已报 38 个”）；都已报送或没有报送责任时为 null",
        },
    }
    # Every field of a Figure, as the handler sends it (Figure.to_dict).
    return _object({f.name: described[f.name] for f in fields(Figure)})


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def schemas() -> dict[str, dict]:
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
        "Indicators": _object({"areas": _array(_object(area)), "indicators": _array(ref("Indicator"))}),
        "Indicator": _indicator(),
        "Values": _object(
            {
                "year": {"type": "integer"},
                "demo": {"type": "boolean", "description": "是否为示例数据"},
                "filters": _object(filters),
                "values": _array(ref("Value")),
            }
        ),
        "Value": _value(),
        "Records": _object(
            {
                "code": _enum(_record_codes()),
                "register": STRING,
                "year": {"type": "integer"},
                "filters": _object({"department": _array(STRING), "township": _array(STRING)}),
                "total": {"type": "integer", "minimum": 0, "description": "调用者可看到的行数"},
                "columns": _array(STRING),
                "rows": _array({"type": "object", "maxProperties": 64}),
                "next": {"type": ["string", "null"], "description": "下一页的游标；null 表示没有下一页"},
            },
            description=f"每页最多 {MAX_PAGE_SIZE} 行，按（日期, 编号）排序",
        ),
        "Import": _import(),
        "Alerts": api_alerts.list_schema(),
        "Alert": api_alerts.schema(),
        "ImportStarted": _object(
            {"id": {"type": "integer"}, "status": {"const": Status.CHECKING.value}, "url": STRING},
            description="检查仍在进行：稍后 GET url 查看结果",
        ),
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


def _import() -> dict:
    """A batch as POST and GET /api/v1/imports answer it (dashboard/api/imports.py batch_json)."""
    text_or_null = {"type": ["string", "null"]}
    int_or_null = {"type": ["integer", "null"]}
    error = _object(
        {
            "sheet": text_or_null,
            "row": {**int_or_null, "description": "文件中的行号（与 Excel 显示的一致）；null：整个文件"},
            "column": STRING,
            "value": STRING,
            "reason": STRING,
            "message": {**STRING, "description": "完整的一句中文，如 第17行“乡镇（街道）”列：……"},
        }
    )
    rows = {
        "type": ["object", "null"],
        "properties": {
            k: {"type": "integer"} for k in ("total", "added", "replaced", "removed", "unchanged")
        },
    }
    figure = {
        "type": "object",
        "required": ["code", "name", "unit", "year", "level", "before", "after"],
        "properties": {
            "code": STRING,
            "name": STRING,
            "unit": STRING,
            "area": STRING,
            "year": {"type": "integer"},
            "level": _enum(["district", "township_code", "department_code"]),
            "member": text_or_null,
            "member_name": STRING,
            "before": NUMBER_OR_NULL,
            "after": NUMBER_OR_NULL,
        },
    }
    return _object(
        {
            "id": {"type": "integer"},
            "status": _enum(list(STATUSES)),
            "status_text": _enum(list(STATUSES.values())),
            "step": STRING,
            "progress": {"type": "integer", "minimum": 0, "maximum": 100},
            "register": _enum(list(REGISTERS), True),
            "department": text_or_null,
            "township": text_or_null,
            "period": _object({"start": text_or_null, "end": text_or_null}),
            "file": _object({"name": text_or_null, "size": int_or_null, "sha256": text_or_null}),
            "rows": int_or_null,
            "error_count": {"type": "integer", "minimum": 0},
            "errors": _array(error),
            "changes": _object({"rows": rows, "figures": _array(figure)}),
            "publish": {**STRING, "description": "要求自动发布而未发布时的原因"},
        },
        required=["id", "status", "errors", "error_count", "changes"],
        description=f"一个导入批次：状态、全部错误（列出前 {MAX_ERRORS:,} 条，error_count 是总数），或发布后哪些行、哪些数字会变",
    )
