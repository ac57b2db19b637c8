"""The reporting matrix (/data/reporting): units × months of a year, coloured by data/reporting_matrix.py from the
same status as `dashboard reporting status`, with the 催报 list of the latest month already due.

Reviewers (leaders, admins) see every unit; a department head sees their own department's row. Clerks upload but
do not follow the district's reporting, so the page refuses them (the gate under /data lets them in).
"""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, Response, render_template, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.pages.data.routes import actor
from dashboard.web.auth import current_account
from dashboard.web.permissions import requires
from data.access import Action
from data.org import day_zh
from data.reporting_matrix import MONTHS, STATES, matrix
from layouts.paths import DATA_PATH, DATA_SCRIPT_PATH, REPORTING_PATH

# The years the page accepts in ?year=, as the CLI's --month does.
YEARS = range(2000, 2101)


def _message(status: int, heading: str, text: str) -> Response:
    body = render_template(
        "admin_message.html", me=current_account(), data_path=DATA_PATH, heading=heading, text=text
    )
    return Response(body, status=status, mimetype="text/html")


def _year(text: str | None, today: date) -> int | None:
    if not text:
        return today.year
    if not re.fullmatch(r"\d{4}", text) or int(text) not in YEARS:
        return None
    return int(text)


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    @server.get(REPORTING_PATH)
    # UPLOAD lets leaders, admins, department heads and clerks through the gate; the view then sorts them
    @requires(Action.UPLOAD)
    def reporting_matrix():
        who = actor()
        if who is None:  # the gate sends visitors to sign in; kept for a direct call
            return _message(401, "请先登录", "请先登录")
        if not (who.reviewer or who.role == "department"):
            return _message(
                403, "无权查看报送情况", "报送情况只对审核人（领导、管理员）和部门负责人（本部门）开放。"
            )
        today = date.today()
        year = _year(request.args.get("year"), today)
        if year is None:
            wrong = request.args.get("year", "")[:20]
            return _message(
                400,
                "年份不对",
                f"年份应为 {YEARS.start} 到 {YEARS.stop - 1} 之间的四位数字，当前为 {wrong!r}",
            )
        own = None if who.reviewer else (who.department or "")
        with engine.connect() as conn:
            found = matrix(conn, year, today, cfg.report_day, unit_code=own)
        body = render_template(
            "data_reporting.html",
            me=current_account(),
            who=who,
            data_path=DATA_PATH,
            script=DATA_SCRIPT_PATH,
            m=found,
            months=list(MONTHS),
            states=STATES,
            today=day_zh(today),
            day_zh=day_zh,
            default_day=cfg.report_day,
        )
        return Response(body, mimetype="text/html")
