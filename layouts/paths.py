"""Every path the app serves, declared once: the routes register these, the pages and their scripts link to them
(templates through the context, scripts through the config each page hands them), and the tests read them.

Flask rule syntax (``<int:batch_id>``) where a path has a part; it imports nothing, so any layer may read it.
The desk's area pages (/service, /mediation …) are content and are declared with their areas (layouts/areas.py).
"""

from __future__ import annotations

# --- signing in, health ------------------------------------------------------------------------------------
LOGIN_PATH = "/login"
LOGOUT_PATH = "/logout"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"

# --- the desk (Dash) and its downloads -----------------------------------------------------------------------
DESK_PATH = "/"
MINE_PATH = "/mine"
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

# --- the wall ------------------------------------------------------------------------------------------------
SCREEN_PATH = "/screen"
SCREEN_STATIC_PATH = f"{SCREEN_PATH}/static"

# --- the presenter -------------------------------------------------------------------------------------------
PRESENT_PATH = "/present"
SNAPSHOT_PATH = f"{PRESENT_PATH}/s"

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
ALERT_RULES_PATH = f"{ADMIN_AREA}/alerts"  # the warning rules (dashboard/pages/admin/alerts.py)

# --- the JSON API --------------------------------------------------------------------------------------------
API_PREFIX = "/api/v1"
API_RECORDS = "/records"  # under API_PREFIX, as the blueprint registers it
API_ALERTS = "/alerts"  # under API_PREFIX: the warnings of a year (dashboard/api/alerts.py)
API_IMPORTS_PATH = f"{API_PREFIX}/imports"
