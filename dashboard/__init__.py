"""法治政府建设数据驾驶舱: the app factory and everything that wires the data layer to the web."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dashboard.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, not on import: the `dashboard` command must start with only the standard library
    # loaded, so that a Ctrl-C in its first second is caught by its own handler (dashboard/cli/__init__.py).
    if name == "create_app":
        from dashboard.app import create_app

        return create_app
    raise AttributeError(f"module 'dashboard' has no attribute {name!r}")
