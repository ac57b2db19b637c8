"""The indicator catalog: what each figure means and how it is produced.

The catalog is data (``catalog.csv`` beside this module), checked here against the schema and copied into the
``indicator`` table by :func:`sync`. How a register-backed figure is counted is declared in the CSV as a
register name, a measure (``count`` or ``sum:<column>``) and a condition (``column=value;column!=null``);
data/catalog_sql.py turns those into SQLAlchemy expressions over known columns only, so nothing from the CSV or
from a request is ever pasted into SQL text.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, insert

from data.catalog_sql import CatalogError, condition_expr, measure_expr
from data.catalog_words import NATURES, NO_CHANGE, qualifier_parts, words_problems
from data.schema import REGISTERS, indicator

CATALOG_CSV = Path(__file__).with_name("catalog.csv")

# The report's order of areas; 平安建设 is shown under its own heading (法治社会), not as a 法治政府 figure.
AREAS: dict[str, str] = {
    "service": "政务服务",
    "business": "营商环境",
    "decision": "依法决策",
    "enforcement": "行政执法",
    "hotline": "12345热线",
    "publicity": "普法宣传",
    "mediation": "矛盾纠纷",
    "reconsideration": "行政复议",
    "security": "平安建设",
}

# The values a catalog row may hold in these columns; the loader checks each row against them and the API's
# OpenAPI document lists them, so a new value is added here and nowhere else. Tuples: the document keeps an order.
DIRECTIONS: tuple[str, ...] = ("up", "down", "neutral")
VISIBILITIES: tuple[str, ...] = ("public", "internal", "restricted")
# A rate is seen no more widely than either of its parts: with a public rate and a public numerator anyone works
# out an internal denominator (issue 19). Ranked widest first, in VISIBILITIES' order.
VISIBILITY_RANK: dict[str, int] = {v: i for i, v in enumerate(VISIBILITIES)}
# How the admin page and the catalog workbook name them (data/catalog_edits.py).
VISIBILITY_LABEL: dict[str, str] = {"public": "公开", "internal": "内部", "restricted": "受限"}
PERIODS: dict[str, str] = {"year": "全年", "h1": "上半年"}
SOURCE_KINDS: tuple[str, ...] = ("register", "ratio", "reported")


@dataclass(frozen=True)
class Indicator:
    code: str
    area: str
    name: str
    unit: str
    definition: str
    responsible: str
    period: str
    direction: str
    target: float | None
    applies_department: bool
    applies_township: bool
    visibility: str
    source_kind: str
    register: str | None
    measure: str | None
    condition: str | None
    numerator: str | None
    denominator: str | None
    sort: int
    # register columns the indicator is also summed by ("dispute_type;level")
    categories: str | None = None
    # NATURES; "year:words" parts said beside the figure of that year only (2024:全市排名第一); a note
    nature: str = "statistic"
    qualifier: str | None = None
    note: str | None = None

    @property
    def is_rate(self) -> bool:
        return self.source_kind == "ratio"

    @property
    def category_columns(self) -> list[str]:
        return self.categories.split(";") if self.categories else []

    @property
    def months(self) -> tuple[int, int]:
        return (1, 6) if self.period == "h1" else (1, 12)

    @property
    def is_claim(self) -> bool:
        return self.nature == "claim"

    @property
    def compares(self) -> bool:
        """Whether a change from last year means something for this figure (not for one-offs and claims)."""
        return self.nature not in NO_CHANGE

    def qualifiers(self, year: int | None, whole: bool = True) -> tuple[str, ...]:
        """What is said beside the figure of ``year``: 上半年 for a half-year figure, then the catalog's qualifiers
        that hold for every year or name this one; those only of the district's figure (``whole``), since a
        department's or township's part of it was not ranked first in the city."""
        out = [PERIODS[self.period]] if self.period != "year" else []
        if not whole:
            return tuple(out)
        for part in qualifier_parts(self.qualifier):
            held, _, words = part.rpartition(":")
            if not held or (year is not None and held == str(year)):
                out.append(words)
        return tuple(out)

    def beside(self, year: int | None, whole: bool = True) -> str:
        """What every face shows beside the figure: its qualifiers, and 一项主张而非统计 for a claim."""
        claim = [NATURES["claim"]] if self.is_claim else []
        return "，".join([*self.qualifiers(year, whole), *claim])

    def as_row(self) -> dict[str, Any]:
        """The fields the ``indicator`` table keeps (the words beside a figure are read from the file)."""
        return {f: getattr(self, f) for f in self.__dataclass_fields__ if f in indicator.c}


def _opt(value: str) -> str | None:
    return value.strip() or None


def _flag(value: str, code: str, field: str) -> bool:
    if value not in {"0", "1"}:
        raise CatalogError(f"{code}: {field} must be 0 or 1, not {value!r}")
    return value == "1"


def parse_rows(rows: list[dict[str, str]]) -> dict[str, Indicator]:
    """Check catalog rows and return them as indicators, keyed by code, in file order."""
    out: dict[str, Indicator] = {}
    for sort, row in enumerate(rows):
        code = row["code"].strip()
        if code in out:
            raise CatalogError(f"{code}: appears twice")
        target = _opt(row["target"])
        ind = Indicator(
            code=code,
            area=row["area"],
            name=row["name"],
            unit=row["unit"],
            definition=row["definition"],
            responsible=row["responsible"],
            period=row["period"],
            direction=row["direction"],
            target=float(target) if target is not None else None,
            applies_department=_flag(row["applies_department"], code, "applies_department"),
            applies_township=_flag(row["applies_township"], code, "applies_township"),
            visibility=row["visibility"],
            source_kind=row["source_kind"],
            register=_opt(row["register"]),
            measure=_opt(row["measure"]),
            condition=_opt(row["condition"]),
            numerator=_opt(row["numerator"]),
            denominator=_opt(row["denominator"]),
            sort=sort,
            categories=_opt(row.get("categories") or ""),
            nature=(row.get("nature") or "statistic").strip(),
            qualifier=_opt(row.get("qualifier") or ""),
            note=_opt(row.get("note") or ""),
        )
        _check(ind)
        out[code] = ind
    for ind in out.values():
        if ind.is_rate:
            for part in (ind.numerator, ind.denominator):
                if part not in out or out[part].source_kind != "register":
                    raise CatalogError(f"{ind.code}: {part} is not a register-backed indicator")
    for rate, part in wider_rates(out, {}):
        raise CatalogError(
            f"{rate.code}: {rate.visibility} but its part {part.code} is {part.visibility}: the part could be "
            "worked out from the rate and its other part"
        )
    return out


def wider_rates(
    indicators: dict[str, Indicator], visibility: dict[str, str]
) -> list[tuple[Indicator, Indicator]]:
    """(rate, part) for each rate seen more widely than one of its parts, with ``visibility`` ({code: value})
    over the indicators' own."""

    def rank(ind: Indicator) -> int:
        return VISIBILITY_RANK.get(visibility.get(ind.code, ind.visibility), 0)

    return [
        (ind, indicators[part])
        for ind in indicators.values()
        if ind.is_rate
        for part in (ind.numerator, ind.denominator)
        if part in indicators and rank(ind) < rank(indicators[part])
    ]


def _check(ind: Indicator) -> None:
    problems = []
    if ind.area not in AREAS:
        problems.append(f"unknown area {ind.area!r}")
    if ind.direction not in DIRECTIONS:
        problems.append(f"unknown direction {ind.direction!r}")
    if ind.visibility not in VISIBILITIES:
        problems.append(f"unknown visibility {ind.visibility!r}")
    if ind.period not in PERIODS:
        problems.append(f"unknown period {ind.period!r}")
    if ind.source_kind not in SOURCE_KINDS:
        problems.append(f"unknown source kind {ind.source_kind!r}")
    problems += words_problems(ind.nature, ind.source_kind, ind.unit, ind.qualifier, ind.note)
    if ind.source_kind == "register":
        if ind.register not in REGISTERS:
            problems.append(f"unknown register {ind.register!r}")
        else:
            table = REGISTERS[ind.register]
            try:
                measure_expr(table, ind.measure)
                condition_expr(table, ind.condition)
            except CatalogError as exc:
                problems.append(str(exc))
            if ind.applies_department and "department_code" not in table.c:
                problems.append("applies to departments but its register has none")
            if ind.applies_township and "township_code" not in table.c:
                problems.append("applies to townships but its register has none")
            for column in ind.category_columns:
                if column not in table.c or column in {
                    "id",
                    "year",
                    "month",
                    "department_code",
                    "township_code",
                }:
                    problems.append(f"category column {column!r} is not in {table.name}")
    elif ind.categories:
        problems.append("only a register-backed indicator can be split by category")
    if ind.source_kind == "ratio":
        if not (ind.numerator and ind.denominator):
            problems.append("a ratio needs a numerator and a denominator")
    elif ind.source_kind == "reported" and (ind.applies_department or ind.applies_township):
        problems.append("a reported figure cannot be split by department or township")
    if problems:
        raise CatalogError(f"{ind.code}: " + "; ".join(problems))


@cache
def read(path: Path = CATALOG_CSV) -> dict[str, Indicator]:
    """The catalog file, checked; cached because it only changes with a release."""
    with path.open(encoding="utf-8", newline="") as fh:
        return parse_rows(list(csv.DictReader(fh)))


# The district's edits of the catalog (display name, visibility, responsible department: data/catalog_edits.py,
# which reads them from the store whenever a request or a command opens it), and the catalog they make.
_edits: dict[str, dict[str, str]] = {}
_edited: dict[str, Indicator] | None = None


def load(path: Path = CATALOG_CSV) -> dict[str, Indicator]:
    """The catalog as the district has it: the file's indicators with the store's edits over them.

    Every face (desk, wall, decks, reports, API, Scope.sees) reads indicators from here, so an edit takes effect
    everywhere at once; the file's own values stay in :func:`read`."""
    if path != CATALOG_CSV or _edited is None:
        return read(path)
    return _edited


def use_edits(edits: dict[str, dict[str, str]]) -> bool:
    """Put the store's edits ({code: {field: value}}, fields of Indicator) over the file; whether anything changed."""
    global _edits, _edited
    if edits == _edits:
        return False
    base = read()
    known = {code: fields for code, fields in edits.items() if code in base}
    _edited = {code: replace(ind, **known[code]) if code in known else ind for code, ind in base.items()}
    _edits = dict(edits)
    if not known:
        _edited = None
    return True


def sync(conn: Connection, catalog: dict[str, Indicator] | None = None) -> int:
    """Make the ``indicator`` table equal to the catalog file; returns how many rows changed."""
    catalog = catalog or read()
    changed = conn.execute(delete(indicator).where(indicator.c.code.not_in(list(catalog)))).rowcount or 0
    existing = {row.code: dict(row._mapping) for row in conn.execute(indicator.select())}
    for ind in catalog.values():
        row = ind.as_row()
        if existing.get(ind.code) == row:
            continue
        if ind.code in existing:
            conn.execute(indicator.update().where(indicator.c.code == ind.code).values(row))
        else:
            conn.execute(insert(indicator).values(row))
        changed += 1
    return changed
