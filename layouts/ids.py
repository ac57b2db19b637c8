"""Every component id of the app, in one place: ids must be unique across pages."""

# the shell
URL = "url"
PAGE = "page"
YEAR = "filter-year"
DEPARTMENT = "filter-department"
TOWNSHIP = "filter-township"
FILTERS = "filters"
DEFAULT_YEAR = "default-year"
# the filters' limits for the browser script (assets/2-app/filters.js), from data/queries/filters.py
FILTER_LIMITS = "filter-limits"
NOTICE = "filter-notice"
DEMO_BADGE = "demo-badge"
# says that the store cannot be reached (or a panel failed); assets/2-app/health.js watches it
STORE_BANNER = "store-banner"
NAV = "nav"
# who is signed in (the header)
ACCOUNT_NAME = "account-name"
ACCOUNT_LOGIN = "account-login"
ACCOUNT_LINKS = "account-links"
# the header's follow-up inbox (督办) and its count
INBOX = "account-inbox"
INBOX_COUNT = "account-inbox-count"
# the pages in navigation order, for the browser script that keeps the links in step with the URL
NAV_PATHS = "nav-paths"

# the overview
OVERVIEW_SECTIONS = "overview-sections"

# one's own figures (/mine)
MINE_TITLE = "mine-title"
MINE_SECTIONS = "mine-sections"
MINE_STANDING = "mine-standing"
MINE_PERIOD = "mine-period"
MINE_PRINT = "mine-print"
MINE_PDF = "mine-pdf"
MINE_ATTENTION = "mine-attention"

# the drill-down dialog
RECORDS_DIALOG = "records-dialog"
RECORDS_TITLE = "records-title"
RECORDS_GRID = "records-grid"
RECORDS_BODY = "records-body"
RECORDS_SUMMARY = "records-summary"
RECORDS_CSV = "records-csv"
RECORDS_XLSX = "records-xlsx"
RECORDS_DOWNLOADS = "records-downloads"
RECORDS_CODE = "records-code"
RECORDS_REQUEST = "records-request"


def nav_link(path: str) -> str:
    return "nav-" + (path.strip("/") or "overview")


def panel(area: str, name: str) -> str:
    """An area page's panel: kpis, trend, breakdown, or one of its extra breakdowns."""
    return f"{area}-{name}"
