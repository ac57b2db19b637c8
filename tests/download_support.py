"""Clients for the tests of the download limits: each its own address, and a fresh minute to count in."""

from __future__ import annotations

import time
import uuid


def fresh_minute() -> None:
    """The limits count in windows that start on the minute: start well inside one."""
    left = 60 - time.time() % 60
    if left < 15:
        time.sleep(left + 0.1)


def address() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250}.{n // 250 % 250}.{n // 62500 % 250 + 1}"
