"""Years follow the data: the ``calendar`` table (the years and months the store holds, which every year list
and the in-year comparison read) is rebuilt from what is published whenever data changes.

Read on every page, written only on publish and rollback: the readers keep their one small indexed table, and a
year appears with its first published row and disappears with its last. A month holds data when some indicator
has a fact for it; a year with reported figures only counts as whole (its figures are annual).
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from data.schema import calendar, indicator_fact, reported_figure


def sync(conn: Connection) -> list[int]:
    """Rebuild ``calendar`` from the facts and the reported figures; returns the years it now holds."""
    months = {
        (int(y), int(m))
        for y, m in conn.execute(select(indicator_fact.c.year, indicator_fact.c.month).distinct())
    }
    with_facts = {y for y, _ in months}
    for (year,) in conn.execute(select(reported_figure.c.year).distinct()):
        if int(year) not in with_facts:
            months.add((int(year), 12))
    stored = {(int(y), int(m)) for y, m in conn.execute(select(calendar.c.year, calendar.c.month))}
    gone, new = stored - months, months - stored
    for year, month in gone:
        conn.execute(delete(calendar).where(calendar.c.year == year, calendar.c.month == month))
    if new:
        conn.execute(insert(calendar), [{"year": y, "month": m} for y, m in sorted(new)])
    return sorted({y for y, _ in months})
