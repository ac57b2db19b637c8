"""GET /api/v1/records: the register rows behind a figure, under the caller's scope, a page at a time.

Pages are read by keyset (data/queries/records.py): each answer carries the cursor of the next page, an opaque
string that names the last row sent and its place in the list, so page 1000 costs what page 1 costs.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from flask import Blueprint, jsonify
from sqlalchemy import Engine

from dashboard.web.auth import current_scope
from dashboard.web.params import BadRequest, Params
from dashboard.web.permissions import SIGN_IN, requires
from data import catalog
from data.access import Action, Forbidden
from data.queries.dimensions import dimensions
from data.queries.records import MAX_PAGE_SIZE, Key, block, has_records
from layouts.paths import API_RECORDS

PATH = API_RECORDS
DEFAULT_LIMIT = 100
LIMIT_PATTERN = r"^[0-9]{1,6}$"
PARAMETERS = {"code", "year", "department", "township", "after", "limit"}
# A cursor names the last row sent (its date as a day number, its id) and its place in the list: three numbers,
# so that every string the document's pattern allows is a cursor the API accepts (out-of-range parts are clipped:
# a made-up cursor reads some page of the caller's own rows, never anything else).
CURSOR_PATTERN = r"^[0-9]{1,7}\.[0-9]{1,18}\.[0-9]{1,15}$"
MAX_CURSOR = 42


def encode_cursor(key: Key, position: int) -> str:
    return f"{key[0].toordinal()}.{int(key[1])}.{position}"


def decode_cursor(text: str) -> tuple[Key, int]:
    """The row a cursor names and its place in the list; a BadRequest for text that is not a cursor."""
    if not re.fullmatch(CURSOR_PATTERN, text):
        raise BadRequest("after", "参数 after 不是本接口给出的游标（请使用上一页返回的 next）")
    day, row_id, position = (int(part) for part in text.split("."))
    day = min(max(day, 1), date.max.toordinal())
    return (date.fromordinal(day), row_id), position


def _limit(params: Params) -> int:
    """Rows per page: the number asked for, within 1 and MAX_PAGE_SIZE (a larger one gets a full page)."""
    raw = params.values.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(LIMIT_PATTERN, raw):
        raise BadRequest("limit", f"参数 limit 必须是整数（每页行数，1 到 {MAX_PAGE_SIZE}）")
    return min(max(int(raw), 1), MAX_PAGE_SIZE)


def _code(params: Params) -> str:
    code = params.values.get("code")
    if not code:
        raise BadRequest("code", "缺少参数 code（指标代码，见 /api/v1/indicators）")
    cat = catalog.load()
    if code not in cat or cat[code].source_kind == "reported":
        raise BadRequest("code", f"参数 code 不是有登记明细的指标：{code[:40]!r}")
    return code


def _json_value(value: object) -> object:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def records_json(engine: Engine, params: Params) -> dict:
    """One page of the rows behind ``code`` that the caller may read (Forbidden: 401 or 403)."""
    scope = current_scope()
    if not scope.reads_rows:
        raise Forbidden(SIGN_IN)
    code = _code(params)
    limit = _limit(params)
    after = params.values.get("after")
    key, position = decode_cursor(after) if after is not None else (None, 0)
    with engine.connect() as conn:
        filters = params.filters(dimensions(conn), scope)
        scope.check_filter(filters.departments, filters.townships)
        if not has_records(code, scope):
            # the figure exists and has rows, but it or one of its parts is not the caller's to read
            raise Forbidden(f"无权查看指标“{catalog.load()[code].name}”的明细")
        page = block(conn, code, filters, position, limit, after=key)
    end = page.start + len(page.rows)
    following = encode_cursor(page.last_key, end) if page.rows and end < page.total else None
    return {
        "code": code,
        "register": page.register,
        "year": filters.year,
        "filters": {"department": list(filters.departments), "township": list(filters.townships)},
        "total": page.total,
        "columns": page.columns,
        "rows": [{c: _json_value(v) for c, v in row.items()} for row in page.rows],
        "next": following,
    }


def register(bp: Blueprint, engine: Engine) -> None:
    @bp.get(PATH)
    @requires(Action.READ_ROWS)
    def get_records():
        return jsonify(records_json(engine, Params.read(PARAMETERS)))
