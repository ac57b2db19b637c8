"""Downloads of the rows behind a figure, as CSV or Excel, streamed instead of built in memory.

The records dialog links here with the figure's code and the filters; this checks both again (the browser is
trusted for nothing), refuses more rows than MAX_DOWNLOAD_ROWS, limits how often one client may ask and how
many downloads a worker writes at once, and writes the rows as they come from the store.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import quote

from flask import Flask, Response
from sqlalchemy import Engine
from werkzeug.wsgi import FileWrapper

from dashboard.content.report import place
from dashboard.exports.records_xlsx import write_xlsx
from dashboard.web.auth import client_address, current_account, current_scope, refusal_status
from dashboard.web.params import BadRequest, Params
from dashboard.web.permissions import requires
from dashboard.web.ratelimit import Counter
from data import accounts, catalog
from data.access import Action, Forbidden
from data.queries.dimensions import dimensions
from data.queries.filters import Filters
from data.queries.records import MAX_DOWNLOAD_ROWS, count_records, has_records, stream_records
from data.writes import personal
from layouts import records as view

log = logging.getLogger("dashboard.pages.desk.downloads")

ROUTE = view.DOWNLOAD_PATH.format(kind="<kind>")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Per client, and per worker at once: a download reads and writes every row; the desk's panels must not wait.
PER_MINUTE = 10
AT_ONCE = 2
CHUNK = 2000


def _text(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain; charset=utf-8")


def request_filters(engine: Engine) -> tuple[str, Filters]:
    """The figure's code and the filters from the query string, checked like the API's parameters, under the
    reader's scope (Forbidden: not signed in, another department's rows, a figure not theirs to read)."""
    scope = current_scope()
    if not scope.reads_rows:
        raise Forbidden("请先登录后再下载登记明细")
    params = Params.read({"code", "year", "department", "township"})
    code = params.values.get("code", "")
    cat = catalog.load()
    if code not in cat or cat[code].source_kind == "reported":
        raise BadRequest("code", f"参数 code 不是有登记明细的指标：{code[:40]!r}")
    if not has_records(code, scope):
        raise Forbidden(f"无权下载指标“{cat[code].name}”的明细")
    with engine.connect() as conn:
        filters = params.filters(dimensions(conn), scope)
    scope.check_filter(filters.departments, filters.townships)
    return code, filters


def audit(engine: Engine, code: str, filters: Filters, kind: str, rows: int) -> None:
    """Every download is in the audit log: who, which figure, which filters, how many rows."""
    account = current_account()
    with personal(engine) as conn, conn.begin():
        accounts.record(
            conn,
            "download",
            actor=account.username if account else None,
            address=client_address(),
            subject=code,
            year=filters.year,
            department=list(filters.departments),
            township=list(filters.townships),
            rows=rows,
            format=kind,
        )


def register_behind(code: str) -> str:
    """The register whose rows a figure's download holds (a rate's: its denominator's)."""
    cat = catalog.load()
    ind = cat[code]
    return (cat[ind.denominator] if ind.is_rate else ind).register


@contextmanager
def records(
    engine: Engine, code: str, filters: Filters
) -> Iterator[tuple[list[str], list[str], Iterator[dict]]]:
    """The shown columns, their headers and the store's rows, read from the store while they are written."""
    with engine.connect() as conn:
        columns, rows = stream_records(conn, code, filters)
        shown = view.shown_columns(columns)
        labels = view.labels(register_behind(code))
        yield shown, [labels.get(c, c) for c in shown], rows


@contextmanager
def sheet(engine: Engine, code: str, filters: Filters) -> Iterator[tuple[list[str], Iterator[list]]]:
    """The header and the rows as a CSV file shows them (text that could run as a formula gets an apostrophe)."""
    with records(engine, code, filters) as (shown, header, rows):
        yield header, ([view.safe(view.cell(r.get(c))) for c in shown] for r in rows)


def title(engine: Engine, code: str, filters: Filters, total: int) -> str:
    """The Excel file's first line: which figure, for which year and places, how many rows, taken when."""
    with engine.connect() as conn:
        where = place(conn, filters)
    taken = datetime.now().astimezone()
    name = catalog.load()[code].name
    return f"{name}　{filters.year}年　{where}　共 {total:,} 条　导出于 {taken:%Y年%m月%d日 %H:%M}"


def csv_chunks(header: list[str], rows: Iterator[list]) -> Iterator[bytes]:
    out = io.StringIO()
    # The byte-order mark makes Excel read the Chinese text as UTF-8.
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for n, row in enumerate(rows, 1):
        writer.writerow(row)
        if n % CHUNK == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def register(server: Flask, engine: Engine, counter: Counter) -> None:
    """``counter`` is shared by every worker (dashboard/web/ratelimit.py), so PER_MINUTE holds whatever their number."""
    slots = threading.BoundedSemaphore(AT_ONCE)

    @server.get(ROUTE)
    @requires(Action.READ_ROWS, refuse=lambda _action: _text(refusal_status(), "请先登录后再下载登记明细"))
    def download(kind: str):
        # a visitor who may not download is refused below, and not counted against the address they share
        if current_scope().reads_rows:
            wait = counter.hit(f"download:{client_address()}", PER_MINUTE, 60)
            if wait is not None:
                return _retry(_text(429, f"下载太频繁，请稍后再试（每人每分钟最多 {PER_MINUTE} 次）。"), wait)
        if kind not in view.DOWNLOAD_KINDS:
            return _text(404, f"没有这种下载格式（可用：{'、'.join(view.DOWNLOAD_KINDS)}）")
        try:
            code, filters = request_filters(engine)
        except BadRequest as exc:
            return _text(400, exc.message)
        except Forbidden as exc:
            return _text(refusal_status(), str(exc))
        with engine.connect() as conn:
            total = count_records(conn, code, filters)
        if total > MAX_DOWNLOAD_ROWS:
            return _text(
                400,
                f"共 {total:,} 条记录，超过一次下载的上限 {MAX_DOWNLOAD_ROWS:,} 条：请按部门或乡镇缩小范围后再下载。",
            )
        if not slots.acquire(blocking=False):
            return _retry(_text(429, "正在生成的下载太多，请稍后再试。"), 10)
        name = quote(f"{catalog.load()[code].name}_{filters.year}年明细.{kind}")
        try:
            audit(engine, code, filters, kind, total)
            response = _csv(code, filters) if kind == "csv" else _xlsx(code, filters, total)
        except BaseException:
            slots.release()
            raise
        # Released when the server is done with the body, sent in full or not: a client that goes away frees it.
        response.call_on_close(slots.release)
        response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response

    def _csv(code: str, filters: Filters) -> Response:
        def body() -> Iterator[bytes]:
            with sheet(engine, code, filters) as (header, rows):
                yield from csv_chunks(header, rows)

        return Response(body(), content_type=MIMETYPES["csv"])

    def _xlsx(code: str, filters: Filters, total: int) -> Response:
        # An .xlsx is a zip whose directory comes last: written to a temporary file first, then streamed from it.
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - the FileWrapper closes it once the response is sent
        try:
            heading = title(engine, code, filters, total)
            with records(engine, code, filters) as (shown, header, rows):
                write_xlsx(heading, shown, header, rows, spool)
        except BaseException:
            spool.close()
            raise
        size = spool.seek(0, 2)
        spool.seek(0)
        # Not send_file: its response is passed through to the server as a file, and the server then never
        # runs the response's close callbacks, so the download slot was never given back (429 for everyone).
        # FileWrapper closes the file when the server closes the body; the callbacks run then too.
        response = Response(FileWrapper(spool), mimetype=MIMETYPES["xlsx"])
        response.content_length = size
        return response


def _retry(response: Response, seconds: int) -> Response:
    response.headers["Retry-After"] = str(seconds)
    return response
