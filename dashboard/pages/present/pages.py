"""A deck's content as a page (issue 10): presented, as the speaker's notes, printed to PDF (every slide one
after another) or one chart alone as a PNG. The page and its script (dashboard/static/present.js) are the same
for all four; the printed ones go through the warm browser of dashboard/exports/render.py, so the PDF and the pictures
show exactly what the presenter shows, drawn by the same code. (kaleido would draw a Plotly figure but not print
a page; one browser doing both keeps one renderer warm, not two.)"""

from __future__ import annotations

import json

from jinja2 import Environment, FileSystemLoader, select_autoescape

from dashboard import resources
from dashboard.exports.pdf_text import searchable
from dashboard.exports.render import STATIC_PREFIX, Static, renderer
from dashboard.pages.screen import FILES
from layouts.decks import CHART_AREA, CHART_IMAGE, CHART_IMAGE_SCALE, CHARTS, SLIDE_SIZE, TALK_MINUTES
from layouts.format import deck_foot

MODES = ("slides", "notes", "print", "chart")
# Rendered without a Flask app, so that the command line prints the same page the site serves.
_templates = Environment(
    loader=FileSystemLoader(resources.TEMPLATES),
    autoescape=select_autoescape(["html"]),
)


class ChartRefused(ValueError):
    """A chart that a deck does not have: the message names what it does have."""


def deck_html(
    content: dict,
    mode: str,
    static: str,
    *,
    channel: str = "",
    frozen: str | None = None,
    chart_url: str = "",
    only: dict | None = None,
) -> str:
    """The page showing ``content`` in ``mode`` (MODES); ``frozen``: a snapshot's line for every slide's foot;
    windows on the same ``channel`` keep in step; ``chart_url`` (with {n} and {key}) links a slide's charts."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    config = {
        "mode": mode,
        "size": CHART_IMAGE if mode == "chart" else SLIDE_SIZE,
        "chartArea": CHART_AREA,
        "charts": [{"key": k, "label": v} for k, v in CHARTS.items()],
        "chartUrl": chart_url,
        "content": content,
        "channel": channel,
        "frozen": frozen,
        # the foot of every slide: the snapshot's line, else the place and 数据截至 (the same words as PowerPoint's)
        "foot": frozen or deck_foot(content),
        "only": only,
        "talkMinutes": TALK_MINUTES,
    }
    # Inside a <script> element: no text from the store or the URL may close it.
    text = json.dumps(config, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _templates.get_template("present.html").render(
        title=content["title"], config=text, static=static, mode=mode
    )


def _renderer(browser_path: str):
    return renderer(Static(FILES), browser_path)


def deck_pdf(content: dict, frozen: str | None = None, browser_path: str = "") -> bytes:
    """Every slide of ``content`` on its own 16:9 page, text as text that copies and searches as shown
    (Chromium's print of the print view)."""
    html = deck_html(content, "print", STATIC_PREFIX, frozen=frozen)
    return searchable(_renderer(browser_path).pdf(html, SLIDE_SIZE, "body[data-ready]"))


def chart_spec(content: dict, number: int, key: str) -> dict:
    """Slide ``number``'s (from 1) chart ``key``, or ChartRefused saying which charts there are."""
    slides = content["slides"]
    if key not in CHARTS:
        raise ChartRefused(f"图表只能是 {'、'.join(f'{k}（{v}）' for k, v in CHARTS.items())}")
    if not 1 <= number <= len(slides):
        raise ChartRefused(f"没有第 {number} 页：这套汇报共 {len(slides)} 页")
    spec = slides[number - 1].get(key)
    if not spec:
        having = [f"第 {i} 页{CHARTS[k]}" for i, s in enumerate(slides, 1) for k in CHARTS if s.get(k)]
        raise ChartRefused(f"第 {number} 页没有{CHARTS[key]}；有图表的是：{'、'.join(having) or '（无）'}")
    return spec


def chart_png(
    content: dict, number: int, key: str, frozen: str | None = None, browser_path: str = ""
) -> bytes:
    """Slide ``number``'s chart ``key`` alone with its source line, as a PNG at CHART_IMAGE_SCALE."""
    chart_spec(content, number, key)
    html = deck_html(content, "chart", STATIC_PREFIX, frozen=frozen, only={"slide": number - 1, "key": key})
    return _renderer(browser_path).png(
        html, (CHART_IMAGE[0] + 200, CHART_IMAGE[1] + 200), "body[data-ready]", "#chart", CHART_IMAGE_SCALE
    )
