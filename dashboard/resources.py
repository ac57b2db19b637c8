"""Where the package's own files lie, declared once for modules at any depth of the package."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# the pages' scripts, styles and vendored bundles, served by the routes that need them
STATIC = PACKAGE / "static"
# the Jinja templates of the pages that are not Dash's (presenter, wall)
TEMPLATES = PACKAGE / "templates"
# Dash's assets folder, beside the package in a checkout and in the wheel (pyproject.toml's namespace package)
ASSETS = PACKAGE.parent / "assets"
