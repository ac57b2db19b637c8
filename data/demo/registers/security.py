"""Registers of public security: police incidents, administrative cases and detentions."""

from __future__ import annotations

import random

from data import demo_names as names
from data.demo._draw import SUMMER, _dates, _flags, _head, _towns, _weighted


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
