"""The organisation (/admin/org), for admins: every department and township with its state (in force, ended on,
merged into), the organisation workbook's upload (data/org_import.py checks every row; any error changes
nothing and every error is listed), the forms that end a unit or merge one into another, the district's name
(`dashboard district --name`) and the reporting duties (`dashboard reporting duty set|unset`). Each change is
audited by data/org.py, data/org_import.py or data/reporting.py with the admin's name, as the CLI's are with
none, and refused with the CLI's own sentences.

Like the other admin pages: no script, Post/Redirect/Get, a refusal re-renders the page with status 400.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from sqlalchemy import Engine

from dashboard.pages.admin.users import page
from dashboard.web.auth import current_account
from dashboard.web.permissions import requires
from data import org, org_import, org_workbook, reorganise, reporting
from data.access import Action
from data.imports.headers import Refused
from data.registers import REGISTERS
from data.schema_district import DEFAULT_DUE_DAY, DUE_DAYS
from data.store import begin_write
from layouts.paths import (
    ORG_DISTRICT_PATH,
    ORG_DUTY_PATH,
    ORG_DUTY_REMOVE_PATH,
    ORG_END_PATH,
    ORG_MERGE_PATH,
    ORG_PATH,
    ORG_UPLOAD_PATH,
)

# A multipart body carries its fields and boundaries besides the file.
MULTIPART_OVERHEAD = 64 * 1024
BAD_DAY = "日期应为 YYYY-MM-DD 格式，例如 2025-01-01"
NOTICES = {
    "imported": "已导入组织机构：新增 {added} 个单位，修改 {changed} 个，{unchanged} 个无变化",
    "ended": "已撤销 {name}",
    "merged": "已合并：{name}并入{into}，{moved} 个账号已转过去",
    "merged_taking": "已合并：{name}并入{into}，{moved} 个账号已转过去，原由它负责的 {indicators} 个指标改由{into}负责",
    "named": "本区名称已改为 {name}",
    "duty": "{name}每月报送“{register}”，次月 {day} 日前",
    "unduty": "已删除 {name}报送“{register}”的责任",
}
# A refusal in these forms: the page again, status 400, the sentence on top and what was typed kept.
Refusal = (org.OrgError, reporting.ReportingError)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise org.OrgError(BAD_DAY) from None


def _org_page(engine: Engine, report_day: int, status: int = 200, **context: Any) -> Response:
    with engine.connect() as conn:
        units = org.units(conn)
        district = org.district_name(conn)
        duties = reporting.duties(conn)
    names = {u.code: u.name for u in units}
    return page(
        "admin_org.html",
        status,
        units=units,
        in_force=[u for u in units if u.valid_to is None],
        names=names,
        district=district,
        kinds=org_workbook.KIND_LABEL,
        day_zh=org.day_zh,
        template_name=org_workbook.TEMPLATE_NAME,
        max_mb=org_workbook.MAX_FILE_BYTES // (1024 * 1024),
        duties=duties,
        registers={name: r.label for name, r in REGISTERS.items()},
        due_days=DUE_DAYS,
        report_day=report_day,
        max_name=org.MAX_DISTRICT_NAME,
        **{"typed": {}} | context,
    )


def _notice() -> str | None:
    # only digits and unit names the page itself put there; anything else in the query string shows nothing
    template = NOTICES.get(request.args.get("ok", ""))
    if template is None:
        return None
    try:
        return template.format(
            **{
                k: request.args.get(k, "")[:80]
                for k in (
                    "added",
                    "changed",
                    "unchanged",
                    "moved",
                    "indicators",
                    "name",
                    "into",
                    "register",
                    "day",
                )
            }
        )
    except (KeyError, IndexError):
        return None


def _done(code: str, **values: Any) -> Response:
    return redirect(f"{ORG_PATH}?{urlencode({'ok': code, **values})}", code=303)


def _import(engine: Engine, report_day: int) -> Response:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _org_page(engine, report_day, 400, errors=["请选择组织机构工作簿（.xlsx）"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.xlsx"
        upload.save(path)
        try:
            rows, problems = org_workbook.read_workbook(path, upload.filename)
        except Refused as exc:
            return _org_page(engine, report_day, 400, errors=[str(exc)])
    actor = current_account().username
    with begin_write(engine) as conn:
        plan = org_import.plan_import(conn, rows, problems)
        if not plan.errors:
            org_import.apply_import(conn, plan, actor=actor, file_name=upload.filename[:200])
    if plan.errors:
        return _org_page(
            engine, report_day, 400, errors=[e["message"] for e in plan.errors], file_name=upload.filename
        )
    return _done("imported", added=len(plan.added), changed=len(plan.changed), unchanged=plan.unchanged)


def register(server: Flask, engine: Engine, report_day: int = DEFAULT_DUE_DAY) -> None:
    """Under /admin/: users.register's gate and hooks (admins only, a browser's session for changes, the
    cross-site check) cover it. ``report_day``: DASHBOARD_REPORT_DAY, the day a duty naming none is due."""

    @server.get(ORG_PATH)
    @requires(Action.ADMIN)
    def admin_org():
        return _org_page(engine, report_day, notice=_notice())

    @server.post(ORG_UPLOAD_PATH)
    @requires(Action.ADMIN)
    def admin_org_upload():
        request.max_content_length = org_workbook.MAX_FILE_BYTES + MULTIPART_OVERHEAD
        return _import(engine, report_day)

    @server.post(ORG_END_PATH)
    @requires(Action.ADMIN)
    def admin_org_end():
        form = request.form
        try:
            with begin_write(engine) as conn:
                unit = org.end_unit(
                    conn, form.get("code", ""), _day(form.get("on", "")), current_account().username
                )
        except org.OrgError as exc:
            return _org_page(engine, report_day, 400, failure=str(exc), form="end", typed=dict(form))
        return _done("ended", name=unit.name)

    @server.post(ORG_MERGE_PATH)
    @requires(Action.ADMIN)
    def admin_org_merge():
        form = request.form
        old, new = form.get("old", ""), form.get("new", "")
        try:
            with begin_write(engine) as conn:
                merged = reorganise.merge(
                    conn, old, new, _day(form.get("on", "")), current_account().username
                )
                names = {u.code: u.name for u in org.units(conn)}
        except org.OrgError as exc:
            return _org_page(engine, report_day, 400, failure=str(exc), form="merge", typed=dict(form))
        code = "merged_taking" if merged.indicators else "merged"
        return _done(
            code, name=names[old], into=names[new], moved=merged.accounts, indicators=len(merged.indicators)
        )

    @server.post(ORG_DISTRICT_PATH)
    @requires(Action.ADMIN)
    def admin_org_district():
        name = request.form.get("name", "")
        try:
            with begin_write(engine) as conn:
                org.set_district_name(conn, name, current_account().username)
        except org.OrgError as exc:
            return _org_page(engine, report_day, 400, failure=str(exc), form="district", typed={"name": name})
        return _done("named", name=name.strip())

    @server.post(ORG_DUTY_PATH)
    @requires(Action.ADMIN)
    def admin_org_duty():
        form = request.form
        try:
            day = reporting.due_day_from(form.get("day", ""))
            with begin_write(engine) as conn:
                duty = reporting.set_duty(
                    conn, form.get("unit", ""), form.get("register", ""), day, current_account().username
                )
        except Refusal as exc:
            return _org_page(engine, report_day, 400, failure=str(exc), form="duty", typed=dict(form))
        shown_day = duty.due_day or report_day
        return _done("duty", name=duty.unit_name, register=duty.register_label, day=shown_day)

    @server.post(ORG_DUTY_REMOVE_PATH)
    @requires(Action.ADMIN)
    def admin_org_duty_remove():
        unit, register = request.form.get("unit", ""), request.form.get("register", "")
        try:
            with begin_write(engine) as conn:
                reporting.unset_duty(conn, unit, register, current_account().username)
                name = org.by_code(conn)[unit].name
        except Refusal as exc:
            return _org_page(engine, report_day, 400, failure=str(exc), form="duty")
        return _done("unduty", name=name, register=REGISTERS[register].label)
