"""A snapshot page sends each reader only what they may see: the report frozen with a leader's deck (every figure
the leader could see, internal ones too) used to ride along in the page's config for anonymous readers, and any
indicator named on a slide counts for who may open it."""

from __future__ import annotations

import json

from conftest import INTERNAL, client_as

from dashboard.content.deck import deck_content
from data import catalog, snapshots
from data.access import OPERATOR
from data.queries.filters import Filters
from layouts.decks import DECKS

OWN = {"Origin": "http://localhost"}


def _config(page: str) -> dict:
    return json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])


def test_the_report_frozen_with_a_deck_never_reaches_the_page(app, internal):
    leader, visitor = client_as(app, "leader"), client_as(app, None)
    path = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN).headers["Location"]
    engine = app.server.extensions["dashboard.engine"]
    with engine.connect() as conn:
        frozen = snapshots.get(conn, path.rsplit("/", 1)[1])
    cat = catalog.load()
    internal = [c for c in frozen.report["codes"] if cat[c].visibility == "internal"]
    assert internal, "the leader's report holds internal figures"
    for client in (visitor, leader):
        page = client.get(path)
        assert page.status_code == 200
        config = _config(page.get_data(as_text=True))
        assert "report" not in config["content"]
        assert not any(cat[c].name in page.get_data(as_text=True) for c in internal)
    # the Word download still has it, for the leader only
    assert leader.get(path + "/report.docx").status_code == 200
    assert visitor.get(path + "/report.docx").status_code == 403


def test_an_indicator_named_anywhere_on_a_slide_decides_who_opens_it(app, internal):
    visitor = client_as(app, None)
    hidden = catalog.load()[INTERNAL[0]]
    engine = app.server.extensions["dashboard.engine"]
    with engine.begin() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR))
        slide = next(s for s in content["slides"] if s["kind"] == "area")
        # not among the headline figures: in a part of a slide the old check did not look at
        slide["extra"] = {"series": [{"code": hidden.code, "value": 1}]}
        made = snapshots.create(conn, content, "深处", actor="leader")
    assert visitor.get(f"/present/s/{made.id}").status_code == 403
