"""The warning rules (/admin/alerts), for admins: every declared rule (data/alert_rules.csv) with what it
compares, its threshold and level, and a form per rule to change both. A change is audited with the admin's
name and the warnings of every year are evaluated again at once, in the same transaction.

Like the other admin pages: no script, Post/Redirect/Get, a refusal re-renders the page with status 400.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, redirect, request
from sqlalchemy import Engine

from dashboard.pages.admin.users import page
from dashboard.web.auth import current_account
from dashboard.web.permissions import requires
from data import alert_rules, alerts
from data.access import Action
from data.schema_alerts import alert
from data.store import begin_write
from layouts.paths import ALERT_RULES_PATH


def _rules_page(engine: Engine, status: int = 200, **context: Any) -> Response:
    with engine.connect() as conn:
        rules = alert_rules.rules(conn)
        counts: dict[str, int] = {}
        for (rule_id,) in conn.execute(alert.select().with_only_columns(alert.c.rule_id)):
            counts[rule_id] = counts.get(rule_id, 0) + 1
    return page(
        "admin_alerts.html",
        status,
        rules=rules,
        counts=counts,
        levels=alert_rules.LEVELS,
        kinds=alert_rules.KINDS,
        unit_kinds=alert_rules.UNIT_KINDS,
        **context,
    )


def _notice() -> str | None:
    # only a declared rule's name is shown back; anything else in the query string shows nothing
    rule = alert_rules.declared().get(request.args.get("ok", ""))
    return f"已修改“{rule.name}”，并重新评估了全部年度的预警" if rule else None


def register(server: Flask, engine: Engine) -> None:
    """Under /admin/: users.register's gate and hooks (admins only, a browser's session for changes) cover it."""

    @server.get(ALERT_RULES_PATH)
    @requires(Action.ADMIN)
    def admin_alerts():
        return _rules_page(engine, notice=_notice())

    @server.post(ALERT_RULES_PATH)
    @requires(Action.ADMIN)
    def admin_alerts_set():
        form = request.form
        rule_id = form.get("rule", "")
        try:
            with begin_write(engine) as conn:
                alert_rules.set_rule(
                    conn,
                    rule_id,
                    form.get("threshold", ""),
                    form.get("level", ""),
                    current_account().username,
                )
                alerts.evaluate(conn)
        except alert_rules.RuleError as exc:
            return _rules_page(engine, 400, failure=str(exc), typed=dict(form))
        return redirect(f"{ALERT_RULES_PATH}?{urlencode({'ok': rule_id})}#rule-{rule_id}", code=303)
