"""The overview page: every area's headline figures as KPI cards, in the report's order."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids
from layouts.format import change, number

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


def layout(**_query: str) -> html.Div:
    return html.Div(
        dcc.Loading(html.Div(id=ids.OVERVIEW_SECTIONS, className="overview"), type="dot", delay_show=300),
        className="page",
    )


def kpi_card(figure: dict, direction: str, definition: str) -> html.Div:
    value, unit = number(figure["value"], figure["unit"])
    text, tone = change(figure["yoy_pct"], direction, figure["yoy_points"])
    about = (
        f"{figure['name']}\n口径：{definition}\n统计截至：{figure['as_of'] or '—'}\n来源：{figure['source']}"
    )
    return html.Div(
        [
            html.Div(figure["name"], className="kpi-name"),
            html.Div([html.Span(value, className="kpi-value"), html.Span(unit, className="kpi-unit")]),
            html.Div(text, className=f"kpi-change tone-{tone}"),
        ],
        className="kpi-card",
        title=about,
        **{"data-code": figure["code"]},
    )


def section(area: str, title: str, cards: list[html.Div]) -> html.Section:
    heading = "平安建设（法治社会）" if area == "security" else title
    return html.Section(
        [html.H2(heading, className="area-title"), html.Div(cards, className="kpi-grid")],
        className="area-section",
        id=f"area-{area}",
    )


def message(text: str) -> html.Div:
    return html.Div(text, className="empty-state")
