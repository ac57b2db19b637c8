"""Reading one cell as its register column declares it: text, dates, yes/no, numbers, choices and names.

Each parser takes a cell as the file gave it (str, float, date, ...) and returns (value, reason): the value as
the register stores it (JSON-ready) and None, or None and a Chinese reason that names the value.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from data.registers import BOOL_FALSE, BOOL_TRUE, DATE_FORMATS_ZH, Field

FIRST_YEAR, LAST_YEAR = 2000, 2100
# XML, and so an .xlsx, cannot hold these; a register's text never needs them.
CONTROL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)
_TRUE = {unicodedata.normalize("NFKC", v).lower() for v in BOOL_TRUE}
_FALSE = {unicodedata.normalize("NFKC", v).lower() for v in BOOL_FALSE}

# (value, reason): reason None when the cell is fine.
Parsed = tuple[Any, str | None]


@dataclass(frozen=True)
class Names:
    """A dimension's members as a file may name them: full name, short name or code, normalised."""

    label: str
    by_key: dict[str, str]
    names: dict[str, str]

    @classmethod
    def build(cls, label: str, members: Iterable[tuple[str, ...]]) -> Names:
        by_key: dict[str, str] = {}
        names: dict[str, str] = {}
        for code, name, *others in members:
            names[code] = name
            for key in (code, name, *others):
                if key:
                    by_key.setdefault(_key(key), code)
        return cls(label, by_key, names)

    def suggest(self, text: str) -> str | None:
        """The member a person most likely meant: one whose name holds what they wrote (or the other way
        round), else the closest by the name's own part (青山 for 青山镇): 河西街道 is not 望江街道."""
        candidates = list(self.names.values())
        close = [n for n in candidates if text in n or n in text]
        if close:
            return close[0]
        stems = {_stem(n): n for n in candidates}
        near = difflib.get_close_matches(_stem(text), list(stems), n=1, cutoff=0.5)
        return stems[near[0]] if near else None


# What names of townships and departments end in; two names that share only this are not alike.
_SUFFIXES = ("街道办事处", "街道", "园区", "镇", "乡", "局", "委员会", "委", "办公室", "办", "中心")


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


def as_text(value: object) -> str:
    """A cell as the text a person typed: Excel's 12.0 is 12, a date cell its ISO date, empty is ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.translate(CONTROL).strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value: object) -> Parsed:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = unicodedata.normalize("NFKC", as_text(value))
        if not text:
            return None, None
        day = _date_from_text(text)
        if day is None:
            return None, f"“{text}”不是有效日期，请写成 {DATE_FORMATS_ZH}"
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None, f"“{day.isoformat()}”超出 {FIRST_YEAR}—{LAST_YEAR} 年的范围"
    return day.isoformat(), None


def _date_from_text(text: str) -> date | None:
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        serial = float(text)
    except ValueError:
        return None
    # An Excel date serial written as a number (a cell formatted 常规).
    if serial.is_integer() and 20_000 <= serial <= 80_000:
        return _EXCEL_EPOCH + timedelta(days=int(serial))
    return None


def parse_bool(value: object) -> Parsed:
    text = unicodedata.normalize("NFKC", as_text(value)).lower()
    if not text:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, f"“{as_text(value)}”应为“是”或“否”"


def parse_int(f: Field) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        text = unicodedata.normalize("NFKC", as_text(value)).replace(",", "").replace(" ", "")
        if not text:
            return None, None
        try:
            number = float(text)
        except ValueError:
            return None, f"“{as_text(value)}”应为整数"
        if not number.is_integer():
            return None, f"“{as_text(value)}”应为整数"
        if f.minimum is not None and number < f.minimum:
            return None, f"“{as_text(value)}”不能小于 {f.minimum}"
        if f.maximum is not None and number > f.maximum:
            return None, f"“{as_text(value)}”不能大于 {f.maximum}"
        return int(number), None

    return parse


def parse_choice(f: Field) -> Callable[[object], Parsed]:
    allowed = {_key(c): c for c in f.choices}

    def parse(value: object) -> Parsed:
        text = as_text(value)
        if not text:
            return None, None
        if (hit := allowed.get(_key(text))) is not None:
            return hit, None
        close = [c for c in f.choices if text in c or c in text] or difflib.get_close_matches(
            text, f.choices, n=1, cutoff=0.5
        )
        hint = f"，是否为“{close[0]}”？" if close else f"（可选：{'、'.join(f.choices)}）"
        return None, f"“{text}”不在{f.label}的可选值中{hint}"

    return parse


def parse_member(names: Names) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        text = as_text(value)
        if not text:
            return None, None
        if (code := names.by_key.get(_key(text))) is not None:
            return code, None
        hint = names.suggest(text)
        return None, f"“{text}”不在{names.label}列表中" + (f"，是否为“{hint}”？" if hint else "")

    return parse


def parse_text(f: Field) -> Callable[[object], Parsed]:
    def parse(value: object) -> Parsed:
        text = as_text(value)
        if f.kind == "register_no":
            text = unicodedata.normalize("NFKC", text).strip()
        if not text:
            return None, None
        if len(text) > f.length:
            return None, f"超过 {f.length} 个字（共 {len(text)} 个字）"
        return text, None

    return parse
