"""What a callback answers when its work fails: a banner and a message in its panel, never a 500.

A 500 leaves a panel spinning with 正在加载 and tells nobody why. A store that cannot be reached is said as such
(the browser then waits for /readyz and reloads, assets/2-app/health.js); any other failure is logged with its
traceback and the panel says it could not be shown.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import callback_context, no_update, set_props

from data.availability import SHORT, StoreUnavailable
from layouts import charts, ids
from layouts.cards import message
from layouts.shell import banner_props

log = logging.getLogger("dashboard.callbacks")

FAILED = "这一部分暂时无法显示：服务器出错，已记入日志。"


def placeholder(prop: str, text: str) -> Any:
    """The value that says ``text`` in a panel's output property, or None to leave the output as it is."""
    if prop == "figure":
        return charts.empty(text, "")
    if prop == "children":
        return message(text)
    return None


def handle(error: Exception) -> Any:
    """Dash's ``on_error``: called inside the failed callback's request, with its context."""
    if isinstance(error, StoreUnavailable):
        banner, panel, kind = str(error), SHORT, "down"
    else:
        log.error("回调出错：%s", callback_context.outputs_list, exc_info=error)
        banner, panel, kind = FAILED, "暂时无法显示", "error"
    set_props(ids.STORE_BANNER, banner_props(banner, kind))
    outputs = callback_context.outputs_list
    if isinstance(outputs, dict):
        return placeholder(outputs.get("property", ""), panel)
    # An area page's panels come from one callback: each says it. Other outputs (the records dialog) stay.
    values = [placeholder(o.get("property", ""), panel) if isinstance(o, dict) else None for o in outputs]
    return [no_update if v is None else v for v in values]
