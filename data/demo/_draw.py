"""Small random helpers the register generators share: flags, splits, dates, townships and names."""

from __future__ import annotations

import calendar as cal
import random
from collections.abc import Sequence
from datetime import date

from data import demo_names as names


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


# Month weights for the registers that peak in summer (police, 12345).
SUMMER = (0.85, 0.8, 0.95, 1.0, 1.05, 1.1, 1.2, 1.2, 1.05, 1.0, 0.95, 0.9)
