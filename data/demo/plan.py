"""The totals the demo's registers must add up to, year by year, and the size of a store they make.

For 2024 they are the report's figures (``data/report_2024.csv``) and a few plan values the report does not
give; the other years are plan values, 2023's overridden by the report's year-on-year changes where it gives
them. ``scale`` multiplies the large registers (:data:`SCALED`).
"""

from __future__ import annotations

from data.report import REPORT_YEAR, previous_for_yoy
from data.report import load as load_report

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
