"""The catalog as a district edits it: per indicator, its display name, who may see it (public, internal,
restricted, as the catalog file has it), the department responsible (a code of data/org.py) and its district
targets by year (data/targets.py's table), over the values of the catalog file (data/catalog.py).

The edits live in the store (data/schema_catalog_edits.py); :func:`refresh` puts them over the file in
``catalog.load()`` whenever a request or a command opens the store, so the desk, the wall, decks, reports, the
API and ``Scope.sees`` all follow one edit. This module reads the edits and checks a proposed one (the rule
that ties a rate's visibility to its parts' is data/catalog_visibility.py's); writing it, auditing it and
undoing it are data/catalog_changes.py's, which /admin/catalog and ``dashboard catalog import`` both go through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from data import catalog
from data.catalog_visibility import VISIBILITY_BY_LABEL, rate_problems
from data.schema import calendar, department
from data.schema_catalog_edits import MAX_DISPLAY_NAME, indicator_edit, indicator_edit_log
from data.schema_district import WHOLE_DISTRICT, indicator_target
from data.targets import TargetError, check_value

# What a change may touch, and how people call it (page, workbook, messages).
FIELDS: dict[str, str] = {"display_name": "显示名称", "visibility": "可见性", "department": "责任部门"}

State = dict[str, Any]  # {"display_name", "visibility", "department": code or "", "targets": {"2026": 95.0}}


class EditError(Exception):
    """A change refused, in one Chinese sentence; nothing was changed."""


@dataclass(frozen=True)
class Problem:
    """One refused value: the field (a key of FIELDS, or ``target:YEAR``), what was given, why."""

    field: str
    value: str
    reason: str

    @property
    def label(self) -> str:
        if self.field.startswith("target:"):
            return f"目标（{self.field[7:]}）"
        return FIELDS.get(self.field, self.field)


@dataclass(frozen=True)
class Entry:
    """One indicator as the district has it, with the file's values beside it."""

    ind: catalog.Indicator  # the file's
    state: State
    department_name: str  # the responsible department as shown: the chosen one's name, else the file's
    can_undo: bool

    @property
    def edited(self) -> set[str]:
        """The fields that differ from the file's."""
        base = self.ind
        out = set()
        if self.state["display_name"] != base.name:
            out.add("display_name")
        if self.state["visibility"] != base.visibility:
            out.add("visibility")
        if self.department_name != base.responsible:
            out.add("department")
        return out


# --- putting the edits over the catalog ------------------------------------------------------------------------


def refresh(conn: Connection) -> bool:
    """Read the store's edits and put them over the catalog file in ``catalog.load()``; whether they changed."""
    rows = conn.execute(
        select(
            indicator_edit.c.indicator_code,
            indicator_edit.c.display_name,
            indicator_edit.c.visibility,
            department.c.name,
        ).outerjoin(department, department.c.code == indicator_edit.c.department_code)
    )
    edits: dict[str, dict[str, str]] = {}
    for code, name, visibility, responsible in rows:
        fields = {"name": name, "visibility": visibility, "responsible": responsible}
        edits[code] = {k: v for k, v in fields.items() if v}
    return catalog.use_edits(edits)


# --- reading ---------------------------------------------------------------------------------------------------


def department_names(conn: Connection) -> dict[str, tuple[str, bool]]:
    """Every department's code -> (name, in force)."""
    rows = conn.execute(select(department.c.code, department.c.name, department.c.valid_to))
    return {code: (name, valid_to is None) for code, name, valid_to in rows}


def default_department(ind: catalog.Indicator, departments: dict[str, tuple[str, bool]]) -> str:
    """The code of the department the file names as responsible (by name), or "" when the store has none such."""
    return next((code for code, (name, _) in departments.items() if name == ind.responsible), "")


def _targets(conn: Connection, code: str | None = None) -> dict[str, dict[str, float]]:
    query = select(
        indicator_target.c.indicator_code, indicator_target.c.year, indicator_target.c.value
    ).where(indicator_target.c.unit_code == WHOLE_DISTRICT)
    if code is not None:
        query = query.where(indicator_target.c.indicator_code == code)
    out: dict[str, dict[str, float]] = {}
    for c, year, value in conn.execute(query.order_by(indicator_target.c.year)):
        out.setdefault(c, {})[str(year)] = float(value)
    return out


def _state(
    ind: catalog.Indicator, edit: Any, departments: dict[str, tuple[str, bool]], targets: dict[str, float]
) -> State:
    return {
        "display_name": (edit.display_name if edit is not None else None) or ind.name,
        "visibility": (edit.visibility if edit is not None else None) or ind.visibility,
        "department": (edit.department_code if edit is not None else None)
        or default_department(ind, departments),
        "targets": dict(targets),
    }


def file_indicator(code: str) -> catalog.Indicator:
    ind = catalog.read().get(code)
    if ind is None:
        raise EditError(f"没有代码为 {code} 的指标（指标目录见 /api/v1/indicators）")
    return ind


def state(conn: Connection, code: str) -> State:
    ind = file_indicator(code)
    edit = conn.execute(select(indicator_edit).where(indicator_edit.c.indicator_code == code)).first()
    return _state(ind, edit, department_names(conn), _targets(conn, code).get(code, {}))


def entries(conn: Connection) -> list[Entry]:
    """Every indicator of the file, in its order, as the district has it."""
    departments = department_names(conn)
    edits = {r.indicator_code: r for r in conn.execute(select(indicator_edit))}
    targets = _targets(conn)
    undoable = set(
        conn.scalars(
            select(indicator_edit_log.c.indicator_code).where(indicator_edit_log.c.undone.is_(False))
        )
    )
    out = []
    for code, ind in catalog.read().items():
        st = _state(ind, edits.get(code), departments, targets.get(code, {}))
        chosen = departments.get(st["department"])
        out.append(Entry(ind, st, chosen[0] if chosen else ind.responsible, code in undoable))
    return out


def target_years(conn: Connection) -> list[int]:
    """The years the catalog workbook and the page show targets for: those with data, and those with a target."""
    held = set(conn.scalars(select(calendar.c.year).distinct()))
    held |= set(conn.scalars(select(indicator_target.c.year).distinct()))
    return sorted(int(y) for y in held)


def in_force_departments(conn: Connection) -> list[tuple[str, str]]:
    """(code, name) of the departments a responsibility may be given to, in the organisation's order."""
    rows = conn.execute(
        select(department.c.code, department.c.name)
        .where(department.c.valid_to.is_(None))
        .order_by(department.c.sort, department.c.code)
    )
    return [(code, name) for code, name in rows]


# --- checking --------------------------------------------------------------------------------------------------


def check(
    conn: Connection,
    code: str,
    given: dict[str, Any],
    departments=None,
    planned: dict[str, str] | None = None,
) -> tuple[State, list[Problem]]:
    """``given`` (any of FIELDS as text, "targets" as {year text: value text}, a blank value: none) over the
    indicator's current state: the state it would have, and every problem with it. ``planned``: visibilities
    other indicators are given in the same change (a catalog workbook), {code: value}."""
    ind = file_indicator(code)
    departments = department_names(conn) if departments is None else departments
    new = state(conn, code)
    problems: list[Problem] = []
    if "display_name" in given:
        name = str(given["display_name"] or "").strip()
        if len(name) > MAX_DISPLAY_NAME or (name and not name.isprintable()):
            problems.append(
                Problem("display_name", name, f"显示名称应为不超过 {MAX_DISPLAY_NAME} 个字的文字")
            )
        new["display_name"] = name or ind.name
    if "visibility" in given:
        raw = str(given["visibility"] or "").strip()
        value = VISIBILITY_BY_LABEL.get(raw, raw) or ind.visibility
        if value not in catalog.VISIBILITIES:
            allowed = "、".join(catalog.VISIBILITY_LABEL.values())
            problems.append(Problem("visibility", raw, f"可见性应为 {allowed} 之一"))
        else:
            over = {**(planned or {}), code: value}
            problems += [Problem("visibility", raw, why) for why in rate_problems(conn, code, over)]
        new["visibility"] = value
    if "department" in given:
        raw = str(given["department"] or "").strip()
        known = departments.get(raw)
        if raw and known is None:
            problems.append(
                Problem("department", raw, f"没有代码为 {raw} 的部门（dashboard org list 查看全部单位）")
            )
        elif raw and not known[1] and raw != new["department"]:
            problems.append(Problem("department", raw, f"部门 {known[0]}（{raw}）已撤销或并入其他部门"))
        new["department"] = raw or default_department(ind, departments)
    if "targets" in given:
        new["targets"] = _check_targets(ind, given["targets"], new["targets"], problems)
    return new, problems


def _check_targets(
    ind: catalog.Indicator, given: dict[str, Any], current: dict[str, float], problems: list[Problem]
) -> dict[str, float]:
    out = dict(current)
    for year_text, raw in given.items():
        field = f"target:{year_text}"
        try:
            year = int(str(year_text).strip())
        except ValueError:
            problems.append(Problem(field, str(year_text), "年度应为四位数字，如 2026"))
            continue
        text = "" if raw is None else str(raw).strip()
        if not text:
            out.pop(str(year), None)
            continue
        try:
            value = float(text.rstrip("%"))
        except ValueError:
            problems.append(Problem(field, text, "目标值应为数字，如 95"))
            continue
        try:
            check_value(ind, value, year)  # the year's range, a finite number, not negative, a rate up to 100
        except TargetError as exc:
            problems.append(Problem(field, text, str(exc)))
            continue
        out[str(year)] = value
    return dict(sorted(out.items()))
