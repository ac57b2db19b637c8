"""Hiding and reordering a deck's slides (issue 21) on both engines: /present/<deck>/edit keeps the order and the
hidden slides per deck (audited); the slide window, PowerPoint and a snapshot follow, and a snapshot keeps the
arrangement it was frozen with. Leaders and admins change it; nobody else."""

from __future__ import annotations

import io
import json
import re

from conftest import client_as
from pptx import Presentation

from data import deck_layout
from data.accounts.audit import audit_events
from layouts.decks import DECKS, slide_keys

OWN = {"Origin": "http://localhost"}
KEYS = [k for k, _ in slide_keys(DECKS["annual"])]
# what the demo deck shows: its text slides have no text yet
SHOWN = [k for k in KEYS if not k.startswith("text:")]


def _keys(client, path: str = "/present/annual?year=2024") -> list[str]:
    page = client.get(path).get_data(as_text=True)
    config = json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])
    return [s["key"] for s in config["content"]["slides"]]


def _pptx_titles(content: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(content))
    return [
        next(sh for sh in s.shapes if sh.has_text_frame).text_frame.text.split("\n")[0] for s in deck.slides
    ]


def _form(order: list[str], hidden: set[str]) -> dict:
    form = {f"order:{k}": str(order.index(k) + 1) for k in KEYS}
    form["show"] = [k for k in KEYS if k not in hidden]
    return form


def test_a_leader_hides_and_reorders_slides_and_every_face_follows_but_a_snapshot_keeps_its_own(app):
    leader = client_as(app, "leader")
    assert _keys(leader) == SHOWN  # the declared order; the empty text slides are left out
    page = leader.get("/present/annual/edit").get_data(as_text=True)
    assert re.findall(r'name="order:([^"]+)" value="(\d+)"', page) == [
        (k, str(i)) for i, k in enumerate(KEYS, 1)
    ]
    order = ["title", "area:mediation", *[k for k in KEYS if k not in ("title", "area:mediation")]]
    saved = leader.post("/present/annual/edit", data=_form(order, {"area:security", "overview"}), headers=OWN)
    assert saved.status_code == 303 and saved.headers["Location"] == "/present/annual/edit?saved=1"
    shown = [k for k in order if k not in {"area:security", "overview"} and not k.startswith("text:")]
    assert _keys(leader) == shown
    titles = _pptx_titles(leader.get("/present/annual/deck.pptx?year=2024").data)
    assert titles[1] == "矛盾纠纷" and "平安建设" not in titles and "总览" not in titles
    assert len(titles) == len(shown)
    # the edit page shows the saved order and the hidden slides unticked
    page = leader.get("/present/annual/edit?saved=1").get_data(as_text=True)
    assert "已保存页序" in page
    assert [k for k, _ in re.findall(r'name="order:([^"]+)" value="(\d+)"', page)] == order
    assert 'value="area:security" checked' not in page and 'value="area:mediation" checked' in page

    frozen = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN).headers["Location"]
    back = leader.post("/present/annual/edit", data=_form(KEYS, set()), headers=OWN)
    assert back.status_code == 303 and _keys(leader) == SHOWN
    assert _keys(leader, frozen) == shown
    assert _pptx_titles(leader.get(f"{frozen}/deck.pptx").data)[1] == "矛盾纠纷"
    with app.server.extensions["dashboard.engine"].connect() as conn:
        events = [e for e in audit_events(conn) if e.event == "deck_layout_saved"]
    assert [(e.actor, e.subject) for e in events] == [("leader", "annual")] * 2
    assert events[0].detail["before"] == {"order": order, "hidden": ["overview", "area:security"]}
    assert events[0].detail["hidden"] == [] and events[1].detail["before"] == {"order": [], "hidden": []}


def _overview(client, path: str = "/present/annual?year=2024") -> dict:
    page = client.get(path).get_data(as_text=True)
    config = json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])
    return next(s for s in config["content"]["slides"] if s["kind"] == "overview")


def test_an_area_hidden_from_the_meeting_leaves_the_overview_too(app):
    leader = client_as(app, "leader")
    before = _overview(leader)
    assert "矛盾纠纷" in [b["title"] for b in before["areas"]] and "矛盾纠纷" in before["notes"]
    saved = leader.post("/present/annual/edit", data=_form(KEYS, {"area:mediation"}), headers=OWN)
    assert saved.status_code == 303
    after = _overview(leader)
    assert [b["title"] for b in after["areas"]] == [
        b["title"] for b in before["areas"] if b["title"] != "矛盾纠纷"
    ]
    assert "矛盾纠纷" not in after["notes"] and "调处" not in after["notes"]
    # PowerPoint says the same: no 矛盾纠纷 on the overview slide
    deck = Presentation(io.BytesIO(leader.get("/present/annual/deck.pptx?year=2024").data))
    overview = next(s for s in deck.slides if "总览" in s.shapes[0].text_frame.text)
    assert "矛盾纠纷" not in "\n".join(sh.text_frame.text for sh in overview.shapes if sh.has_text_frame)


def test_only_leaders_and_admins_change_the_order_and_bad_input_changes_nothing(app):
    for name in ("justice", "qingshan", "clerk", None):
        client = client_as(app, name)
        assert client.get("/present/annual/edit").status_code == 403
        refused = client.post("/present/annual/edit", data=_form(KEYS[::-1], set()), headers=OWN)
        assert refused.status_code == 403 and "领导或管理员" in refused.get_data(as_text=True)
    admin = client_as(app, "admin")
    assert admin.get("/present/annual/edit").status_code == 200
    assert "/present/annual/edit" not in client_as(app, "justice").get("/present").get_data(as_text=True)
    assert "/present/annual/edit" in admin.get("/present").get_data(as_text=True)
    bad = _form(KEYS, set()) | {"order:title": "一"}
    answer = admin.post("/present/annual/edit", data=bad, headers=OWN)
    assert answer.status_code == 400 and "“标题页”的顺序应为正整数" in answer.get_data(as_text=True)
    every = admin.post("/present/annual/edit", data=_form(KEYS, set(KEYS)), headers=OWN)
    assert every.status_code == 400 and "至少放映一页" in every.get_data(as_text=True)
    assert admin.get("/present/nope/edit").status_code == 404
    assert _keys(admin) == SHOWN
    with app.server.extensions["dashboard.engine"].connect() as conn:
        assert deck_layout.load(conn, "annual") == {}


def test_a_slide_with_no_stored_place_follows_the_slide_before_it():
    slides = [{"key": k} for k in ("title", "a", "text:自由", "b", "closing")]
    placed = {
        "title": deck_layout.Placed(0, False),
        "a": deck_layout.Placed(3, False),
        "b": deck_layout.Placed(1, True),
        "closing": deck_layout.Placed(2, False),
    }
    assert [s["key"] for s in deck_layout.arrange(slides, placed)] == ["title", "closing", "a", "text:自由"]
    assert deck_layout.arrange(slides, {}) == slides
