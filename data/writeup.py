"""The annual report's figures, as sentences to write from the store: under the report's own headings, one
sentence template per figure (data/writeup.csv). An office rewords a sentence by editing that file; the figures
come from the store for the year asked, with 同比 against the year before.

A template may use ``{value}`` (the figure with its unit, 2712件) and ``{change}`` (同比上升4.2%, 较上年增加2个, or
nothing where the catalog says a change means nothing), a heading ``{year}``. Three optional columns say what the
report says in its own register: ``zero``, the phrase for a figure of 0 (实现零投诉: consecutive ones are joined,
实现零投诉、零差错、零超时); ``full``, the phrase for 100% (合法性审查实现全覆盖); ``alone``, the sentence for a
figure said without the one before it, where the template goes on from that one (受理{value} after 收到…申请 reads
as 受理行政复议申请{value} alone). The file is checked whole when read: every problem is listed, in Chinese, with
its line.
"""

from __future__ import annotations

import csv
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from data import catalog

WRITEUP_CSV = Path(__file__).with_name("writeup.csv")
COLUMNS: tuple[str, ...] = ("chapter", "section", "item", "code", "sentence")
OPTIONAL: tuple[str, ...] = ("zero", "full", "alone")
# A template ending in one of these goes on into the next row's: that row needs an ``alone`` to be said by itself.
GOES_ON = "，"
# What a sentence may name, and what a heading may.
SENTENCE_FIELDS: tuple[str, ...] = ("value", "change")
HEADING_FIELDS: tuple[str, ...] = ("year",)
TITLE = "{district}{year}年法治政府建设工作报告（数据部分）"


class WriteupError(ValueError):
    """A sentence file that cannot be used; the message lists every problem with its line."""


@dataclass(frozen=True)
class Sentence:
    chapter: str
    section: str
    item: str
    code: str
    template: str
    zero: str = ""
    full: str = ""
    alone: str = ""


def _fields(text: str) -> list[str] | None:
    """The placeholders ``text`` names, or None when it is not a valid template (a lone brace)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None


def _register_problems(where: str, row: dict[str, str], before: dict[str, str] | None) -> list[str]:
    """The optional columns: plain phrases for zero and 100%, a whole sentence for ``alone``; and an ``alone`` where
    the template goes on from the row before (a clause with no subject otherwise)."""
    problems = []
    for column in ("zero", "full"):
        names = _fields(row[column])
        if names is None or names:
            problems.append(f"{where}：{column} 列是固定的说法（如 实现零投诉），不能用花括号")
        elif row[column].strip().endswith(("，", "；", "。", "、")):
            problems.append(f"{where}：{column} 列不带句末标点，标点沿用句子的")
    if row["alone"].strip():
        names = _fields(row["alone"])
        if names is None or "value" not in names or any(n not in SENTENCE_FIELDS for n in names):
            problems.append(f"{where}：alone 列是一整句，须有 {{value}}，只能用 {{value}} 和 {{change}}")
    follows = before is not None and before["item"] == row["item"] and before["section"] == row["section"]
    if follows and before["sentence"].strip().endswith(GOES_ON) and not row["alone"].strip():
        problems.append(f"{where}：上一句以逗号接续到这一句，须在 alone 列写出单独成句时的说法（带主语）")
    return problems


def _problems(line: int, row: dict[str, str], known: set[str], seen: set[str]) -> list[str]:
    where = f"第{line}行"
    code, problems = row["code"].strip(), []
    if code not in known:
        problems.append(f"{where}：指标代码 “{code[:40]}” 不在指标目录中")
    elif code in seen:
        problems.append(f"{where}：指标 “{code}” 已有一句，每个指标只写一句")
    names = _fields(row["sentence"])
    if names is None:
        problems.append(f"{where}：句子里的花括号不成对（数值写作 {{value}}，同比写作 {{change}}）")
    elif "value" not in names:
        problems.append(f"{where}：句子里没有 {{value}}，数字无处可填")
    else:
        problems += [
            f"{where}：句子里的 {{{n}}} 无法填写，只能用 {{value}} 和 {{change}}"
            for n in names
            if n not in SENTENCE_FIELDS
        ]
    for column in ("chapter", "section", "item"):
        names = _fields(row[column])
        if names is None or any(n not in HEADING_FIELDS for n in names):
            problems.append(f"{where}：标题 “{row[column][:40]}” 只能用 {{year}}")
    if not row["chapter"].strip() or not row["section"].strip():
        problems.append(f"{where}：chapter 和 section 两列不能为空")
    return problems


def read(path: Path = WRITEUP_CSV) -> tuple[Sentence, ...]:
    """Every sentence of ``path`` in file order, or WriteupError listing every problem."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
            header = rows and list(rows[0]) or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise WriteupError(f"无法读取句子文件 {path.name}：{exc}") from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise WriteupError(f"句子文件 {path.name} 缺少列：{'、'.join(missing)}（应有 {','.join(COLUMNS)}）")
    known, seen, problems, sentences = set(catalog.load()), set(), [], []
    before = None
    for line, row in enumerate(rows, start=2):
        row = {k: (row.get(k) or "") for k in COLUMNS + OPTIONAL}
        found = _problems(line, row, known, seen) + _register_problems(f"第{line}行", row, before)
        problems += found
        seen.add(row["code"].strip())
        before = row
        if not found:
            sentences.append(Sentence(*(row[c].strip() for c in COLUMNS + OPTIONAL)))
    if problems:
        raise WriteupError(f"句子文件 {path.name} 有 {len(problems)} 处问题：" + "；".join(problems))
    return tuple(sentences)


@cache
def load() -> tuple[Sentence, ...]:
    """The shipped sentences (read once per process)."""
    return read()
