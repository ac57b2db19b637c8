"""The register generators, one function each, grouped by subject.

Each takes a random stream, the year and the year's plan (:func:`data.demo.plan.year_plan`), and returns the
register's rows as tuples in the table's column order without ``id``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from sqlalchemy import Table

from data.demo.registers.administration import _enforcement, _inspections, _service, _visits
from data.demo.registers.justice import _court, _disputes, _reconsiderations
from data.demo.registers.public import _hotline, _publicity
from data.demo.registers.security import _admin_cases, _detentions, _incidents
from data.schema import (
    administrative_case,
    court_appearance,
    detention,
    dispute_case,
    enforcement_case,
    enterprise_visit,
    hotline_request,
    inspection,
    police_incident,
    publicity_event,
    reconsideration_application,
    service_transaction,
)

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
