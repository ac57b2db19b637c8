"""The district's 2024 annual report as figures, and how the store's figures compare with it."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from data import catalog

REPORT_CSV = Path(__file__).with_name("report_2024.csv")
REPORT_YEAR = 2024
# The report rounds its rates to two decimals; where no whole numbers give its figure (99.73% of 2712) the
# store's rate may differ by this much.
RATE_TOLERANCE = 0.05
# How a figure's wording bounds the store's value: exact, at_least ("20余个"), approx ("7.26万件", to hundreds).
BOUNDS: tuple[str, ...] = ("exact", "at_least", "approx")
# The columns a report file must have; others (the demo's seed_item) are allowed and ignored.
COLUMNS: tuple[str, ...] = ("area", "code", "name_zh", "value", "unit", "bound", "yoy_pct", "note")


class ReportError(ValueError):
    """A report file that cannot be read as figures; the message is one line naming the file and the row."""


@dataclass(frozen=True)
class ReportFigure:
    area: str
    code: str
    name: str
    value: float
    unit: str
    bound: str
    yoy_pct: float | None
    note: str


@cache
def load(path: Path = REPORT_CSV) -> dict[str, ReportFigure]:
    """The figures of a report CSV (UTF-8, with or without a BOM), by indicator code."""
    try:
        # utf-8-sig: a file saved by Excel starts with a BOM, which would otherwise become part of "area".
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None or not any(cell.strip() for cell in header):
                raise ReportError(f"报告文件 {path} 是空的：第一行应为列名（{','.join(COLUMNS)}）")
            figures = _figures(path, reader, [cell.strip() for cell in header])
    except UnicodeDecodeError:
        raise ReportError(f"报告文件 {path} 不是 UTF-8 编码的 CSV：请另存为 UTF-8 后重试") from None
    except csv.Error as exc:
        raise ReportError(f"报告文件 {path} 不是有效的 CSV：{exc}") from None
    except FileNotFoundError:
        raise ReportError(f"报告文件 {path} 不存在") from None
    except IsADirectoryError:
        raise ReportError(f"报告文件 {path} 是一个目录，不是文件") from None
    except PermissionError:
        raise ReportError(f"没有权限读取报告文件 {path}") from None
    except OSError as exc:
        raise ReportError(f"无法读取报告文件 {path}：{exc.strerror or exc}") from None
    if not figures:
        raise ReportError(f"报告文件 {path} 只有列名，没有数据行")
    unknown = [code for code in figures if code not in catalog.load()]
    if unknown:
        shown = "、".join(unknown[:5]) + (" 等" if len(unknown) > 5 else "")
        raise ReportError(f"报告文件 {path} 中有 {len(unknown)} 个指标代码不在指标目录中：{shown}")
    return figures


def _figures(path: Path, reader, header: list[str]) -> dict[str, ReportFigure]:
    # reader: a csv reader, whose line_num names the row in messages (a quoted cell may span lines).
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ReportError(f"报告文件 {path} 缺少列：{','.join(missing)}（第一行应为列名）")
    figures: dict[str, ReportFigure] = {}
    for cells in reader:
        where = f"报告文件 {path} 第 {reader.line_num} 行"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise ReportError(f"{where}：有 {len(cells)} 列，应有 {len(header)} 列（与列名一致）")
        row = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        figure = _figure(where, row)
        if figure.code in figures:
            raise ReportError(f"{where}：指标代码 {figure.code} 重复出现")
        figures[figure.code] = figure
    return figures


def _figure(where: str, row: dict[str, str]) -> ReportFigure:
    if not row["code"]:
        raise ReportError(f"{where}：缺少指标代码（code）")
    if row["bound"] not in BOUNDS:
        raise ReportError(f"{where}：bound 应为 {'、'.join(BOUNDS)} 之一，当前为 {row['bound']!r}")
    return ReportFigure(
        area=row["area"],
        code=row["code"],
        name=row["name_zh"],
        value=_number(where, "value", row["value"]),
        unit=row["unit"],
        bound=row["bound"],
        yoy_pct=_number(where, "yoy_pct", row["yoy_pct"]) if row["yoy_pct"] else None,
        note=row["note"],
    )


def _number(where: str, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ReportError(f"{where}：{column} 应为数字，当前为 {text!r}")
    return value


def agrees(figure: ReportFigure, value: float | None) -> bool:
    """Whether a store value is the report's figure, within what the report's wording allows."""
    if value is None:
        return False
    if figure.bound == "at_least":
        return value >= figure.value
    if figure.bound == "approx":
        # "7.26万" is any count that rounds to 72,600 at the hundreds.
        return abs(value - figure.value) <= 50
    if figure.unit == "%":
        return abs(value - figure.value) <= RATE_TOLERANCE + 1e-9
    return value == figure.value


def previous_for_yoy(value: int, yoy_pct: float) -> int:
    """The whole previous-year count whose change to ``value`` rounds to ``yoy_pct`` (one decimal)."""
    guess = round(value / (1 + yoy_pct / 100))
    for candidate in sorted(range(guess - 3, guess + 4), key=lambda c: abs(c - guess)):
        if candidate > 0 and round((value - candidate) / candidate * 100, 1) == yoy_pct:
            return candidate
    raise ValueError(f"no whole count before {value} gives {yoy_pct}%")
