"""The read-only JSON API under /api/v1, on the Dash app's Flask server.

Every parameter is checked against an allow-list before it reaches the query layer; anything wrong is a 400
with ``{"error": ...}`` naming the parameter, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException

from dashboard.openapi import document
from data import catalog
from data.queries.dimensions import Dimensions, dimensions
from data.queries.figures import figures
from data.queries.filters import Filters
from data.store import get_meta

PREFIX = "/api/v1"
MAX_PARAM_LENGTH = 2000
MAX_CODES = 100


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
        if raw is None or raw.strip() == "":
            raise BadRequest("year", "缺少参数 year（年度，例如 year=2024）")
        if not (raw.strip().isascii() and raw.strip().isdigit()) or len(raw.strip()) > 4:
            raise BadRequest("year", f"参数 year 必须是四位年份数字，收到 {raw!r}")
        year = int(raw)
        if year not in dims.years:
            held = "、".join(str(y) for y in dims.years) or "无"
            raise BadRequest("year", f"参数 year={year} 没有数据（库中年度：{held}）")
        return year

    def codes(self, name: str, known: set[str]) -> tuple[str, ...]:
        raw = self.values.get(name)
        if raw is None:
            return ()
        codes = [c.strip() for c in raw.split(",") if c.strip()]
        if not codes:
            raise BadRequest(name, f"参数 {name} 为空")
        if len(codes) > MAX_CODES:
            raise BadRequest(name, f"参数 {name} 最多 {MAX_CODES} 个代码")
        unknown = [c for c in codes if c not in known]
        if unknown:
            shown = "、".join(repr(c) for c in unknown[:5])
            raise BadRequest(name, f"参数 {name} 含未知代码：{shown}")
        return tuple(codes)


def _error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


def register(server: Flask, engine: Engine) -> None:
    bp = Blueprint("api_v1", __name__, url_prefix=PREFIX)

    @bp.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest):
        return _error(400, exc.message, exc.parameter)

    @bp.get("/openapi.json")
    def openapi():
        Params.read(set())
        return jsonify(document())

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
                "indicators": [_indicator_json(i) for i in catalog.load().values() if area in (None, i.area)],
            }
        )

    @bp.get("/values")
    def get_values():
        params = Params.read({"year", "department", "township", "area"})
        with engine.connect() as conn:
            dims = dimensions(conn)
            filters = Filters(
                year=params.year(dims),
                departments=params.codes("department", dims.department_codes()),
                townships=params.codes("township", dims.township_codes()),
            )
            area = _area(params)
            values = [f.to_dict() for f in figures(conn, filters, area=area)]
            demo = get_meta(conn, "demo") == "true"
        return jsonify(
            {
                "year": filters.year,
                "demo": demo,
                "filters": {
                    "department": list(filters.departments),
                    "township": list(filters.townships),
                    "area": area,
                },
                "values": values,
            }
        )

    # Dash's page router answers every other path with its HTML shell; an unknown API path is a JSON 404.
    @bp.get("/<path:_rest>")
    def unknown(_rest: str):
        return _error(404, f"没有这个接口：{request.path}")

    server.register_blueprint(bp)

    # Errors anywhere under /api/ answer in JSON, including routes that do not exist.
    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith(PREFIX + "/") or request.path == PREFIX:
            return _error(exc.code or 500, exc.description or exc.name)
        return exc

    @server.errorhandler(Exception)
    def _unexpected(exc: Exception):
        server.logger.exception("unhandled error on %s", request.path)
        if request.path.startswith(PREFIX + "/"):
            return _error(500, "服务器内部错误，请稍后再试")
        return Response("服务器内部错误，请稍后再试。", status=500, mimetype="text/plain; charset=utf-8")


def _area(params: Params) -> str | None:
    area = params.values.get("area")
    if area is not None and area not in catalog.AREAS:
        raise BadRequest("area", f"参数 area 未知：{area!r}（可用：{', '.join(catalog.AREAS)}）")
    return area


def _indicator_json(ind: catalog.Indicator) -> dict:
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
