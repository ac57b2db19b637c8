"""The data page's routes that are not callbacks: uploading a file, downloading a template or an annotated copy.

An upload is a plain multipart POST (the page sends it with XMLHttpRequest, which reports the bytes sent, so a
large file shows a progress bar) that answers at once with the new batch's id; checking runs as a job
(dashboard/jobs/__init__.py) and the page follows it by the batch's row in the store. The same request handling serves
``POST /api/v1/imports`` for programs (dashboard/api/imports.py).
"""

from __future__ import annotations

import errno
import logging
import tempfile
from pathlib import Path
from typing import IO
from urllib.parse import quote, urlencode

from flask import Flask, Response, jsonify, redirect, request, send_file
from sqlalchemy import Engine, select
from werkzeug.datastructures import FileStorage

from dashboard.cli import import_arguments
from dashboard.config import Config
from dashboard.jobs import Jobs
from dashboard.web.auth import current_account, refusal_status
from dashboard.web.permissions import requires
from data.access import Action
from data.imports import annotate, batches, files, rights, stage, template
from data.imports.batches import Actor, BatchError, NotAllowed
from data.imports.states import Status
from data.registers import REGISTERS
from data.schema import department, township
from layouts.paths import ANNOTATED_PATH, DATA_PATH, TEMPLATE_PATH, UPLOAD_PATH

log = logging.getLogger("dashboard.imports")


def batch_url(batch_id: int, action: str = "") -> str:
    """A batch's page, or one of its actions (publish, reject, retry, status, annotated.xlsx)."""
    return f"{DATA_PATH}/batch/{batch_id}" + (f"/{action}" if action else "")


def template_url(register: str) -> str:
    return f"{DATA_PATH}/template/{register}.xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A multipart body carries its fields and boundaries besides the file.
MULTIPART_OVERHEAD = 64 * 1024


class BadUpload(ValueError):
    """The upload request is wrong; the message is one Chinese sentence and ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def actor() -> Actor | None:
    account = current_account()
    if account is None:
        return None
    return Actor(account.username, account.role, account.department)


def body_limit(cfg: Config) -> int:
    return cfg.max_upload_bytes + MULTIPART_OVERHEAD


def _text(status: int, message: str) -> Response:
    return Response(message, status=status, mimetype="text/plain; charset=utf-8")


def upload_refused(who: Actor | None) -> str:
    if who is None:
        return "请先登录后再上传数据"
    return "只有数据录入员、部门负责人和审核人（领导、管理员）可以上传数据"


def accept(engine: Engine, cfg: Config, jobs: Jobs, who: Actor | None) -> int:
    """Take the file of the current request, open its batch and start checking it; returns the batch id."""
    if who is None or not (who.reviewer or who.role in batches.UPLOADER_ROLES):
        raise BadUpload(upload_refused(who), refusal_status())
    request.max_content_length = body_limit(cfg)
    upload: FileStorage | None = request.files.get("file")
    if upload is None or not upload.filename:
        raise BadUpload("请选择要上传的文件（表单字段 file）")
    form = request.form
    register = form.get("register") or None
    if register is not None and register not in REGISTERS:
        raise BadUpload(f"没有登记簿 {register[:40]}")
    dept = form.get("department") or None
    if dept and not who.reviewer and dept != who.department:
        # Checked here too: a file whose register is left to be recognised is scoped only when it is checked.
        raise BadUpload("只能上传本部门的数据", 403)
    town = form.get("township") or None
    period = None
    if form.get("period"):
        try:
            period = import_arguments.period(form["period"])
        except Exception as exc:  # argparse's ArgumentTypeError carries the Chinese message
            raise BadUpload(str(exc)) from None
    with engine.connect() as conn:
        if dept and conn.scalar(select(department.c.code).where(department.c.code == dept)) is None:
            raise BadUpload(f"没有代码为 {dept[:32]} 的部门")
        if town and conn.scalar(select(township.c.code).where(township.c.code == town)) is None:
            raise BadUpload(f"没有代码为 {town[:32]} 的乡镇（街道）")
    try:
        with tempfile.NamedTemporaryFile(dir=_spool_dir(cfg), suffix=".upload") as spool:
            upload.save(spool)
            spool.flush()
            try:
                batch_id = stage.receive(
                    engine,
                    cfg.uploads_path,
                    Path(spool.name),
                    upload.filename,
                    who,
                    register=register,
                    department_code=dept,
                    township_code=town,
                    period=period,
                )
            except BatchError as exc:
                raise BadUpload(str(exc), 403 if isinstance(exc, NotAllowed) else 400) from None
    except OSError as exc:
        # a full or failing upload disk: nothing was kept (the batch is written after the file), say so plainly
        raise BadUpload(_disk_trouble(exc), 507 if exc.errno in FULL else 503) from None
    jobs.check(batch_id, who)
    return batch_id


# errno values that mean the disk (or the account's quota on it) is full
FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def _disk_trouble(exc: OSError) -> str:
    if exc.errno in FULL:
        return "服务器存放上传文件的磁盘已满，文件没有保存；请联系管理员腾出空间后重新上传"
    return f"服务器无法保存上传的文件（{exc.strerror or type(exc).__name__}），文件没有保存；请稍后重试或联系管理员"


def _spool_dir(cfg: Config) -> Path:
    cfg.uploads_path.mkdir(parents=True, exist_ok=True)
    return cfg.uploads_path


def visible_batch(engine: Engine, batch_id: int, who: Actor | None) -> batches.Batch:
    if who is None:
        raise BadUpload("请先登录", refusal_status())
    with engine.begin() as conn:
        try:
            batch = batches.get(conn, batch_id)
        except BatchError as exc:
            raise BadUpload(str(exc), 404) from None
    if not rights.may_see(who, batch):
        raise BadUpload("无权查看这个批次", 403)
    return batch


def _upload_answer(exc: BadUpload) -> Response | tuple[Response, int]:
    # The page's script asks for JSON; the plain form (no script) is answered with a redirect.
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return jsonify({"error": str(exc)}), exc.status
    return redirect(f"{DATA_PATH}?{urlencode({'error': str(exc)})}", code=303)


def register(server: Flask, engine: Engine, cfg: Config, jobs: Jobs) -> None:
    @server.post(UPLOAD_PATH)
    @requires(
        Action.UPLOAD,
        refuse=lambda _action: _upload_answer(BadUpload(upload_refused(actor()), refusal_status())),
    )
    def upload():
        wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
        try:
            batch_id = accept(engine, cfg, jobs, actor())
        except BadUpload as exc:
            return _upload_answer(exc)
        if wants_json:
            return jsonify({"batch": batch_id, "url": batch_url(batch_id)}), 202
        return redirect(batch_url(batch_id), code=303)

    @server.get(TEMPLATE_PATH)
    # a blank template shows a register's columns and no row: anyone signed in may download it
    @requires(Action.READ_ROWS, refuse=lambda _action: _text(refusal_status(), "请先登录后再下载模板"))
    def template_download(register: str):
        who = actor()
        if who is None:
            return _text(refusal_status(), "请先登录后再下载模板")
        declared = REGISTERS.get(register)
        if declared is None:
            return _text(404, "没有这个登记簿")
        own = None if who.reviewer or not declared.has_department else who.department
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
        with engine.connect() as conn:
            template.write_for_store(conn, declared, spool, department=own)
        spool.seek(0)
        return _attachment(spool, template.template_filename(declared))

    @server.get(ANNOTATED_PATH)
    @requires(Action.UPLOAD, refuse=lambda _action: None if actor() else _text(refusal_status(), "请先登录"))
    def annotated(batch_id: int):
        try:
            batch = visible_batch(engine, batch_id, actor())
        except BadUpload as exc:
            return _text(exc.status, str(exc))
        if batch.status != Status.INVALID or not batch.stored_as or not batch.register:
            return _text(404, "这个批次没有可标注的错误")
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
        try:
            annotate.annotate_batch(cfg.uploads_path, batch, cfg.max_upload_bytes, spool)
        except (files.Refused, OSError):
            spool.close()
            return _text(404, "这个文件未被接受，没有逐格的错误可标注；错误见批次页")
        spool.seek(0)
        return _attachment(spool, annotate.annotated_filename(batch.file_name))


def _attachment(body: IO[bytes], name: str) -> Response:
    response = send_file(body, mimetype=XLSX)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
