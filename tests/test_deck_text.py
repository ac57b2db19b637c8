"""Text slides as data (issue 21) on both engines: 工作亮点, 存在的问题, 下一步工作安排 and free text slides, kept per
deck, year and place, written on the presenter's list page or by `dashboard deck text`, shown as slides in the
deck's order, frozen into snapshots, editable text in the PowerPoint, in the PDF, and the Word report's closing
chapters; an empty one is left out. Who may write which place."""

from __future__ import annotations

import io
import json
import re

import docx
import pytest
from conftest import client_as, run_cli
from pptx import Presentation
from pptx.oxml.ns import qn
from pypdf import PdfReader

from dashboard.content.deck import deck_content
from dashboard.exports.pdf_text import ideographs
from dashboard.pages.present.pages import deck_pdf
from data import deck_layout, deck_text
from data.access import OPERATOR, ROLE_ACTIONS, Action
from data.accounts.audit import audit_events
from data.engine import open_engine
from data.queries.filters import Filters
from data.store import migrate
from layouts.decks import DECKS, TEXT_SLIDES, slide_keys

OWN = {"Origin": "http://localhost"}
PROBLEMS = ["少数领导履职能力还有待提升。", "普法质效还需提升。", "法治政府建设工作特色亮点还不多。"]
PLANS = ["加强法治教育，提升法治思维。", "加强矛盾纠纷的多元化解。"]


def _config(page: str) -> dict:
    return json.loads(page.split('id="present-config">', 1)[1].split("</script>", 1)[0])


def _slides(client, query: str = "year=2024") -> list[dict]:
    return _config(client.get(f"/present/annual?{query}").get_data(as_text=True))["content"]["slides"]


def _save(client, slide: str, body: str, unit: str = "", year: str = "2024"):
    form = {"year": year, "unit": unit, "slide": slide, "body": body}
    return client.post("/present/annual/text", data=form, headers=OWN)


def _pptx_texts(content: bytes) -> dict[str, list[str]]:
    """Each text slide's title and the paragraphs of its text box (the one with bullets)."""
    out = {}
    for slide in Presentation(io.BytesIO(content)).slides:
        boxes = [sh for sh in slide.shapes if sh.has_text_frame]
        bulleted = [
            b for b in boxes if b.text_frame.paragraphs[0]._p.find(f".//{qn('a:buChar')}") is not None
        ]
        if bulleted:
            out[boxes[0].text_frame.text] = [p.text for p in bulleted[0].text_frame.paragraphs]
    return out


def _word(content: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(content)).paragraphs]


def _engine(app):
    return app.server.extensions["dashboard.engine"]


def test_text_slides_round_trip_through_the_page_the_deck_a_snapshot_powerpoint_and_word(app):
    leader = client_as(app, "leader")
    before = _slides(leader)
    assert [s["kind"] for s in before].count("text") == 0  # empty ones are left out, not shown blank
    saved = _save(leader, "存在的问题", "\n".join(f"- {line}" for line in PROBLEMS) + "\n\n")
    assert saved.status_code == 303 and "saved=" in saved.headers["Location"]
    assert _save(leader, "下一步工作安排", "\n".join(PLANS)).status_code == 303
    assert _save(leader, "附：名词解释", "三项制度：行政执法公示、全过程记录、法制审核。").status_code == 303

    slides = _slides(leader)
    texts = [(s["title"], s["lines"]) for s in slides if s["kind"] == "text"]
    assert texts == [
        ("存在的问题", PROBLEMS),
        ("下一步工作安排", PLANS),
        ("附：名词解释", ["三项制度：行政执法公示、全过程记录、法制审核。"]),
    ]
    # after every area, before the closing slide
    kinds = [s["kind"] for s in slides]
    assert kinds[-1] == "closing" and kinds[-4:-1] == ["text"] * 3 and len(slides) == len(before) + 3
    assert slides[-4]["notes"] == "\n".join(PROBLEMS)

    assert _pptx_texts(leader.get("/present/annual/deck.pptx?year=2024").data) == dict(texts)
    words = _word(leader.get("/present/report.docx?year=2024").data)
    headings = [t for style, t in words if style == "Heading 1"]
    assert headings[-4:] == ["三、存在的问题", "四、下一步工作安排", "五、附：名词解释", "附件"]
    at = words.index(("Heading 1", "三、存在的问题"))
    assert [t for _, t in words[at + 1 : at + 4]] == [f"{i}.{line}" for i, line in enumerate(PROBLEMS, 1)]

    # a snapshot keeps the text as it was; the live deck follows the store
    made = leader.post("/present/annual/snapshot", data={"year": "2024"}, headers=OWN)
    path = made.headers["Location"]
    assert _save(leader, "存在的问题", "问题已经改写。").status_code == 303
    assert _save(leader, "附：名词解释", "").status_code == 303  # cleared: left out
    live = [(s["title"], s["lines"]) for s in _slides(leader) if s["kind"] == "text"]
    assert live == [("存在的问题", ["问题已经改写。"]), ("下一步工作安排", PLANS)]
    frozen = _config(leader.get(path).get_data(as_text=True))["content"]["slides"]
    assert [(s["title"], s["lines"]) for s in frozen if s["kind"] == "text"] == texts
    assert _pptx_texts(leader.get(f"{path}/deck.pptx").data) == dict(texts)
    frozen_words = [t for _, t in _word(leader.get(f"{path}/report.docx").data)]
    assert "1.少数领导履职能力还有待提升。" in frozen_words and "1.问题已经改写。" not in frozen_words

    with _engine(app).connect() as conn:
        events = [e for e in audit_events(conn) if e.event.startswith("deck_text")]
    assert [(e.event, e.actor, e.subject) for e in events][:2] == [
        ("deck_text_cleared", "leader", "附：名词解释"),
        ("deck_text_set", "leader", "存在的问题"),
    ]


def test_a_places_text_slides_are_its_own_and_who_may_write_which(app):
    justice, market = client_as(app, "justice"), client_as(app, "market")
    assert _save(justice, "工作亮点", "全区行政复议案件纠错率下降。", unit="SFJ").status_code == 303
    own = [s for s in _slides(justice, "year=2024&department=SFJ") if s["kind"] == "text"]
    assert [(s["title"], s["lines"]) for s in own] == [("工作亮点", ["全区行政复议案件纠错率下降。"])]
    assert not [s for s in _slides(justice) if s["kind"] == "text"]  # the district's deck has none
    assert not [s for s in _slides(market, "year=2024&department=SCJGJ") if s["kind"] == "text"]
    # a department head writes only their own department's deck; a township head and a visitor none
    assert _save(market, "工作亮点", "改别人的", unit="SFJ").status_code == 403
    assert _save(justice, "工作亮点", "改全区的", unit="").status_code == 403
    for name in ("qingshan", None):
        refused = _save(client_as(app, name), "工作亮点", "x", unit="qingshan")
        assert refused.status_code == 403 and "部门负责人" in refused.get_data(as_text=True)
    assert _save(client_as(app, "admin"), "工作亮点", "管理员写乡镇的", unit="qingshan").status_code == 303
    # the editor is offered to those who may write, for the places they may write
    page = justice.get("/present").get_data(as_text=True)
    assert re.findall(r'name="unit"><option value="([^"]*)"', page) == ["SFJ"]
    assert "/present/annual/text" not in client_as(app, "qingshan").get("/present").get_data(as_text=True)
    assert {r for r, acts in ROLE_ACTIONS.items() if Action.EDIT_DECK in acts} == {
        "admin",
        "leader",
        "department",
    }


def test_a_free_text_slide_is_renamed_in_place_and_the_decks_own_keep_their_titles(app):
    leader = client_as(app, "leader")
    assert _save(leader, "附：名词解释", "甲。\n乙。").status_code == 303
    assert _save(leader, "下一步工作安排", "继续。").status_code == 303
    page = leader.get("/present?year=2024").get_data(as_text=True)
    # a free slide's title is a field; the deck's own text slides show theirs as a heading
    assert 'name="title" value="附：名词解释"' in page and 'name="title" value="下一步工作安排"' not in page

    renamed = leader.post(
        "/present/annual/text",
        data={"year": "2024", "unit": "", "slide": "附：名词解释", "title": "附：术语", "body": "甲。\n乙。"},
        headers=OWN,
    )
    assert renamed.status_code == 303
    texts = [(s["title"], s["lines"]) for s in _slides(leader) if s["kind"] == "text"]
    assert texts == [("下一步工作安排", ["继续。"]), ("附：术语", ["甲。", "乙。"])]
    # a title already taken, or a deck's own, is refused with the typed title shown again; nothing changes
    for taken in ("下一步工作安排", "存在的问题"):
        refused = leader.post(
            "/present/annual/text",
            data={"year": "2024", "unit": "", "slide": "附：术语", "title": taken, "body": "改了的文字。"},
            headers=OWN,
        )
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400
        assert f"已有名为“{taken}”的文字页" in page and f'name="title" value="{taken}"' in page
        assert "改了的文字。" in page
    assert [(s["title"], s["lines"]) for s in _slides(leader) if s["kind"] == "text"] == texts
    with _engine(app).connect() as conn:
        (event,) = [e for e in audit_events(conn) if e.event == "deck_text_renamed"]
        assert (event.actor, event.subject, event.detail["before"]) == ("leader", "附：术语", "附：名词解释")
        with pytest.raises(deck_text.DeckTextError, match="自带的文字页，不能改标题"):
            deck_text.rename(conn, "annual", 2024, "下一步工作安排", "别的", declared={"下一步工作安排"})


def test_a_refused_text_is_shown_again_as_typed_and_nothing_changes(app):
    leader = client_as(app, "leader")
    typed = "第一条\n" + "长" * 151
    refused = _save(leader, "存在的问题", typed)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "第 2 行有 151 个字，一行最多 150 个字" in page
    assert "长" * 151 in page  # nothing typed is lost
    many = "\n".join(f"第{i}条" for i in range(deck_text.MAX_LINES + 1))
    assert "最多 10 行" in _save(leader, "存在的问题", many).get_data(as_text=True)
    assert _save(leader, "", "没有标题").status_code == 400
    assert _save(leader, "存在的问题", "x", year="1999").status_code == 400
    assert not [s for s in _slides(leader) if s["kind"] == "text"]


def test_dashboard_deck_text_writes_lists_and_clears_and_refuses_plainly(app, tmp_path):
    url = _engine(app).url.render_as_string(hide_password=False)
    env = {"DATABASE_URL": url}
    utf8, gbk = tmp_path / "问题.txt", tmp_path / "安排.txt"
    utf8.write_bytes(("\ufeff" + "\r\n".join(PROBLEMS)).encode())
    gbk.write_bytes("\n".join(PLANS).encode("gb18030"))
    done = run_cli("deck", "text", "--year", "2024", "--slide", "存在的问题", "--file", str(utf8), env=env)
    assert done.returncode == 0 and "已保存2024年“存在的问题”（全区）：3 行" in done.stdout, done.stderr
    done = run_cli(
        "deck", "text", "--deck", "annual", "--year", "2024", "--slide", "下一步工作安排",
        "--file", str(gbk), "--department", "SFJ", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = run_cli("deck", "text", "--list", env=env).stdout
    assert "存在的问题" in listed and "SFJ" in listed and "加强法治教育" in listed
    with _engine(app).connect() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, departments=("SFJ",), scope=OPERATOR))
    assert [(s["title"], s["lines"]) for s in content["slides"] if s["kind"] == "text"] == [
        ("下一步工作安排", PLANS)
    ]
    for args, words in [
        (("--slide", "存在的问题", "--file", str(tmp_path / "无.txt")), "找不到文件"),
        (("--slide", "存在的问题", "--file", str(utf8), "--department", "NOPE"), "没有代码为 NOPE"),
        (("--file", str(utf8)), "需要 --year 和 --slide"),
        (("--slide", "存在的问题"), "--file --clear --rename --list"),
        (("--slide", "存在的问题", "--rename", "别的"), "“存在的问题”是这套汇报自带的文字页，不能改标题"),
    ]:
        refused = run_cli("deck", "text", "--year", "2024", *args, env=env)
        assert refused.returncode == 2 and words in refused.stderr and "Traceback" not in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
    free = run_cli("deck", "text", "--year", "2024", "--slide", "附：名词解释", "--file", str(utf8), env=env)
    assert free.returncode == 0, free.stderr
    renamed = run_cli(
        "deck", "text", "--year", "2024", "--slide", "附：名词解释", "--rename", "附：术语", env=env
    )
    assert renamed.returncode == 0 and "已把2024年“附：名词解释”（全区）改名为“附：术语”" in renamed.stdout
    assert (
        run_cli("deck", "text", "--year", "2024", "--slide", "附：术语", "--clear", env=env).returncode == 0
    )
    cleared = run_cli("deck", "text", "--year", "2024", "--slide", "存在的问题", "--clear", env=env)
    assert cleared.returncode == 0 and "已清空" in cleared.stdout
    again = run_cli("deck", "text", "--year", "2024", "--slide", "存在的问题", "--clear", env=env)
    assert again.returncode == 0 and "本来就是空的" in again.stdout
    with _engine(app).connect() as conn:
        assert [(t.unit, t.slide) for t in deck_text.list_all(conn)] == [("SFJ", "下一步工作安排")]


def test_an_empty_store_keeps_text_for_the_district_and_says_there_is_none_yet(empty_url):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    env = {"DATABASE_URL": empty_url}
    assert "还没有文字页" in run_cli("deck", "text", "--list", env=env).stdout
    with engine.begin() as conn:
        kept = deck_text.set_text(conn, "annual", 2025, "工作亮点", "•  亮点一\n\n  * 亮点二\x07 ", actor="t")
        assert kept.lines == ("亮点一", "亮点二")
        with pytest.raises(deck_text.DeckTextError, match="没有代码为 SFJ"):
            deck_text.set_text(conn, "annual", 2025, "工作亮点", "x", "SFJ")
    with engine.connect() as conn:
        assert [t.lines for t in deck_text.texts(conn, "annual", 2025)] == [("亮点一", "亮点二")]
        assert deck_text.texts(conn, "annual", 2024) == []
    engine.dispose()
    refused = run_cli("export", "pptx", "--year", "2025", "-o", "/tmp/none.pptx", env=env)
    assert refused.returncode == 2 and "没有" in refused.stderr


def test_the_annual_deck_declares_the_three_text_slides_before_the_closing_slide():
    slides = DECKS["annual"].slides
    assert [s.title for s in slides if s.kind == "text"] == list(TEXT_SLIDES)
    assert slides[-1].kind == "closing" and [s.kind for s in slides[-4:-1]] == ["text"] * 3
    assert deck_text.lines_of("- 一\r\n\n· 二\n   \n三") == ("一", "二", "三")


@pytest.mark.browser  # the PDF is printed by the app's Chromium
def test_the_pdf_carries_the_text_slides_as_searchable_text(app):
    keys = [k for k, _ in slide_keys(DECKS["annual"])]
    with _engine(app).begin() as conn:
        deck_text.set_text(conn, "annual", 2024, "存在的问题", "\n".join(PROBLEMS))
        # a hidden slide is not printed either (/present/annual/edit)
        deck_layout.save(conn, "annual", keys, {"area:security"}, keys)
    with _engine(app).connect() as conn:
        content = deck_content(conn, DECKS["annual"], Filters(2024, scope=OPERATOR))
    pages = [
        "".join(ideographs(p.extract_text()).split()) for p in PdfReader(io.BytesIO(deck_pdf(content))).pages
    ]
    assert len(pages) == len(content["slides"]) == 12 and not any(p.startswith("平安建设") for p in pages)
    assert all(line.rstrip("。") in pages[-2] for line in PROBLEMS) and "存在的问题" in pages[-2]


def test_a_text_slides_type_in_powerpoint_is_the_largest_that_fits_its_box():
    from pptx.util import Inches

    from dashboard.exports import pptx as deck_pptx

    width, height = deck_pptx.WIDTH - 2 * deck_pptx.MARGIN, Inches(5.35)
    assert deck_pptx._text_size(PROBLEMS, width, height) == 28
    longest = ["法" * 70] * deck_text.MAX_LINES  # 700 characters, every line wrapping
    size = deck_pptx._text_size(longest, width, height)
    assert 12 <= size < 28
    # what it chose fits, the next size up does not
    rows = lambda s: len(longest) * -(-70 // int((width - Inches(0.4)) / 12700 // s))  # noqa: E731
    assert rows(size) * size * 1.2 + len(longest) * size * deck_pptx.TEXT_GAP <= height / 12700
    bigger = deck_pptx.TEXT_SIZES[deck_pptx.TEXT_SIZES.index(size) - 1]
    assert rows(bigger) * bigger * 1.2 + len(longest) * bigger * deck_pptx.TEXT_GAP > height / 12700
