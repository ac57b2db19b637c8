"""Every component id of the app, in one place: ids must be unique across pages."""

YEAR = "filter-year"
DEMO_BADGE = "demo-badge"
PAGE_MESSAGE = "page-message"
OVERVIEW_SECTIONS = "overview-sections"
