"""The outbox relay's loop backs off after failed rounds and resets after one that works."""

from __future__ import annotations

import logging

import pytest

from warden.platform.outbox import OutboxRelay


class _Rounds(OutboxRelay):
    """A relay whose rounds go as scripted: an exception to raise or a count published."""

    def __init__(self, script: list[int | Exception]) -> None:
        self.script = script

    def publish_pending(self) -> int:
        outcome = self.script.pop(0) if self.script else 0
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class _Stop:
    """A stop event that records each wait and is set after `waits` of them."""

    def __init__(self, waits: int) -> None:
        self.limit = waits
        self.waits: list[float] = []

    def is_set(self) -> bool:
        return len(self.waits) >= self.limit

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return self.is_set()


def test_failed_rounds_wait_twice_as_long_each_time_up_to_a_cap_and_a_good_round_resets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = RuntimeError("record too large")
    relay = _Rounds([refused] * 8 + [3, 0, refused, 0])
    stop = _Stop(waits=11)
    with caplog.at_level(logging.ERROR, logger="warden.platform.outbox"):
        relay.run(stop, interval_s=0.05, max_backoff_s=5.0)  # type: ignore[arg-type]
    # 8 failures: 0.1, 0.2, ... capped at 5 s; 3 published: no wait; idle: the interval;
    # a failure after a good round starts again at 0.1; idle again.
    assert stop.waits == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 0.05, 0.1, 0.05]
    failed = [r.getMessage() for r in caplog.records]
    assert len(failed) == 9
    assert failed[0] == "outbox relay: publish failed (1 in a row), retrying in 0.10 s"
    assert failed[7] == "outbox relay: publish failed (8 in a row), retrying in 5.00 s"
    assert failed[8] == "outbox relay: publish failed (1 in a row), retrying in 0.10 s"
