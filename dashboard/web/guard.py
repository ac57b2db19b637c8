"""Gates in front of Dash's routes: a callback request must match a registered server callback, a request body
has a size limit, and only the routes the page needs are served (no dev tools, no MCP, no guessed files).

Dash runs whatever a client posts; a forged body (unknown output, outputs or inputs that do not match the
callback, a list where an object belongs, bookkeeping fields of the wrong type, values nested thousands deep)
reaches Dash's dispatcher and ends in a 500. Callbacks check the values themselves; this checks the shape,
against the callbacks the app registered, and bounds the values so that no callback sees what JSON cannot
carry back (integers past 64 bits, nesting deeper than any component property).
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from dash._utils import stringify_id
from dash.fingerprint import check_fingerprint
from flask import Response, jsonify, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

ENDPOINT = "/_dash-update-component"
# What Dash's renderer fetches as JSON besides callbacks: an error or a refusal there must be JSON too.
DASH_DATA_PATHS = ("/_dash-layout", "/_dash-dependencies")


def answers_in_json(path: str) -> bool:
    """Paths whose errors and refusals are JSON: the API (any path under /api/) and what Dash's renderer
    fetches (callbacks, the layout, the dependencies); everything else is a page, an asset or a download."""
    return path == "/api" or path.startswith("/api/") or path.endswith(ENDPOINT) or path in DASH_DATA_PATHS


SUITES = "/_dash-component-suites/"
# Larger bodies are refused (413) before anything reads them; a callback request is a few kilobytes.
MAX_BODY_BYTES = 4 * 1024 * 1024
# No component property of the desk nests deeper than a handful of levels (plotly's clickData: 4).
MAX_DEPTH = 32
INT64 = range(-(2**63), 2**63)
# Dash's own routes the page uses; any other path under "/_" (hot reload, dev tools, MCP...) is not served.
DASH_ROUTES = ("/_dash-layout", "/_dash-dependencies", ENDPOINT, "/_favicon.ico", SUITES)
ENTRY_KEYS = {"id", "property", "value"}


def _prop(name: object) -> object:
    # Outputs registered with allow_duplicate carry "@<hash>" after the property name.
    return name.split("@", 1)[0] if isinstance(name, str) else name


def _pattern(component_id: str) -> dict | None:
    """The id of a pattern-matching dependency as a dict (wildcards as lists), or None for a plain id."""
    if not component_id.startswith("{"):
        return None
    return json.loads(component_id)


def _id_matches(want: str, got: object) -> bool:
    pattern = _pattern(want)
    if pattern is None:
        return got == want
    if not isinstance(got, dict) or set(got) != set(pattern):
        return False
    for key, expected in pattern.items():
        value = got[key]
        if isinstance(expected, list):  # a wildcard: any scalar
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                return False
        elif value != expected:
            return False
    return True


def _entry(want: dict, got: object, keys: set[str]) -> bool:
    return (
        isinstance(got, dict)
        and {"id", "property"} <= set(got) <= keys
        and isinstance(got["property"], str)
        and _prop(got["property"]) == _prop(want["property"])
        and _id_matches(want["id"], got["id"])
    )


def _wildcard_list(want: dict) -> bool:
    # ALL and ALLSMALLER arrive as a list of entries, MATCH as one entry.
    pattern = _pattern(want["id"])
    return pattern is not None and any(v in (["ALL"], ["ALLSMALLER"]) for v in pattern.values())


def _same(declared: list[dict], given: Any, keys: set[str]) -> bool:
    if not isinstance(given, list) or len(given) != len(declared):
        return False
    for want, got in zip(declared, given, strict=True):
        if _wildcard_list(want):
            if not isinstance(got, list) or not all(_entry(want, g, keys) for g in got):
                return False
        elif not _entry(want, got, keys):
            return False
    return True


def _outputs(key: str) -> list[dict]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        out.append({"id": component, "property": prop})
    return out


def _prop_ids(entries: list) -> set[str]:
    out = set()
    for entry in entries:
        for one in entry if isinstance(entry, list) else [entry]:
            out.add(f"{stringify_id(one['id'])}.{one['property']}")
    return out


def bounded(value: Any) -> str | None:
    """What makes a JSON value unfit for a callback (too deep, an integer past 64 bits), or None."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"取值嵌套超过 {MAX_DEPTH} 层"
        if isinstance(item, int) and not isinstance(item, bool) and item not in INT64:
            return "取值含超过 64 位的整数"
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def problem(app: Dash, body: Any) -> str | None:
    """What is wrong with a callback request body, or None when it matches a registered server callback."""
    if not isinstance(body, dict):
        return "请求体必须是 JSON 对象"
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return "没有这个回调"
    spec = app.callback_map[output]
    if "callback" not in spec:
        return "这个回调在浏览器中运行，服务器上没有"
    declared = _outputs(output)
    outputs = body.get("outputs")
    if not _same(declared, outputs if output.startswith("..") else [outputs], {"id", "property"}):
        return "outputs 与回调定义不符"
    inputs = body.get("inputs")
    if not _same(spec.get("inputs", []), inputs, ENTRY_KEYS):
        return "inputs 与回调定义不符"
    state = body.get("state", [])
    if not _same(spec.get("state", []), state, ENTRY_KEYS):
        return "state 与回调定义不符"
    changed = body.get("changedPropIds", [])
    if (
        not isinstance(changed, list)
        or not all(isinstance(c, str) for c in changed)
        or not set(changed) <= _prop_ids(inputs)
    ):
        return "changedPropIds 与回调的输入不符"
    return bounded([inputs, state])


def _read_body() -> tuple[Any, str | None]:
    try:
        return request.get_json(), None
    except BadRequest:
        return None, "请求体不是有效的 JSON"
    except RecursionError:
        return None, f"取值嵌套超过 {MAX_DEPTH} 层"


def _suite_exists(app: Dash, path: str) -> bool:
    package, _, rest = path[len(SUITES) :].partition("/")
    return bool(rest) and check_fingerprint(rest)[0] in app.registered_paths.get(package, ())


def _not_here() -> Response:
    return Response("没有这个地址。", status=404, content_type="text/plain; charset=utf-8")


def lock_down(app: Dash) -> None:
    """Dev tools off whatever the environment says (DASH_DEBUG, DASH_UI, DASH_HOT_RELOAD... are read when the
    app is built; ``run`` is never called in production, so nothing turns them on again)."""
    # Dash's only switch that ignores the environment (explicit arguments win over DASH_* variables).
    app._setup_dev_tools(
        debug=False,
        ui=False,
        props_check=False,
        serve_dev_bundles=False,
        hot_reload=False,
        silence_routes_logging=False,
        prune_errors=False,
        validate_callbacks=False,
        disable_version_check=True,
    )
    app.server.debug = False


def install(app: Dash, uploads: dict[str, int] | None = None) -> None:
    """``uploads``: the paths that take a file, each with its own body limit (the upload's size); a path with
    a part (``/supervise/<int:supervision_id>/reply``) is named by its rule, as layouts/paths.py declares it."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    uploads = uploads or {}
    lock_down(app)

    @server.before_request
    def _limit_body():
        # MAX_CONTENT_LENGTH only acts when a body is read; refuse a declared large one whoever reads it.
        rule = request.url_rule.rule if request.url_rule is not None else None
        named = uploads.get(request.path, uploads.get(rule, MAX_BODY_BYTES) if rule else MAX_BODY_BYTES)
        limit = named if request.method == "POST" else MAX_BODY_BYTES
        if limit != MAX_BODY_BYTES:
            request.max_content_length = limit
        if (request.content_length or 0) > limit:
            raise RequestEntityTooLarge()
        return None

    @server.before_request
    def _only_needed_routes():
        path = request.path
        if path.startswith("/_") and not path.startswith(DASH_ROUTES):
            return _not_here()
        if path.startswith(SUITES) and not _suite_exists(app, path):
            return _not_here()
        return None

    @server.before_request
    def _check_callback_request():
        if request.path.endswith(ENDPOINT) and request.method == "POST":
            body, issue = _read_body()
            issue = issue or problem(app, body)
            if issue:
                return jsonify({"error": issue}), 400
        return None
