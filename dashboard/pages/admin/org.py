"""The organisation (/admin/org), for admins: every department and township with its state (in force, ended on,
merged into), the organisation workbook's upload (data/org_import.py checks every row; any error changes
nothing and every error is listed), and the forms that end a unit or merge one into another. Each change is
audited by data/org.py or data/org_import.py with the admin's name, as the CLI's are with none.

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
from data import org, org_import, org_workbook
from data.access import Action
from data.imports.headers import Refused
from data.store import begin_write
from layouts.paths import ORG_END_PATH, ORG_MERGE_PATH, ORG_PATH, ORG_UPLOAD_PATH

# A multipart body carries its fields and boundaries besides the file.
MULTIPART_OVERHEAD = 64 * 1024
BAD_DAY = "日期应为 YYYY-MM-DD 格式，例如 2025-01-01"
NOTICES = {
    "imported": "已导入组织机构：新增 {added} 个单位，修改 {changed} 个，{unchanged} 个无变化",
    "ended": "已撤销 {name}",
    "merged": "已合并：{name}并入{into}，{moved} 个账号已转过去",
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise org.OrgError(BAD_DAY) from None


def _org_page(engine: Engine, status: int = 200, **context: Any) -> Response:
    with engine.connect() as conn:
        units = org.units(conn)
        district = org.district_name(conn)
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
        **context,
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
                for k in ("added", "changed", "unchanged", "moved", "name", "into")
            }
        )
    except (KeyError, IndexError):
        return None


def _done(code: str, **values: Any) -> Response:
    return redirect(f"{ORG_PATH}?{urlencode({'ok': code, **values})}", code=303)


def _import(engine: Engine) -> Response:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _org_page(engine, 400, errors=["请选择组织机构工作簿（.xlsx）"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.xlsx"
        upload.save(path)
        try:
            rows, problems = org_workbook.read_workbook(path, upload.filename)
        except Refused as exc:
            return _org_page(engine, 400, errors=[str(exc)])
    actor = current_account().username
    with begin_write(engine) as conn:
        plan = org_import.plan_import(conn, rows, problems)
        if not plan.errors:
            org_import.apply_import(conn, plan, actor=actor, file_name=upload.filename[:200])
    if plan.errors:
        return _org_page(engine, 400, errors=[e["message"] for e in plan.errors], file_name=upload.filename)
    return _done("imported", added=len(plan.added), changed=len(plan.changed), unchanged=plan.unchanged)


def register(server: Flask, engine: Engine) -> None:
    """Under /admin/: users.register's gate and hooks (admins only, a browser's session for changes) cover it."""

    @server.get(ORG_PATH)
    @requires(Action.ADMIN)
    def admin_org():
        return _org_page(engine, notice=_notice())

    @server.post(ORG_UPLOAD_PATH)
    @requires(Action.ADMIN)
    def admin_org_upload():
        request.max_content_length = org_workbook.MAX_FILE_BYTES + MULTIPART_OVERHEAD
        return _import(engine)

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
            return _org_page(engine, 400, failure=str(exc), form="end", typed=dict(form))
        return _done("ended", name=unit.name)

    @server.post(ORG_MERGE_PATH)
    @requires(Action.ADMIN)
    def admin_org_merge():
        form = request.form
        old, new = form.get("old", ""), form.get("new", "")
        try:
            with begin_write(engine) as conn:
                moved = org.merge_units(conn, old, new, _day(form.get("on", "")), current_account().username)
                names = {u.code: u.name for u in org.units(conn)}
        except org.OrgError as exc:
            return _org_page(engine, 400, failure=str(exc), form="merge", typed=dict(form))
        return _done("merged", name=names[old], into=names[new], moved=moved)
