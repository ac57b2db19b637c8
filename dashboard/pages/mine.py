"""One's own page printed and delivered: the print view (A4, no navigation), its PDF, and the reader's inbox of
monthly reports (月报) with their files. Each answers for the signed-in reader's own unit only: the scope comes
from the session, never from the query (a department head cannot print another department's page)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from flask import Flask, Response, render_template
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.content import monthly
from dashboard.exports.render import RenderBusy, RenderError
from dashboard.web.auth import current_account, current_scope
from dashboard.web.params import BadRequest, Params
from dashboard.web.permissions import requires
from data import delivery, org
from data.access import Action
from data.attention import attention_items
from data.queries.dimensions import dimensions
from data.queries.mine import mine_view, tie
from data.queries.periods import PeriodError, parse_period
from data.store import get_meta
from layouts.format import moment
from layouts.paths import MINE_PDF_PATH, MINE_PRINT_PATH, MINE_REPORT_FILE_PATH, MINE_REPORTS_PATH

NOT_TIED = "打印版是部门或乡镇（街道）负责人本单位的页面：请用部门或乡镇负责人的账号登录。"


def _text(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain; charset=utf-8")


def _page(engine: Engine) -> tuple[str, str] | Response:
    """(the print view's HTML, its title) for the reader's unit and the period asked, or a refusal."""
    scope = current_scope()
    if tie(scope) is None:
        return _text(403, NOT_TIED)
    try:
        params = Params.read({"year", "period"})
        with engine.connect() as conn:
            year = params.year(dimensions(conn))
            period = parse_period(year, params.values.get("period"))
            view = mine_view(conn, scope, period).to_dict()
            district = org.district_name(conn)
            demo = get_meta(conn, "demo") == "true"
            attention = attention_items(conn, scope, year)
    except BadRequest as exc:
        return _text(400, exc.message)
    except PeriodError as exc:
        return _text(400, str(exc))
    made = datetime.now().astimezone()
    return monthly.mine_html(view, district, attention, demo, made), monthly.title_of(view, district)


def register(server: Flask, engine: Engine, cfg: Config) -> None:
    @server.get(MINE_PRINT_PATH)
    @requires(Action.READ_FIGURES)
    def mine_print() -> Response:
        built = _page(engine)
        if isinstance(built, Response):
            return built
        return Response(built[0], mimetype="text/html")

    @server.get(MINE_PDF_PATH)
    @requires(Action.READ_FIGURES)
    def mine_print_pdf() -> Response:
        built = _page(engine)
        if isinstance(built, Response):
            return built
        html, title = built
        try:
            pdf = monthly.mine_pdf(html, cfg.browser)
        except RenderBusy as exc:
            return _text(503, str(exc))
        except RenderError as exc:
            return _text(503, str(exc))
        return _file(pdf, title, "pdf")

    @server.get(MINE_REPORTS_PATH)
    @requires(Action.READ_FIGURES)
    def mine_reports() -> Response | str:
        scope = current_scope()
        if not scope.signed_in:
            return _text(401, "请先登录后再查看月报")
        with engine.connect() as conn:
            reports = delivery.reports_for(conn, scope)
        account = current_account()
        return render_template(
            "mine_reports.html",
            reports=reports,
            moment=moment,
            who=account.username if account else "",
            file_path=lambda report_id, kind: MINE_REPORT_FILE_PATH.replace(
                "<int:report_id>", str(report_id)
            ).replace("<kind>", kind),
        )

    @server.get(MINE_REPORT_FILE_PATH)
    @requires(Action.READ_FIGURES)
    def mine_report_file(report_id: int, kind: str) -> Response:
        with engine.connect() as conn:
            found = delivery.report_file(conn, current_scope(), report_id, kind)
        if found is None:
            # another unit's report answers as one that does not exist: its title is not the reader's to learn
            return _text(404, "没有这份月报，或它不是送给您的")
        return _file(found[1], found[0], kind)


def _file(data: bytes, title: str, kind: str) -> Response:
    name = f"{title}.{kind}"
    return Response(
        data,
        mimetype=delivery.FILE_KINDS[kind],
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )
