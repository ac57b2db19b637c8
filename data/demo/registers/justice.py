"""Registers of disputes and reviews: mediated disputes, administrative reconsiderations and court appearances."""

from __future__ import annotations

import calendar as cal
import random
from datetime import date, timedelta

from data import demo_names as names
from data.demo._draw import _dates, _flags, _head, _towns, _weighted
from data.demo.plan import YEARS, count_for_rate


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
