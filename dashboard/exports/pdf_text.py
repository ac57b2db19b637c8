"""Chinese text in a printed PDF that copies and searches as the characters on the page.

Noto CJK (Source Han) draws a character such as 工 and the Kangxi radical ⼯ with one glyph. Chromium writes each
glyph's character into the PDF's ToUnicode map, taking the first it finds for that glyph, the radical: the page
shows 工作 but a search for 工作 finds nothing and a copy pastes ⼯作 (about 200 common characters: 工 青 山 用
长 门 见 …). This rewrites those maps to the unified ideographs the Unicode Character Database names as
equivalent (EquivalentUnifiedIdeograph.txt): NFKC gives them for the Kangxi Radicals block, the table below for
the CJK Radicals Supplement, which NFKC leaves alone.
"""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader, PdfWriter

# EquivalentUnifiedIdeograph.txt (Unicode 14.0, © Unicode, Inc.), U+2E81..U+2EF3: radical -> ideograph.
# Pairs are "radical:ideograph" in hex; "a-b:x" is a range of radicals sharing one ideograph.
_SUPPLEMENT = """
2E81:5382 2E82:4E5B 2E83:4E5A 2E84:4E59 2E85:4EBB 2E86:5182 2E87:20628 2E88:5200 2E89:5202 2E8A:535C
2E8B:353E 2E8C-2E8D:5C0F 2E8E:5140 2E8F:5C23 2E90:5C22 2E91:21BC2 2E92:5DF3 2E93:5E7A 2E94:5F51 2E95:5F50
2E96:5FC4 2E97:5FC3 2E98:624C 2E99:6535 2E9B:65E1 2E9C:65E5 2E9D:6708 2E9E:6B7A 2E9F:6BCD 2EA0:6C11
2EA1:6C35 2EA2:6C3A 2EA3:706C 2EA4-2EA5:722B 2EA6:4E2C 2EA7:725B 2EA8:72AD 2EA9:738B 2EAA:24D14 2EAB:76EE
2EAC:793A 2EAD:793B 2EAE:25AD7 2EAF:7CF9 2EB0:7E9F 2EB1:7F53 2EB2:7F52 2EB3:34C1 2EB4:5197 2EB5:2626B
2EB6:7F8A 2EB7:2634C 2EB8:2634B 2EB9:8002 2EBA:8080 2EBB:807F 2EBC:8089 2EBD:26951 2EBE-2EC0:8279 2EC1:864E
2EC2:8864 2EC3:8980 2EC4:897F 2EC5:89C1 2EC6:89D2 2EC7:278B2 2EC8:8BA0 2EC9:8D1D 2ECA:27FB7 2ECB:8F66
2ECC-2ECE:8FB6 2ECF:9091 2ED0:9485 2ED1:9577 2ED2:9578 2ED3:957F 2ED4:95E8 2ED5:28E0F 2ED6:961D 2ED7:96E8
2ED8:9752 2ED9:97E6 2EDA:9875 2EDB:98CE 2EDC:98DE 2EDD:98DF 2EDE:2967F 2EDF:98E0 2EE0:9963 2EE1:29810
2EE2:9A6C 2EE3:9AA8 2EE4:9B3C 2EE5:9C7C 2EE6:9E1F 2EE7:5364 2EE8:9EA6 2EE9:9EC4 2EEA:9EFE 2EEB:6589
2EEC:9F50 2EED:6B6F 2EEE:9F7F 2EEF:7ADC 2EF0:9F99 2EF1:9F9C 2EF2:4E80 2EF3:9F9F
"""


def _table() -> dict[str, str]:
    table = {}
    for pair in _SUPPLEMENT.split():
        radicals, ideograph = pair.split(":")
        low, _, high = radicals.partition("-")
        for code in range(int(low, 16), int(high or low, 16) + 1):
            table[chr(code)] = chr(int(ideograph, 16))
    for code in range(0x2F00, 0x2FE0):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[chr(code)] = folded
    return table | SIMPLIFIED


# Where the simplified-Chinese fonts draw a radical with a different ideograph's glyph than the one the UCD names:
# Noto Sans CJK SC (Debian's fonts-noto-cjk, read with fontTools) shares a glyph between 289 radicals and
# ideographs, and for one everyday character the ideograph is not the UCD's: ⼾ is drawn as 户, not 戶.
SIMPLIFIED = {"\u2f3e": "\u6237"}


IDEOGRAPHS = _table()
_HEX = re.compile(r"<([0-9A-Fa-f]+)>")
_BLOCK = re.compile(r"(\d+)\s+begin(bfchar|bfrange)\s*(.*?)\s*end\2", re.S)


def ideographs(text: str) -> str:
    """``text`` with every radical that has an equivalent ideograph replaced by it."""
    return "".join(IDEOGRAPHS.get(c, c) for c in text)


def _decode(hexa: str) -> str:
    return bytes.fromhex(hexa).decode("utf-16-be", "replace")


def _encode(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _bfchar(pairs: list[tuple[str, str]]) -> str:
    # the PDF specification allows at most 100 entries in one block
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines = "\n".join(f"<{src}> <{dst}>" for src, dst in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return "\n".join(blocks)


def fix_cmap(cmap: str) -> str:
    """A ToUnicode CMap whose radicals are the ideographs they stand for (unchanged when it has none)."""

    def block(match: re.Match) -> str:
        kind, body = match.group(2), match.group(3)
        if kind == "bfchar":
            pairs = [(s, d) for s, d in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", body)]
            fixed = [(s, _encode(ideographs(_decode(d)))) for s, d in pairs]
            return _bfchar(fixed) if fixed != pairs else match.group(0)
        ranges, singles, changed = [], [], False
        for line in body.splitlines():
            codes = _HEX.findall(line)
            if len(codes) < 3:
                continue
            low, high, first = codes[0], codes[1], codes[2]
            if "[" in line:
                # an explicit list: each glyph its own text
                texts = [_encode(ideographs(_decode(c))) for c in codes[2:]]
                changed |= texts != codes[2:]
                ranges.append(f"<{low}> <{high}> [{' '.join(f'<{t}>' for t in texts)}]")
                continue
            span = int(high, 16) - int(low, 16)
            start = _decode(first)
            texts = [start[:-1] + chr(ord(start[-1]) + i) for i in range(span + 1)] if start else []
            if any(ideographs(t) != t for t in texts):
                changed = True
                width = len(low)
                singles += [
                    (f"{int(low, 16) + i:0{width}X}", _encode(ideographs(t))) for i, t in enumerate(texts)
                ]
            else:
                ranges.append(f"<{low}> <{high}> <{first}>")
        if not changed:
            return match.group(0)
        parts = [f"{len(ranges)} beginbfrange\n" + "\n".join(ranges) + "\nendbfrange"] if ranges else []
        if singles:
            parts.append(_bfchar(singles))
        return "\n".join(parts)

    return _BLOCK.sub(block, cmap)


def searchable(pdf: bytes) -> bytes:
    """``pdf`` with every font's ToUnicode map fixed; the same bytes when no map needed it."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    seen, changed = set(), False
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            stream_ref = font.get("/ToUnicode")
            if stream_ref is None or id(stream_ref.get_object()) in seen:
                continue
            stream = stream_ref.get_object()
            seen.add(id(stream))
            cmap = stream.get_data().decode("latin-1")
            fixed = fix_cmap(cmap)
            if fixed != cmap:
                stream.set_data(fixed.encode("latin-1"))
                changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
