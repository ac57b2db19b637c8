"""The `dashboard` command's help and argument errors, in-process: Chinese throughout, every command listed, no
identifier cut across lines. No database: -h and argument errors stop before the store is opened."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import unicodedata

import pytest

from dashboard.cli import commands
from dashboard.cli.arguments import parser

# What argparse writes in English when left alone.
ARGPARSE_ENGLISH = (
    "usage",
    "options",
    "optional arguments",
    "positional arguments",
    "show this help message and exit",
    "error",
    "required",
    "invalid choice",
    "argument",
)


def _walk(p: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*path, name))


def _declared_words(p: argparse.ArgumentParser) -> set[str]:
    """The ASCII words this project wrote into a parser: its prog, options, metavars, choices and help texts."""
    texts = [p.prog, p.description or ""]
    for action in p._actions:
        texts += [*action.option_strings, action.dest, str(action.metavar or ""), action.help or ""]
        texts += [str(c) for c in (action.choices or ())]
        texts.append(str(action.default))
        texts += [choice.help or "" for choice in getattr(action, "_choices_actions", ())]
    return {w.lower() for w in re.findall(r"[A-Za-z]+", " ".join(texts))}


COMMANDS = [path for path, _ in _walk(parser())]


def _help(path: tuple[str, ...]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        parser().parse_args([*path, "-h"])
    assert stop.value.code == 0
    return out.getvalue()


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "dashboard")
def test_help_is_chinese(monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(path)
    assert text.startswith("用法：dashboard")
    assert "选项：" in text and "显示本帮助并退出" in text
    lowered = text.lower()
    for phrase in ARGPARSE_ENGLISH:
        assert phrase not in lowered, (phrase, text)
    own = dict(_walk(parser()))[path]
    stray = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() not in _declared_words(own)}
    assert not stray, text


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "dashboard")
def test_help_cuts_no_identifier_and_fits_80_columns(monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "80")
    text = _help(path)
    own = dict(_walk(parser()))[path]
    words = set()
    for action in own._actions:
        words |= set(re.findall(r"[A-Za-z0-9_]{4,}", action.help or ""))
    flat = " ".join(text.split())
    for word in words:
        assert re.search(rf"(?<![A-Za-z0-9_]){word}(?![A-Za-z0-9_])", flat), (word, text)
    for line in text.splitlines():
        if not re.search(r"\{\w+(,\w+)+\}", line):  # a command list is one token, however long
            assert sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) <= 80, line


def test_template_help_keeps_hotline_request_whole(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert "hotline_request（" in _help(("template",))


def test_top_help_lists_every_command():
    text = _help(())
    listed = re.search(r"\{([a-z,]+)\}", text).group(1).split(",")
    assert sorted(listed) == sorted(commands.COMMANDS)
    for name in commands.COMMANDS:
        assert re.search(rf"^    {name} ", text, re.MULTILINE), name


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["nosuch"], "没有 'nosuch' 这个选项"),
        (["user"], "缺少参数：{add,list,passwd,disable,enable,set}（dashboard user -h 查看用法）"),
        (["export"], "缺少参数：{pptx,pdf,png,docx}"),
        (["snapshot"], "缺少参数：{create,list,rename,delete}"),
        (["audit", "--limit"], "参数 --limit 后面需要一个值"),
        (["audit", "--bogus"], "无法识别的参数：--bogus"),
    ],
)
def test_argument_errors_are_chinese(capsys, argv, expected):
    assert commands.run(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and expected in err, err
    assert not re.search(r"\b(usage|error|argument|required)\b", err), err
