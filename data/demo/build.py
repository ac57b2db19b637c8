"""Generating the demo store: places, calendar, every register for every year, reported figures, facts."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert

from data import alerts, catalog, facts, geo, org
from data.bulk import bulk_insert
from data.demo.loading import clear, holds_data
from data.demo.places import _check_ties_survive, _write_places
from data.demo.plan import YEARS, year_plan
from data.demo.registers import GENERATORS
from data.report import REPORT_YEAR
from data.schema import calendar as calendar_table
from data.schema import reported_figure
from data.store import get_meta, set_meta

DEFAULT_SEED = 20241231

Progress = Callable[[str], None]


def generate(
    conn: Connection, seed: int = DEFAULT_SEED, scale: float = 1.0, progress: Progress | None = None
) -> dict[str, int]:
    """Fill an empty (or demo) store with the demo district; returns the rows written per register."""
    say = progress or (lambda _msg: None)
    if holds_data(conn) and get_meta(conn, "demo") != "true":
        raise ValueError("数据库中已有正式数据，不能载入示例数据（示例数据只能载入空库或示例库）")
    _check_ties_survive(conn)
    clear(conn)
    _write_places(conn)
    geo.load_demo(conn)
    conn.execute(insert(calendar_table), [{"year": y, "month": m} for y in YEARS for m in range(1, 13)])

    written: dict[str, int] = {}
    for year in YEARS:
        plan = year_plan(year, scale)
        for table, make in GENERATORS:
            # One stream per register and year: changing one generator leaves the others' rows unchanged.
            rng = random.Random(f"{seed}:{table.name}:{year}")
            # The register number comes last in every register (data/schema.py): D<year>-<sequence>.
            rows = [(*row, f"D{year}-{i:07d}") for i, row in enumerate(make(rng, year, plan), 1)]
            bulk_insert(conn, table, rows)
            written[table.name] = written.get(table.name, 0) + len(rows)
        say(f"{year} 年登记数据已生成（{sum(written.values()):,} 行）")

    reported = [i for i in catalog.load().values() if i.source_kind == "reported"]
    conn.execute(
        insert(reported_figure),
        [
            {
                "indicator_code": ind.code,
                "year": year,
                "value": year_plan(year)[ind.code],
                "as_of": date(year, 12, 31),
                "source": f"{year}年法治政府建设工作报告"
                if year == REPORT_YEAR
                else "示例数据（按年度报告口径编制）",
            }
            for year in YEARS
            for ind in reported
        ],
    )
    say("正在汇总指标……")
    facts.refresh(conn)
    say("正在评估预警规则……")
    alerts.evaluate(conn)
    set_meta(conn, "demo", "true")
    set_meta(conn, "demo_seed", str(seed))
    set_meta(conn, "demo_scale", str(scale))
    set_meta(conn, "default_year", str(REPORT_YEAR))
    if get_meta(conn, org.DISTRICT_KEY) is None:
        set_meta(conn, org.DISTRICT_KEY, org.DEMO_DISTRICT)
    set_meta(conn, "generated_at", datetime.now(UTC).isoformat(timespec="seconds"))
    return written
