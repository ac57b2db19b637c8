"""The dimensions the filters choose from: years with data, departments, townships."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from data.schema import calendar, department, township


@dataclass(frozen=True)
class Dimensions:
    years: list[int]
    departments: list[dict[str, str]]
    townships: list[dict[str, str]]

    def department_codes(self) -> set[str]:
        return {d["code"] for d in self.departments}

    def township_codes(self) -> set[str]:
        return {t["code"] for t in self.townships}


def dimensions(conn: Connection) -> Dimensions:
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
    return Dimensions(years=years, departments=departments, townships=townships)
