"""The demo data: an invented district whose 2024 registers add up to the real 2024 report.

Deterministic (a fixed seed gives the same store on every machine and engine), it serves the tests, the demo
and the docs alike. For 2024 the district totals equal the report's figures (``data/report_2024.csv``); 2023
follows the report's year-on-year changes where it gives them; the other years and everything the report does
not say (townships, months, departments' shares) are invented so that they read naturally.
``scale`` multiplies the three large registers (service transactions, 12345 requests, enterprise visits) to
build benchmark stores of millions of rows; their 2024 totals then no longer match the report.
"""

from __future__ import annotations

import calendar as cal
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta

from psycopg import sql as pgsql
from sqlalchemy import Column, Connection, Select, Table, delete, func, insert, select, update

from data import catalog, facts
from data import demo_names as names
from data.report import REPORT_YEAR, previous_for_yoy
from data.report import load as load_report
from data.schema import (
    REGISTERS,
    account,
    administrative_case,
    category_fact,
    court_appearance,
    department,
    detention,
    dispute_case,
    enforcement_case,
    enterprise_visit,
    hotline_request,
    indicator_fact,
    inspection,
    police_incident,
    publicity_event,
    reconsideration_application,
    reported_figure,
    service_transaction,
    township,
)
from data.schema import calendar as calendar_table
from data.store import get_meta, set_meta

DEFAULT_SEED = 20241231
YEARS = (2022, 2023, 2024, 2025)
SCALED = ("service_transactions", "hotline_requests", "enterprises_visited")

# Plan values for 2022, 2023 and 2025; 2024 comes from the report, and the report's year-on-year changes
# override 2023 where it gives them. Rates are in percent.
OTHER_YEARS: dict[str, tuple[float, float, float]] = {
    "service_transactions": (31840, 34215, 38906),
    "online_share": (38, 44, 53),
    "complaints": (6, 3, 1),
    "errors": (4, 2, 0),
    "overtime_cases": (11, 5, 2),
    "double_random_inspections": (198, 221, 252),
    "enforcement_cases_recorded": (688, 742, 815),
    "enterprises_visited": (9214, 10472, 12388),
    "enterprise_requests": (92, 104, 121),
    "enterprise_requests_resolved": (84, 96, 117),
    "disputes_mediated": (2486, 2603, 2755),
    "mediation_success_rate": (99.68, 99.65, 99.75),
    "reconsideration_applications": (176, 198, 241),
    "reconsideration_accepted": (131, 149, 182),
    "court_cases_h1": (16, 18, 21),
    "agency_head_court_appearance_rate": (6.25, 11.11, 23.81),
    "criminal_alerts": (1296, 1153, 886),
    "criminal_cases_solved": (842, 769, 611),
    "public_order_alerts": (5210, 4987, 4602),
    "administrative_cases": (3106, 3230, 3620),
    "administrative_detentions": (1187, 1295, 1502),
    "hotline_requests": (58420, 66350, 75180),
    "hotline_completion_rate": (99.94, 99.98, 99.99),
    "hotline_satisfaction_rate": (99.81, 99.90, 99.95),
    "joint_publicity_events": (31, 36, 44),
    "joint_publicity_audience": (38000, 44500, 53800),
    "themed_publicity_events": (1450, 1620, 1880),
    "themed_publicity_audience": (61000, 72000, 84500),
    "legal_consultation_events": (70, 82, 96),
    "publicity_materials": (3100, 3600, 4300),
    # reported figures
    "service_center_departments": (38, 41, 43),
    "service_center_items": (1512, 1624, 1718),
    "comprehensive_windows": (12, 16, 22),
    "standard_courseware": (18, 26, 38),
    "high_frequency_items_covered": (40, 58, 76),
    "emergency_response_speedup_pct": (30, 55, 82),
    "efficiency_gain_pct": (25, 42, 63),
    "annual_inspection_plans_reviewed": (276, 297, 325),
    "enterprise_inspection_monitoring_points": (6, 8, 12),
    "law_thought_lectures": (2, 2, 4),
    "legality_review_coverage": (100, 100, 100),
    "documents_reviewed": (86, 97, 112),
    "normative_documents_filed": (3, 2, 2),
    "normative_filing_rate": (100, 100, 100),
    "normative_documents_cleaned": (18, 31, 12),
    "major_decision_violations": (0, 0, 0),
    "certification_exams": (3, 4, 4),
    "officers_certified": (96, 118, 121),
    "certificates_revoked": (87, 102, 95),
    "supervision_inspections": (2, 2, 3),
    "supervision_opinions": (5, 4, 2),
    "legal_literate_course_completion": (93.5, 96.2, 98.6),
    "reconsideration_service_points": (10, 16, 16),
}
# 2024 values the report does not give
PLAN_2024_EXTRA = {
    "service_transactions": 36480,
    "online_share": 49,
    "public_order_alerts": 4715,
    "court_cases_h1": 20,
}

Progress = Callable[[str], None]


def year_plan(year: int, scale: float = 1.0) -> dict[str, float]:
    """Every total the registers of ``year`` must add up to."""
    report = load_report()
    if year == REPORT_YEAR:
        plan = {code: fig.value for code, fig in report.items()} | PLAN_2024_EXTRA
    else:
        position = {2022: 0, 2023: 1, 2025: 2}[year]
        plan = {code: values[position] for code, values in OTHER_YEARS.items()}
        if year == REPORT_YEAR - 1:
            for code, fig in report.items():
                if fig.yoy_pct is not None:
                    plan[code] = previous_for_yoy(int(fig.value), fig.yoy_pct)
    for code in SCALED:
        plan[code] = round(plan[code] * scale)
    return plan


def count_for_rate(total: int, rate_pct: float) -> int:
    """The whole count out of ``total`` whose share comes nearest to ``rate_pct``."""
    guess = round(total * rate_pct / 100)
    candidates = [c for c in (guess - 1, guess, guess + 1) if 0 <= c <= total]
    return min(candidates, key=lambda c: abs(c / total * 100 - rate_pct)) if total else 0


# --- small random helpers ----------------------------------------------------------------------


def _flags(rng: random.Random, n: int, k: int) -> list[bool]:
    """Exactly ``k`` of ``n`` flags set, in random order."""
    out = [True] * k + [False] * (n - k)
    rng.shuffle(out)
    return out


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    """``total`` split into ``n`` positive parts that vary naturally and add up exactly."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(n)]
    scale = (total - n) / sum(weights)
    parts = [1 + int(w * scale) for w in weights]
    for i in rng.sample(range(n), total - sum(parts)):
        parts[i] += 1
    return parts


def _dates(rng: random.Random, year: int, n: int, months: Sequence[float] | None = None) -> list[date]:
    weights = months or (0.8, 0.7, 1.0, 1.0, 1.05, 1.0, 1.1, 1.1, 1.0, 1.0, 1.05, 1.2)
    picked = rng.choices(range(1, 13), weights=weights, k=n)
    return [date(year, m, rng.randint(1, cal.monthrange(year, m)[1])) for m in picked]


def _towns(rng: random.Random, n: int, none_share: float = 0.0) -> list[str | None]:
    codes = [t[0] for t in names.TOWNSHIPS]
    picked: list[str | None] = rng.choices(codes, weights=[t[3] for t in names.TOWNSHIPS], k=n)
    if none_share:
        picked = [None if rng.random() < none_share else code for code in picked]
    return picked


def _weighted(rng: random.Random, pairs: Sequence[tuple], n: int) -> list:
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs], k=n)


def _enterprise(rng: random.Random) -> str:
    return rng.choice(names.ENTERPRISE_WORDS) + rng.choice(names.ENTERPRISE_KINDS)


def _head(d: date, year: int, month: int | None = None) -> tuple:
    return (d, year, d.month if month is None else month)


# --- registers, one function each: (table, rows as tuples in column order without id) ------------


def _service(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["service_transactions"])
    items = rng.choices(names.SERVICE_ITEMS, weights=[i[2] for i in names.SERVICE_ITEMS], k=n)
    online = plan["online_share"] / 100
    on_time = _flags(rng, n, n - int(plan["overtime_cases"]))
    complaint = _flags(rng, n, int(plan["complaints"]))
    error = _flags(rng, n, int(plan["errors"]))
    rows = []
    for i, (d, town) in enumerate(zip(_dates(rng, year, n), _towns(rng, n, none_share=0.35), strict=True)):
        r = rng.random()
        channel = "网办" if r < online else ("自助" if r < online + 0.08 else "窗口")
        rating = None if rng.random() < 0.18 else ("好评" if rng.random() < 0.997 else "差评")
        done = d + timedelta(days=rng.randint(0, 3) if on_time[i] else rng.randint(16, 30))
        rows.append(
            (
                *_head(d, year),
                items[i][1],
                town,
                items[i][0],
                channel,
                done,
                on_time[i],
                rating,
                complaint[i],
                error[i],
            )
        )
    return rows


def _inspections(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["double_random_inspections"])
    results = _weighted(rng, [("未发现问题", 7.0), ("责令整改", 2.5), ("立案查处", 0.5)], n)
    return [
        (*_head(d, year), rng.choice(names.INSPECTING_DEPARTMENTS), town, _enterprise(rng), results[i])
        for i, (d, town) in enumerate(zip(_dates(rng, year, n), _towns(rng, n), strict=True))
    ]


def _enforcement(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["enforcement_cases_recorded"])
    kinds = _weighted(rng, [("简易程序处罚", 4.0), ("普通程序处罚", 4.5), ("行政强制", 1.0)], n)
    return [
        (
            *_head(d, year),
            rng.choice(names.ENFORCING_DEPARTMENTS),
            town,
            kinds[i],
            _enterprise(rng) if rng.random() < 0.7 else "个人",
        )
        for i, (d, town) in enumerate(zip(_dates(rng, year, n), _towns(rng, n), strict=True))
    ]


def _visits(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["enterprises_visited"])
    raised = [0] * n
    resolved = [0] * n
    requests = int(plan["enterprise_requests"])
    done = _flags(rng, requests, int(plan["enterprise_requests_resolved"]))
    # A few visits raise two or three requests; most raise none.
    askers = rng.sample(range(n), max(1, requests * 4 // 5))
    for i in range(requests):
        visit = askers[i % len(askers)]
        raised[visit] += 1
        resolved[visit] += done[i]
    towns = rng.choices(
        [t[0] for t in names.TOWNSHIPS],
        weights=[t[3] * (3 if t[2] == "园区" else 1) for t in names.TOWNSHIPS],
        k=n,
    )
    return [
        (
            *_head(d, year),
            rng.choice(names.HELPING_DEPARTMENTS),
            towns[i],
            _enterprise(rng),
            raised[i],
            resolved[i],
        )
        for i, d in enumerate(_weekend(d) for d in _dates(rng, year, n))
    ]


def _weekend(d: date) -> date:
    """周末亲清行 visits happen at weekends: the Saturday of ``d``'s week, or the Sunday before it where that
    Saturday falls in the next year."""
    saturday = d + timedelta(days=(5 - d.weekday()) % 7)
    return saturday if saturday.year == d.year else d - timedelta(days=d.weekday() + 1)


def _disputes(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["disputes_mediated"])
    success = _flags(rng, n, count_for_rate(n, plan["mediation_success_rate"]))
    levels = _weighted(rng, [("区", 0.08), ("乡镇", 0.30), ("村居", 0.62)], n)
    types = _weighted(rng, names.DISPUTE_TYPES, n)
    rows = []
    for i, (d, town) in enumerate(zip(_dates(rng, year, n), _towns(rng, n), strict=True)):
        body = names.DISPUTE_BODIES.get(types[i], "SFJ") if levels[i] == "区" else None
        closed = d + timedelta(days=rng.randint(1, 25))
        rows.append((*_head(d, year), body, town, levels[i], types[i], success[i], closed))
    return rows


def _reconsiderations(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["reconsideration_applications"])
    accepted = _flags(rng, n, int(plan["reconsideration_accepted"]))
    types = _weighted(rng, names.RECONSIDERATION_TYPES, n)
    rows = []
    for i, (d, town) in enumerate(zip(_dates(rng, year, n), _towns(rng, n, none_share=0.35), strict=True)):
        if not accepted[i]:
            outcome, closed = "不予受理", d + timedelta(days=rng.randint(3, 5))
        elif year == YEARS[-1] and d.month == 12 and d.day > 10:
            outcome, closed = "审理中", None
        else:
            outcome = _weighted(rng, names.RECONSIDERATION_OUTCOMES, 1)[0]
            closed = d + timedelta(days=rng.randint(20, 60))
        respondent = rng.choice(names.ENFORCING_DEPARTMENTS)
        rows.append((*_head(d, year), respondent, town, types[i], accepted[i], outcome, closed))
    return rows


def _court(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    rows = []
    h1 = int(plan["court_cases_h1"])
    halves = [(range(1, 7), h1, count_for_rate(h1, plan["agency_head_court_appearance_rate"]))]
    h2 = h1 - rng.randint(0, 3)
    halves.append((range(7, 13), h2, count_for_rate(h2, plan["agency_head_court_appearance_rate"] + 3)))
    for months, n, appeared in halves:
        for flag in _flags(rng, n, appeared):
            m = rng.choice(months)
            d = date(year, m, rng.randint(1, cal.monthrange(year, m)[1]))
            kind = _weighted(rng, names.RECONSIDERATION_TYPES, 1)[0]
            rows.append((*_head(d, year), rng.choice(names.ENFORCING_DEPARTMENTS), kind, flag))
    return rows


SUMMER = (0.85, 0.8, 0.95, 1.0, 1.05, 1.1, 1.2, 1.2, 1.05, 1.0, 0.95, 0.9)


def _incidents(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    rows = []
    criminal = int(plan["criminal_alerts"])
    solved = _flags(rng, criminal, int(plan["criminal_cases_solved"]))
    cats = _weighted(rng, names.CRIMINAL_CATEGORIES, criminal)
    for i, (d, town) in enumerate(
        zip(_dates(rng, year, criminal, SUMMER), _towns(rng, criminal), strict=True)
    ):
        rows.append((*_head(d, year), town, "刑事", cats[i], solved[i]))
    public = int(plan["public_order_alerts"])
    cats = _weighted(rng, names.PUBLIC_ORDER_CATEGORIES, public)
    for i, (d, town) in enumerate(zip(_dates(rng, year, public, SUMMER), _towns(rng, public), strict=True)):
        rows.append((*_head(d, year), town, "治安", cats[i], rng.random() < 0.93))
    return rows


def _admin_cases(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["administrative_cases"])
    cats = _weighted(rng, names.ADMINISTRATIVE_CASE_CATEGORIES, n)
    return [
        (*_head(d, year), town, cats[i])
        for i, (d, town) in enumerate(zip(_dates(rng, year, n, SUMMER), _towns(rng, n), strict=True))
    ]


def _detentions(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["administrative_detentions"])
    cats = _weighted(rng, names.DETENTION_CATEGORIES, n)
    return [
        (*_head(d, year), town, cats[i], rng.randint(1, 15))
        for i, (d, town) in enumerate(zip(_dates(rng, year, n, SUMMER), _towns(rng, n), strict=True))
    ]


def _hotline(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    n = int(plan["hotline_requests"])
    completed = count_for_rate(n, plan["hotline_completion_rate"])
    visited = round(completed * 0.966)
    satisfied = count_for_rate(visited, plan["hotline_satisfaction_rate"])
    done = _flags(rng, n, completed)
    # Among completed requests: which were visited, and of those which were satisfied.
    answers = _flags(rng, visited, satisfied) + [None] * (completed - visited)
    rng.shuffle(answers)
    cats = rng.choices(names.HOTLINE_CATEGORIES, weights=[c[2] for c in names.HOTLINE_CATEGORIES], k=n)
    rows = []
    it = iter(answers)
    for i, (d, town) in enumerate(zip(_dates(rng, year, n, SUMMER), _towns(rng, n), strict=True)):
        rows.append((*_head(d, year), cats[i][1], town, cats[i][0], done[i], next(it) if done[i] else None))
    return rows


PUBLICITY_MONTHS = (0.7, 0.6, 1.6, 1.4, 1.0, 1.4, 0.9, 0.8, 1.0, 1.0, 1.1, 1.6)


def _publicity(rng: random.Random, year: int, plan: dict) -> list[tuple]:
    rows = []
    kinds = [
        (
            "部门联合",
            "joint_publicity_events",
            "joint_publicity_audience",
            None,
            names.JOINT_PUBLICITY_TITLES,
        ),
        (
            "主题宣传",
            "themed_publicity_events",
            "themed_publicity_audience",
            None,
            names.THEMED_PUBLICITY_TITLES,
        ),
        ("法律咨询", "legal_consultation_events", None, "publicity_materials", [names.CONSULTATION_TITLE]),
    ]
    for kind, events, audience, materials, titles in kinds:
        n = int(plan[events])
        people = _split(rng, int(plan[audience]), n) if audience else [rng.randint(15, 60) for _ in range(n)]
        handouts = _split(rng, int(plan[materials]), n) if materials else [0] * n
        for i, (d, town) in enumerate(
            zip(_dates(rng, year, n, PUBLICITY_MONTHS), _towns(rng, n), strict=True)
        ):
            organizer = "SFJ" if kind == "法律咨询" else rng.choice(names.PUBLICITY_DEPARTMENTS)
            rows.append((*_head(d, year), organizer, town, kind, rng.choice(titles), people[i], handouts[i]))
    return rows


GENERATORS: list[tuple[Table, Callable[[random.Random, int, dict], list[tuple]]]] = [
    (service_transaction, _service),
    (inspection, _inspections),
    (enforcement_case, _enforcement),
    (enterprise_visit, _visits),
    (dispute_case, _disputes),
    (reconsideration_application, _reconsiderations),
    (court_appearance, _court),
    (police_incident, _incidents),
    (administrative_case, _admin_cases),
    (detention, _detentions),
    (hotline_request, _hotline),
    (publicity_event, _publicity),
]


# --- loading -------------------------------------------------------------------------------------


def bulk_insert(conn: Connection, table: Table, rows: list[tuple]) -> None:
    """Insert tuples in the table's column order (without ``id``): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    columns = [c.name for c in table.c if c.name != "id"]
    if conn.dialect.name == "postgresql":
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table.name), pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        )
        with conn.connection.driver_connection.cursor() as cur, cur.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def holds_data(conn: Connection) -> bool:
    return conn.scalar(select(func.count()).select_from(department)) > 0


def clear(conn: Connection) -> None:
    """Remove every register row, figure and dimension (the catalog stays).

    A department or township an account is tied to stays: deleting it would break the account's tie (the
    foreign key refuses it). :func:`generate` writes the demo's names over the ones that stay.
    """
    for table in [*REGISTERS.values(), indicator_fact, category_fact, reported_figure, calendar_table]:
        conn.execute(delete(table))
    for table, column in ((department, account.c.department_code), (township, account.c.township_code)):
        conn.execute(delete(table).where(table.c.code.not_in(_tied(column))))


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
    conn.execute(insert(calendar_table), [{"year": y, "month": m} for y in YEARS for m in range(1, 13)])

    written: dict[str, int] = {}
    for year in YEARS:
        plan = year_plan(year, scale)
        for table, make in GENERATORS:
            # One stream per register and year: changing one generator leaves the others' rows unchanged.
            rng = random.Random(f"{seed}:{table.name}:{year}")
            rows = make(rng, year, plan)
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
    set_meta(conn, "demo", "true")
    set_meta(conn, "demo_seed", str(seed))
    set_meta(conn, "demo_scale", str(scale))
    set_meta(conn, "default_year", str(REPORT_YEAR))
    set_meta(conn, "generated_at", datetime.now(UTC).isoformat(timespec="seconds"))
    return written


# The plan entries that are each one register row, to size a store before generating it.
ROW_KEYS = (
    "service_transactions",
    "double_random_inspections",
    "enforcement_cases_recorded",
    "enterprises_visited",
    "disputes_mediated",
    "reconsideration_applications",
    "court_cases_h1",
    "court_cases_h1",
    "criminal_alerts",
    "public_order_alerts",
    "administrative_cases",
    "administrative_detentions",
    "hotline_requests",
    "joint_publicity_events",
    "themed_publicity_events",
    "legal_consultation_events",
)


def estimated_rows(scale: float = 1.0) -> int:
    """About how many register rows :func:`generate` writes at ``scale``."""
    return int(sum(year_plan(year, scale)[key] for year in YEARS for key in ROW_KEYS))


def scale_for_rows(rows: int) -> float:
    """The scale that gives about ``rows`` register rows."""
    fixed = estimated_rows(0.0)
    return max(0.01, (rows - fixed) / (estimated_rows(1.0) - fixed))
