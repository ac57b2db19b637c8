"""法治政府建设数据驾驶舱: the app factory and everything that wires the data layer to the web."""

from dashboard.app import create_app

__all__ = ["create_app"]
