"""The page shell: title, demo badge, navigation, the filter bar, the routed page and the records dialog."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from data.queries.filters import MAX_CODES
from layouts import ids, records
from layouts.areas import AREA_PAGES
from layouts.paths import (
    ADMIN_PATH,
    CATALOG_PATH,
    DATA_PATH,
    LOGIN_PATH,
    LOGOUT_PATH,
    MINE_PATH,
    PRESENT_PATH,
    READY_PATH,
    SUPERVISE_PATH,
)

TITLE = "法治政府建设数据驾驶舱"
PAGES = [("/", "总览"), *[(p.path, p.name) for p in AREA_PAGES]]
DROPDOWN_LABELS = {
    "select_all": "全选",
    "deselect_all": "全不选",
    "selected_count": "已选 {num_selected} 项",
    "search": "搜索",
    "clear_search": "清除搜索",
    "clear_selection": "清除",
    "no_options_found": "没有匹配的选项",
}


def _nav() -> html.Nav:
    return html.Nav(
        [dcc.Link(title, href=path, id=ids.nav_link(path), className="nav-link") for path, title in PAGES],
        id=ids.NAV,
        className="app-nav",
    )


def _multi(component_id: str, members: list[dict], placeholder: str) -> dcc.Dropdown:
    """A several-choice filter over departments or townships, listed by Chinese name."""
    return dcc.Dropdown(
        id=component_id,
        options=[{"label": m["name"], "value": m["code"]} for m in members],
        value=[],
        multi=True,
        placeholder=placeholder,
        labels=DROPDOWN_LABELS,
        className="filter-multi",
    )


def _filters(years: list[int], year: int | None, departments: list[dict], townships: list[dict]) -> html.Div:
    def labelled(label: str, control, unit: bool = False) -> html.Div:
        # a unit filter (department, township) is hidden on one's own page, which is the reader's unit's
        # (assets/2-app/app.css, .filter-unit)
        return html.Div(
            [html.Label(label, htmlFor=control.id, className="filter-label"), control],
            className="filter filter-unit" if unit else "filter",
        )

    return html.Div(
        [
            labelled(
                "年度",
                dcc.Dropdown(
                    id=ids.YEAR,
                    options=[{"label": f"{y}年", "value": y} for y in reversed(years)],
                    value=year,
                    clearable=False,
                    searchable=False,
                    placeholder="选择年度",
                    labels=DROPDOWN_LABELS,
                    className="filter-year",
                ),
            ),
            labelled("部门", _multi(ids.DEPARTMENT, departments, "全部部门"), unit=True),
            labelled("乡镇（街道）", _multi(ids.TOWNSHIP, townships, "全部乡镇（街道）"), unit=True),
        ],
        className="filter-bar",
        # a landmark of its own, so that a screen reader can jump to the filters
        role="region",
        **{"aria-label": "筛选条件"},
    )


def _records_dialog() -> dbc.Modal:
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(id=ids.RECORDS_TITLE), close_button=True),
            dbc.ModalBody(
                [
                    html.Div(id=ids.RECORDS_SUMMARY, className="records-summary"),
                    html.Div(records.grid("empty", []), id=ids.RECORDS_BODY),
                ]
            ),
            dbc.ModalFooter(html.Div(id=ids.RECORDS_DOWNLOADS, className="records-downloads")),
            dcc.Store(id=ids.RECORDS_CODE),
            dcc.Store(id=ids.RECORDS_REQUEST),
        ],
        id=ids.RECORDS_DIALOG,
        # the dialog is named by its title (the figure's name), which the records callback sets
        labelledby=ids.RECORDS_TITLE,
        size="xl",
        is_open=False,
        scrollable=True,
    )


# The readiness route (dashboard/web/health.py serves it); the banner hands it to assets/2-app/health.js.


def banner_props(text: str | None, kind: str = "down") -> dict:
    """The banner's text and look. ``kind``: "down", the store cannot be reached (the page asks READY_PATH and
    reloads itself when it is back), or "error", a panel failed (a reload would not fix it)."""
    return {"children": text, "className": f"store-banner {kind}", "hidden": not text}


def store_banner(text: str | None) -> html.Div:
    """A line under the header when the store is down or a panel failed; callbacks set its props later."""
    return html.Div(id=ids.STORE_BANNER, role="alert", **{"data-probe": READY_PATH}, **banner_props(text))


# The sign-in and sign-out routes (dashboard/web/auth.py serves them) and the page of one's own figures.
# The data page: templates, uploads and review (dashboard/pages/data/page.py serves it).
# the big screen (dashboard/pages/screen.py): its page, version check, panels and static files under it
# the presenter's decks for meetings (dashboard/pages/present/routes.py)


def inbox_link(count: int) -> html.A:
    """The follow-ups (督办) with how many wait for the reader; the count is given, never computed here."""
    badge = (
        [
            html.Span(
                str(count), id=ids.INBOX_COUNT, className="inbox-count", **{"aria-label": f"{count} 件待处理"}
            )
        ]
        if count
        else []
    )
    return html.A(["督办", *badge], href=SUPERVISE_PATH, id=ids.INBOX, className="supervise-inbox")


def account_bar(account: dict | None) -> html.Div:
    """Who is signed in, with the way out; or the way in. ``account``: name, role (in words), tied (the
    department or township name, or None), mine (a link to their own figures), data (may upload or review
    data), admin (may manage accounts), catalog (may edit the district's indicator catalog), inbox (how many
    follow-ups wait for them, counted in data/supervision)."""
    if account is None:
        return html.Div(html.A("登录", href=LOGIN_PATH, id=ids.ACCOUNT_LOGIN), className="app-account")
    role = account["role"] + (f"（{account['tied']}）" if account.get("tied") else "")
    links = [html.A("汇报", href=PRESENT_PATH), inbox_link(account.get("inbox", 0))]
    if account.get("mine"):
        links.append(
            html.A("本部门数据" if account["mine"] == "department" else "本乡镇数据", href=MINE_PATH)
        )
    if account.get("data"):
        links.append(html.A("数据管理", href=DATA_PATH))
    if account.get("admin"):
        links.append(html.A("账号管理", href=ADMIN_PATH))
    if account.get("catalog"):
        links.append(html.A("指标目录", href=CATALOG_PATH))
    return html.Div(
        [
            html.Span(
                [
                    html.Strong(account["name"], id=ids.ACCOUNT_NAME),
                    html.Span(f" · {role}", className="account-role"),
                ],
                className="account-who",
            ),
            # On a phone the links fold behind this button so that the header stays one line (app.css hides it
            # on wider screens; assets/2-app/header.js opens and closes it).
            html.Button(
                "菜单",
                type="button",
                className="account-menu-toggle",
                **{"aria-expanded": "false", "aria-controls": ids.ACCOUNT_LINKS},
            ),
            html.Div(
                [
                    *links,
                    # a form, not a link: signing out changes state, so it is a POST another site cannot send
                    html.Form(html.Button("退出", type="submit"), method="POST", action=LOGOUT_PATH),
                ],
                id=ids.ACCOUNT_LINKS,
                className="account-links",
            ),
        ],
        className="app-account",
    )


def shell(
    years: list[int],
    year: int | None,
    demo: bool,
    departments: list[dict],
    townships: list[dict],
    banner: str | None = None,
    account: dict | None = None,
    district: str = "",
) -> html.Div:
    """The page around every face of the desk; ``district``: the district's own name, before the title."""
    badge = (
        html.Span(
            "示例数据", id=ids.DEMO_BADGE, className="badge demo-badge", title="当前显示的是演示用的示例数据"
        )
        if demo
        else html.Span(id=ids.DEMO_BADGE, hidden=True)
    )
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.FILTERS),
            dcc.Store(id=ids.DEFAULT_YEAR, data=year),
            dcc.Store(id=ids.FILTER_LIMITS, data={"max_codes": MAX_CODES}),
            dcc.Store(id=ids.NAV_PATHS, data=[path for path, _ in PAGES]),
            html.Header(
                [html.H1(f"{district}{TITLE}", className="app-title"), badge, account_bar(account)],
                className="app-header",
            ),
            store_banner(banner),
            _nav(),
            _filters(years, year, departments, townships),
            html.Div(id=ids.NOTICE, className="filter-notice", role="status"),
            html.Main(id=ids.PAGE),
            _records_dialog(),
        ],
        className="app-shell",
    )
