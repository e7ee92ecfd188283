"""The console's login rate limit: after too many failed logins within a window, for one
account or from one client address, further attempts are refused until the window has
passed, and the refusal says how long to wait. Failures are rows in the compliance database,
so every replica counts the same ones."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Engine, delete, insert, select

from warden.compliance.storage.schema import console_login_failures
from warden.console.accounts import LoginRefused
from warden.people import person


def wait_text(seconds: int) -> str:
    minutes, rest = divmod(max(seconds, 1), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


class LoginThrottle:
    """Counts failed logins per account and per client address over the last `window_s`."""

    def __init__(
        self,
        engine: Engine,
        per_account: int = 5,
        per_address: int = 20,
        window_s: int = 900,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.per_account = per_account
        self.per_address = per_address
        self.window_s = window_s
        self.clock = clock

    def check(self, username: str, address: str) -> None:
        """LoginRefused, stating the wait, when the account or the address has had its limit
        of failures in the window; nothing is recorded for a refused attempt."""
        now = int(self.clock())
        for key, limit, what in (
            (_account_key(username), self.per_account, f"account {person(username)}"),
            (_address_key(address), self.per_address, f"address {address}"),
        ):
            wait = self._wait(key, limit, now)
            if wait > 0:
                raise LoginRefused(
                    f"too many failed logins for {what}: try again in {wait_text(wait)}"
                )

    def failed(self, username: str, address: str) -> None:
        now = int(self.clock())
        with self.engine.begin() as conn:
            conn.execute(
                delete(console_login_failures).where(
                    console_login_failures.c.at <= now - self.window_s
                )
            )
            conn.execute(
                insert(console_login_failures),
                [
                    {"key": _account_key(username), "at": now},
                    {"key": _address_key(address), "at": now},
                ],
            )

    def succeeded(self, username: str) -> None:
        """A good password clears the account's failures (not the address's)."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(console_login_failures).where(
                    console_login_failures.c.key == _account_key(username)
                )
            )

    def _wait(self, key: str, limit: int, now: int) -> int:
        """Seconds until fewer than `limit` failures of `key` lie in the window (0: none)."""
        table = console_login_failures.c
        with self.engine.connect() as conn:
            times = (
                conn.execute(
                    select(table.at)
                    .where(table.key == key, table.at > now - self.window_s)
                    .order_by(table.at.desc())
                    .limit(limit)
                )
                .scalars()
                .all()
            )
        if len(times) < limit:
            return 0
        return int(times[-1] + self.window_s - now)


def _account_key(username: str) -> str:
    return f"account:{person(username)}"[:300]


def _address_key(address: str) -> str:
    return f"address:{address}"[:300]
