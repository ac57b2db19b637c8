"""Every error at once: each cell of a department's file checked against its register's declaration.

Works a column at a time on a chunk of rows (data/imports/files.py reads them): each distinct value of a column is
read once, so a million rows of a few hundred distinct dates, townships and categories cost little. Values are
normalised as a person would expect (full-width digits, stray spaces, 2024/3/5, 是/否); what cannot be read is
an error with the sheet row, the column's label, the value and a Chinese reason, and the checking goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from data.imports.cells import (
    Names,
    Parsed,
    as_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_member,
    parse_text,
)
from data.registers import Field, Register

# Errors kept in full for the page, the CLI and the annotated copy; beyond it only counted.
MAX_ERRORS = 10_000


@dataclass
class Scope:
    """What the batch is for: publishing replaces the rows of this department or township within the period."""

    department: str | None = None
    township: str | None = None
    period: tuple[date, date] | None = None


@dataclass
class Checker:
    """Checks a file's chunks in order; keeps what must be known across chunks (register numbers seen)."""

    register: Register
    departments: Names
    townships: Names
    scope: Scope = field(default_factory=Scope)
    sheet: str | None = None
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    rows: int = 0
    first_day: str | None = None
    last_day: str | None = None
    seen: dict[str, int] = field(default_factory=dict)
    # units that ended (code -> (first day no longer theirs, ISO; how it ended)): later rows are not theirs
    ended: dict[str, tuple[str, str]] = field(default_factory=dict)

    def _parsers(self) -> dict[str, Callable[[object], Parsed]]:
        parsers: dict[str, Callable[[object], Parsed]] = {}
        for f in self.register.fields:
            if f.kind == "date":
                parsers[f.name] = parse_date
            elif f.kind == "bool":
                parsers[f.name] = parse_bool
            elif f.kind == "int":
                parsers[f.name] = parse_int(f)
            elif f.kind == "choice":
                parsers[f.name] = parse_choice(f)
            elif f.kind == "department":
                parsers[f.name] = parse_member(self.departments)
            elif f.kind == "township":
                parsers[f.name] = parse_member(self.townships)
            else:
                parsers[f.name] = parse_text(f)
        return parsers

    def error(self, row: int | None, f: Field | None, value: object, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) >= MAX_ERRORS:
            return
        where = f"第{row}行" if row is not None else "文件"
        column = f"“{f.label}”列" if f is not None else ""
        self.errors.append(
            {
                "sheet": self.sheet,
                "row": row,
                "field": f.name if f is not None else None,
                "column": f.label if f is not None else "",
                "value": as_text(value),
                "reason": reason,
                "message": f"{where}{column}：{reason}",
            }
        )

    def check(self, chunk: pd.DataFrame) -> list[dict]:
        """The chunk's rows as the register stores them (JSON-ready values, ``row_no`` added); errors are
        collected on the checker. Rows with an error are left out of what is returned."""
        parsers = self._parsers()
        parsed: dict[str, pd.Series] = {}
        bad = pd.Series(False, index=chunk.index)
        for f in self.register.fields:
            if f.name not in chunk.columns:
                parsed[f.name] = pd.Series(None, index=chunk.index, dtype=object)
                continue
            raw = chunk[f.name]
            values, reasons = _apply(raw, parsers[f.name])
            if f.required:
                missing = values.isna() & reasons.isna()
                if f.kind == "department" and self.scope.department:
                    missing[:] = False
                reasons = reasons.mask(missing, "必填，不能为空")
            for row in reasons.index[reasons.notna()]:
                self.error(int(row), f, raw[row], reasons[row])
            bad |= reasons.notna()
            parsed[f.name] = values
        frame = pd.DataFrame(parsed, index=chunk.index)
        bad |= self._row_rules(frame, chunk)
        self.rows += len(chunk)
        good = frame[~bad]
        days = good["occurred_on"].dropna()
        if len(days):
            low, high = days.min(), days.max()
            self.first_day = low if self.first_day is None else min(self.first_day, low)
            self.last_day = high if self.last_day is None else max(self.last_day, high)
        clean = good.astype(object).where(good.notna(), None)
        # Built from the columns' lists: to_dict("records") boxes each cell of a million rows one at a time.
        names = [*clean.columns, "row_no"]
        columns = [clean[name].tolist() for name in clean.columns]
        rows = zip(*columns, map(int, good.index), strict=True)
        return [dict(zip(names, values, strict=True)) for values in rows]

    def _row_rules(self, frame: pd.DataFrame, chunk: pd.DataFrame) -> pd.Series:
        """Rules across the columns of one row, and the batch's scope and period."""
        bad = pd.Series(False, index=frame.index)
        reg = self.register

        def flag(mask: pd.Series, name: str, reason: Callable[[Any], str]) -> None:
            f = reg.field(name)
            for row in mask.index[mask]:
                value = chunk[name][row] if name in chunk.columns else ""
                self.error(int(row), f, value, reason(row))
            bad[mask] = True

        numbers = frame["register_no"]
        earlier: dict[int, int] = {}
        for row, number in numbers.dropna().items():
            first = self.seen.setdefault(number, int(row))
            if first != row:
                earlier[int(row)] = first
        if earlier:
            repeated = pd.Series(frame.index.isin(list(earlier)), index=frame.index)
            flag(repeated, "register_no", lambda r: f"登记编号“{numbers[r]}”与第{earlier[int(r)]}行重复")
        if reg.has_department and self.scope.department:
            own = self.scope.department
            dept = frame["department_code"]
            wrong = dept.notna() & (dept != own)
            name = self.departments.names.get(own, own)
            flag(
                wrong,
                "department_code",
                lambda r: f"“{self.departments.names[dept[r]]}”不是本批次的部门（{name}）",
            )
            frame.loc[dept.isna(), "department_code"] = own
        if reg.has_township and self.scope.township:
            own = self.scope.township
            town = frame["township_code"]
            wrong = town.notna() & (town != own)
            name = self.townships.names.get(own, own)
            flag(wrong, "township_code", lambda r: f"不是本批次的乡镇（街道）（{name}）")
            frame.loc[town.isna(), "township_code"] = own
        for column, names in (("department_code", self.departments), ("township_code", self.townships)):
            if not self.ended or column not in frame.columns:
                continue
            codes, day = frame[column], frame["occurred_on"]
            limit = codes.map(lambda c: self.ended[c][0] if c in self.ended else None)
            after = limit.notna() & day.notna() & (day >= limit)
            flag(
                after,
                column,
                lambda r, c=codes, n=names: (
                    f"“{n.names.get(c[r], c[r])}”{self.ended[c[r]][1]}，此后的登记不能再记在它名下"
                ),
            )
        if self.scope.period:
            start, end = (d.isoformat() for d in self.scope.period)
            day = frame["occurred_on"]
            outside = day.notna() & ((day < start) | (day > end))
            flag(outside, "occurred_on", lambda r: f"{day[r]} 不在本批次的期间（{start} 至 {end}）内")
        for name in ("completed_on", "closed_on"):
            if name in frame.columns:
                early = (
                    frame[name].notna() & frame["occurred_on"].notna() & (frame[name] < frame["occurred_on"])
                )
                label = reg.field(name).label
                flag(early, name, lambda _r, lab=label: f"{lab}早于{reg.field('occurred_on').label}")
        if "requests_resolved" in frame.columns:
            raised, resolved = frame["requests_raised"], frame["requests_resolved"]
            over = raised.notna() & resolved.notna() & (resolved.astype(float) > raised.astype(float))
            flag(over, "requests_resolved", lambda r: f"办结诉求（{resolved[r]}）多于提出诉求（{raised[r]}）")
        return bad


def _apply(raw: pd.Series, parse: Callable[[object], Parsed]) -> tuple[pd.Series, pd.Series]:
    """Parse each distinct value once; returns the values and the reasons (None where fine)."""
    cache: dict[Any, Parsed] = {}
    out_values: list[Any] = []
    out_reasons: list[str | None] = []
    # tolist: the cells as they are, at C speed (iterating the Series' array calls __getitem__ for each one).
    for value in raw.tolist():
        hit = cache.get(value)
        if hit is None:
            hit = cache[value] = parse(value)
        out_values.append(hit[0])
        out_reasons.append(hit[1])
    return (
        pd.Series(out_values, index=raw.index, dtype=object),
        pd.Series(out_reasons, index=raw.index, dtype=object),
    )
