"""GET /api/v1/alerts: the warnings (预警) of a year under the caller's scope (data/alerts.py says whose), with
the numbers that raised each; ``department`` or ``township`` (one code each) narrows them to that unit."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import Engine

from dashboard.web.auth import current_scope
from dashboard.web.params import BadRequest, Params
from dashboard.web.permissions import requires
from data import alert_rules, alerts, catalog
from data.access import Action
from data.queries.dimensions import dimensions
from data.store import get_meta
from layouts.paths import API_ALERTS

PATH = API_ALERTS
PARAMETERS = {"year", "department", "township"}


def register(bp: Blueprint, engine: Engine) -> None:
    @bp.get(PATH)
    @requires(Action.READ_FIGURES)
    def get_alerts():
        params = Params.read(PARAMETERS)
        with engine.connect() as conn:
            dims = dimensions(conn)
            year = params.year(dims)
            department = _one(params, "department", dims.department_codes())
            township = _one(params, "township", dims.township_codes())
            found = alerts.alerts_in(conn, current_scope(), year, department, township)
            demo = get_meta(conn, "demo") == "true"
        return jsonify(
            {
                "year": year,
                "demo": demo,
                "filters": {"department": department, "township": township},
                "alerts": [a.to_dict() for a in found],
            }
        )


def _one(params: Params, name: str, known: set[str]) -> str | None:
    codes = params.codes(name, known)
    if len(codes) > 1:
        raise BadRequest(name, f"参数 {name} 只能给一个代码")
    return codes[0] if codes else None


STRING = {"type": "string"}


def _object(properties: dict, **extra: object) -> dict:
    # as dashboard/api/schemas.py writes them (which imports this module for the two below)
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }


def single(parameter: dict) -> dict:
    """The shared department/township parameter, for one code only (its pattern's repetition removed)."""
    schema = dict(parameter["schema"])
    if "pattern" in schema:
        schema["pattern"] = schema["pattern"].rsplit("(?:,", 1)[0] + "$"
    about = parameter["description"].split("，多个")[0] + "（一个代码）"
    return {
        **parameter,
        "schema": schema,
        "description": about,
        "example": parameter["example"].split(",")[0],
    }


def schema() -> dict:
    numbers = {
        "type": "object",
        "description": "引发预警的数字：value 实际值、target 目标值、expected 序时目标、previous 上年同期值、"
        "change 同比变化（% 或百分点）、rank/members 名次与参与比较的单位数、overdue 超期件数、limit_days 期限天数、"
        "as_of 统计截至日期",
    }
    return _object(
        {
            "year": {"type": "integer"},
            "indicator_code": {"enum": list(catalog.load())},
            "indicator_name": STRING,
            "unit_kind": {"enum": list(alert_rules.UNIT_KINDS)},
            "unit_code": {"type": ["string", "null"], "description": "单位代码；全区为 null"},
            "unit_name": STRING,
            "level": {"enum": list(alert_rules.LEVELS)},
            "colour": {"enum": list(alert_rules.LEVELS.values())},
            "since": {"type": "string", "format": "date", "description": "首次发出预警的日期"},
            "numbers": numbers,
            "rule_id": {"enum": list(alert_rules.declared())},
            "rule_name": STRING,
            "message": {**STRING, "description": "一句中文说明"},
        }
    )


def list_schema() -> dict:
    return _object(
        {
            "year": {"type": "integer"},
            "demo": {"type": "boolean"},
            "filters": _object(
                {"department": {"type": ["string", "null"]}, "township": {"type": ["string", "null"]}}
            ),
            "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}},
        },
        description="红色在前，全区的在各单位之前；读者只看到自己范围内的（部门负责人：全区和本部门）",
    )
