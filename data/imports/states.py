"""A batch's kinds and states, what each is called and how it looks: the words every module compares against.

Separate from data/imports/batches.py (which reads and writes batches) because these are constants that the
pages, the API's schema, the templates' tones and the heartbeat all need without the batch table's code.
"""

from __future__ import annotations

from enum import StrEnum

KINDS: dict[str, str] = {"register": "登记数据", "figure": "报告数字"}


class Status(StrEnum):
    """A batch's state, stored as its value; every module and template compares against these members."""

    CHECKING = "checking"
    INVALID = "invalid"
    STAGED = "staged"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ROLLED_BACK = "rolled_back"
    FAILED = "failed"


STATUSES: dict[Status, str] = {
    Status.CHECKING: "检查中",
    Status.INVALID: "有错误",
    Status.STAGED: "待审核",
    Status.PUBLISHING: "发布中",
    Status.PUBLISHED: "已发布",
    Status.REJECTED: "已驳回",
    Status.ROLLED_BACK: "已回滚",
    Status.FAILED: "已中断",
}
# How each state looks on the pages (assets/2-app/app.css .data-status-<tone>): waiting for a reviewer, working,
# done, wrong, or closed without effect.
STATUS_TONES: dict[Status, str] = {
    Status.CHECKING: "working",
    Status.INVALID: "wrong",
    Status.STAGED: "waiting",
    Status.PUBLISHING: "working",
    Status.PUBLISHED: "done",
    Status.REJECTED: "closed",
    Status.ROLLED_BACK: "closed",
    Status.FAILED: "wrong",
}
RUNNING = (Status.CHECKING, Status.PUBLISHING)
