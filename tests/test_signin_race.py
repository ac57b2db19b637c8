"""The sign-in limit holds under concurrency: 30 wrong passwords sent at once used to be checked 8 times (each
read the failures before any was written); now attempts for one username take turns and only 5 are checked."""

from __future__ import annotations

import threading

from data import accounts
from data.accounts.signin import THROTTLE_FAILURES
from data.engine import open_engine
from data.store import migrate

PASSWORD = "测试用的密码-0123"


def test_thirty_wrong_passwords_at_once_are_checked_five_times(empty_url):
    engine = open_engine(empty_url, create=True)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "wang", PASSWORD, "leader")
    outcomes: list[str] = []
    start = threading.Barrier(30)

    def attempt(n: int) -> None:
        start.wait()
        with engine.connect() as conn:
            try:
                accounts.authenticate(conn, "wang", f"wrong-{n:04d}-password", address=f"10.0.{n}.1")
            except accounts.Throttled:
                outcomes.append("throttled")
            except accounts.AccountError:
                outcomes.append("checked")
            conn.commit()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with engine.connect() as conn:
        failed = [e for e in accounts.audit_events(conn, user="wang") if e.event == "login_failed"]
    engine.dispose()
    assert sorted(outcomes) == ["checked"] * THROTTLE_FAILURES + ["throttled"] * (30 - THROTTLE_FAILURES)
    assert len(failed) == THROTTLE_FAILURES
