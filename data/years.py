"""Years follow the data: the ``calendar`` table (the years and months the store holds, which every year list
and the in-year comparison read) is rebuilt from what is published whenever data changes.

Read on every page, written only on publish and rollback: the readers keep their one small indexed table, and a
year appears with its first published row and disappears with its last. A month holds data when some indicator
has a fact for it; a year with reported figures only counts as whole (its figures are annual).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select

from data import catalog
from data.schema import calendar, indicator_fact, reported_figure


def sync(conn: Connection, years: Iterable[int] | None = None) -> list[int]:
    """Rebuild ``calendar`` (for ``years`` only, when given: a publish touches a period) from the facts and the
    reported figures; returns the years it then holds."""
    only = None if years is None else sorted(set(years))
    facts = select(indicator_fact.c.year, indicator_fact.c.month).distinct()
    figures = select(reported_figure.c.year).distinct()
    stored = select(calendar.c.year, calendar.c.month)
    if only is not None:
        # Both leading columns of the facts' index are given: an index lookup per indicator, not a scan.
        codes = [i.code for i in catalog.load().values() if i.source_kind == "register"]
        facts = facts.where(indicator_fact.c.indicator_code.in_(codes), indicator_fact.c.year.in_(only))
        figures = figures.where(reported_figure.c.year.in_(only))
        stored = stored.where(calendar.c.year.in_(only))
    months = {(int(y), int(m)) for y, m in conn.execute(facts)}
    with_facts = {y for y, _ in months}
    months |= {(int(y), 12) for (y,) in conn.execute(figures) if int(y) not in with_facts}
    held = {(int(y), int(m)) for y, m in conn.execute(stored)}
    for year, month in held - months:
        conn.execute(delete(calendar).where(calendar.c.year == year, calendar.c.month == month))
    new = sorted(months - held)
    if new:
        conn.execute(insert(calendar), [{"year": y, "month": m} for y, m in new])
    return [int(y) for y in conn.scalars(select(calendar.c.year).distinct().order_by(calendar.c.year))]
