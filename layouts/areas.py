"""What each area's page shows: its path, its trend, how it is split, and its extra breakdowns."""

from __future__ import annotations

from dataclasses import dataclass, field

from data.catalog import AREAS


@dataclass(frozen=True)
class Extra:
    """One more breakdown of an area: ``code`` by one register ``column`` (see data/queries/categories.py),
    or ``code`` beside ``versus`` for each township (requests raised against resolved)."""

    name: str
    title: str
    code: str
    column: str | None = None
    versus: str | None = None


@dataclass(frozen=True)
class AreaPage:
    area: str
    # the register-backed indicator whose monthly trend the page draws; None: reported figures only
    trend: str | None
    # township or department: how the area's register is split
    split: str | None
    # the indicator the split draws
    split_code: str | None = None
    extras: list[Extra] = field(default_factory=list)
    # said after the area's name in the page's heading: 平安建设 is reported under 法治社会, not 法治政府
    qualifier: str | None = None

    @property
    def path(self) -> str:
        return "/" + self.area

    @property
    def name(self) -> str:
        """The area's name, as the catalog declares it (data/catalog.py AREAS)."""
        return AREAS[self.area]

    @property
    def title(self) -> str:
        return f"{self.name}（{self.qualifier}）" if self.qualifier else self.name


AREA_PAGES: list[AreaPage] = [
    AreaPage(
        "service",
        trend="service_transactions",
        split="department",
        split_code="service_transactions",
        extras=[
            Extra("channel", "办件渠道", "service_transactions", "channel"),
            Extra("rating", "好差评", "service_rated", "rating"),
        ],
    ),
    AreaPage(
        "business",
        trend="enterprises_visited",
        split="township",
        split_code="enterprises_visited",
        extras=[
            Extra(
                "requests",
                "企业诉求：收集与办结",
                "enterprise_requests",
                versus="enterprise_requests_resolved",
            )
        ],
    ),
    AreaPage("decision", trend=None, split=None),
    AreaPage("enforcement", trend=None, split=None),
    AreaPage("hotline", trend="hotline_requests", split="township", split_code="hotline_requests"),
    AreaPage(
        "publicity",
        trend="themed_publicity_events",
        split="township",
        split_code="themed_publicity_events",
    ),
    AreaPage(
        "mediation",
        trend="disputes_mediated",
        split="township",
        split_code="disputes_mediated",
        extras=[
            Extra("type", "纠纷类型", "disputes_mediated", "dispute_type"),
            Extra("level", "调处层级", "disputes_mediated", "level"),
        ],
    ),
    AreaPage(
        "reconsideration",
        trend="reconsideration_applications",
        split="department",
        split_code="reconsideration_applications",
        extras=[
            Extra("outcome", "复议结果", "reconsideration_applications", "outcome"),
            Extra("matter", "复议事项类型", "reconsideration_applications", "matter_type"),
        ],
    ),
    AreaPage(
        "security",
        qualifier="法治社会",
        trend="criminal_alerts",
        split="township",
        split_code="criminal_alerts",
        extras=[Extra("category", "警情类型", "criminal_alerts", "category")],
    ),
]
BY_AREA = {p.area: p for p in AREA_PAGES}
