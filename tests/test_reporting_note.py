"""报送未齐 where figures are shown (data/reporting_note.py), on both engines, from an empty `dashboard init`:
two departments owe the dispute register, one has sent it; the desk's card, the API, the wall's footer and the
deck say 应报 2 个单位，已报 1 个; when the other sends too, or where nobody owes the register, nothing is said."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from conftest import PASSWORD
from org_support import command_line, organised, register_file
from pptx import Presentation

from dashboard import create_app
from data import accounts
from data.access import OPERATOR
from data.engine import open_engine
from data.queries.figures import figures
from data.queries.filters import Filters
from layouts.cards import kpi_card

CODE = "disputes_mediated"
RATE = "mediation_success_rate"  # a rate counts from the same register: it says the same
NOTE = "矛盾纠纷调处登记 2月：应报 2 个单位，已报 1 个（另有 1 个月未报齐）"
OWN = {"Origin": "http://localhost"}


@pytest.fixture
def district(empty_url, monkeypatch, capsys, tmp_path):
    invoke = command_line(empty_url, monkeypatch, capsys)
    organised(invoke, tmp_path)
    return invoke


def publish(district, tmp_path: Path, name: str, rows: list[tuple], department: str) -> None:
    out = register_file(tmp_path / "dispute.xlsx", tmp_path / name, rows)
    batch = district("import", out, "--department", department).strip().splitlines()[-1]
    district("batch", "publish", batch)


def figure(url: str, code: str) -> dict:
    engine = open_engine(url)
    with engine.connect() as conn:
        found = figures(conn, Filters(2025, scope=OPERATOR), codes=[code])
    engine.dispose()
    return found[0].to_dict()


def text_of(component) -> str:
    """Every string in a Dash component tree, in order."""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, list | tuple):
        return "".join(text_of(c) for c in children)
    return text_of(children)


def card_text(fig: dict) -> str:
    about = {"definition": "", "responsible": "", "period": "", "direction": "up", "target": None}
    return text_of(kpi_card(fig, about, [], drill=False))


def test_a_register_some_units_have_not_sent_is_said_on_every_face(district, empty_url, tmp_path):
    # SFJ's January and February are sent; XFJ owes the same register and has sent nothing.
    publish(
        district,
        tmp_path,
        "sfj.xlsx",
        [
            ("S-1", date(2025, 1, 5), "区司法局", "城关街道", True),
            ("S-2", date(2025, 2, 6), "区司法局", "青山镇", True),
        ],
        "SFJ",
    )
    assert figure(empty_url, CODE)["reporting"] is None  # no duties yet: nothing to say
    district("reporting", "duty", "set", "SFJ", "dispute_case")
    district("reporting", "duty", "set", "XFJ", "dispute_case")
    district("reporting", "duty", "set", "GAFJ", "police_incident")

    # the desk's card and the figure itself (the API's values carry it as `reporting`)
    fig = figure(empty_url, CODE)
    assert fig["value"] == 2 and fig["reporting"] == NOTE
    assert NOTE in card_text(fig)
    assert figure(empty_url, RATE)["reporting"] == NOTE

    engine = open_engine(empty_url)
    with engine.begin() as conn:
        accounts.add_user(conn, "admin", PASSWORD, "admin")
    engine.dispose()
    app = create_app({"database_url": empty_url, "instance_path": tmp_path / "instance"})
    client = app.server.test_client()
    assert (
        client.post("/login", data={"username": "admin", "password": PASSWORD}, headers=OWN).status_code
        == 303
    )
    values = {v["code"]: v for v in client.get("/api/v1/values?year=2025").get_json()["values"]}
    assert values[CODE]["reporting"] == NOTE
    # GAFJ owes the police register and has sent none of the months viewed (January–February, the months the
    # store holds for 2025): the figure is not a true zero
    assert values["criminal_alerts"]["reporting"].startswith("警情登记 2月：应报 1 个单位，已报 0 个")
    assert values["service_transactions"]["reporting"] is None  # nobody owes the service register

    # the wall's footer
    wall = client.get("/screen/data?screen=mediation&year=2025").get_json()
    assert NOTE in wall["reporting"]
    # the deck's slides (the presenter's page carries the deck's content)
    deck = client.get("/present/annual?year=2025").get_data(as_text=True)
    assert NOTE in _unescaped(deck)
    # and its PowerPoint copy
    pptx = client.get("/present/annual/deck.pptx?year=2025")
    assert pptx.status_code == 200 and NOTE in _slide_text(pptx.data)

    # XFJ sends both months: the register is complete, nothing is said anywhere
    publish(
        district,
        tmp_path,
        "xfj.xlsx",
        [
            ("X-1", date(2025, 1, 8), "区信访局", "青山镇", True),
            ("X-2", date(2025, 2, 9), "区信访局", "青山镇", True),
        ],
        "XFJ",
    )
    assert figure(empty_url, CODE)["reporting"] is None
    assert card_text(figure(empty_url, CODE)).count("应报") == 0
    wall = client.get("/screen/data?screen=mediation&year=2025").get_json()
    assert wall["reporting"] is None or "矛盾纠纷" not in wall["reporting"]
    assert "矛盾纠纷调处登记 2月" not in _unescaped(
        client.get("/present/annual?year=2025").get_data(as_text=True)
    )
    app.server.extensions["dashboard.jobs"].shutdown()
    app.server.extensions["dashboard.engine"].dispose()


def _slide_text(data: bytes) -> str:
    deck = Presentation(io.BytesIO(data))
    return "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )


def _unescaped(page: str) -> str:
    """The page with its embedded JSON's \\uXXXX escapes read back."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), page)


def test_the_note_names_the_latest_short_month_only_once_months_are_over(district, empty_url, tmp_path):
    from data.reporting_note import register_notes

    publish(district, tmp_path, "sfj.xlsx", [("S-1", date(2025, 3, 5), "区司法局", "城关街道", True)], "SFJ")
    district("reporting", "duty", "set", "SFJ", "dispute_case", "--day", "5")
    engine = open_engine(empty_url)
    with engine.connect() as conn:
        # March not over on 2025-03-31: not owed yet; January and February short
        assert register_notes(conn, 2025, (1, 3), date(2025, 3, 31)) == {
            "dispute_case": "矛盾纠纷调处登记 2月：应报 1 个单位，已报 0 个（另有 1 个月未报齐）"
        }
        # March sent: the note names February, the latest month short
        assert register_notes(conn, 2025, (3, 3), date(2025, 6, 1)) == {}
        assert register_notes(conn, 2025, (1, 12), date(2026, 6, 1))["dispute_case"].startswith(
            "矛盾纠纷调处登记 12月：应报 1 个单位，已报 0 个（另有 10 个月未报齐）"
        )
    engine.dispose()
    assert json.dumps(figure(empty_url, CODE), ensure_ascii=False).count("应报") == 1
