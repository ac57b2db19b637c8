"""A year of the reporting rhythm as a matrix: units × months, each cell one colour, built from data/reporting.py's
status (the same answer as `dashboard reporting status`), and the 催报 list: who has not sent the latest month
that is already due.

A unit owing several registers gets one cell a month: red when any is unsent past its day, grey when any is unsent
and not yet due, amber when all are sent and one was late, green when all were sent on time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection

from data import reporting
from data.schema_district import DEFAULT_DUE_DAY

MONTHS = range(1, 13)

# A cell's state: its label, worst first (a cell takes the worst of its registers).
STATES: dict[str, str] = {
    "overdue": "逾期未报",
    "pending": "未到期",
    "late": "迟报",
    "on_time": "按时",
}


@dataclass(frozen=True)
class Cell:
    state: str  # a key of STATES
    lines: tuple[str, ...]  # one per register: 矛盾纠纷调处登记：迟报 3 天

    @property
    def label(self) -> str:
        return STATES[self.state]


@dataclass
class Row:
    unit_code: str
    unit_name: str
    cells: dict[int, Cell] = field(
        default_factory=dict
    )  # month -> cell; a month the unit owes nothing is absent


@dataclass(frozen=True)
class Chase:
    """One line of the 催报 list."""

    unit_code: str
    unit_name: str
    register_label: str
    due: date
    days_late: int


@dataclass(frozen=True)
class Matrix:
    year: int
    rows: list[Row]
    chase_month: int | None  # the latest month of the year with a day already passed
    chase: list[Chase]


def _state(s: reporting.Status, today: date) -> str:
    late = s.days_late(today)
    if s.published_at is None:
        return "overdue" if late else "pending"
    return "late" if late else "on_time"


def _cell(statuses: list[reporting.Status], today: date) -> Cell:
    states = [_state(s, today) for s in statuses]
    worst = min(states, key=list(STATES).index)
    lines = tuple(f"{s.duty.register_label}：{s.verdict(today)}" for s in statuses)
    return Cell(worst, lines)


def matrix(
    conn: Connection,
    year: int,
    today: date,
    default_day: int = DEFAULT_DUE_DAY,
    unit_code: str | None = None,
) -> Matrix:
    """The year's matrix; ``unit_code`` keeps that unit's row only (a department head's view)."""
    rows: dict[str, Row] = {}
    months: dict[int, list[reporting.Status]] = {}
    year_of = reporting.statuses(conn, year, MONTHS, default_day)
    for month in MONTHS:
        found = [s for s in year_of[month] if unit_code in (None, s.duty.unit_code)]
        months[month] = found
        grouped: dict[str, list[reporting.Status]] = {}
        for s in found:
            grouped.setdefault(s.duty.unit_code, []).append(s)
            rows.setdefault(s.duty.unit_code, Row(s.duty.unit_code, s.duty.unit_name))
        for code, statuses in grouped.items():
            rows[code].cells[month] = _cell(statuses, today)
    # statuses() lists duties in the organisation's order: the first month a unit appears keeps that order
    due = [m for m in MONTHS if any(s.due <= today for s in months[m])]
    chase_month = due[-1] if due else None
    chase = [
        Chase(s.duty.unit_code, s.duty.unit_name, s.duty.register_label, s.due, s.days_late(today))
        for s in months.get(chase_month or 0, [])
        if s.published_at is None and s.days_late(today)
    ]
    return Matrix(year, list(rows.values()), chase_month, chase)
