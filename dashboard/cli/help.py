"""The `dashboard` command's help in Chinese: argparse's headings, usage prefix and -h line, and text wrapped by
display width (a Chinese character takes two columns) without cutting an identifier such as hotline_request.

argparse wraps with textwrap, which sees a run of Chinese text and identifiers as one long word and cuts it
wherever the line ends; and it counts a Chinese character as one column, so its lines overflow the terminal.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections.abc import Iterable

USAGE = "用法："
POSITIONALS = "位置参数"
OPTIONALS = "选项"
HELP = "显示本帮助并退出"

# What may not be cut: a run of ASCII letters, digits and the punctuation of identifiers, paths and options.
_TOKEN = re.compile(r"[A-Za-z0-9_.\-/@=:+%{},'\"*]+|\s+|.", re.DOTALL)
# A marker after each heading, so that argparse's ":" after it can be told from a colon in a help text.
_HEADING_END = "\0"
_USAGE_STAND_IN = "\1"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` display columns, broken between Chinese characters or at spaces,
    never inside an ASCII run (one longer than a line stands alone on its line)."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            token = " "
        if line and width(line) + width(token) > columns:
            lines.append(line.rstrip())
            line = "" if token == " " else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Formatter(argparse.HelpFormatter):
    """argparse's layout with Chinese words and display-width wrapping."""

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        # argparse measures the prefix with len(): a stand-in as wide as 用法： keeps its lines within the width.
        if prefix is not None:
            return super()._format_usage(usage, actions, groups, prefix)
        stand_in = _USAGE_STAND_IN * width(USAGE)
        return super()._format_usage(usage, actions, groups, stand_in).replace(stand_in, USAGE, 1)

    def start_section(self, heading: str | None) -> None:
        super().start_section(None if heading is None else heading + _HEADING_END)

    def format_help(self) -> str:
        return super().format_help().replace(_HEADING_END + ":", "：")

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


def chinese_parser(parser: argparse.ArgumentParser) -> None:
    """Give a parser made with ``add_help=False`` Chinese group titles and its -h in Chinese."""
    parser._positionals.title = POSITIONALS
    parser._optionals.title = OPTIONALS
    parser.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)


def name_commands(parser: argparse.ArgumentParser) -> None:
    """Every sub-command list shows as {a,b,c} of the commands actually added (in help and in errors alike)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = "{" + ",".join(action.choices) + "}"
            for sub in action.choices.values():
                name_commands(sub)
