"""The read-only JSON API under /api/v1, on the Dash app's Flask server.

Every parameter is checked against an allow-list before it reaches the query layer; anything wrong is a 400
with ``{"error": ...}`` naming the parameter, never a 500. Every other answer under /api/ (an unknown path, a
method a route does not take, a body too large) is JSON too; dashboard/openapi.py describes all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException

from dashboard import guard
from data import catalog
from data.queries.dimensions import Dimensions, dimensions
from data.queries.figures import figures
from data.queries.filters import MAX_CODES, YEAR_PATTERN, Filters
from data.store import get_meta

PREFIX = "/api/v1"
MAX_PARAM_LENGTH = 2000
BLUEPRINT = "api_v1"

# What an HTTP error says, in the interface's language (Werkzeug's descriptions are English).
MESSAGES = {
    400: "请求有误",
    404: "没有这个地址：{path}",
    405: "{path} 不支持 {method} 方法",
    413: f"请求体过大（上限 {guard.MAX_BODY_BYTES // (1024 * 1024)} MB）",
    415: "请求体必须是 JSON（Content-Type: application/json）",
    429: "请求过于频繁，请稍后再试",
}


class BadRequest(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Params:
    """Query parameters, each given at most once and of bounded length."""

    values: dict[str, str]

    @classmethod
    def read(cls, allowed: set[str]) -> Params:
        values = {}
        for key in request.args:
            if key not in allowed:
                raise BadRequest(key, f"未知参数 {key}（可用参数：{', '.join(sorted(allowed)) or '无'}）")
            given = request.args.getlist(key)
            if len(given) > 1:
                raise BadRequest(
                    key, f"参数 {key} 重复出现了 {len(given)} 次，只能给一次（多个代码请用逗号分隔）"
                )
            if len(given[0]) > MAX_PARAM_LENGTH:
                raise BadRequest(key, f"参数 {key} 过长（超过 {MAX_PARAM_LENGTH} 个字符）")
            values[key] = given[0]
        return cls(values)

    def year(self, dims: Dimensions) -> int:
        raw = self.values.get("year")
        if raw is None or raw == "":
            raise BadRequest("year", "缺少参数 year（年度，例如 year=2024）")
        if not re.fullmatch(YEAR_PATTERN, raw):
            raise BadRequest("year", f"参数 year 必须是四位年份数字，收到 {raw[:20]!r}")
        year = int(raw)
        if year not in dims.years:
            held = "、".join(str(y) for y in dims.years) or "无"
            raise BadRequest("year", f"参数 year={year} 没有数据（库中年度：{held}）")
        return year

    def filters(self, dims: Dimensions) -> Filters:
        """The year, departments and townships asked for, each checked against the store."""
        return Filters(
            year=self.year(dims),
            departments=self.codes("department", dims.department_codes()),
            townships=self.codes("township", dims.township_codes()),
        )

    def codes(self, name: str, known: set[str]) -> tuple[str, ...]:
        """Codes separated by commas, exactly as the document's pattern says: no blanks, no empty items."""
        raw = self.values.get(name)
        if raw is None:
            return ()
        if raw == "":
            raise BadRequest(name, f"参数 {name} 为空")
        codes = raw.split(",")
        if len(codes) > MAX_CODES:
            raise BadRequest(name, f"参数 {name} 最多 {MAX_CODES} 个代码")
        unknown = [c for c in codes if c not in known]
        if unknown:
            shown = "、".join(repr(c[:20]) for c in unknown[:5])
            raise BadRequest(name, f"参数 {name} 含未知代码：{shown}（多个代码用逗号分隔，不留空格）")
        return tuple(codes)


def _error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


def answers_in_json(path: str) -> bool:
    """Paths whose errors are JSON: the API (any path under /api/) and Dash's callback endpoint."""
    return path == "/api" or path.startswith("/api/") or path.endswith(guard.ENDPOINT)


def register(server: Flask, engine: Engine) -> None:
    bp = Blueprint(BLUEPRINT, __name__, url_prefix=PREFIX)

    @bp.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest):
        return _error(400, exc.message, exc.parameter)

    @bp.get("/openapi.json")
    def openapi():
        # Imported here: the document imports this module's limits.
        from dashboard.openapi import document

        Params.read(set())
        with engine.connect() as conn:
            dims = dimensions(conn)
        return jsonify(document(dims))

    @bp.get("/dimensions")
    def get_dimensions():
        Params.read(set())
        with engine.connect() as conn:
            dims = dimensions(conn)
        return jsonify(
            {
                "years": dims.years,
                "departments": [{"code": d["code"], "name": d["name"]} for d in dims.departments],
                "townships": [
                    {"code": t["code"], "name": t["name"], "kind": t["kind"]} for t in dims.townships
                ],
            }
        )

    @bp.get("/indicators")
    def get_indicators():
        params = Params.read({"area"})
        area = _area(params)
        return jsonify(
            {
                "areas": [{"code": k, "name": v} for k, v in catalog.AREAS.items()],
                "indicators": [indicator_json(i) for i in catalog.load().values() if area in (None, i.area)],
            }
        )

    @bp.get("/values")
    def get_values():
        return jsonify(values_json(engine, Params.read({"year", "department", "township", "area"})))

    server.register_blueprint(bp)
    _install_errors(server)


def _install_errors(server: Flask) -> None:
    # Dash's page router answers every GET it does not know with its HTML shell, and other methods with a
    # 405 naming GET; under /api/ there is no page, so a path no API route has is a 404 for every method.
    api_paths = {
        rule.rule for rule in server.url_map.iter_rules() if rule.endpoint.startswith(BLUEPRINT + ".")
    }

    @server.before_request
    def _unknown_api_path():
        path = request.path
        if (path == "/api" or path.startswith("/api/")) and path not in api_paths:
            return _error(404, MESSAGES[404].format(path=path[:200]))
        return None

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        template = MESSAGES.get(status)
        message = template.format(path=request.path[:200], method=request.method) if template else exc.name
        if answers_in_json(request.path):
            response = jsonify({"error": message})
        else:
            response = Response(message, content_type="text/plain; charset=utf-8")
        response.status_code = status
        # Headers the status depends on (Allow with a 405, Retry-After) are kept; the body is ours.
        for key, value in exc.get_headers():
            if key.lower() != "content-type":
                response.headers[key] = value
        return response

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):
        server.logger.exception("unhandled error on %s", request.path)
        if answers_in_json(request.path):
            return _error(500, "服务器内部错误，请稍后再试")
        return Response("服务器内部错误，请稍后再试。", status=500, content_type="text/plain; charset=utf-8")


def values_json(engine: Engine, params: Params) -> dict:
    """The figures for the year and filters ``params`` ask for (a BadRequest names a wrong one)."""
    with engine.connect() as conn:
        filters = params.filters(dimensions(conn))
        area = _area(params)
        values = [f.to_dict() for f in figures(conn, filters, area=area)]
        demo = get_meta(conn, "demo") == "true"
    return {
        "year": filters.year,
        "demo": demo,
        "filters": {
            "department": list(filters.departments),
            "township": list(filters.townships),
            "area": area,
        },
        "values": values,
    }


def _area(params: Params) -> str | None:
    area = params.values.get("area")
    if area is not None and area not in catalog.AREAS:
        raise BadRequest("area", f"参数 area 未知：{area[:20]!r}（可用：{', '.join(catalog.AREAS)}）")
    return area


def indicator_json(ind: catalog.Indicator) -> dict:
    """An indicator as the API shows it (dashboard/openapi.py describes exactly these fields)."""
    return {
        "code": ind.code,
        "area": ind.area,
        "name": ind.name,
        "unit": ind.unit,
        "definition": ind.definition,
        "responsible": ind.responsible,
        "period": ind.period,
        "direction": ind.direction,
        "target": ind.target,
        "applies": {"department": ind.applies_department, "township": ind.applies_township},
        "visibility": ind.visibility,
        "source": ind.source_kind,
        "numerator": ind.numerator,
        "denominator": ind.denominator,
    }
