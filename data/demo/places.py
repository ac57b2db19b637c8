"""The demo's departments and townships, and the ones an account is tied to, which outlive a regeneration."""

from __future__ import annotations

from sqlalchemy import Column, Connection, Select, insert, select, update

from data import demo_names as names
from data.schema import account, department, township


def _tied(column: Column) -> Select:
    """The codes in ``column`` (an account's tie), without NULL: ``NOT IN`` a list holding NULL is never true."""
    return select(column).where(column.is_not(None)).distinct()


def _check_ties_survive(conn: Connection) -> None:
    """Refuse to regenerate when an account is tied to a department or township the demo does not have: the
    tie would point at nothing. (The demo's codes are the same every time, so only a store that was changed
    by hand, or made by another version, gets here.)"""
    codes = {
        account.c.department_code: {code for code, _name, _short in names.DEPARTMENTS},
        account.c.township_code: {code for code, _name, _kind, _weight in names.TOWNSHIPS},
    }
    stranded = sorted(
        f"{username}（{code}）"
        for column, known in codes.items()
        for username, code in conn.execute(select(account.c.username, column).where(column.is_not(None)))
        if code not in known
    )
    if stranded:
        raise ValueError(
            f"示例数据中没有这些账号所属的部门或乡镇：{'、'.join(stranded)}；"
            "请先用 dashboard user set 修改它们的角色或归属，再重新生成"
        )


def _write_places(conn: Connection) -> None:
    """The demo's departments and townships: the ones :func:`clear` kept (tied to an account) are updated in
    place, the others inserted."""
    departments = [
        {"code": c, "name": n, "short_name": s, "sort": i} for i, (c, n, s) in enumerate(names.DEPARTMENTS)
    ]
    townships = [
        {"code": c, "name": n, "kind": k, "sort": i} for i, (c, n, k, _w) in enumerate(names.TOWNSHIPS)
    ]
    for table, rows in ((department, departments), (township, townships)):
        kept = set(conn.scalars(select(table.c.code)))
        for row in rows:
            if row["code"] in kept:
                values = {key: value for key, value in row.items() if key != "code"}
                conn.execute(update(table).where(table.c.code == row["code"]).values(values))
        new = [row for row in rows if row["code"] not in kept]
        if new:
            conn.execute(insert(table), new)
