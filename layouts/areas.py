"""What each area's page shows: its path, its trend, how it is split, and its extra breakdowns."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    title: str
    # the register-backed indicator whose monthly trend the page draws; None: reported figures only
    trend: str | None
    # township or department: how the area's register is split
    split: str | None
    # the indicator the split draws
    split_code: str | None = None
    extras: list[Extra] = field(default_factory=list)

    @property
    def path(self) -> str:
        return "/" + self.area


AREA_PAGES: list[AreaPage] = [
    AreaPage(
        "service",
        "政务服务",
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
        "营商环境",
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
    AreaPage("decision", "依法决策", trend=None, split=None),
    AreaPage("enforcement", "行政执法", trend=None, split=None),
    AreaPage(
        "hotline", "12345热线", trend="hotline_requests", split="township", split_code="hotline_requests"
    ),
    AreaPage(
        "publicity",
        "普法宣传",
        trend="themed_publicity_events",
        split="township",
        split_code="themed_publicity_events",
    ),
    AreaPage(
        "mediation",
        "矛盾纠纷",
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
        "行政复议",
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
        "平安建设（法治社会）",
        trend="criminal_alerts",
        split="township",
        split_code="criminal_alerts",
        extras=[Extra("category", "警情类型", "criminal_alerts", "category")],
    ),
]
BY_AREA = {p.area: p for p in AREA_PAGES}
