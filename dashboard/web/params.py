"""The query parameters of the API and the downloads: each given once, of bounded length, checked against an
allow-list and the store before it reaches the query layer; anything wrong is a BadRequest naming it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import request

from data.access import Scope
from data.queries.dimensions import Dimensions
from data.queries.filters import MAX_CODES, YEAR_PATTERN, Filters

MAX_PARAM_LENGTH = 2000
# What an API caller is told while the store holds no published data (a district that has only run `dashboard init`).
NO_DATA_YET = "库中还没有已发布的数据（先导入本区的组织机构，再导入并发布登记数据或报告数字）"


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
        """The year asked for, which must be one the store holds data for."""
        raw = self.values.get("year")
        if raw is None or raw == "":
            raise BadRequest("year", "缺少参数 year（年度，例如 year=2024）")
        if not re.fullmatch(YEAR_PATTERN, raw):
            raise BadRequest("year", f"参数 year 必须是四位年份数字，收到 {raw[:20]!r}")
        year = int(raw)
        if not dims.years:
            raise BadRequest("year", f"参数 year={year} 没有数据：{NO_DATA_YET}")
        if year not in dims.years:
            held = "、".join(str(y) for y in dims.years) or "无"
            raise BadRequest("year", f"参数 year={year} 没有数据（库中年度：{held}）")
        return year

    def filters(self, dims: Dimensions, scope: Scope) -> Filters:
        """The year, departments and townships asked for, each checked against the store; ``scope`` is the
        reader's, from the session or token (dashboard/web/auth.py)."""
        return Filters(
            year=self.year(dims),
            departments=self.codes("department", dims.department_codes()),
            townships=self.codes("township", dims.township_codes()),
            scope=scope,
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
