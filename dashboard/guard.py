"""A gate in front of Dash's callback endpoint: requests that do not match a registered callback get a 400.

Dash runs whatever a client posts; a forged body (unknown output, outputs or inputs that do not match the
callback, a list where an object belongs) reaches Dash's dispatcher and ends in a 500. Callbacks check the
values themselves; this checks the shape, against the callbacks the app registered.
"""

from __future__ import annotations

from typing import Any

from dash import Dash
from flask import jsonify, request

ENDPOINT = "/_dash-update-component"


def _same(declared: list[dict], given: Any, what: str) -> str | None:
    if not isinstance(given, list) or len(given) != len(declared):
        return f"{what} 与回调定义不符"
    for want, got in zip(declared, given, strict=True):
        if isinstance(want["id"], dict) or str(want["id"]).startswith("{"):
            # Pattern-matching ids arrive as an object (MATCH) or a list of objects (ALL).
            if not isinstance(got, (dict, list)):
                return f"{what} 与回调定义不符"
            continue
        if (
            not isinstance(got, dict)
            or got.get("id") != want["id"]
            or _prop(got.get("property")) != _prop(want["property"])
        ):
            return f"{what} 与回调定义不符"
    return None


def _prop(name: object) -> object:
    # Outputs registered with allow_duplicate carry "@<hash>" after the property name.
    return name.split("@", 1)[0] if isinstance(name, str) else name


def _outputs(key: str) -> list[dict]:
    parts = key.strip(".").split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        out.append({"id": component, "property": prop})
    return out


def problem(app: Dash, body: Any) -> str | None:
    """What is wrong with a callback request body, or None when it matches a registered callback."""
    if not isinstance(body, dict):
        return "请求体必须是 JSON 对象"
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return "没有这个回调"
    spec = app.callback_map[output]
    declared_outputs = _outputs(output)
    outputs = body.get("outputs")
    if output.startswith(".."):
        issue = _same(declared_outputs, outputs, "outputs")
    else:
        issue = _same(declared_outputs, [outputs], "outputs")
    return (
        issue
        or _same(spec.get("inputs", []), body.get("inputs"), "inputs")
        or _same(spec.get("state", []), body.get("state", []), "state")
    )


def install(app: Dash) -> None:
    server = app.server

    @server.before_request
    def _check_callback_request():
        if request.path.endswith(ENDPOINT) and request.method == "POST":
            issue = problem(app, request.get_json(silent=True))
            if issue:
                return jsonify({"error": issue}), 400
        return None
