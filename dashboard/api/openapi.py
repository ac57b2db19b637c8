"""The OpenAPI 3.1 description of /api/v1 and the health routes, served at /api/v1/openapi.json.

Nothing here is a second copy: the catalog's sets come from data/catalog.py, the filters' rules from
data/queries/filters.py, the API's limits from dashboard/api/routes.py and the body limit from dashboard/web/guard.py.
Served, the document also lists the years and codes the store holds, so that it says exactly which requests
the server accepts (a year or code the store does not hold is a 400).
"""

from __future__ import annotations

from typing import Any

from dashboard.api import alerts as api_alerts
from dashboard.api import imports as api_imports
from dashboard.api import records as api_records
from dashboard.api import supervisions as api_supervisions
from dashboard.api.schemas import STRING, parameters, ref, schemas
from dashboard.api.shapes import PREFIX
from dashboard.web import guard, health
from dashboard.web.security import SESSION_COOKIE
from data.queries.dimensions import Dimensions
from data.registers import REGISTERS
from layouts.paths import READY_PATH


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
    error = ref("Error")
    return {
        "BadRequest": _json("参数错误：缺少、重复、未知的参数或取值", error),
        "Unauthorized": _json(
            "未登录：令牌无效、过期或已吊销，或服务器要求登录（DASHBOARD_ANONYMOUS=none）；查看明细必须登录",
            error,
            {"WWW-Authenticate": {"required": False, "description": "Bearer", "schema": STRING}},
        ),
        "Forbidden": _json("已登录但无权查看：其他部门或乡镇的明细，或本角色不可见的指标", error),
        "NotFound": _json(f"{PREFIX}/ 下没有这个路径（任何方法都如此）", error),
        "MethodNotAllowed": _json("该路径不支持这个方法", error, ALLOW),
        "TooLarge": _json(f"请求体超过 {MEGABYTES} MB", error),
        "Unavailable": _json("数据库暂时无法连接", error, RETRY_AFTER),
        "TextMethodNotAllowed": _text("该路径不支持这个方法", ALLOW),
        "TextTooLarge": _text(f"请求体超过 {MEGABYTES} MB"),
    }


API_ERRORS = {
    "400": ref("BadRequest", "responses"),
    "401": ref("Unauthorized", "responses"),
    "404": ref("NotFound", "responses"),
    "405": ref("MethodNotAllowed", "responses"),
    "413": ref("TooLarge", "responses"),
    "503": ref("Unavailable", "responses"),
}
# Outside /api/ the server's own errors are short text (dashboard/api/routes.py).
TEXT_ERRORS = {"405": ref("TextMethodNotAllowed", "responses"), "413": ref("TextTooLarge", "responses")}


def _get(summary: str, operation_id: str, responses: dict, parameters: list[dict] | None = None) -> dict:
    operation = {"summary": summary, "operationId": operation_id, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


# 2024, 2024-03 or 2024-01:2024-06 (import_arguments.period reads it), or empty: no period.
_MONTH = r"[1-9][0-9]{3}-(0?[1-9]|1[0-2])"
PERIOD_PATTERN = rf"^(|[1-9][0-9]{{3}}|{_MONTH}|{_MONTH}:{_MONTH})$"


def _import_post(dims: Dimensions | None) -> dict:
    # What the route takes, no more and no less: an empty field is a field not given (the data page's form
    # sends them empty), a code must be one the store holds.
    def members(rows: list[dict] | None) -> dict:
        return (
            {"type": "string"}
            if rows is None
            else {"type": "string", "enum": ["", *(r["code"] for r in rows)]}
        )

    form = {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": ".xlsx、.xls 或 .csv"},
            "register": {
                "type": "string",
                "enum": ["", *REGISTERS],
                "description": "登记簿；不填（或空）则按表头识别",
            },
            "department": {
                **members(None if dims is None else dims.departments),
                "description": "部门代码：发布时替换该部门在期间内的记录",
            },
            "township": {
                **members(None if dims is None else dims.townships),
                "description": "乡镇（街道）代码",
            },
            "period": {
                "type": "string",
                "pattern": PERIOD_PATTERN,
                "description": "期间：2024、2024-03 或 2024-01:2024-06（起止月份颠倒时按先后理解）",
            },
        },
    }
    return {
        "summary": "上传一个登记文件：检查并暂存，等待审核（业务系统的每日推送）",
        "operationId": "postImport",
        "description": (
            f"检查在后台进行，本请求最多等 {api_imports.WAIT:g} 秒：完成则 201 返回批次（含全部错误），否则 202。"
            "publish=1 且该账号获准自动发布此登记簿（dashboard feed allow）时直接发布。需要令牌。"
        ),
        "parameters": [
            {
                "name": "publish",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["0", "1"]},
            }
        ],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": form}}},
        "responses": {
            "201": _json("已检查：批次", ref("Import")),
            "202": _json("检查仍在进行", ref("ImportStarted")),
            "403": ref("Forbidden", "responses"),
            **API_ERRORS,
        },
        "security": [{"token": []}, {"session": []}],
    }


def _paths(dims: Dimensions | None) -> dict[str, dict]:
    params = parameters(dims)
    document_schema = {"type": "object", "required": ["openapi", "info", "paths", "components"]}
    ready = {
        "200": _json("就绪", ref("Ready")),
        "503": _json("未就绪，附中文原因", ref("NotReady"), RETRY_AFTER),
    }
    return {
        f"{PREFIX}/dimensions": _get(
            "年度、部门和乡镇（街道）",
            "getDimensions",
            {"200": _json("维度", ref("Dimensions")), **API_ERRORS},
        ),
        f"{PREFIX}/indicators": _get(
            "指标目录",
            "getIndicators",
            {"200": _json("指标目录", ref("Indicators")), **API_ERRORS},
            [params["area"]],
        ),
        f"{PREFIX}/values": _get(
            "指标数值（含上年值与同比）",
            "getValues",
            {"200": _json("指标数值", ref("Values")), **API_ERRORS},
            [params[name] for name in ("year", "department", "township", "area")],
        ),
        PREFIX + api_records.PATH: _get(
            "指标背后的登记明细（按调用者的范围，按键翻页）",
            "getRecords",
            {"200": _json("一页明细", ref("Records")), "403": ref("Forbidden", "responses"), **API_ERRORS},
            [params[name] for name in ("code", "year", "department", "township", "after", "limit")],
        ),
        PREFIX + api_alerts.PATH: _get(
            "某年的预警（按调用者的范围：部门负责人看全区和本部门的，未登录和大屏链接只看全区的公开指标）",
            "getAlerts",
            {"200": _json("预警", ref("Alerts")), "403": ref("Forbidden", "responses"), **API_ERRORS},
            [params["year"], api_alerts.single(params["department"]), api_alerts.single(params["township"])],
        ),
        f"{PREFIX}/imports": {"post": _import_post(dims)},
        f"{PREFIX}/imports/{{id}}": _get(
            "一个导入批次的状态、错误和发布后的变化",
            "getImport",
            {"200": _json("批次", ref("Import")), "403": ref("Forbidden", "responses"), **API_ERRORS},
            [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}],
        ),
        **api_supervisions.paths(API_ERRORS),
        f"{PREFIX}/openapi.json": _get(
            "本文档", "getOpenApi", {"200": _json("OpenAPI 文档", document_schema), **API_ERRORS}
        ),
        health.HEALTH_PATH: _get(
            "进程存活（不访问数据库）",
            "getHealth",
            {"200": _json("进程在运行", ref("Alive")), **TEXT_ERRORS},
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
                '接口：维度、指标目录、指标数值、登记明细，登记文件的导入（POST /api/v1/imports），以及督办（GET /api/v1/supervisions、单位回复 POST /api/v1/supervisions/{id}/replies）。参数错误返回 400 和 {"error": ..., "parameter": ...}；'
                f"{PREFIX}/ 下的未知路径返回 404 JSON；数据库暂时无法连接时返回 503 和 Retry-After。"
                "身份：浏览器登录后的会话 Cookie，或 `dashboard token create` 生成的令牌（Authorization: Bearer）；"
                "未登录只能看到公开指标，看不到明细。"
            ),
        },
        "servers": [{"url": "/"}],
        "paths": _paths(dims),
        "components": {
            "schemas": schemas() | api_supervisions.schemas(),
            "responses": _responses(),
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "dashboard token create 生成的令牌",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
            },
        },
        # Every operation may be called without identity (public figures) or with a token or a session.
        "security": [{}, {"token": []}, {"session": []}],
    }
