"""The names of exported files, the same from the pages' downloads and from `dashboard export` without -o:
the deck's or the report's title (the district's name first, data/org.py), its place, a chart's page."""

from __future__ import annotations

import re

from layouts.decks import CHARTS

# Control characters and path separators: a name goes into a header, and the CLI writes it as a path.
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


def file_title(content: dict) -> str:
    """A live deck's file name: its title, and its place when it is not the whole district."""
    return content["title"] + ("" if content["place"] == "全区" else f"（{content['place']}）")


def chart_name(content: dict, number: int, key: str, title: str | None = None) -> str:
    return f"{title or file_title(content)}-第{number}页-{CHARTS[key]}.png"


def clean(filename: str) -> str:
    """``filename`` with control characters and path separators made spaces; ``download`` when nothing is left."""
    return " ".join(_UNSAFE_IN_NAME.sub(" ", filename).split()) or "download"
