"""Every path the app serves, declared once: the routes register these, the pages and their scripts link to them
(templates through the context, scripts through the config each page hands them), and the tests read them.

Flask rule syntax (``<int:batch_id>``) where a path has a part; it imports nothing, so any layer may read it.
The desk's area pages (/service, /mediation …) are content and are declared with their areas (layouts/areas.py).
"""

from __future__ import annotations

# --- signing in, health ------------------------------------------------------------------------------------
LOGIN_PATH = "/login"
LOGIN_SCRIPT_PATH = f"{LOGIN_PATH}/login.js"
LOGOUT_PATH = "/logout"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# --- the desk (Dash) and its downloads -----------------------------------------------------------------------
DESK_PATH = "/"
MINE_PATH = "/mine"
# one's own page printed (A4, no navigation), as PDF, and the monthly reports delivered to one's inbox
MINE_PRINT_PATH = f"{MINE_PATH}/print"
MINE_PDF_PATH = f"{MINE_PATH}/print.pdf"
MINE_REPORTS_PATH = f"{MINE_PATH}/reports"
MINE_REPORT_FILE_PATH = f"{MINE_REPORTS_PATH}/<int:report_id>.<kind>"
DOWNLOAD_PATH = "/download/records.{kind}"

# --- the data page: templates, uploads, review ----------------------------------------------------------------
DATA_PATH = "/data"
DATA_SCRIPT_PATH = f"{DATA_PATH}/data-page.js"
UPLOAD_PATH = f"{DATA_PATH}/upload"
TEMPLATE_PATH = f"{DATA_PATH}/template/<register>.xlsx"
BATCH_PATH = f"{DATA_PATH}/batch/<int:batch_id>"
ANNOTATED_PATH = f"{BATCH_PATH}/annotated.xlsx"
ROLLBACK_PATH = f"{DATA_PATH}/version/<int:version_id>/rollback"
FIGURE_PATH = f"{DATA_PATH}/figure"
REPORTING_PATH = f"{DATA_PATH}/reporting"

# --- follow-ups (督办): the list, the create form, one follow-up and what is done to it ---------------------------
SUPERVISE_PATH = "/supervise"
SUPERVISE_NEW_PATH = f"{SUPERVISE_PATH}/new"
SUPERVISION_PATH = f"{SUPERVISE_PATH}/<int:supervision_id>"
SUPERVISION_REPLY_PATH = f"{SUPERVISION_PATH}/reply"
SUPERVISION_CLOSE_PATH = f"{SUPERVISION_PATH}/close"
SUPERVISION_RETURN_PATH = f"{SUPERVISION_PATH}/return"
SUPERVISION_FILE_PATH = f"{SUPERVISION_PATH}/file/<int:attachment_id>"
SUPERVISE_SCRIPT_PATH = f"{SUPERVISE_PATH}/supervise.js"

# --- the wall ------------------------------------------------------------------------------------------------
SCREEN_PATH = "/screen"
SCREEN_STATIC_PATH = f"{SCREEN_PATH}/static"

# --- the presenter -------------------------------------------------------------------------------------------
PRESENT_PATH = "/present"
SNAPSHOT_PATH = f"{PRESENT_PATH}/s"
# a deck's text slides, saved from the list page's editor (issue 21)
DECK_TEXT_PATH = f"{PRESENT_PATH}/<name>/text"
# a deck's slides hidden and reordered (issue 21)
DECK_EDIT_PATH = f"{PRESENT_PATH}/<name>/edit"

# --- administration ------------------------------------------------------------------------------------------
ADMIN_AREA = "/admin"
ADMIN_PATH = f"{ADMIN_AREA}/users"
AUDIT_PATH = f"{ADMIN_AREA}/audit"
SCREENS_PATH = f"{ADMIN_AREA}/screens"
REVOKE_PATH = f"{SCREENS_PATH}/revoke"
ORG_PATH = f"{ADMIN_AREA}/org"
ORG_UPLOAD_PATH = f"{ORG_PATH}/upload"
ORG_END_PATH = f"{ORG_PATH}/end"
ORG_MERGE_PATH = f"{ORG_PATH}/merge"
# the indicator catalog as the district has it: admins and leaders (Action.EDIT_CATALOG)
CATALOG_PATH = f"{ADMIN_AREA}/catalog"
CATALOG_EDIT_PATH = f"{CATALOG_PATH}/edit"
CATALOG_UNDO_PATH = f"{CATALOG_PATH}/undo"
ORG_DISTRICT_PATH = f"{ORG_PATH}/district"
ORG_DUTY_PATH = f"{ORG_PATH}/duty"
ORG_DUTY_REMOVE_PATH = f"{ORG_DUTY_PATH}/remove"
ALERT_RULES_PATH = f"{ADMIN_AREA}/alerts"  # the warning rules (dashboard/pages/admin/alerts.py)

# --- the JSON API --------------------------------------------------------------------------------------------
API_PREFIX = "/api/v1"
API_RECORDS = "/records"  # under API_PREFIX, as the blueprint registers it
API_ALERTS = "/alerts"  # under API_PREFIX: the warnings of a year (dashboard/api/alerts.py)
API_IMPORTS_PATH = f"{API_PREFIX}/imports"
API_SUPERVISIONS_PATH = f"{API_PREFIX}/supervisions"
API_SUPERVISION_REPLIES_PATH = f"{API_SUPERVISIONS_PATH}/<int:supervision_id>/replies"


def fill(path: str, **parts: object) -> str:
    """A declared path with its parts filled in: fill(SUPERVISION_PATH, supervision_id=7) -> /supervise/7."""
    for name, value in parts.items():
        for shape in (f"<int:{name}>", f"<{name}>"):
            path = path.replace(shape, str(value))
    return path
