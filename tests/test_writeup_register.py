"""The sentences a deck and the Word report say, in the report's register (issue 21, item 2): 零投诉 rather than
"0件，同比下降100%", 同比 only where the catalog says a change means something, 较上年增加N个 for a small tally,
实现全覆盖 at 100%, no clause without its subject, and the 总览 one sentence per area. Every sentence the 2024 deck
and report say on the demo store is read and the patterns of the issue are rejected; the rules themselves are
checked on figures made up here, so that each can be seen to fail."""

from __future__ import annotations

import re

import pytest

from dashboard.content.deck import deck_content
from dashboard.content.report import ReportRefused, report_document
from data import catalog, writeup
from data.access import OPERATOR
from data.queries.figures import Figure
from data.queries.filters import Filters
from layouts import writeup as words
from layouts.decks import DECKS
from layouts.format import number

# A zero with a 同比 after it, the 100% fall of a zero, 同比持平 said of a zero.
ZERO_WITH_CHANGE = re.compile(r"(?<![\d.])0(?:\.0+)?[^\d，；。、]{0,3}，(?:同比|较上年|与上年)")
SPLICES = ("同比下降100%", "上年无可比数据", "，，", "，。", "；。", "；；")


def _leads() -> set[str]:
    """What a row that goes on from the one before begins with (受理, 办结率, 受众…): never a clause's start."""
    rows = writeup.load()
    return {
        b.template.split("{")[0]
        for a, b in zip(rows, rows[1:], strict=False)
        if a.item == b.item and a.template.endswith(writeup.GOES_ON)
    }


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[；。\n]", text) if c]


def _problems(text: str, year: int, shown: dict[str, Figure]) -> list[str]:
    """Every way ``text`` leaves the report's register, as readable lines."""
    found = [f"“{s}”" for s in SPLICES if s in text]
    found += [f"零后有同比：{m.group(0)}" for m in ZERO_WITH_CHANGE.finditer(text)]
    leads = _leads()
    found += [f"无主语：{c}" for c in _clauses(text) if any(c.startswith(lead) for lead in leads)]
    cat = catalog.load()
    for code, fig in shown.items():
        ind = cat[code]
        value, unit = number(fig.value, fig.unit)
        said = "，".join([f"{value}{unit}", *[q for q in ind.qualifiers(year) if q != "上半年"]])
        if not ind.compares and re.search(re.escape(said) + "，(同比|较上年|与上年)", text):
            found.append(f"{ind.name}（{catalog.NATURES[ind.nature]}）带了同比")
    return found


def test_every_sentence_of_the_2024_deck_and_report_reads_as_the_report_writes(demo_engine):
    filters = Filters(2024, scope=OPERATOR)
    with demo_engine.connect() as conn:
        content = deck_content(conn, DECKS["annual"], filters)
        report = report_document(conn, filters)
        from data.queries.figures import figures

        shown = {f.code: f for f in figures(conn, filters)}
    texts = [s["notes"] for s in content["slides"]]
    texts += [i.text for s in report.sections for i in s.items]
    problems = [p for t in texts for p in _problems(t, 2024, shown)]
    assert not problems, problems
    body = "\n".join(texts)
    # the report's own phrases, from the store's figures
    assert "实现零投诉、零差错、零超时" in body
    assert "重大行政决策合法性审查实现全覆盖" in body
    assert "较上年增加2个" in body  # 43 departments after 41
    assert "上半年行政诉讼案件行政机关正职负责人出庭率为20%，全市排名第一" in body
    assert "办事效率提升60%；" in body and "新入职的133名执法人员参加执法资格考试并核发行政执法证件；" in body
    # the 总览: one sentence per area, each opened by its area's name
    overview = next(s for s in content["slides"] if s["kind"] == "overview")
    lines = overview["notes"].split("\n")
    assert [line.split("方面，")[0] for line in lines] == [a["title"] for a in overview["areas"]]
    assert all(line.count("。") == 1 and line.endswith("。") for line in lines)


def test_an_empty_store_has_no_year_to_write(empty_url):
    from data.engine import open_engine
    from data.store import migrate

    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.connect() as conn, pytest.raises(ReportRefused, match="库中没有 2024 年的数据"):
        report_document(conn, Filters(2024, scope=OPERATOR))
    engine.dispose()


def _fig(code: str, value: float | None, previous: float | None) -> Figure:
    ind = catalog.load()[code]
    pct = None if value is None or not previous else round((value - previous) / previous * 100, 1)
    points = None if ind.unit != "%" or value is None or previous is None else round(value - previous, 2)
    return Figure(
        code,
        ind.area,
        ind.name,
        ind.unit,
        value,
        previous,
        pct if points is None else None,
        points,
        {},
        None,
        "测试",
    )


def test_the_register_rules_each_change_what_is_said():
    rows = writeup.load()
    say = lambda *figs: words.talking_points(rows, list(figs), 2024)  # noqa: E731
    # zeros in a row are one 实现零…、零…; a zero after a non-zero has no 同比
    assert say(_fig("complaints", 0, 3), _fig("errors", 0, 0), _fig("overtime_cases", 0, 1)) == (
        "实现零投诉、零差错、零超时。"
    )
    assert "实现零差错" in say(_fig("complaints", 2, 4), _fig("errors", 0, 0))
    # a small tally changes by so many, a one-off and a claim not at all
    assert "较上年增加2个" in say(_fig("service_center_departments", 43, 41))
    assert (
        say(_fig("officers_certified", 133, 118))
        == "新入职的133名执法人员参加执法资格考试并核发行政执法证件。"
    )
    assert say(_fig("efficiency_gain_pct", 60, 42)) == "政务服务办事效率提升60%。"
    # 100% where the file has its phrase; a continuation said by itself gets its subject
    assert say(_fig("legality_review_coverage", 100, 100)) == "重大行政决策合法性审查实现全覆盖。"
    assert say(_fig("reconsideration_accepted", 166, 149)).startswith("受理行政复议申请166件，同比上升11.4%")
    assert say(
        _fig("reconsideration_applications", 223, 198), _fig("reconsideration_accepted", 166, 149)
    ) == ("收到行政复议申请223件，同比上升12.6%，受理166件，同比上升11.4%。")
    # a half-year figure opens with 上半年; 全市排名第一 belongs to 2024 only
    assert "全市排名第一" not in words.talking_points(
        rows, [_fig("agency_head_court_appearance_rate", 20, 11)], 2023
    )
    # and the checks above catch the sentences
    bad = "全年投诉0件，同比下降100%，差错0件，同比持平；受理166件；办事效率提升60%，同比提高18个百分点。"
    found = _problems(bad, 2024, {"efficiency_gain_pct": _fig("efficiency_gain_pct", 60, 42)})
    assert len(found) >= 4, found


def test_the_sentence_file_asks_for_a_subject_where_a_row_goes_on_from_the_one_before(tmp_path):
    lines = writeup.WRITEUP_CSV.read_text(encoding="utf-8").splitlines()
    broken = [
        re.sub(r",[^,]*$", ",", line) if ",hotline_completion_rate," in line else line for line in lines
    ]
    broken = [line.replace(",实现零投诉,", ",实现零投诉。,") for line in broken]
    path = tmp_path / "writeup.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    with pytest.raises(writeup.WriteupError) as err:
        writeup.read(path)
    assert "须在 alone 列写出单独成句时的说法" in str(err.value)
    assert "不带句末标点" in str(err.value)
