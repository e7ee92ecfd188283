"""The Kafka publisher makes its producer anew after failures in a row (a producer that lost
its id to a broker restart fails every send), re-creates the topics before the next send, and
closes a producer that still holds unacknowledged records without leaving it open."""

from __future__ import annotations

from typing import Any

import pytest
from kafka.errors import KafkaTimeoutError, UnknownProducerIdError

from warden.platform import kafka_publisher as kafka_module
from warden.platform.kafka_publisher import KafkaPublisher


class _Future:
    def __init__(self, error: Exception | None) -> None:
        self.error = error
        self.is_done = True

    def get(self, timeout: float) -> None:
        if self.error is not None:
            raise self.error


class _Sender:
    def __init__(self) -> None:
        self.forced = False

    def force_close(self) -> None:
        self.forced = True

    def join(self, _timeout: float) -> None:
        pass


class _Producer:
    """Fails its sends with `error` (None: acknowledges them); `close` raises while it holds
    records its sender was not told to abort, as kafka-python's does."""

    def __init__(self, error: Exception | None, holding: bool = False) -> None:
        self.error = error
        self.holding = holding
        self.closed = False
        self.sent: list[str] = []
        self.config = {"max_request_size": 1024}
        self._sender = _Sender()

    def send(self, topic: str, **_: Any) -> _Future:
        self.sent.append(topic)
        return _Future(self.error)

    def close(self, timeout: float) -> None:
        if self.holding and not self._sender.forced:
            raise KafkaTimeoutError("Timeout waiting for future")
        self.closed = True


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[_Producer]:
    """The producers the publisher makes: the first fails every send, the next ones work."""
    producers: list[_Producer] = []

    def make(self: KafkaPublisher, bootstrap_timeout_ms: int) -> _Producer:
        error = UnknownProducerIdError() if not producers else None
        producers.append(_Producer(error, holding=not producers))
        return producers[-1]

    monkeypatch.setattr(KafkaPublisher, "_make", make)
    return producers


def test_two_failed_sends_in_a_row_make_a_new_producer_and_the_topics_before_its_first_send(
    made: list[_Producer], monkeypatch: pytest.MonkeyPatch
) -> None:
    ensured: list[tuple[str, ...]] = []
    monkeypatch.setattr(
        kafka_module,
        "ensure_topics",
        lambda _b, topics, _p, _security, attempts: ensured.append(topics),
    )
    publisher = KafkaPublisher("broker:9092", topics=("a", "b"), partitions=6)
    with pytest.raises(UnknownProducerIdError):
        publisher.send("a", "k", b"v")
    assert len(made) == 1  # one failure: the same producer
    with pytest.raises(UnknownProducerIdError):
        publisher.send("a", "k", b"v")
    assert len(made) == 2 and publisher.renewed == 1
    assert made[0].closed and made[0]._sender.forced  # closed although it held records
    assert ensured == []
    publisher.send("a", "k", b"v")
    assert ensured == [("a", "b")] and made[1].sent == ["a"]
    publisher.send("a", "k", b"v")
    assert ensured == [("a", "b")]  # once after the renewal, not at every send


def test_a_send_that_works_between_failures_starts_the_count_again(
    made: list[_Producer], monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = KafkaPublisher("broker:9092")
    outcomes = iter([UnknownProducerIdError(), None, UnknownProducerIdError()])
    monkeypatch.setattr(made[0], "send", lambda topic, **_: _Future(next(outcomes)))
    with pytest.raises(UnknownProducerIdError):
        publisher.send("a", "k", b"v")
    publisher.send("a", "k", b"v")
    with pytest.raises(UnknownProducerIdError):
        publisher.send("a", "k", b"v")
    assert len(made) == 1 and publisher.renewed == 0
