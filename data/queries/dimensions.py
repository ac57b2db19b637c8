"""The dimensions the filters choose from: years with data, departments, townships.

Besides the stored members, each dimension has one member that stands for the register rows that name none:
a row with no township was handled at district level (the service hall, the reconsideration office), one with
no department was not handled by a district department (a dispute settled by a township's or a village's
mediators). They are listed, split and filtered like any other member, so that the members of a split always
add up to the district's figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from data.schema import REGISTERS, calendar, department, township


@dataclass(frozen=True)
class Unassigned:
    """The member for rows whose ``column`` is empty; its code is reserved (no stored member may take it)."""

    column: str
    code: str
    name: str

    @property
    def possible(self) -> bool:
        """Whether any register may hold such rows (the column is nullable wherever it exists)."""
        return any(t.c[self.column].nullable for t in REGISTERS.values() if self.column in t.c)


# The codes start with "_", which no stored code does (they are letters), so they cannot collide.
DISTRICT_LEVEL = Unassigned("township_code", "_district", "区本级")
# Not "未明确部门": these rows are not incomplete, they were handled outside the district's departments.
NO_DEPARTMENT = Unassigned("department_code", "_none", "未归属部门")
UNASSIGNED: dict[str, Unassigned] = {u.column: u for u in (DISTRICT_LEVEL, NO_DEPARTMENT)}


@dataclass(frozen=True)
class Dimensions:
    years: list[int]
    departments: list[dict[str, str]]
    townships: list[dict[str, str]]

    def department_codes(self) -> set[str]:
        return {d["code"] for d in self.departments}

    def township_codes(self) -> set[str]:
        return {t["code"] for t in self.townships}

    def names(self) -> dict[str, str]:
        """Every department's and township's name by its code, in one table (a department and a township that
        shared a code would shadow each other: the demo's and the report's codes never do)."""
        return {m["code"]: m["name"] for m in [*self.departments, *self.townships]}


def dimensions(conn: Connection) -> Dimensions:
    """Years, departments and townships in their display order; the members for rows that name none are
    listed whenever the schema allows such rows (always, today), whether or not the store holds any yet."""
    years = [int(y) for y in conn.scalars(select(calendar.c.year).distinct().order_by(calendar.c.year))]
    departments = [
        {"code": code, "name": name, "short_name": short}
        for code, name, short in conn.execute(
            select(department.c.code, department.c.name, department.c.short_name).order_by(
                department.c.sort, department.c.code
            )
        )
    ]
    townships = [
        {"code": code, "name": name, "kind": kind}
        for code, name, kind in conn.execute(
            select(township.c.code, township.c.name, township.c.kind).order_by(
                township.c.sort, township.c.code
            )
        )
    ]
    # 区本级 comes first, as in the report's tables; rows without a department are the remainder, last.
    if DISTRICT_LEVEL.possible:
        townships.insert(
            0, {"code": DISTRICT_LEVEL.code, "name": DISTRICT_LEVEL.name, "kind": DISTRICT_LEVEL.name}
        )
    if NO_DEPARTMENT.possible:
        departments.append(
            {"code": NO_DEPARTMENT.code, "name": NO_DEPARTMENT.name, "short_name": NO_DEPARTMENT.name}
        )
    return Dimensions(years=years, departments=departments, townships=townships)
