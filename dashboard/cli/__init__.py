"""The `dashboard` command (and ``python -m dashboard``): init, serve, check.

Whatever happens, a person sees one line on stderr and exit code 2, never a traceback: the commands'
expected failures get their own message (dashboard/cli/commands.py), Ctrl-C says it interrupted, and anything
else is logged with its traceback and named in one line. This module imports only the standard library at
the top, so that a Ctrl-C while the app's libraries load is caught too.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import ModuleType

# Every write of `dashboard init` is one transaction (data/store.py begin_write): what an interrupt cuts
# short is rolled back, and running the command again starts that step over.
INTERRUPTED = "已中断：未完成的写入已撤销，重新运行同一命令即可"


# Set by a Ctrl-C, so that one CPython loses (raised inside a weakref callback or __del__, where exceptions are
# printed and ignored) still stops the command before it commits anything (see _guard_commits).
_pressed = threading.Event()


def main(argv: Sequence[str] | None = None) -> int:
    try:
        commands = _load_commands()
        _guard_commits()
        return commands.run(argv)
    except KeyboardInterrupt:
        _ignore_further_interrupts()
        print(INTERRUPTED, file=sys.stderr, flush=True)
        return 2
    except Exception:
        if _pressed.is_set():
            # A library's clean-up after the interrupt failed in turn (alembic's batch migration, dropping its
            # temporary table, met SQLAlchemy's PendingRollbackError): it is still Ctrl-C that stopped the command,
            # and its transaction is rolled back all the same.
            _ignore_further_interrupts()
            print(INTERRUPTED, file=sys.stderr, flush=True)
            return 2
        logging.getLogger("dashboard").exception("dashboard 命令意外出错")
        print("错误：意外错误，详情见上方日志；请把它报告给维护者", file=sys.stderr, flush=True)
        return 2


def _load_commands() -> ModuleType:
    """Import the commands (about a second of Dash and SQLAlchemy) with Ctrl-C held back until they are loaded.

    A KeyboardInterrupt raised inside a C extension's module setup makes CPython end the process by SIGINT
    whatever main() returns; held back, the interrupt is raised here instead, where main() reports it.
    """
    pressed: list[int] = []
    # Only the main thread may set handlers; an ignored SIGINT (a background job) stays ignored.
    held = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if held:
        previous = signal.signal(signal.SIGINT, lambda signum, _frame: pressed.append(signum))
    try:
        from dashboard.cli import commands
    finally:
        if held:
            signal.signal(signal.SIGINT, previous)
    if pressed:
        raise KeyboardInterrupt
    return commands


def _press(_signum: int, _frame: object) -> None:
    _pressed.set()
    raise KeyboardInterrupt


def _refuse_commit(_conn: object) -> None:
    if _pressed.is_set():
        raise KeyboardInterrupt


def _guard_commits() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual, and any commit after it is refused: the transaction it would have
    ended is rolled back (the connection's return to the pool rolls it back), whatever swallowed the first."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    signal.signal(signal.SIGINT, _press)
    if not event.contains(Engine, "commit", _refuse_commit):
        event.listen(Engine, "commit", _refuse_commit)


def _ignore_further_interrupts() -> None:
    # A second Ctrl-C while the rollback and the interpreter's shutdown run would print a traceback.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
