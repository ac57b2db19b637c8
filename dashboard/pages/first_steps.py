"""An empty store's first page: what a district does first (its organisation, then the templates, then the
registers), instead of an empty desk, wall or deck.

A store made by `dashboard init` holds no year until a register or a reported figure is published
(data/years.py). Until then the desk, /mine and /present answer with this page and the wall with a dark
screen that says the same and looks again every few minutes, so a wall left on picks up the first data.
"""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from sqlalchemy import Engine, func, select

from data import org
from data.schema import calendar, department, township
from layouts.paths import DATA_PATH, MINE_PATH, PRESENT_PATH, SCREEN_PATH

DESK_PATHS = ("/", MINE_PATH, PRESENT_PATH)
# How often a wall showing the empty store's notice looks again (seconds).
WALL_RELOAD = 300


def _state(engine: Engine) -> dict | None:
    """None when the store holds a year of data; else what the first page shows."""
    with engine.connect() as conn:
        if conn.scalar(select(calendar.c.year).limit(1)) is not None:
            return None
        return {
            "district": org.district_name(conn),
            "departments": conn.scalar(select(func.count()).select_from(department)),
            "townships": conn.scalar(select(func.count()).select_from(township)),
        }


def register(server: Flask, engine: Engine) -> None:
    @server.before_request
    def _first_steps():
        if request.method != "GET" or request.path not in (*DESK_PATHS, SCREEN_PATH):
            return None
        state = _state(engine)
        if state is None:
            return None
        if request.path == SCREEN_PATH:
            body = render_template("first_steps_wall.html", reload=WALL_RELOAD, **state)
        else:
            body = render_template("first_steps.html", data_path=DATA_PATH, **state)
        return Response(body, status=200, mimetype="text/html")
