"""The filters every query takes, and how they become WHERE clauses on the summary table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, true

from data.catalog import Indicator


@dataclass(frozen=True)
class Filters:
    """A year, and the departments and townships to keep (empty: all)."""

    year: int
    departments: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    # An in-year view (first to last month, inclusive); None: the whole period of each indicator.
    months: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        # Sorted, de-duplicated tuples make equal filters equal, so they serve as cache keys.
        object.__setattr__(self, "departments", tuple(sorted(set(self.departments))))
        object.__setattr__(self, "townships", tuple(sorted(set(self.townships))))

    def uses_department(self, ind: Indicator) -> bool:
        return bool(self.departments) and ind.applies_department

    def uses_township(self, ind: Indicator) -> bool:
        return bool(self.townships) and ind.applies_township

    def month_range(self, ind: Indicator) -> tuple[int, int]:
        first, last = ind.months
        if self.months:
            first, last = max(first, self.months[0]), min(last, self.months[1])
        return first, last


def where(
    table: Table, filters: Filters, ind: Indicator, years: tuple[int, ...] | None = None
) -> ColumnElement[bool]:
    """The year (or ``years``), month range and the filters that apply to ``ind``, on a table with those columns."""
    first, last = filters.month_range(ind)
    years = years or (filters.year,)
    clauses = [table.c.year == years[0] if len(years) == 1 else table.c.year.in_(years)]
    if (first, last) != (1, 12):
        clauses.append(table.c.month.between(first, last))
    if filters.uses_department(ind):
        clauses.append(table.c.department_code.in_(filters.departments))
    if filters.uses_township(ind):
        clauses.append(table.c.township_code.in_(filters.townships))
    return and_(true(), *clauses)
