"""The demo data: an invented district whose 2024 registers add up to the real 2024 report.

Deterministic (a fixed seed gives the same store on every machine and engine), it serves the tests, the demo
and the docs alike. For 2024 the district totals equal the report's figures (``data/report_2024.csv``); 2023
follows the report's year-on-year changes where it gives them; the other years and everything the report does
not say (townships, months, departments' shares) are invented so that they read naturally.
``scale`` multiplies the three large registers (service transactions, 12345 requests, enterprise visits) to
build benchmark stores of millions of rows; their 2024 totals then no longer match the report.

The package's modules, each one concern: ``plan`` (the totals every year's registers must add up to: the
report's figures for 2024, the plan values for the other years, and the sizing of a store), ``registers``
(one generator per register, grouped by subject), ``places`` (the departments and townships,
and the ones an account is tied to, which survive a regeneration), ``loading`` (writing rows, emptying the
store, telling whether it holds data) and ``build`` (:func:`generate`, which puts them together). The random
helpers the generators share are in ``_draw``; the invented names in ``data.demo_names``. Callers use the
names re-exported here (``from data import demo``, then ``demo.generate``).
"""

from data.bulk import bulk_insert
from data.demo.build import DEFAULT_SEED, Progress, generate
from data.demo.loading import clear, holds_data
from data.demo.plan import (
    OTHER_YEARS,
    PLAN_2024_EXTRA,
    ROW_KEYS,
    SCALED,
    YEARS,
    count_for_rate,
    estimated_rows,
    scale_for_rows,
    year_plan,
)
from data.demo.registers import GENERATORS

__all__ = [
    "DEFAULT_SEED",
    "GENERATORS",
    "OTHER_YEARS",
    "PLAN_2024_EXTRA",
    "ROW_KEYS",
    "SCALED",
    "YEARS",
    "Progress",
    "bulk_insert",
    "clear",
    "count_for_rate",
    "estimated_rows",
    "generate",
    "holds_data",
    "scale_for_rows",
    "year_plan",
]
