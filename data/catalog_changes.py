"""Changing the district's catalog (data/catalog_edits.py reads and checks it): one step per change of one
indicator, its before and after in the audit log and the edit history; :func:`undo` takes back the last step of
an indicator not yet taken back, and is itself audited.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from data import catalog
from data.accounts.audit import record
from data.catalog_edits import (
    FIELDS,
    EditError,
    State,
    check,
    default_department,
    department_names,
    file_indicator,
    state,
)
from data.schema_catalog_edits import indicator_edit, indicator_edit_log
from data.schema_district import WHOLE_DISTRICT, indicator_target
from data.store import bump_data_version


def diff(before: State, after: State) -> tuple[State, State]:
    """Only what changed, on each side (targets by year; a year without a target is None)."""
    old: State = {k: before[k] for k in FIELDS if before[k] != after[k]}
    new: State = {k: after[k] for k in FIELDS if before[k] != after[k]}
    years = sorted(set(before["targets"]) | set(after["targets"]))
    changed = [y for y in years if before["targets"].get(y) != after["targets"].get(y)]
    if changed:
        old["targets"] = {y: before["targets"].get(y) for y in changed}
        new["targets"] = {y: after["targets"].get(y) for y in changed}
    return old, new


def _write(conn: Connection, ind: catalog.Indicator, st: State, departments: dict) -> None:
    """Store ``st``: an edit row holding only what differs from the file, and the district's targets."""
    default = default_department(ind, departments)
    values = {
        "display_name": st["display_name"] if st["display_name"] != ind.name else None,
        "visibility": st["visibility"] if st["visibility"] != ind.visibility else None,
        "department_code": st["department"] if st["department"] and st["department"] != default else None,
    }
    conn.execute(delete(indicator_edit).where(indicator_edit.c.indicator_code == ind.code))
    if any(v is not None for v in values.values()):
        conn.execute(insert(indicator_edit).values(indicator_code=ind.code, **values))
    where = (indicator_target.c.indicator_code == ind.code, indicator_target.c.unit_code == WHOLE_DISTRICT)
    conn.execute(delete(indicator_target).where(*where))
    if st["targets"]:
        rows = [
            {"indicator_code": ind.code, "year": int(y), "unit_code": WHOLE_DISTRICT, "value": v}
            for y, v in st["targets"].items()
        ]
        conn.execute(insert(indicator_target), rows)


def save(
    conn: Connection,
    code: str,
    given: dict[str, Any],
    actor: str | None = None,
    planned: dict[str, str] | None = None,
) -> tuple[State, State]:
    """Apply ``given`` to one indicator, in the caller's transaction: (before, after) of what changed, both
    empty when nothing did. Refuses (EditError, every problem in one line) a change with any bad value.
    ``planned``: the visibilities of the other indicators the same change gives (see catalog_edits.check)."""
    departments = department_names(conn)
    after, problems = check(conn, code, given, departments, planned)
    if problems:
        raise EditError("；".join(f"{p.label}“{p.value}”：{p.reason}" for p in problems))
    return _apply(conn, code, after, departments, actor)


def _apply(
    conn: Connection, code: str, after: State, departments: dict, actor: str | None
) -> tuple[State, State]:
    ind = file_indicator(code)
    before = state(conn, code)
    old, new = diff(before, after)
    if not new and not old:
        return {}, {}
    _write(conn, ind, after, departments)
    conn.execute(
        insert(indicator_edit_log).values(
            indicator_code=code,
            at=datetime.now(UTC),
            actor=actor,
            before=json.dumps(before, ensure_ascii=False),
            after=json.dumps(after, ensure_ascii=False),
            undone=False,
        )
    )
    record(conn, "catalog_edited", actor=actor, subject=code, name=ind.name, before=old, after=new)
    bump_data_version(conn)
    return old, new


def undo(conn: Connection, code: str, actor: str | None = None) -> tuple[State, State]:
    """Take back the last change of ``code`` not yet taken back: what it changed returns to its value before
    (what it did not change, such as a target set since from the command line, stays). Audited."""
    ind = file_indicator(code)
    last = conn.execute(
        select(indicator_edit_log)
        .where(indicator_edit_log.c.indicator_code == code, indicator_edit_log.c.undone.is_(False))
        .order_by(indicator_edit_log.c.id.desc())
        .limit(1)
    ).first()
    if last is None:
        raise EditError(f"“{ind.name}”没有可以撤销的修改")
    old, new = diff(json.loads(last.before), json.loads(last.after))
    current = state(conn, code)
    restored = {**current, **{k: v for k, v in old.items() if k != "targets"}}
    targets = dict(current["targets"])
    for year, value in old.get("targets", {}).items():
        if value is None:
            targets.pop(year, None)
        else:
            targets[year] = value
    restored["targets"] = dict(sorted(targets.items()))
    if restored["visibility"] != current["visibility"]:
        # the visibility it returns to is checked as a new one: a rate or its part may have changed since
        _, problems = check(conn, code, {"visibility": restored["visibility"]})
        if problems:
            raise EditError(f"“{ind.name}”的修改不能撤销：" + "；".join(p.reason for p in problems))
    departments = department_names(conn)
    _write(conn, ind, restored, departments)
    conn.execute(update(indicator_edit_log).where(indicator_edit_log.c.id == last.id).values(undone=True))
    was, now = diff(current, restored)
    record(
        conn, "catalog_undone", actor=actor, subject=code, name=ind.name, before=was, after=now, step=last.id
    )
    bump_data_version(conn)
    return was, now
