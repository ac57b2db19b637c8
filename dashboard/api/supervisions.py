"""GET /api/v1/supervisions: the follow-ups (督办) the caller may see; POST /api/v1/supervisions/{id}/replies: the
unit's reply, with attachments, from a business system or a script with the unit's token.

Scope and rights are data/supervision.py's: a unit's token lists and answers its own unit's follow-ups only; a
follow-up of another unit is a 404, as one that does not exist. A refused reply is a 4xx with ``{"error": ...}``
and nothing is kept.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.pages.supervise import forms
from dashboard.pages.supervise.routes import supervision_url, who
from dashboard.web.auth import current_scope
from dashboard.web.params import BadRequest, Params
from dashboard.web.permissions import requires
from data import supervision as sv
from data import supervision_changes as changes
from data.access import Action
from data.store import begin_write
from data.supervision_files import ACCEPTED, MAX_FILES, Refused
from layouts.paths import (
    API_PREFIX,
    API_SUPERVISION_REPLIES_PATH,
    API_SUPERVISIONS_PATH,
    SUPERVISION_FILE_PATH,
)

# under the blueprint's prefix
LIST_RULE = API_SUPERVISIONS_PATH.removeprefix(API_PREFIX)
REPLIES_RULE = API_SUPERVISION_REPLIES_PATH.removeprefix(API_PREFIX)
FLAGS = ("0", "1")


def supervision_json(item: sv.Supervision) -> dict[str, Any]:
    """A follow-up as the API shows it (dashboard/api/schemas.py describes exactly these fields)."""
    return {
        "id": item.id,
        "indicator": {"code": item.indicator_code, "name": item.indicator_name},
        "unit": {"kind": item.unit_kind, "code": item.unit_code, "name": item.unit_name},
        "due": item.due.isoformat(),
        "request": item.request,
        "raised_by": item.raised_by,
        "raised_at": item.raised_at.isoformat(),
        "state": item.state.value,
        "state_text": item.label,
        "overdue": item.overdue(),
        "updated_at": item.updated_at.isoformat(),
        "closed_at": item.closed_at.isoformat() if item.closed_at else None,
        "url": supervision_url(item.id),
    }


def entry_json(item: sv.Supervision, entry: sv.Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "author": entry.author,
        "at": entry.at.isoformat(),
        "text": entry.text,
        "attachments": [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "size": a.size,
                "sha256": a.sha256,
                "url": supervision_url(item.id, SUPERVISION_FILE_PATH, a.id),
            }
            for a in entry.attachments
        ],
    }


def _error(status: int, message: str):
    return jsonify({"error": message}), status


def register(bp: Blueprint, engine: Engine, cfg: Config) -> None:
    @bp.get(LIST_RULE)
    # anyone signed in, within their scope (a visitor is asked to sign in)
    @requires(Action.READ_ROWS)
    def supervisions_get():
        params = Params.read({"open"})
        flag = params.values.get("open", "0")
        if flag not in FLAGS:
            raise BadRequest("open", f"参数 open 只能是 0 或 1，当前为 {flag[:20]!r}")
        with engine.connect() as conn:
            found = sv.listing(conn, current_scope(), open_only=flag == "1")
        return jsonify({"supervisions": [supervision_json(s) for s in found]})

    @bp.post(REPLIES_RULE)
    @requires(Action.REPLY)
    def supervision_replies_post(supervision_id: int):
        Params.read(set())
        body = request.get_json(silent=True) if request.is_json else None
        if request.is_json and not isinstance(body, dict):
            return _error(400, '请求体应为 JSON 对象 {"text": "回复内容"}')
        text = body.get("text") if body is not None else request.form.get("text")
        if not isinstance(text, str):
            return _error(400, "缺少回复内容 text（字符串）")
        me = who()
        try:
            with engine.connect() as conn:
                item = sv.get(conn, supervision_id, me.scope)
            if not sv.may_reply(me, item):
                raise sv.NotAllowed(f"只有{item.unit_name}的负责人和录入员可以回复这条督办")
            changes.clean_text(text, "回复内容")
            files = forms.take_files(request.files.getlist("files"), cfg) if body is None else []
            with begin_write(engine) as conn:
                changes.reply(conn, me, supervision_id, text, files)
                item = sv.get(conn, supervision_id, me.scope)
        except sv.NotFound as exc:
            return _error(404, str(exc))
        except sv.NotAllowed as exc:
            return _error(403, str(exc))
        except (sv.SupervisionError, Refused) as exc:
            return _error(400, str(exc))
        return jsonify(
            {"supervision": supervision_json(item), "reply": entry_json(item, item.entries[-1])}
        ), 201


# --- the OpenAPI description (dashboard/api/openapi.py takes these in) ---------------------------------------------


def _strings(*names: str) -> dict[str, dict]:
    return {name: {"type": "string"} for name in names}


def _closed(properties: dict[str, Any]) -> dict:
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def schemas() -> dict[str, dict]:
    nullable = {"type": ["string", "null"]}
    attachment = _closed(
        {
            "id": {"type": "integer"},
            **_strings("name", "kind"),
            "size": {"type": "integer"},
            **_strings("sha256", "url"),
        }
    )
    return {
        "Supervisions": _closed(
            {"supervisions": {"type": "array", "items": {"$ref": "#/components/schemas/Supervision"}}}
        ),
        "Supervision": _closed(
            {
                "id": {"type": "integer"},
                "indicator": _closed(_strings("code", "name")),
                "unit": _closed(
                    {"kind": {"type": "string", "enum": list(sv.UNIT_KINDS)}, **_strings("code", "name")}
                ),
                "due": {"type": "string", "format": "date"},
                "request": {"type": "string"},
                "raised_by": nullable,
                "raised_at": {"type": "string", "format": "date-time"},
                "state": {"type": "string", "enum": [s.value for s in sv.State]},
                "state_text": {"type": "string", "enum": list(sv.STATES.values())},
                "overdue": {"type": "boolean", "description": "未办结且已过截止日期"},
                "updated_at": {"type": "string", "format": "date-time"},
                "closed_at": {"type": ["string", "null"], "format": "date-time"},
                "url": {"type": "string", "description": "督办页面"},
            }
        ),
        "SupervisionReply": _closed(
            {
                "supervision": {"$ref": "#/components/schemas/Supervision"},
                "reply": _closed(
                    {
                        "id": {"type": "integer"},
                        "kind": {"type": "string", "enum": list(sv.ENTRY_KINDS)},
                        "author": nullable,
                        "at": {"type": "string", "format": "date-time"},
                        "text": {"type": "string"},
                        "attachments": {"type": "array", "items": attachment},
                    }
                ),
            }
        ),
    }


def paths(errors: dict[str, dict]) -> dict[str, dict]:
    """The two operations, with ``errors`` (the API's shared error responses) besides their own."""
    ref = lambda name, kind="schemas": {"$ref": f"#/components/{kind}/{name}"}  # noqa: E731
    json = lambda text, schema: {"description": text, "content": {"application/json": {"schema": schema}}}  # noqa: E731
    text = {"type": "string", "minLength": 1, "maxLength": changes.MAX_TEXT, "description": "回复内容"}
    form = {
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": text,
            "files": {
                "type": "array",
                "maxItems": MAX_FILES,
                "items": {"type": "string", "format": "binary"},
                "description": f"附件（可选）：{ACCEPTED}；按内容检查类型，每个不超过 DASHBOARD_MAX_ATTACHMENT_MB",
            },
        },
    }
    return {
        API_SUPERVISIONS_PATH: {
            "get": {
                "summary": "督办事项（按调用者的范围：领导看全部，单位只看本单位的）",
                "operationId": "getSupervisions",
                "parameters": [
                    {
                        "name": "open",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": list(FLAGS)},
                    }
                ],
                "responses": {
                    "200": json("督办事项：未办结的在前，截止日期早的在前", ref("Supervisions")),
                    **errors,
                },
            }
        },
        API_SUPERVISIONS_PATH + "/{id}/replies": {
            "post": {
                "summary": "被督办单位回复（可附文件），需要本单位负责人或录入员的令牌",
                "operationId": "postSupervisionReply",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {"schema": form},
                        "application/json": {
                            "schema": {"type": "object", "required": ["text"], "properties": {"text": text}}
                        },
                    },
                },
                "responses": {
                    "201": json("已回复：督办事项及这条回复", ref("SupervisionReply")),
                    "403": ref("Forbidden", "responses"),
                    **errors,
                },
                "security": [{"token": []}, {"session": []}],
            }
        },
    }
