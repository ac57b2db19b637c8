"""Pushing a summary to group robots: WeCom (企业微信) and DingTalk (钉钉) custom robots, by their webhooks.

The bodies are the robots' own markdown messages:
- WeCom: ``{"msgtype": "markdown", "markdown": {"content": "..."}}`` (content at most 4096 bytes);
- DingTalk: ``{"msgtype": "markdown", "markdown": {"title": "...", "text": "..."}}``.
Both answer HTTP 200 with ``{"errcode": 0, "errmsg": "ok"}`` when they took the message.

A webhook that times out, answers 5xx or redirects is tried again, at most ATTEMPTS times in all, with a short
pause; a redirect is never followed (the message goes to the address configured and nowhere else). What went
wrong is returned, and logged, with the webhook's key replaced (data/delivery.redact).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from data.delivery import redact

log = logging.getLogger("dashboard.exports.robots")

ATTEMPTS = 3
TIMEOUT = 5.0
PAUSE = 1.0
# WeCom refuses a markdown content over 4096 bytes (UTF-8)
WECOM_LIMIT = 4096


def payload(kind: str, title: str, lines: list[str]) -> dict:
    """The robot's markdown message: a heading, then one line per item (the last is the link)."""
    text = "\n".join([f"### {title}", *(f"> {line}" for line in lines[:-1]), lines[-1] if lines else ""])
    if kind == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": _cut(text, WECOM_LIMIT)}}
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    raise ValueError(f"unknown robot kind {kind!r}")


def _cut(text: str, limit: int) -> str:
    data = text.encode()
    return text if len(data) <= limit else data[: limit - 3].decode(errors="ignore") + "…"


@dataclass(frozen=True)
class Pushed:
    ok: bool
    attempts: int
    # why it failed, in Chinese, with the key redacted; "" when it worked
    reason: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
        return None  # the 3xx reaches the caller as an HTTPError


_opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))


def push(
    url: str,
    body: dict,
    attempts: int | None = None,
    timeout: float | None = None,
    pause: float | None = None,
) -> Pushed:
    """POST ``body`` as JSON to ``url``; retried on a timeout, a 5xx or a redirect, at most ``attempts`` times
    (by default ATTEMPTS, each waiting TIMEOUT seconds for an answer, PAUSE seconds apart)."""
    attempts = attempts or ATTEMPTS
    timeout = timeout or TIMEOUT
    pause = PAUSE if pause is None else pause
    data = json.dumps(body, ensure_ascii=False).encode()
    reason = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        retry = False
        try:
            with _opener.open(request, timeout=timeout) as response:
                answer = response.read(65536)
            reason = _refusal(answer)
            if not reason:
                return Pushed(True, attempt)
        except urllib.error.HTTPError as exc:
            retry = exc.code >= 500 or 300 <= exc.code < 400
            kind = "重定向" if 300 <= exc.code < 400 else "出错"
            reason = f"机器人地址{kind}（HTTP {exc.code}）"
        except TimeoutError:
            retry, reason = True, f"机器人地址 {timeout:g} 秒内没有应答"
        except urllib.error.URLError as exc:
            retry = True
            if isinstance(exc.reason, TimeoutError):
                reason = f"机器人地址 {timeout:g} 秒内没有应答"
            else:
                reason = f"连不上机器人地址（{type(exc.reason).__name__}）"
        except OSError as exc:
            retry, reason = True, f"连不上机器人地址（{type(exc).__name__}）"
        log.warning("推送到 %s 第 %d 次失败：%s", redact(url), attempt, reason)
        if not retry:
            return Pushed(False, attempt, reason)
        if attempt < attempts:
            time.sleep(pause)
    return Pushed(False, attempts, f"{reason}，已重试 {attempts} 次")


def _refusal(answer: bytes) -> str:
    """ "" when the robot took the message ({"errcode": 0}), else what it said."""
    try:
        said = json.loads(answer or b"{}")
    except ValueError:
        return "机器人的应答不是 JSON"
    if not isinstance(said, dict) or said.get("errcode", 0) != 0:
        message = str(said.get("errmsg", ""))[:80] if isinstance(said, dict) else ""
        return f"机器人拒收（errcode {said.get('errcode') if isinstance(said, dict) else '?'}：{message}）"
    return ""
