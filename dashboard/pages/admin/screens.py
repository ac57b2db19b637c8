"""The admin page of the big screen's kiosk links (/admin/screens): list them, create one, revoke one.

As the other admin pages (dashboard/pages/admin/users.py, whose hooks already keep every path under /admin/ to the role
``admin`` and out of any cache): server-rendered without a line of script, every change a form POST. Revoking
is answered Post/Redirect/Get, the outcome a code in the query string mapped to a fixed text; a refusal
re-renders the page with status 400, the KioskError's line and what was typed. Creating is the exception: the
link's token is shown this once, so the POST itself answers with the page showing the URL — a redirect would
put the token in a URL, and so in the history and the request log. data/kiosk.py checks every value and writes
the audit event in the change's own transaction; how a link reads is dashboard/cli/support.py's, as for
`dashboard kiosk`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from sqlalchemy import Engine

from dashboard.cli.support import kiosk_every, kiosk_pins, kiosk_screens, kiosk_url, place_names
from dashboard.pages.admin.users import ECHO_LIMIT, actor, page, place_choices, when
from dashboard.web.permissions import requires
from data import kiosk
from data.access import Action
from data.kiosk import KioskError, KioskLink
from data.queries.dimensions import dimensions
from layouts.paths import REVOKE_PATH, SCREENS_PATH
from layouts.screens import BY_NAME, EVERY_DEFAULT, SCREENS

COPY_NOW = "请立即复制此链接：它只显示这一次，之后只能停用后重新创建"
NOTICES = {"revoked": "已停用大屏链接 {name}：正在使用它的大屏在下次检查时显示“此大屏链接已停用”"}
# What a refused create gives back as typed (the screens' checkboxes apart).
NEW_FIELDS = ("name", "every", "year", "township", "department")
FORM_CONTEXT: dict[str, Any] = {
    "screens": [{"name": s.name, "title": s.title} for s in SCREENS],
    "limits": {
        "max_name": kiosk.MAX_NAME,
        "min_every": kiosk.MIN_EVERY,
        "max_every": kiosk.MAX_EVERY,
        "every_default": EVERY_DEFAULT,
    },
    "revoke_path": REVOKE_PATH,
}


@dataclass(frozen=True)
class Failure:
    """A refused form: its message, which ("new" or "revoke"), the link it named, what was typed."""

    message: str
    form: str
    name: str = ""
    typed: dict[str, Any] = field(default_factory=dict)


def _row(link: KioskLink, places: dict[tuple[str, str], str], failure: Failure | None) -> dict[str, Any]:
    return {
        "link": link,
        "screens": kiosk_screens(link.screens),
        "every": kiosk_every(link),
        "pins": kiosk_pins(link, places),
        "created": when(link.created_at),
        "seen": when(link.last_seen_at),
        "revoked": when(link.revoked_at),
        "failed": failure is not None and failure.form == "revoke" and failure.name.strip() == link.name,
    }


def _notice(links: list[KioskLink]) -> str | None:
    # Named only when the name is a revoked link's: the query string cannot make the page say anything else.
    template, name = NOTICES.get(request.args.get("ok", "")), request.args.get("n", "")
    if template is None or name not in {link.name for link in links if link.revoked}:
        return None
    return template.format(name=name)


def _screens_page(
    engine: Engine, failure: Failure | None = None, created: tuple[KioskLink, str] | None = None
) -> Response:
    with engine.connect() as conn:
        links = kiosk.list_links(conn)
        places = place_names(conn)
        choices = place_choices(conn)
        years = dimensions(conn).years
    shown, notice = None, None if failure else _notice(links)
    if created is not None:
        link, token = created
        # The request's own origin (ProxyFix has put the browser's scheme and host in place behind a proxy).
        shown = _row(link, places, None) | {"url": kiosk_url(request.host_url, token)}
        notice = f"已创建大屏链接 {link.name}"
    return page(
        "admin_screens.html",
        400 if failure else 200,
        rows=[_row(link, places, failure) for link in links],
        failure=failure,
        notice=notice,
        created=shown,
        copy_now=COPY_NOW,
        new=failure.typed if failure and failure.form == "new" else {},
        choices=choices,
        years=years,
        **FORM_CONTEXT,
    )


def _chosen_screens() -> tuple[str, ...]:
    """The screens ticked, in the order they are declared (and listed); none ticked: every screen."""
    ticked = request.form.getlist("screens")
    unknown = [name for name in ticked if name not in BY_NAME]
    if unknown:
        raise KioskError(f"没有名为 “{unknown[0][:40]}” 的大屏")
    return tuple(s.name for s in SCREENS if s.name in ticked)


def _whole(text: str) -> int | str | None:
    """A number field: None when blank, an int when it is one; anything else as typed, for data.kiosk to
    refuse with its own message (轮播间隔（秒）应为 5 到 3600 之间的整数，当前为 …)."""
    text = text.strip()
    if not text:
        return None
    return int(text) if len(text) <= 9 and text.isascii() and text.isdigit() else text[:ECHO_LIMIT]


def _create(engine: Engine) -> Response:
    form = request.form
    try:
        # One transaction: a refusal anywhere leaves neither the link nor its audit event behind.
        with engine.begin() as conn:
            made = kiosk.create_link(
                conn,
                form.get("name", ""),
                screens=_chosen_screens(),
                every=_whole(form.get("every", "")),
                year=_whole(form.get("year", "")),
                township=form.get("township") or None,
                department=form.get("department") or None,
                **actor(),
            )
    except KioskError as exc:
        typed: dict[str, Any] = {name: form.get(name, "")[:ECHO_LIMIT] for name in NEW_FIELDS}
        typed["screens"] = [name for name in form.getlist("screens") if name in BY_NAME]
        return _screens_page(engine, Failure(str(exc), "new", typed=typed))
    return _screens_page(engine, created=made)


def _revoke(engine: Engine) -> Response:
    name = request.form.get("name", "")
    try:
        with engine.begin() as conn:
            link = kiosk.revoke_link(conn, name, **actor())
    except KioskError as exc:
        return _screens_page(engine, Failure(str(exc), "revoke", name=name[:ECHO_LIMIT]))
    return redirect(f"{SCREENS_PATH}?{urlencode({'ok': 'revoked', 'n': link.name})}", code=303)


def register(server: Flask, engine: Engine) -> None:
    """The kiosk links' routes, after admin.register: its hooks keep out all but admins, and any cache."""

    @server.route(SCREENS_PATH, methods=["GET", "POST"])
    @requires(Action.ADMIN)
    def admin_screens():
        return _screens_page(engine) if request.method == "GET" else _create(engine)

    @server.post(REVOKE_PATH)
    @requires(Action.ADMIN)
    def admin_screen_revoke():
        return _revoke(engine)
