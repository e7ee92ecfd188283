"""Workers retry failures that are not one record's only for their patience, then give up (and
so end the process); the broker away is retried for as long as it takes."""

from __future__ import annotations

import pytest

from warden.platform.outbox import OutboxRelay, Publisher
from warden.platform.runtime import Patience, WorkerGaveUp


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class _BrokerAway(Exception):
    """Stands for a Kafka error: the publisher names it transient."""


class _Publisher(Publisher):
    transient = (_BrokerAway,)


class _Rounds(OutboxRelay):
    """A relay whose every round raises `error`, each taking a second of `clock`."""

    def __init__(self, error: Exception, clock: _Clock) -> None:
        self.publisher = _Publisher()
        self.error = error
        self.clock = clock
        self.rounds = 0

    def publish_pending(self) -> int:
        self.rounds += 1
        self.clock.now += 1.0
        raise self.error


class _Stop:
    """A stop event set after `waits` waits, none of which sleeps."""

    def __init__(self, waits: int) -> None:
        self.left = waits

    def is_set(self) -> bool:
        return self.left <= 0

    def wait(self, _seconds: float) -> bool:
        self.left -= 1
        return self.is_set()


def test_failures_within_the_patience_are_retried_and_one_past_it_gives_up() -> None:
    clock = _Clock()
    patience = Patience("the relay", 10.0, clock)
    error = RuntimeError("no such table: outbox")
    for clock.now in (100.0, 105.0, 109.9):
        patience.failed(error)
    clock.now = 110.0
    with pytest.raises(WorkerGaveUp, match=r"the relay kept failing for 10 s .*no such table") as e:
        patience.failed(error)
    assert e.value.__cause__ is error


def test_a_round_that_works_starts_the_patience_again() -> None:
    clock = _Clock()
    patience = Patience("the relay", 10.0, clock)
    patience.failed(RuntimeError("down"))
    clock.now = 9.0
    patience.succeeded()
    clock.now = 15.0
    patience.failed(RuntimeError("down"))  # the first of a new run: no raise
    clock.now = 24.9
    patience.failed(RuntimeError("down"))
    clock.now = 25.0
    with pytest.raises(WorkerGaveUp):
        patience.failed(RuntimeError("down"))


def test_a_relay_whose_database_keeps_failing_gives_up_after_its_patience() -> None:
    clock = _Clock()
    relay = _Rounds(RuntimeError("database is gone"), clock)
    with pytest.raises(WorkerGaveUp, match="database is gone"):
        relay.run(_Stop(waits=1000), interval_s=0.01, patience=Patience("relay", 5.0, clock))  # type: ignore[arg-type]
    assert relay.rounds == 6  # failures at 1..6 s: the sixth is 5 s after the first


def test_a_relay_whose_broker_keeps_failing_retries_for_as_long_as_it_takes() -> None:
    clock = _Clock()
    relay = _Rounds(_BrokerAway("no broker"), clock)
    relay.run(_Stop(waits=100), interval_s=0.01, patience=Patience("relay", 5.0, clock))  # type: ignore[arg-type]
    assert relay.rounds == 100  # 100 s of failures, stopped only by the stop event
