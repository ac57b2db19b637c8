"""POST /api/v1/imports: a business system sends its nightly export; GET /api/v1/imports/{id}: how it went.

The file is checked as a job, like an upload on the data page. The POST waits up to WAIT seconds for the check
and answers 201 with the batch (its id, status and every error), or 202 with the id when the check goes on; the
GET answers the same body. Publishing stays a reviewer's act, unless the token's account is allowed to publish
that register itself (`dashboard feed allow USER REGISTER`) and the request asks for it (``publish=1``).
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import Engine

from dashboard.config import Config
from dashboard.jobs import Jobs
from dashboard.pages.data.routes import BadUpload, accept, actor, visible_batch
from dashboard.web.auth import current_scope
from dashboard.web.permissions import requires
from data.access import Action
from data.imports import batches, feeds, preview, publish, states
from data.imports.batches import Batch, BatchError
from data.imports.states import Status
from data.store import begin_write
from layouts.paths import API_IMPORTS_PATH

PATH = API_IMPORTS_PATH
# Seconds the POST waits for the check before it answers 202 (a nightly file of some thousand rows is done).
WAIT = 20.0
POLL = 0.2


def batch_json(batch: Batch) -> dict[str, Any]:
    """A batch as the API shows it."""
    return {
        "id": batch.id,
        "status": batch.status,
        "status_text": batch.status_zh,
        "step": batch.step,
        "progress": batch.progress,
        "register": batch.register,
        "department": batch.department_code,
        "township": batch.township_code,
        "period": {
            "start": batch.period_start.isoformat() if batch.period_start else None,
            "end": batch.period_end.isoformat() if batch.period_end else None,
        },
        "file": {"name": batch.file_name, "size": batch.file_size, "sha256": batch.file_sha256},
        "rows": batch.rows_total,
        "error_count": batch.error_count,
        "errors": [
            {k: e.get(k) for k in ("sheet", "row", "column", "value", "reason", "message")}
            for e in batch.errors
        ],
        # only the figures the caller may read (a restricted one of another department is left out)
        "changes": {
            "rows": batch.preview.get("rows"),
            "figures": preview.for_reader(batch.preview.get("figures", []), current_scope()),
        },
    }


def _wait(engine: Engine, batch_id: int) -> Batch:
    """The batch once its check is done, or as it is after WAIT seconds (the check may run on another host)."""
    deadline = time.monotonic() + WAIT
    while True:
        with engine.begin() as conn:
            batch = batches.get(conn, batch_id)
        if batch.status not in states.RUNNING or time.monotonic() > deadline:
            return batch
        time.sleep(POLL)


def register(bp: Blueprint, engine: Engine, cfg: Config, jobs: Jobs) -> None:
    @bp.post("/imports")
    @requires(Action.UPLOAD)
    def imports_post():
        who = actor()
        asked = request.args.get("publish", request.form.get("publish", "0"))
        if asked not in ("0", "1"):
            return jsonify(
                {"error": f"参数 publish 只能是 0 或 1，当前为 {asked[:20]!r}", "parameter": "publish"}
            ), 400
        wants_publish = asked == "1"
        try:
            batch_id = accept(engine, cfg, jobs, who)
        except BadUpload as exc:
            return jsonify({"error": str(exc)}), exc.status
        batch = _wait(engine, batch_id)
        if batch.status in states.RUNNING:
            return jsonify({"id": batch_id, "status": Status.CHECKING, "url": f"{PATH}/{batch_id}"}), 202
        body = batch_json(batch)
        if wants_publish and batch.status == Status.STAGED:
            with engine.connect() as conn:
                allowed = feeds.allowed(conn, who.username, batch.register)
            if not allowed:
                body["publish"] = "未发布：该账号没有自动发布此登记簿的权限，须由审核人发布"
            else:
                try:
                    batch = publish.publish(engine, batch_id, who, feed=True)
                except BatchError as exc:
                    body["publish"] = str(exc)
                else:
                    body = batch_json(batch)
        return jsonify(body), 201

    @bp.get("/imports/<int:batch_id>")
    @requires(Action.UPLOAD)
    def imports_get(batch_id: int):
        try:
            batch = visible_batch(engine, batch_id, actor())
        except BadUpload as exc:
            return jsonify({"error": str(exc)}), exc.status
        with begin_write(engine) as conn:
            batch = preview.fresh(conn, batch)
        return jsonify(batch_json(batch))
