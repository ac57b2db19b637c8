"""Registers of the administration's dealings with people and enterprises: service transactions, double-random
inspections, enforcement cases and the 周末亲清行 enterprise visits."""

from __future__ import annotations

import random
from datetime import date, timedelta

from data import demo_names as names
from data.demo._draw import _dates, _enterprise, _flags, _head, _towns, _weighted


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
