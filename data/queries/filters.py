"""The filters every query takes, and how they become WHERE clauses on the summary table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, true

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

    def whole(self, ind: Indicator) -> bool:
        """Whether ``ind``'s figure under these filters is the district's (no department or township narrows it)."""
        return not (self.uses_department(ind) or self.uses_township(ind))

    def month_range(self, ind: Indicator) -> tuple[int, int]:
        first, last = ind.months
        if self.months:
            first, last = max(first, self.months[0]), min(last, self.months[1])
        return first, last


# The bound form's list values (expanding parameters). Every name it gives starts with f_, so that a statement's
# own parameters (codes, code, column) never clash with the filters'.
_LISTS = ("f_years", "f_departments", "f_townships")


@dataclass(frozen=True)
class Shape:
    """What the filters' WHERE clause tests for one indicator, without the values it tests: which of the month
    range, departments and townships apply, and whether the rows that name no department or township are asked
    for (they are NULL, a test of its own).

    A statement is built once per shape and executed with each request's values (``bound``): building and
    compiling a select costs Python several times what the database takes to answer these summary queries.
    """

    months: bool = False
    departments: tuple[bool, bool] = (False, False)  # (named codes, the unassigned code)
    townships: tuple[bool, bool] = (False, False)

    def clause(self, table: Table, values: dict | None = None) -> ColumnElement[bool]:
        """The clause on ``table``: with ``values`` (from ``bound``) it holds them; without, it holds named
        parameters that an execution supplies."""

        def value(name: str) -> object:
            if values is not None:
                return values[name]
            return bindparam(name, expanding=name in _LISTS)

        clauses = [table.c.year.in_(value("f_years"))]
        if self.months:
            clauses.append(table.c.month.between(value("f_first"), value("f_last")))
        for dimension, (named, unassigned) in (
            ("department", self.departments),
            ("township", self.townships),
        ):
            # not every table has both columns: a dimension that does not apply is not looked up
            tests = [table.c[f"{dimension}_code"].in_(value(f"f_{dimension}s"))] if named else []
            if unassigned:
                tests.append(table.c[f"{dimension}_code"].is_(None))
            if tests:
                clauses.append(or_(*tests))
        return and_(true(), *clauses)


def bound(filters: Filters, ind: Indicator, years: tuple[int, ...] | None = None) -> tuple[Shape, dict]:
    """The year (or ``years``), month range and the filters that apply to ``ind``: the clause's shape and the
    values for its parameters."""
    first, last = filters.month_range(ind)
    values: dict = {"f_years": list(years or (filters.year,))}
    months = (first, last) != (1, 12)
    if months:
        values |= {"f_first": first, "f_last": last}
    split = {}
    for dimension, codes, applies in (
        ("department", filters.departments, filters.uses_department(ind)),
        ("township", filters.townships, filters.uses_township(ind)),
    ):
        unassigned = UNASSIGNED[f"{dimension}_code"].code
        named = [c for c in codes if c != unassigned] if applies else []
        split[dimension] = (bool(named), applies and unassigned in codes)
        if named:
            values[f"f_{dimension}s"] = named
    return Shape(months, split["department"], split["township"]), values


def where(
    table: Table, filters: Filters, ind: Indicator, years: tuple[int, ...] | None = None
) -> ColumnElement[bool]:
    """The year (or ``years``), month range and the filters that apply to ``ind``, on a table with those columns,
    with their values (for statements built once per request; the panels' queries use ``bound``)."""
    shape, values = bound(filters, ind, years)
    return shape.clause(table, values)
