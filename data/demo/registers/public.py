"""Registers of dealings with the public: 12345 hotline requests and legal publicity events."""

from __future__ import annotations

import random

from data import demo_names as names
from data.demo._draw import SUMMER, _dates, _flags, _head, _split, _towns
from data.demo.plan import count_for_rate


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
