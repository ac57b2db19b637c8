"""The reporting rhythm (报送): which unit sends which register, by which day of the following month, and for
a month, who has sent it, when, and how late.

A unit has sent a register for a month when a publish that is not rolled back covers the month and is the
unit's own batch (its department or township) or a batch for the whole district. The day a register is due
is the duty's own, else the configured default (DASHBOARD_REPORT_DAY, read by dashboard/config.py and passed
in): this module reads no environment.
"""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from sqlalchemy import Connection, delete, insert, select

from data.accounts.audit import record
from data.org import Unit, by_code
from data.registers import REGISTERS
from data.schema import import_batch, published_version
from data.schema_district import DEFAULT_DUE_DAY, DUE_DAYS, report_duty
from data.store import bump_data_version


class ReportingError(Exception):
    """A duty refused, in one Chinese sentence; nothing was changed."""


@dataclass(frozen=True)
class Duty:
    unit_code: str
    unit_name: str
    register: str
    register_label: str
    due_day: int | None  # None: the default


@lru_cache(maxsize=4096)
def _local_day(moment: datetime) -> date:
    """The day a publish was made, on the server's clock (a year's matrix asks 70,000 times, for few moments)."""
    return moment.astimezone().date()


@dataclass(frozen=True)
class Status:
    duty: Duty
    due: date
    published_at: datetime | None
    whole_district: bool  # sent in a batch for the whole district, not the unit's own

    def days_late(self, today: date) -> int:
        """Days past the due date: of the publish, or (not yet sent) of today; 0 when on time."""
        sent = _local_day(self.published_at) if self.published_at else today
        late = (sent - self.due).days
        return late if late > 0 else 0

    def verdict(self, today: date) -> str:
        late = self.days_late(today)
        if self.published_at is None:
            return f"未报，逾期 {late} 天" if late else "未报，未到期"
        return f"迟报 {late} 天" if late else "按时"


def _check(conn: Connection, unit_code: str, register: str) -> tuple[str, str]:
    unit = by_code(conn).get(unit_code)
    if unit is None:
        raise ReportingError(f"没有代码为 {unit_code} 的部门或乡镇（街道）：dashboard org list 查看全部单位")
    if register not in REGISTERS:
        known = "、".join(REGISTERS)
        raise ReportingError(f"没有名为 {register} 的登记簿，可选：{known}")
    return unit.name, REGISTERS[register].label


def _day_refused(shown: object) -> ReportingError:
    return ReportingError(
        f"报送日应为 {DUE_DAYS.start} 到 {DUE_DAYS.stop - 1} 之间的整数（每月都有这一天），当前为 {shown}"
    )


def due_day_from(text: str) -> int | None:
    """A form's due day: empty for the default, else a whole number (set_duty checks its range)."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise _day_refused(repr(text[:20]))
    return int(text)


def set_duty(
    conn: Connection, unit_code: str, register: str, due_day: int | None = None, actor: str | None = None
) -> Duty:
    """``unit_code`` owes ``register`` every month, by ``due_day`` of the following month (None: the default)."""
    unit_name, label = _check(conn, unit_code, register)
    if due_day is not None and due_day not in DUE_DAYS:
        raise _day_refused(due_day)
    key = (report_duty.c.unit_code == unit_code, report_duty.c.register == register)
    conn.execute(delete(report_duty).where(*key))
    conn.execute(insert(report_duty).values(unit_code=unit_code, register=register, due_day=due_day))
    record(conn, "duty_set", actor=actor, subject=unit_code, register=register, due_day=due_day)
    bump_data_version(
        conn
    )  # figures say 报送未齐 from duties (data/reporting_note.py): cached faces recompute
    return Duty(unit_code, unit_name, register, label, due_day)


def unset_duty(conn: Connection, unit_code: str, register: str, actor: str | None = None) -> None:
    _check(conn, unit_code, register)
    key = (report_duty.c.unit_code == unit_code, report_duty.c.register == register)
    if conn.execute(delete(report_duty).where(*key)).rowcount == 0:
        raise ReportingError(f"{unit_code} 没有报送 {register} 的责任")
    record(conn, "duty_set", actor=actor, subject=unit_code, register=register, due_day=None, removed=True)
    bump_data_version(conn)


def duties(conn: Connection, units: dict[str, Unit] | None = None) -> list[Duty]:
    """Every duty, in the organisation's order (``units``: data/org.by_code, when the caller has it)."""
    units = by_code(conn) if units is None else units
    order = {code: i for i, code in enumerate(units)}
    registers = list(REGISTERS)
    out = [
        Duty(
            r.unit_code,
            units[r.unit_code].name if r.unit_code in units else r.unit_code,
            r.register,
            REGISTERS[r.register].label if r.register in REGISTERS else r.register,
            r.due_day,
        )
        for r in conn.execute(select(report_duty))
    ]
    return sorted(
        out,
        key=lambda d: (
            order.get(d.unit_code, 0),
            registers.index(d.register) if d.register in registers else 0,
        ),
    )


def due_date(year: int, month: int, day: int) -> date:
    """The day of the month after (year, month) a register of that month is due."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following.replace(day=min(day, cal.monthrange(following.year, following.month)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, cal.monthrange(year, month)[1])


# Every publish (not rolled back) of a register batch whose period meets the range, earliest first: one
# statement over the batches (one row per import, not per register row: it does not grow with the registers).
def _sent(conn: Connection, first: date, last: date) -> list:
    b, v = import_batch, published_version
    return conn.execute(
        select(b.c.register, b.c.department_code, b.c.township_code, b.c.period_start, b.c.period_end)
        .add_columns(v.c.published_at)
        .join(v, v.c.batch_id == b.c.id)
        .where(
            b.c.kind == "register",
            v.c.rolled_back_at.is_(None),
            b.c.period_start <= last,
            b.c.period_end >= first,
        )
        .order_by(v.c.published_at)
    ).all()


def statuses(
    conn: Connection, year: int, months: range = range(1, 13), default_day: int = DEFAULT_DUE_DAY
) -> dict[int, list[Status]]:
    """Every duty's state for each of ``months`` of ``year``: four statements for the whole range, whatever the
    number of units, registers and months."""
    # month -> (unit, register) -> first publish; month -> register -> first publish for the whole district
    own: dict[int, dict[tuple[str, str], datetime]] = {m: {} for m in months}
    whole: dict[int, dict[str, datetime]] = {m: {} for m in months}
    first_month, last_month = months[0], months[-1]
    for register, dept, town, start, end, at in _sent(
        conn, date(year, first_month, 1), _month_end(year, last_month)
    ):
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        unit = dept or town
        # the months of the range the batch's period meets (it met the range, or the query would not return it);
        # conditions rather than min/max: a year of a big district is 40,000 batches
        since = first_month if start.year < year or start.month < first_month else start.month
        until = last_month if end.year > year or end.month > last_month else end.month
        for month in range(since, until + 1):
            if unit:
                own[month].setdefault((unit, register), at)
            else:
                whole[month].setdefault(register, at)
    units = by_code(conn)
    owed = duties(conn, units)
    out: dict[int, list[Status]] = {}
    for month in months:
        first, last = date(year, month, 1), _month_end(year, month)
        due = {day: due_date(year, month, day) for day in {*DUE_DAYS, default_day}}
        sent, district_sent = own[month], whole[month]
        found = []
        for duty in owed:
            unit = units.get(duty.unit_code)
            # A unit that ended before the month began, or began after it ended, owes nothing for it.
            if unit is not None and not (unit.active_on(first) or unit.active_on(last)):
                continue
            at = sent.get((duty.unit_code, duty.register))
            district = at is None and duty.register in district_sent
            found.append(
                Status(
                    duty, due[duty.due_day or default_day], at or district_sent.get(duty.register), district
                )
            )
        out[month] = found
    return out


def status(conn: Connection, year: int, month: int, default_day: int = DEFAULT_DUE_DAY) -> list[Status]:
    """Every duty's state for the month (as :func:`statuses` for one month)."""
    return statuses(conn, year, range(month, month + 1), default_day)[month]


def counts(rows: list[Status]) -> tuple[int, int]:
    """(units owing, units that sent everything they owe): a unit owing two registers is one unit."""
    owing = {s.duty.unit_code for s in rows}
    missing = {s.duty.unit_code for s in rows if s.published_at is None}
    return len(owing), len(owing - missing)


def summary(rows: list[Status], today: date) -> str:
    """应报 41 个单位，已报 38 个 (units, not duties: a unit owing two registers is one unit)."""
    owing, sent = counts(rows)
    late = sum(1 for s in rows if s.published_at is None and s.days_late(today))
    text = f"应报 {owing} 个单位，已报 {sent} 个"
    return text + (f"，{late} 项逾期未报" if late else "")
