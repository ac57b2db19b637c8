"""The monthly delivery (`dashboard deliver --month 2026-02`): per department and township its /mine for the
month as PDF and Word, and the district's, kept in the store for their readers' inboxes (data/delivery.py);
then a summary with a link pushed to each configured group robot (dashboard/exports/robots.py).

Run once a month by a systemd timer or Celery beat (README, 每月月报). A second run for the same month replaces
the reports. ``dry_run`` makes and checks everything, keeps nothing and pushes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, Engine

from dashboard.config import Config
from dashboard.content import monthly
from dashboard.exports import robots
from dashboard.exports.render import RenderError
from data import delivery, org
from data.access import Scope
from data.attention import attention_items
from data.queries.dimensions import dimensions
from data.queries.mine import district_view, mine_view
from data.queries.periods import Period, PeriodError
from data.schema_delivery import CHANNEL_KINDS, DISTRICT_REPORT
from data.store import begin_write, get_meta
from layouts.paths import MINE_REPORTS_PATH

log = logging.getLogger("dashboard.jobs.deliver")
LEADER = Scope(role="leader")


@dataclass
class Outcome:
    """What a delivery did: reports made (unit name, title, PDF made), reports skipped and why, pushes."""

    made: list[tuple[str, str, bool]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    pushed: list[tuple[str, str, robots.Pushed | None]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p is not None and not p.ok for _, _, p in self.pushed)


def _units(conn: Connection, only: list[str] | None) -> list[tuple[str, str, str, Scope]]:
    dims = dimensions(conn)
    out = [
        (
            "department",
            d["code"],
            d["name"],
            Scope("department", department=d["code"], department_name=d["name"]),
        )
        for d in dims.departments
    ] + [("township", t["code"], t["name"], Scope("township", township=t["code"])) for t in dims.townships]
    if only:
        known = {code for _, code, _, _ in out}
        unknown = [c for c in only if c not in known]
        if unknown:
            raise delivery.DeliveryError(f"没有代码为“{'、'.join(unknown)[:60]}”的部门或乡镇（街道）")
        out = [u for u in out if u[1] in only]
    return out


def deliver(
    engine: Engine,
    cfg: Config,
    month: str,
    dry_run: bool = False,
    only: list[str] | None = None,
    say: Callable[[str], None] = print,
) -> Outcome:
    year, number = delivery.parse_month(month)
    period = Period(year, "month", number)
    outcome = Outcome()
    views: dict[str, dict] = {}
    made = datetime.now().astimezone()
    with engine.connect() as conn:
        district = org.district_name(conn)
        demo = get_meta(conn, "demo") == "true"
        units = _units(conn, only)
        try:
            views[DISTRICT_REPORT] = district_view(conn, LEADER, period, district).to_dict()
        except PeriodError as exc:
            raise delivery.DeliveryError(str(exc)) from None
        files = [(("district", DISTRICT_REPORT, district), views[DISTRICT_REPORT], [])]
        for kind, code, name, scope in units:
            view = mine_view(conn, scope, period).to_dict()
            if not view["responsible"] and not view["counted"]:
                outcome.skipped.append((name, "本月没有该单位负责或登记的数字"))
                continue
            views[code] = view
            files.append(((kind, code, name), view, attention_items(conn, scope, year)))
    for (kind, code, name), view, attention in files:
        html = monthly.mine_html(view, district, attention, demo, made)
        try:
            pdf = monthly.mine_pdf(html, cfg.browser)
        except RenderError as exc:
            pdf = None
            say(f"    {name}：PDF 未能生成（{exc}），只保存 Word 月报")
        docx = monthly.mine_docx(view, district, attention, made)
        title = monthly.title_of(view, district)
        if not dry_run:
            with begin_write(engine) as conn:
                delivery.save_report(conn, month, kind, code, name, title, pdf, docx)
        outcome.made.append((name, title, pdf is not None))
        say(
            f"    {'（演练）' if dry_run else ''}{title}：PDF {'有' if pdf else '无'}，Word {len(docx) // 1024 + 1} KB"
        )
    _push(engine, cfg, views, district, dry_run, outcome, say)
    return outcome


def _push(
    engine: Engine,
    cfg: Config,
    views: dict[str, dict],
    district: str,
    dry_run: bool,
    outcome: Outcome,
    say: Callable[[str], None],
) -> None:
    with engine.connect() as conn:
        channels = delivery.list_channels(conn)
    link = (cfg.public_url or "") + MINE_REPORTS_PATH
    for channel in channels:
        view = views.get(channel.unit_code or DISTRICT_REPORT)
        if view is None:
            outcome.pushed.append((channel.name, channel.shown, None))
            say(f"    通道 {channel.name}：本次没有其单位（{channel.unit_code}）的月报，未推送")
            continue
        title, lines = monthly.summary(view, district, link)
        body = robots.payload(channel.kind, title, lines)
        where = f"{CHANNEL_KINDS[channel.kind]}通道 {channel.name}（{channel.shown}）"
        if dry_run:
            outcome.pushed.append((channel.name, channel.shown, None))
            say(f"    （演练）{where}：将推送“{title}”，共 {len(lines)} 行")
            continue
        result = robots.push(channel.webhook, body)
        outcome.pushed.append((channel.name, channel.shown, result))
        if result.ok:
            say(f"    已推送到{where}")
        else:
            say(f"    推送失败：{where}：{result.reason}")
            log.warning("月报推送失败：%s：%s", where, result.reason)
