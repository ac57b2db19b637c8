"""The filters every query takes, and how they become WHERE clauses on the summary table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Table, and_, or_, true

from data.access import ANONYMOUS, Scope
from data.catalog import Indicator
from data.queries.dimensions import UNASSIGNED
from data.schema import department, township

# At most this many department (and as many township) codes in one filter: the API refuses more, the desk's
# callbacks ignore a filter with more and the browser keeps the first ones of a link (it reads this from the page).
MAX_CODES = 100
# A year is four digits, in an API query and in the desk's filters alike.
YEAR_PATTERN = r"^[0-9]{4}$"
YEARS = range(10_000)
# The longest code the store can hold (department and township codes alike).
CODE_LENGTH = max(department.c.code.type.length, township.c.code.type.length)


def is_code(value: object) -> bool:
    """Whether ``value`` could be a stored department or township code: short printable text (a NUL byte, for one,
    cannot even be sent to PostgreSQL)."""
    return isinstance(value, str) and 0 < len(value) <= CODE_LENGTH and value.isprintable()


@dataclass(frozen=True)
class Filters:
    """A year, the departments and townships to keep (empty: all), and who is reading.

    ``scope`` is the reader's (data/access.py), set on the server from the session or token; by default the
    anonymous visitor's, so that a caller who forgets it shows less, never more. It is part of the filters'
    text, so cached panels are kept apart by what their readers may see.
    """

    year: int
    departments: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    # An in-year view (first to last month, inclusive); None: the whole period of each indicator.
    months: tuple[int, int] | None = None
    scope: Scope = ANONYMOUS

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
        clauses.append(members(table.c.department_code, filters.departments))
    if filters.uses_township(ind):
        clauses.append(members(table.c.township_code, filters.townships))
    return and_(true(), *clauses)


def members(column: Column, codes: tuple[str, ...]) -> ColumnElement[bool]:
    """``column`` is one of ``codes``, where the code of the rows that name no member means NULL."""
    unassigned = UNASSIGNED[column.name].code
    named = [c for c in codes if c != unassigned]
    clauses = [column.in_(named)] if named else []
    if unassigned in codes:
        clauses.append(column.is_(None))
    return or_(*clauses)
