"""Quiet partitions: which streams count as quiet (compliance.quiet), and which of them the
consumer has judged by the clock: only those it has read to their end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kafka import TopicPartition
from kafka.errors import IllegalStateError, KafkaTimeoutError

from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.judging.poll import Judging
from warden.compliance.judging.quiet import QuietStreams


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_stream_is_quiet_after_the_period_without_an_event() -> None:
    clock = Clock()
    quiet = QuietStreams(10.0, clock)
    quiet.assigned(["a:0", "a:1"])
    clock.now += 9.9
    assert quiet.quiet() == []
    quiet.heard("a:1")
    clock.now += 0.1
    assert quiet.quiet() == ["a:0"]
    clock.now += 10
    assert quiet.quiet() == ["a:0", "a:1"]


def test_a_stream_taken_over_waits_a_full_period_and_a_lost_one_is_forgotten() -> None:
    clock = Clock()
    quiet = QuietStreams(10.0, clock)
    quiet.assigned(["a:0"])
    clock.now += 20
    quiet.assigned(["a:0", "a:1"])  # a rebalance gives this instance a:1
    assert quiet.quiet() == ["a:0"]
    quiet.assigned(["a:1"])  # and takes a:0 away
    clock.now += 10
    assert quiet.quiet() == ["a:1"]


def test_checks_come_at_most_once_per_interval() -> None:
    clock = Clock()
    quiet = QuietStreams(60.0, clock, check_every_s=5.0)
    assert not quiet.check_due()
    clock.now += 5
    assert quiet.check_due()
    assert not quiet.check_due()
    clock.now += 4.9
    assert not quiet.check_due()
    clock.now += 0.1
    assert quiet.check_due()
    assert QuietStreams(2.0, clock).check_every_s == 2.0  # never rarer than the period


@pytest.mark.parametrize("after", [0, -1.0])
def test_a_period_that_is_not_positive_is_refused(after: float) -> None:
    with pytest.raises(ValueError, match="positive time"):
        QuietStreams(after)


class Partitions:
    """Stands in for the Kafka consumer's view of its partitions: assignment, the end offsets
    the broker reports (`reachable` False: it does not answer), the read positions (a
    partition missing there was taken away in a rebalance)."""

    def __init__(self, ends: dict[int, int], positions: dict[int, int]) -> None:
        self.ends = ends
        self.positions = positions
        self.reachable = True
        self.asked: list[list[int]] = []

    def assignment(self) -> set[TopicPartition]:
        return {TopicPartition("aftersales.events", p) for p in self.ends}

    def subscription(self) -> set[str]:
        return set()  # no topic described: no held event is released

    def end_offsets(
        self, partitions: list[TopicPartition], timeout_ms: int | None = None
    ) -> dict[TopicPartition, int]:
        self.asked.append(sorted(tp.partition for tp in partitions))
        if not self.reachable:
            raise KafkaTimeoutError("Failed to get offsets by timestamps in 2000 ms")
        return {tp: self.ends[tp.partition] for tp in partitions}

    def position(self, tp: TopicPartition, timeout_ms: int | None = None) -> int:
        if tp.partition not in self.positions:
            raise IllegalStateError("Partition is not assigned")
        return self.positions[tp.partition]


class RecordingJudge:
    def __init__(self, fail: bool = False) -> None:
        self.passed: list[tuple[list[str], datetime]] = []
        self.fail = fail

    def clock(self) -> datetime:
        return datetime(2026, 11, 27, 12, tzinfo=UTC)

    def pass_time(self, streams: list[str], moment: datetime) -> tuple[Any, ...]:
        if self.fail:
            raise RuntimeError("database gone")
        self.passed.append((streams, moment))
        return ()


def test_only_partitions_read_to_their_end_are_judged_by_the_clock_less_the_lateness() -> None:
    clock = Clock()
    # 0: read to its end; 1: events still to read; 2: empty; 3: taken away between the
    # assignment and the position (a rebalance).
    kafka = Partitions({0: 7, 1: 9, 2: 0, 3: 5}, {0: 7, 1: 4, 2: 0})
    judge = RecordingJudge()
    judging = Judging(judge, None, lateness=timedelta(minutes=5))  # type: ignore[arg-type]
    consumer = EventConsumer(kafka, judging, QuietStreams(30.0, clock))
    consumer.pass_quiet_time()
    assert judge.passed == [] and kafka.asked == []  # each counts as heard at its assignment
    clock.now += 30
    consumer.pass_quiet_time()
    assert kafka.asked == [[0, 1, 2, 3]]  # the broker asked once, for the quiet ones
    assert judge.passed == [
        (["aftersales.events:0", "aftersales.events:2"], datetime(2026, 11, 27, 11, 55, tzinfo=UTC))
    ]
    assert consumer.quiet_passes == 1


def test_while_the_broker_does_not_answer_nothing_is_judged_by_the_clock() -> None:
    """The services cannot publish either: their events will arrive late, and a deadline
    they meet must not be judged missed meanwhile."""
    clock = Clock()
    kafka = Partitions({0: 7}, {0: 7})
    judge = RecordingJudge()
    consumer = EventConsumer(kafka, Judging(judge, None), QuietStreams(30.0, clock))  # type: ignore[arg-type]
    consumer.pass_quiet_time()
    clock.now += 30
    kafka.reachable = False
    consumer.pass_quiet_time()
    assert judge.passed == [] and consumer.quiet_passes == 0
    kafka.reachable = True
    consumer.pass_quiet_time()
    assert [streams for streams, _ in judge.passed] == [["aftersales.events:0"]]


def test_a_failed_pass_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    kafka = Partitions({0: 1}, {0: 1})
    judge = RecordingJudge(fail=True)
    consumer = EventConsumer(kafka, Judging(judge, None), QuietStreams(1.0, clock))  # type: ignore[arg-type]
    consumer.pass_quiet_time()  # assigned: heard now
    clock.now += 1
    consumer.pass_quiet_time()
    assert consumer.quiet_passes == 0
    assert "judging the deadlines of quiet partitions failed" in caplog.text


class Topics:
    """Stands in for the Kafka consumer's view of the topics it subscribed to: the partitions
    the broker has described (None: not yet)."""

    def __init__(self, partitions: dict[str, set[int] | None]) -> None:
        self.partitions = partitions

    def subscription(self) -> set[str]:
        return set(self.partitions)

    def partitions_for_topic(self, topic: str) -> set[int] | None:
        return self.partitions[topic]


def test_the_input_partitions_are_every_partition_of_every_subscribed_topic() -> None:
    """The rules that wait for other partitions wait for all of them, this instance's or not
    (compliance/judging/holding.py); without the quiet clock they do not wait at all."""
    topics = Topics({"sales.events": {0, 1}, "aftersales.events": {0, 1, 2}})

    def consumer(quiet: QuietStreams | None) -> EventConsumer:
        return EventConsumer(topics, Judging(RecordingJudge(), None), quiet)  # type: ignore[arg-type]

    assert consumer(QuietStreams(30.0, Clock())).inputs() == {
        "sales.events:0", "sales.events:1",
        "aftersales.events:0", "aftersales.events:1", "aftersales.events:2",
    }  # fmt: skip
    assert consumer(None).inputs() is None
    topics.partitions["sales.events"] = None  # not described by the broker yet
    assert consumer(QuietStreams(30.0, Clock())).inputs() == frozenset()
