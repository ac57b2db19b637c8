"""The overview page: every area's headline figures as KPI cards, in the report's order."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids

# The figures each area leads with on the overview (catalog codes), in the order shown.
HEADLINES: dict[str, list[str]] = {
    "service": [
        "service_center_departments",
        "service_center_items",
        "comprehensive_windows",
        "efficiency_gain_pct",
    ],
    "business": [
        "double_random_inspections",
        "enterprises_visited",
        "enterprise_requests",
        "enterprise_resolution_rate",
    ],
    "decision": [
        "legality_review_coverage",
        "documents_reviewed",
        "normative_filing_rate",
        "normative_documents_cleaned",
    ],
    "enforcement": [
        "certification_exams",
        "officers_certified",
        "certificates_revoked",
        "supervision_opinions",
    ],
    "hotline": ["hotline_requests", "hotline_completion_rate", "hotline_satisfaction_rate"],
    "publicity": [
        "themed_publicity_events",
        "themed_publicity_audience",
        "joint_publicity_events",
        "legal_literate_course_completion",
    ],
    "mediation": ["disputes_mediated", "mediation_success_rate"],
    "reconsideration": [
        "reconsideration_applications",
        "reconsideration_accepted",
        "reconsideration_service_points",
        "agency_head_court_appearance_rate",
    ],
    "security": [
        "criminal_alerts",
        "criminal_cases_solved",
        "administrative_cases",
        "administrative_detentions",
    ],
}


def layout() -> html.Div:
    return html.Div(
        dcc.Loading(html.Div(id=ids.OVERVIEW_SECTIONS, className="overview"), type="dot", delay_show=400),
        className="page",
    )


def section(area: str, title: str, path: str, cards: list[html.Div]) -> html.Section:
    heading = "平安建设（法治社会）" if area == "security" else title
    return html.Section(
        [
            html.H2(dcc.Link(heading, href=path, className="area-link"), className="area-title"),
            html.Div(cards, className="kpi-grid"),
        ],
        className="area-section",
        id=f"area-{area}",
    )
