"""What every `dashboard` command module shares: the one-line failure, printing, opening the store, and tables
that line up in a terminal. It imports nothing of the command modules, so that dashboard/cli/arguments.py (which
adds their parsers) and they can all import it.

It also says how a kiosk link reads, the same for `dashboard kiosk` and the admin page /admin/screens
(dashboard/pages/admin/screens.py): its URL, its screens' titles and what it pins."""

from __future__ import annotations

import argparse
import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine, select

from dashboard.config import Config
from data import catalog_edits
from data.engine import open_engine
from data.kiosk import KioskLink
from data.schema import department, township
from data.store import require_current
from layouts.format import moment


class CliError(Exception):
    """A failure to report in one line."""


def integer(text: str) -> int:
    """An argparse type: a whole number, said in Chinese when it is not one."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，当前为 {text!r}") from None


def finite_number(text: str) -> float:
    """An argparse type: a finite number (a figure's or a target's value), said in Chinese when it is not one."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"应为数字，当前为 {text!r}")
    return value


def positive_integer(text: str) -> int:
    value = integer(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"必须大于 0，当前为 {text!r}")
    return value


def say(message: str) -> None:
    print(message, flush=True)


def open_store(cfg: Config) -> Engine:
    """The configured store, refused unless it is initialised and current."""
    engine = open_engine(cfg.resolved_database_url())
    try:
        require_current(engine)
        with engine.connect() as conn:
            # the district's catalog edits over the catalog file, for every command that names an indicator
            catalog_edits.refresh(conn)
    except Exception:
        engine.dispose()
        raise
    return engine


def place_names(conn: Connection) -> dict[tuple[str, str], str]:
    """Every department's and township's name by (kind, code)."""
    rows = [
        ("department", r.code, r.name) for r in conn.execute(select(department.c.code, department.c.name))
    ]
    rows += [("township", r.code, r.name) for r in conn.execute(select(township.c.code, township.c.name))]
    return {(kind, code): name for kind, code, name in rows}


def local_time(value: datetime | None) -> str:
    """A time in a table people read: 2026年12月7日 09:05, as every face says it."""
    return moment(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Columns padded by display width, so that Chinese text lines up in a terminal."""
    rows = [list(headers), *map(list, rows)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(headers))]
    for row in rows:
        say("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip())


# --- kiosk links, as `dashboard kiosk` prints them and /admin/screens shows them ---------------------------
# layouts/ is imported inside: the screens' declarations load Dash, which the other commands need not wait for.


def kiosk_url(base: str, token: str, layout: str | None = None) -> str:
    """The URL a wall opens: ``base`` (``http://host[:port]``, a trailing / or not), /screen and the token, and
    the wall's layout (layouts/screens.py LAYOUTS) when one is pinned rather than chosen by the display's shape."""
    from layouts.paths import SCREEN_PATH

    query = {"kiosk": token} | ({"layout": layout} if layout else {})
    return f"{base.rstrip('/')}{SCREEN_PATH}?{urlencode(query)}"


def kiosk_screens(names: tuple[str, ...]) -> str:
    """The titles of the screens a link rotates through, in its order; 全部大屏 when it names none."""
    from layouts.screens import BY_NAME

    if not names:
        return "全部大屏"
    return "、".join(BY_NAME[n].title if n in BY_NAME else n for n in names)


def kiosk_every(link: KioskLink) -> str:
    return "默认" if link.every is None else f"{link.every} 秒"


def kiosk_place(link: KioskLink, places: dict[tuple[str, str], str]) -> str:
    """The township or department a link shows, by name and code (``places``: place_names); else 全区."""
    for kind, code in (("township", link.township), ("department", link.department)):
        if code is not None:
            return f"{places.get((kind, code), code)}（{code}）"
    return "全区"


def kiosk_pins(link: KioskLink, places: dict[tuple[str, str], str]) -> str:
    """The year and the place a link shows, as ``2024 年，青山镇（qingshan）``."""
    year = "最新年度" if link.year is None else f"{link.year} 年"
    return f"{year}，{kiosk_place(link, places)}"
