"""What publishing a staged batch would change: rows added, replaced and removed, and every affected figure
before and after, district-wide and for each affected township and department.

Computed without touching a published row: the staged rows go into a temporary table of the register's
shape, and each figure's change is what the catalog's measure gives over those rows minus what it gives over
the published rows the batch replaces. The summaries (indicator_fact) give the values before.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    cast,
    func,
    insert,
    null,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB

from data import catalog, catalog_sql
from data.access import Scope
from data.catalog import Indicator
from data.queries.dimensions import UNASSIGNED
from data.schema import REGISTERS, department, indicator_fact, staged_row, township
from data.store import get_meta

# Figures listed per township or department, at most; the district-wide ones are always all listed.
MAX_MEMBER_FIGURES = 2_000


def scope_clause(table: Table, batch: Any) -> ColumnElement[bool]:
    """The published rows a batch replaces: its department or township, dated within its period."""
    parts = [
        table.c.year.between(batch.period_start.year, batch.period_end.year),
        table.c.occurred_on.between(batch.period_start, batch.period_end),
    ]
    if batch.department_code is not None:
        parts.append(table.c.department_code == batch.department_code)
    if batch.township_code is not None:
        parts.append(table.c.township_code == batch.township_code)
    return and_(*parts)


def payload_columns(register: str) -> list[str]:
    """The register's columns a staged or archived row keeps: all but the key and what the date gives."""
    return [c.name for c in REGISTERS[register].c if c.name not in ("id", "year", "month")]


def row_tuple(payload: dict[str, Any], columns: list[str]) -> tuple:
    """A staged or archived row (JSON) as the register stores it, with year and month from its date."""
    values = []
    for name in columns:
        value = payload.get(name)
        if value is not None and name in ("occurred_on", "completed_on", "closed_on"):
            value = date.fromisoformat(value)
        values.append(value)
    day = date.fromisoformat(payload["occurred_on"])
    return (*values, day.year, day.month)


def staged_rows(conn: Connection, batch_id: int) -> Any:
    query = (
        select(staged_row.c.payload).where(staged_row.c.batch_id == batch_id).order_by(staged_row.c.row_no)
    )
    return (json.loads(p) for p in conn.execute(query.execution_options(yield_per=10_000)).scalars())


def insert_staged(conn: Connection, table: Table, batch_id: int, register: str) -> None:
    """The batch's staged rows into ``table`` (the register or a temporary copy of it), in one INSERT ... SELECT
    that reads each column from the rows' JSON in the database, as row_tuple does in Python.

    Not through Python: decoding, converting and sending back a million rows took a minute on SQLite, and on
    PostgreSQL a COPY fed from a cursor on the same connection waits for that cursor forever (psycopg holds the
    connection for the whole COPY).
    """
    columns = payload_columns(register)
    postgresql = conn.dialect.name == "postgresql"
    payload = cast(staged_row.c.payload, JSONB) if postgresql else staged_row.c.payload
    rows = select(staged_row.c.row_no, payload.label("doc")).where(staged_row.c.batch_id == batch_id)
    if postgresql:
        # OFFSET 0 keeps PostgreSQL from merging the subquery into the select, which would parse each row's JSON
        # again for every column (a million rows: 13 s parsed once, 99 s per column).
        rows = rows.offset(0)
    rows = rows.subquery()
    if postgresql:
        values = [cast(rows.c.doc[name].astext, table.c[name].type) for name in columns]
        day = values[columns.index("occurred_on")]
        year, month = func.extract("year", day), func.extract("month", day)
    else:
        # SQLite stores a date as its ISO text, which is how the JSON holds it; JSON true/false read as 1/0.
        values = [func.json_extract(rows.c.doc, f"$.{name}") for name in columns]
        day = values[columns.index("occurred_on")]
        year, month = func.substr(day, 1, 4), func.substr(day, 6, 2)
    query = select(*values, cast(year, Integer), cast(month, Integer)).order_by(rows.c.row_no)
    conn.execute(insert(table).from_select([*columns, "year", "month"], query))


def load_temporary(conn: Connection, batch_id: int, register: str) -> Table:
    """The batch's staged rows in a temporary table shaped like the register (dropped by the caller)."""
    source = REGISTERS[register]
    shape = Table(
        f"tmp_batch_{batch_id}",
        MetaData(),
        *[Column(c.name, c.type) for c in source.c if c.name != "id"],
        prefixes=["TEMPORARY"],
    )
    shape.create(conn)
    insert_staged(conn, shape, batch_id, register)
    return shape


def _row_counts(conn: Connection, temp: Table, table: Table, scope: ColumnElement[bool]) -> dict[str, int]:
    columns = [c for c in payload_columns(table.name) if c != "register_no"]
    matched = select(func.count()).select_from(
        temp.join(table, and_(temp.c.register_no == table.c.register_no, scope))
    )
    same = matched.where(and_(*[temp.c[c].is_not_distinct_from(table.c[c]) for c in columns]))
    total = conn.scalar(select(func.count()).select_from(temp))
    published = conn.scalar(select(func.count()).select_from(table).where(scope))
    both = conn.scalar(matched)
    unchanged = conn.scalar(same)
    return {
        "total": total,
        "added": total - both,
        "replaced": both - unchanged,
        "unchanged": unchanged,
        "removed": published - both,
    }


def _contribution(conn: Connection, ind: Indicator, table: Table, where: ColumnElement[bool]) -> dict:
    """The indicator's value over the given rows by (year, department, township)."""
    dept = table.c.department_code if "department_code" in table.c else null().cast(String(32))
    town = table.c.township_code if "township_code" in table.c else null().cast(String(32))
    query = (
        select(table.c.year, dept, town, catalog_sql.measure_expr(table, ind.measure))
        .where(where, catalog_sql.condition_expr(table, ind.condition))
        .group_by(table.c.year, dept, town)
    )
    return {(y, d, t): float(v or 0) for y, d, t, v in conn.execute(query)}


def _current(conn: Connection, code: str, years: list[int], level: str | None) -> dict:
    """The published value from the summaries: by year, and by the member of ``level`` if given."""
    key = [indicator_fact.c.year]
    if level:
        key.append(indicator_fact.c[level])
    query = (
        select(*key, func.sum(indicator_fact.c.value))
        .where(indicator_fact.c.indicator_code == code, indicator_fact.c.year.in_(years))
        .group_by(*key)
    )
    return {tuple(row[:-1]): float(row[-1] or 0) for row in conn.execute(query)}


def compute(conn: Connection, batch: Any) -> dict[str, Any]:
    """The preview of a staged register batch (its staged rows are in the store)."""
    table = REGISTERS[batch.register]
    temp = load_temporary(conn, batch.id, batch.register)
    try:
        scope = scope_clause(table, batch)
        rows = _row_counts(conn, temp, table, scope)
        indicators = catalog.load()
        mine = [
            i for i in indicators.values() if i.source_kind == "register" and i.register == batch.register
        ]
        delta: dict[str, dict] = {}
        for ind in mine:
            change: dict = defaultdict(float)
            for key, value in _contribution(conn, ind, temp, true()).items():
                change[key] += value
            for key, value in _contribution(conn, ind, table, scope).items():
                change[key] -= value
            delta[ind.code] = {k: v for k, v in change.items() if v}
    finally:
        temp.drop(conn)
    figures = _figures(conn, indicators, delta)
    return {
        "data_version": int(get_meta(conn, "data_version", "0")),
        "rows": rows,
        "figures": figures,
        "staged": True,
    }


def _figures(conn: Connection, indicators: dict[str, Indicator], delta: dict[str, dict]) -> list[dict]:
    """Before and after of every figure the batch changes, at each level it changes them."""
    names = {
        "department_code": dict(conn.execute(select(department.c.code, department.c.name)).all()),
        "township_code": dict(conn.execute(select(township.c.code, township.c.name)).all()),
    }
    years = sorted({key[0] for change in delta.values() for key in change})
    if not years:
        return []
    values: dict[tuple, tuple[float, float]] = {}
    for code, change in delta.items():
        for level, position in ((None, None), ("department_code", 1), ("township_code", 2)):
            now = _current(conn, code, years, level)
            moved: dict[tuple, float] = defaultdict(float)
            for key, value in change.items():
                member = (key[0],) if position is None else (key[0], key[position])
                moved[member] += value
            for member, value in moved.items():
                before = now.get(member, 0.0)
                values[(code, level, *member)] = (before, before + value)
    out = []
    ratios = [i for i in indicators.values() if i.source_kind == "ratio"]
    for ind in ratios:
        for key in {k[1:] for k in values if k[0] in (ind.numerator, ind.denominator)}:
            num = _pair(conn, values, ind.numerator, key)
            den = _pair(conn, values, ind.denominator, key)
            if num is None or den is None:
                continue
            before = num[0] / den[0] * 100 if den[0] else None
            after = num[1] / den[1] * 100 if den[1] else None
            values[(ind.code, *key)] = (before, after)
    for (code, level, year, *member), (before, after) in values.items():
        if before == after:
            continue
        ind = indicators[code]
        member_code = member[0] if member else None
        out.append(
            {
                "code": code,
                "name": ind.name,
                "unit": ind.unit,
                "area": ind.area,
                "year": year,
                "level": level or "district",
                "member": member_code,
                "member_name": names[level].get(member_code, UNASSIGNED[level].name) if level else "全区",
                "before": None if before is None else round(before, 4),
                "after": None if after is None else round(after, 4),
            }
        )
    order = {code: i for i, code in enumerate(indicators)}
    levels = {"district": 0, "township_code": 1, "department_code": 2}
    out.sort(key=lambda f: (f["year"], levels[f["level"]], f["member_name"], order[f["code"]]))
    district = [f for f in out if f["level"] == "district"]
    return district + [f for f in out if f["level"] != "district"][:MAX_MEMBER_FIGURES]


def _pair(conn: Connection, values: dict, code: str | None, key: tuple) -> tuple[float, float] | None:
    """(before, after) of a count at a level: from the batch's change, or unchanged from the summaries."""
    if code is None:
        return None
    if (code, *key) in values:
        return values[(code, *key)]
    level, year, *member = key
    now = _current(conn, code, [year], level)
    value = now.get((year, *member), 0.0)
    return value, value


def stale(conn: Connection, batch: Any) -> bool:
    """Whether the batch's preview was computed on other data than the store holds now (a read only)."""
    if not batch.publishable or batch.kind != "register":
        return False
    return batch.preview.get("data_version") != int(get_meta(conn, "data_version", "0"))


def fresh(conn: Connection, batch: Any) -> Any:
    """The batch with a preview computed on the data as it is now: another publish or a rollback since the
    batch was staged changes what publishing it would do. A batch not waiting for review is returned as is."""
    if not stale(conn, batch):
        return batch
    from data.imports import batches

    summary = compute(conn, batch)
    batches.set_state(conn, batch.id, preview=summary)
    return batches.get(conn, batch.id)


def for_reader(figures: list[dict], scope: Scope) -> list[dict]:
    """The preview's figures the reader may see: an uploader of one department is shown no other department's
    restricted figure (district-wide or by township), though publishing their rows changes it."""
    cat = catalog.load()
    return [f for f in figures if f.get("code") in cat and scope.sees(cat[f["code"]])]
