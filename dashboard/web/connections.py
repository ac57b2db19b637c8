"""One store connection per request, shared by the reader's session lookup and the request's callback.

Every connection taken from the pool costs a round trip to check that it is still alive (``pool_pre_ping``, which
is how the app recovers from a database restart) and one more to reset it when it goes back; on SQLite, where
connections are not pooled, a new one reads the schema again on its first statement. A panel request identified
its reader through one connection and computed its panels through another: now both use the same one, which
goes back when the request ends.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from flask import Flask, g, has_request_context
from sqlalchemy import Connection, Engine

_KEY = "_store_connection"

Connect = Callable[[], AbstractContextManager[Connection]]


def install(server: Flask, engine: Engine) -> Connect:
    """The function that lends the request's connection (outside a request: a connection of its own)."""

    def _release(_error: BaseException | None = None) -> None:
        conn = g.pop(_KEY, None)
        if conn is not None:
            with contextlib.suppress(Exception):  # a connection the store dropped: nothing left to give back
                conn.close()

    server.teardown_request(_release)

    @contextmanager
    def connect() -> Iterator[Connection]:
        if not has_request_context():
            with engine.connect() as own:
                yield own
            return
        conn = g.get(_KEY)
        if conn is None or conn.closed or conn.invalidated:
            conn = engine.connect()
            setattr(g, _KEY, conn)
        try:
            yield conn
        except BaseException:
            # whatever failed may have left the transaction unusable: a later use in this request starts afresh
            _release()
            raise

    return connect
