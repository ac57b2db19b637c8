"""The indicator catalog as the district has it (/admin/catalog), for admins and leaders (Action.EDIT_CATALOG):
every indicator by area with its display name, visibility, responsible department and district targets by year;
the form that edits one indicator (?code=…), and the 撤销 of its last change. data/catalog_edits.py checks every
value (targets as data/targets.py does) and audits each change with the editor's name, as the CLI's with none.

Like the other admin pages: no script, Post/Redirect/Get, a refusal re-renders the page with status 400.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from sqlalchemy import Engine

from dashboard.pages.admin.users import page
from dashboard.web.auth import current_account
from dashboard.web.permissions import requires
from data import catalog, catalog_changes, catalog_edits
from data.access import Action
from data.schema_catalog_edits import MAX_DISPLAY_NAME
from data.store import begin_write
from layouts.paths import CATALOG_EDIT_PATH, CATALOG_PATH, CATALOG_UNDO_PATH

NOTICES = {
    "saved": "已保存“{name}”的修改",
    "unchanged": "“{name}”没有变化",
    "undone": "已撤销“{name}”的上一次修改",
}
# A year's target is typed into a field of this name (target_2026); a year not yet listed into these two.
TARGET_FIELD = "target_"
NEW_YEAR, NEW_VALUE = "new_year", "new_value"


def _years(held: list[int]) -> list[int]:
    """The years the page offers targets for: those with data or a target, and the year after the last."""
    last = max(held) if held else date.today().year
    return sorted({*held, last + 1})


def _catalog_page(engine: Engine, status: int = 200, code: str | None = None, **context: Any) -> Response:
    with engine.connect() as conn:
        entries = catalog_edits.entries(conn)
        years = _years(catalog_edits.target_years(conn))
        departments = catalog_edits.in_force_departments(conn)
    chosen = next((e for e in entries if e.ind.code == code), None)
    return page(
        "admin_catalog.html",
        status,
        areas=catalog.AREAS,
        entries=entries,
        years=years,
        departments=departments,
        visibilities=catalog.VISIBILITY_LABEL,
        chosen=chosen,
        max_name=MAX_DISPLAY_NAME,
        number=_number,
        **context,
    )


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _notice() -> str | None:
    # only an indicator's name the page itself put there; anything else in the query string shows nothing
    template = NOTICES.get(request.args.get("ok", ""))
    return template.format(name=request.args.get("name", "")[:MAX_DISPLAY_NAME]) if template else None


def _done(outcome: str, name: str) -> Response:
    return redirect(f"{CATALOG_PATH}?{urlencode({'ok': outcome, 'name': name})}", code=303)


def _given(form: Any) -> dict[str, Any]:
    """What the edit form sent, as data/catalog_edits.check takes it (a field not sent is left as it is)."""
    given: dict[str, Any] = {k: form[k] for k in catalog_edits.FIELDS if k in form}
    targets = {k[len(TARGET_FIELD) :]: v for k, v in form.items() if k.startswith(TARGET_FIELD)}
    if form.get(NEW_YEAR, "").strip():
        targets[form[NEW_YEAR].strip()] = form.get(NEW_VALUE, "")
    elif form.get(NEW_VALUE, "").strip():
        targets[""] = form[NEW_VALUE]
    if targets:
        given["targets"] = targets
    return given


def _edit(engine: Engine) -> Response:
    form = request.form
    code = form.get("code", "")
    if code not in catalog.read():
        return _catalog_page(engine, 400, failure=f"没有代码为 {code[:64]} 的指标")
    try:
        with begin_write(engine) as conn:
            _, after = catalog_changes.save(conn, code, _given(form), current_account().username)
            name = catalog_edits.state(conn, code)["display_name"]
    except catalog_edits.EditError as exc:
        return _catalog_page(engine, 400, code=code, failure=str(exc), typed=dict(form))
    return _done("saved" if after else "unchanged", name)


def _undo(engine: Engine) -> Response:
    code = request.form.get("code", "")
    if code not in catalog.read():
        return _catalog_page(engine, 400, failure=f"没有代码为 {code[:64]} 的指标")
    try:
        with begin_write(engine) as conn:
            catalog_changes.undo(conn, code, current_account().username)
            name = catalog_edits.state(conn, code)["display_name"]
    except catalog_edits.EditError as exc:
        return _catalog_page(engine, 400, failure=str(exc))
    return _done("undone", name)


def register(server: Flask, engine: Engine) -> None:
    """Under /admin/: users.register's hooks cover it, and let leaders in here (Action.EDIT_CATALOG)."""

    @server.get(CATALOG_PATH)
    @requires(Action.EDIT_CATALOG)
    def admin_catalog():
        return _catalog_page(engine, code=request.args.get("code"), notice=_notice())

    @server.post(CATALOG_EDIT_PATH)
    @requires(Action.EDIT_CATALOG)
    def admin_catalog_edit():
        return _edit(engine)

    @server.post(CATALOG_UNDO_PATH)
    @requires(Action.EDIT_CATALOG)
    def admin_catalog_undo():
        return _undo(engine)
