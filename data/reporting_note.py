"""What a figure says when its register is incomplete (报送未齐): "矛盾纠纷调处登记 2月：应报 41 个单位，已报 38 个".

A figure built from a register that some units owe (data/reporting.py) and have not yet sent for the period
viewed would read a missing register as zero; the card, the wall's footer and the deck say so from this one
function. The period is the months of the year the figures cover (a year still in progress: up to the last
month the store holds, as data/queries/figures.in_year compares them), and only months already over: a
register is owed once its month has ended. The note names the latest such month with a unit missing, and how
many earlier months are short too. No duties for the register, or everything sent: no note.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from sqlalchemy import Connection, exists, select

from data import reporting
from data.catalog import Indicator
from data.schema_district import DEFAULT_DUE_DAY, report_duty
from data.store import get_meta

# Notes by store, data version and question: every figures request asks, and a year of a big district's
# publishes is thousands of batches; a publish, a rollback or a duty changed bumps the version.
_MEMO: OrderedDict[tuple, dict[str, str]] = OrderedDict()
_MEMO_SIZE = 64


def indicator_register(ind: Indicator, cat: dict[str, Indicator]) -> str | None:
    """The register a figure is counted from (a rate's: its numerator's); None for a reported figure."""
    if ind.source_kind == "register":
        return ind.register
    if ind.is_rate and ind.numerator in cat:
        return cat[ind.numerator].register
    return None


def _text(label: str, month: int, rows: list[reporting.Status], others: int) -> str:
    owing, sent = reporting.counts(rows)
    text = f"{label} {month}月：应报 {owing} 个单位，已报 {sent} 个"
    return text + (f"（另有 {others} 个月未报齐）" if others else "")


def register_notes(
    conn: Connection,
    year: int,
    months: tuple[int, int],
    today: date,
    default_day: int = DEFAULT_DUE_DAY,
) -> dict[str, str]:
    """register -> its note for ``months`` (first, last) of ``year``, only for registers some unit has not sent
    for a month of them that has ended by ``today``. One cheap statement when the district has no duties; two
    when the same question was answered at this data version."""
    if not conn.scalar(select(exists().where(report_duty.c.unit_code.is_not(None)))):
        return {}
    key = (str(conn.engine.url), get_meta(conn, "data_version", "0"), year, months, today, default_day)
    if key in _MEMO:
        _MEMO.move_to_end(key)
        return dict(_MEMO[key])
    notes = _notes(conn, year, months, today, default_day)
    _MEMO[key] = notes
    while len(_MEMO) > _MEMO_SIZE:
        _MEMO.popitem(last=False)
    return dict(notes)


def _notes(
    conn: Connection, year: int, months: tuple[int, int], today: date, default_day: int
) -> dict[str, str]:
    ended = [m for m in range(months[0], months[1] + 1) if reporting.due_date(year, m, 1) <= today]
    if not ended:
        return {}
    by_month = reporting.statuses(conn, year, range(ended[0], ended[-1] + 1), default_day)
    short: dict[str, list[tuple[int, list[reporting.Status]]]] = {}
    for month in reversed(ended):
        by_register: dict[str, list[reporting.Status]] = {}
        for s in by_month[month]:
            by_register.setdefault(s.duty.register, []).append(s)
        for register, rows in by_register.items():
            if any(s.published_at is None for s in rows):
                short.setdefault(register, []).append((month, rows))
    out = {}
    for register, found in short.items():
        month, rows = found[0]  # the latest month short of a unit
        out[register] = _text(rows[0].duty.register_label, month, rows, len(found) - 1)
    return out
