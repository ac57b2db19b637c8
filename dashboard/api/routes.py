"""The read-only JSON API under /api/v1, on the Dash app's Flask server.

Every parameter is checked against an allow-list before it reaches the query layer; anything wrong is a 400
with ``{"error": ...}`` naming the parameter, never a 500. Every other answer under /api/ (an unknown path, a
method a route does not take, a body too large) is JSON too; dashboard/api/openapi.py describes all of them.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from dashboard.api import alerts as api_alerts
from dashboard.api import imports as api_imports
from dashboard.api import records as api_records
from dashboard.api import supervisions as api_supervisions
from dashboard.api.openapi import document
from dashboard.api.shapes import PREFIX, indicator_json
from dashboard.config import Config
from dashboard.jobs import Jobs
from dashboard.pages.data import routes as data_routes
from dashboard.web import guard
from dashboard.web.auth import current_scope, refusal_status
from dashboard.web.params import MAX_PARAM_LENGTH, BadRequest, Params
from dashboard.web.permissions import SIGN_IN, refuse_under, requires
from data import catalog
from data.access import Action, Forbidden
from data.queries.dimensions import dimensions
from data.queries.figures import figures
from data.store import get_meta

BLUEPRINT = "api_v1"
# re-exported: the OpenAPI document and the tests read the limit from here
__all__ = ["MAX_PARAM_LENGTH", "PREFIX", "register"]

# What an HTTP error says, in the interface's language (Werkzeug's descriptions are English).
MESSAGES = {
    400: "请求有误",
    401: SIGN_IN,
    403: "无权访问",
    404: "没有这个地址：{path}",
    405: "{path} 不支持 {method} 方法",
    413: f"请求体过大（上限 {guard.MAX_BODY_BYTES // (1024 * 1024)} MB）",
    415: "请求体必须是 JSON（Content-Type: application/json）",
    429: "请求过于频繁，请稍后再试",
}


def _error(status: int, message: str, parameter: str | None = None) -> tuple[Response, int]:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return jsonify(body), status


def api_refusal(action: Action) -> str:
    """What the API says to a reader who may not do ``action``."""
    if action is Action.UPLOAD:
        return data_routes.upload_refused(data_routes.actor())
    if action is Action.REPLY and current_scope().signed_in:
        return "只有被督办单位的负责人和录入员可以回复督办"
    return SIGN_IN if not current_scope().signed_in else "无权执行此操作"


def register(server: Flask, engine: Engine, cfg: Config, jobs: Jobs) -> None:
    bp = Blueprint(BLUEPRINT, __name__, url_prefix=PREFIX)
    # the routes declare their action (dashboard/web/permissions.py); refused, they answer in the API's JSON
    refuse_under(server, PREFIX, lambda action: _error(refusal_status(), api_refusal(action)))

    @bp.errorhandler(BadRequest)
    def _bad_request(exc: BadRequest):
        return _error(400, exc.message, exc.parameter)

    @bp.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        # Nobody signed in: 401, so that a client knows to send its token; signed in but not allowed: 403.
        return _error(refusal_status(), str(exc))

    @bp.get("/openapi.json")
    @requires(Action.READ_FIGURES)
    def openapi():
        Params.read(set())
        with engine.connect() as conn:
            dims = dimensions(conn)
        return jsonify(document(dims))

    @bp.get("/dimensions")
    @requires(Action.READ_FIGURES)
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
    @requires(Action.READ_FIGURES)
    def get_indicators():
        params = Params.read({"area"})
        area = _area(params)
        scope = current_scope()
        shown = [i for i in catalog.load().values() if area in (None, i.area) and scope.sees(i)]
        return jsonify(
            {
                "areas": [{"code": k, "name": v} for k, v in catalog.AREAS.items()],
                "indicators": [indicator_json(i) for i in shown],
            }
        )

    @bp.get("/values")
    @requires(Action.READ_FIGURES)
    def get_values():
        return jsonify(values_json(engine, Params.read({"year", "department", "township", "area"})))

    api_records.register(bp, engine)
    api_alerts.register(bp, engine)
    api_imports.register(bp, engine, cfg, jobs)
    api_supervisions.register(bp, engine, cfg)
    server.register_blueprint(bp)
    _install_errors(server)


def _install_errors(server: Flask) -> None:
    # Dash's page router answers every GET it does not know with its HTML shell, and other methods with a
    # 405 naming GET; under /api/ there is no page, so a path no API route has is a 404 for every method.
    # The API's paths, whatever the method (a known path with a wrong method is a 405, below); rules with a
    # variable (/imports/<int:batch_id>) match by their converters.
    # With their methods: Dash's catch-all page route takes GET (and so OPTIONS and HEAD) on every path, so
    # Flask's own Allow for /api/v1/imports named GET, which the API does not have, and a GET there was a page.
    api_paths = Map(
        [
            Rule(rule.rule, methods=rule.methods, endpoint=rule.endpoint)
            for rule in server.url_map.iter_rules()
            if rule.endpoint.startswith(BLUEPRINT + ".")
        ],
        converters=server.url_map.converters,
    ).bind("api")

    @server.before_request
    def _unknown_api_path():
        path = request.path
        if path == "/api" or path.startswith("/api/"):
            methods = api_paths.allowed_methods(path)
            if not methods:
                return _error(404, MESSAGES[404].format(path=path[:200]))
            allow = ", ".join(sorted(set(methods) | {"OPTIONS"}))
            if request.method == "OPTIONS":
                return Response(status=200, headers={"Allow": allow})
            # Only where Flask routed the request to a page (Dash's catch-all): a method no route takes is
            # Flask's own 405 after the other checks (a body too large is a 413 first).
            routed_elsewhere = request.routing_exception is None and not (request.endpoint or "").startswith(
                BLUEPRINT + "."
            )
            if request.method not in methods and routed_elsewhere:
                response, status = _error(405, MESSAGES[405].format(path=path[:200], method=request.method))
                response.status_code = status
                response.headers["Allow"] = allow
                return response
        return None

    @server.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        template = MESSAGES.get(status)
        message = template.format(path=request.path[:200], method=request.method) if template else exc.name
        if status == 413:
            # the upload routes take files up to their own limit (guard.install), the form around the file
            # besides: the limit named there is the file's, as the data page states it
            limit = (request.max_content_length or 0) / (1024 * 1024)
            if request.path in (data_routes.UPLOAD_PATH, api_imports.PATH):
                limit = server.config["DASHBOARD"].max_upload_mb
            message = f"请求体过大（上限 {limit:g} MB）"
        if guard.answers_in_json(request.path):
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
        if guard.answers_in_json(request.path):
            return _error(500, "服务器内部错误，请稍后再试")
        return Response("服务器内部错误，请稍后再试。", status=500, content_type="text/plain; charset=utf-8")


def values_json(engine: Engine, params: Params) -> dict:
    """The figures for the year and filters ``params`` ask for (a BadRequest names a wrong one)."""
    with engine.connect() as conn:
        filters = params.filters(dimensions(conn), current_scope())
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
