"""When the compliance consumer commits its offsets, on the embedded broker: at most every
`kafka_commit_interval_ms` while it runs (not after every poll), everything it judged when it
stops, and, before a rebalance takes partitions away, everything it judged on them, so their
next owner judges none of those events again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition

from tests.integration.scale.helpers import price_changed
from tests.system import TEST_SOURCES, eventually
from warden.bootstrap import build_compliance
from warden.compliance.intake.consumer import EventConsumer
from warden.config import Settings
from warden.platform.kafka import ensure_topics
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.runtime import Runtime
from warden.platform.topics import ALL_TOPICS, SALES_EVENTS


def settings_for(broker: str, tmp_path: Path, partitions: int, interval_ms: int) -> Settings:
    ensure_topics(broker, ALL_TOPICS, partitions)
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        consumer_group=f"warden-commits-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        kafka_partitions=partitions,
        kafka_commit_interval_ms=interval_ms,
        console_port=0,
    )


def produce(settings: Settings, count: int, prefix: str) -> None:
    publisher = KafkaPublisher(settings.kafka_bootstrap)
    for n in range(count):
        event = price_changed(f"{prefix}-{n}", violating=False)
        publisher.send(SALES_EVENTS, event.subject, event.to_bytes())
    publisher.close()


def committed(settings: Settings, partitions: int) -> list[int | None]:
    """The group's committed offset of each partition of the sales topic, as the broker has it."""
    reader = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=settings.consumer_group,
        enable_auto_commit=False,
    )
    try:
        return [reader.committed(TopicPartition(SALES_EVENTS, p)) for p in range(partitions)]
    finally:
        reader.close()


@pytest.fixture
def instances() -> Iterator[list[Runtime]]:
    running: list[Runtime] = []
    yield running
    for runtime in running:
        runtime.stop(grace_s=0.5)


def start(settings: Settings, running: list[Runtime]) -> tuple[Runtime, EventConsumer]:
    runtime, _review, consumer = build_compliance(settings, port=0)
    running.append(runtime.start())
    return runtime, consumer


def test_offsets_wait_for_the_interval_and_are_all_committed_on_stop(
    broker: str, tmp_path: Path, instances: list[Runtime]
) -> None:
    settings = settings_for(broker, tmp_path, partitions=1, interval_ms=3_600_000)
    runtime, consumer = start(settings, instances)
    produce(settings, 3, "a")
    eventually(lambda: consumer.judged == 3, what="3 events judged")
    produce(settings, 2, "b")
    eventually(lambda: consumer.judged == 5, what="5 events judged")
    # The interval counts from the consumer's start: nothing is committed yet.
    assert committed(settings, 1) == [None]
    instances.remove(runtime)
    runtime.stop(grace_s=0.5)
    assert committed(settings, 1) == [5]


def test_offsets_are_committed_while_running_once_the_interval_passed(
    broker: str, tmp_path: Path, instances: list[Runtime]
) -> None:
    settings = settings_for(broker, tmp_path, partitions=1, interval_ms=100)
    _runtime, consumer = start(settings, instances)
    produce(settings, 3, "a")
    eventually(lambda: consumer.judged == 3, what="3 events judged")
    eventually(lambda: committed(settings, 1) == [3], what="offset 3 committed")


def test_a_rebalance_commits_what_was_judged_before_the_partitions_move(
    broker: str, tmp_path: Path, instances: list[Runtime]
) -> None:
    """Two partitions, an hour's commit interval: the first instance judges events on both;
    a second joins, and the eager rebalance takes both from the first and gives one to each.
    Without the commit before revocation the second would start its partition from the
    beginning and judge those events again."""
    settings = settings_for(broker, tmp_path, partitions=2, interval_ms=3_600_000)
    _first_runtime, first = start(settings, instances)
    produce(settings, 20, "a")  # 20 keys: both partitions get some (all on one: 2**-19)
    eventually(lambda: first.judged == 20, what="20 events judged by the first instance")
    assert committed(settings, 2) == [None, None]
    _second_runtime, second = start(settings, instances)

    # After the rebalance both offsets are committed, and they add up to what was judged.
    def both_committed() -> list[int | None] | None:
        found = committed(settings, 2)
        return found if None not in found else None

    offsets = eventually(both_committed, timeout_s=60, what="offsets committed at the rebalance")
    assert sum(o for o in offsets if o is not None) == 20
    eventually(
        lambda: second.consumer.assignment() and first.consumer.assignment(),
        timeout_s=60,
        what="a partition each",
    )
    produce(settings, 10, "b")
    eventually(lambda: first.judged + second.judged == 30, timeout_s=60, what="30 judged")
    assert first.judged + second.judged == 30  # none of the first 20 judged again
