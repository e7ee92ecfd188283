"""Kafka topics and consumers (kafka-python): topic set-up, the consumer group, reading a topic."""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from kafka import (
    ConsumerRebalanceListener,
    KafkaAdminClient,
    KafkaConsumer,
    TopicPartition,
)
from kafka.admin import NewTopic
from kafka.errors import (
    KafkaError,
    TopicAlreadyExistsError,
)

from warden.platform.kafka_options import Security, client
from warden.platform.topics import AUDIT_ANCHORS

log = logging.getLogger(__name__)


TOPIC_CONFIGS: dict[str, dict[str, str]] = {
    AUDIT_ANCHORS: {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}
}


def ensure_topics(
    bootstrap: str,
    topics: tuple[str, ...],
    partitions: int = 3,
    security: Security | None = None,
    attempts: int = 50,
) -> None:
    """Create the topics that do not exist yet (idempotent), with their TOPIC_CONFIGS."""
    admin = _admin(bootstrap, security, attempts)
    try:
        existing = set(admin.list_topics())
        wanted = [
            NewTopic(t, partitions, 1, topic_configs=TOPIC_CONFIGS.get(t, {}))
            for t in topics
            if t not in existing
        ]
        if wanted:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(wanted)
    finally:
        admin.close()


def _admin(bootstrap: str, security: Security | None, attempts: int = 50) -> KafkaAdminClient:
    # One attempt (a renewed producer's check) waits a short while; start-up waits long.
    wait_ms = 30_000 if attempts > 1 else 2_000
    for attempt in range(attempts):
        try:
            return client(
                KafkaAdminClient,
                bootstrap,
                security,
                request_timeout_ms=10_000,
                bootstrap_timeout_ms=wait_ms,
            )
        except KafkaError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


class _LogAssignment(ConsumerRebalanceListener):  # type: ignore[misc]
    """Logs the partitions this instance is given and loses at each rebalance: which replica
    judges which partitions is the first thing an operator asks when scaling out."""

    def __init__(self, group: str) -> None:
        self.group = group

    def on_partitions_revoked(self, revoked: Any) -> None:
        if revoked:
            log.info("consumer group %s: partitions revoked: %s", self.group, _names(revoked))

    def on_partitions_assigned(self, assigned: Any) -> None:
        log.info("consumer group %s: partitions assigned: %s", self.group, _names(assigned))


def _names(partitions: Any) -> str:
    by_topic: dict[str, list[int]] = {}
    for tp in partitions:
        by_topic.setdefault(tp.topic, []).append(tp.partition)
    return "; ".join(f"{t}[{','.join(map(str, sorted(p)))}]" for t, p in sorted(by_topic.items()))


def make_consumer(
    bootstrap: str,
    topics: tuple[str, ...],
    group: str,
    session_timeout_ms: int,
    fetch_max_wait_ms: int = 500,
    max_poll_records: int = 500,
    commit_interval_ms: int | None = None,
    security: Security | None = None,
) -> KafkaConsumer:
    """A consumer of `topics` in `group`. With `commit_interval_ms`, kafka-python commits the
    offsets of the records earlier polls returned, at the start of a poll once that long has
    passed, before each rebalance (synchronously, while this member still owns the
    partitions), and on close: a caller that processes each poll's records before polling
    again commits only what it processed. Without it, nothing is committed automatically."""
    consumer = client(
        KafkaConsumer,
        bootstrap,
        security,
        group_id=group,
        enable_auto_commit=commit_interval_ms is not None,
        auto_commit_interval_ms=commit_interval_ms or 5000,
        auto_offset_reset="earliest",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(500, session_timeout_ms // 6),
        fetch_max_wait_ms=fetch_max_wait_ms,
        max_poll_records=max_poll_records,
    )
    consumer.subscribe(list(topics), listener=_LogAssignment(group))
    return consumer


def read_topic(
    bootstrap: str,
    topic: str,
    timeout_s: float,
    expect: int = 1,
    security: Security | None = None,
) -> list[Any]:
    """Every record on `topic` from the beginning, without a consumer group; stops as soon as
    `expect` records were read or `timeout_s` passed. For the demo, tests and operators.
    OSError naming the servers when no broker answers within `timeout_s` (at least 1 s)."""
    try:
        consumer = client(
            KafkaConsumer,
            bootstrap,
            security,
            group_id=None,
            enable_auto_commit=False,
            bootstrap_timeout_ms=max(1000, int(timeout_s * 1000)),
        )
    except KafkaError as exc:  # NoBrokersAvailable, KafkaTimeoutError: nobody answered
        raise OSError(
            f"no Kafka broker answered at {bootstrap} within {max(1.0, timeout_s):g} s "
            f"({type(exc).__name__})"
        ) from None
    try:
        deadline = time.monotonic() + timeout_s
        partitions: set[int] | None = None
        while partitions is None and time.monotonic() < deadline:
            partitions = consumer.partitions_for_topic(topic)
            if partitions is None:
                time.sleep(0.1)
        if not partitions:
            return []
        assigned = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(assigned)
        consumer.seek_to_beginning(*assigned)
        records: list[Any] = []
        while time.monotonic() < deadline and len(records) < expect:
            for batch in consumer.poll(timeout_ms=100).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def end_offsets(
    bootstrap: str, topic: str, security: Security | None = None, timeout_s: float = 30.0
) -> dict[int, int]:
    """The offset the next record of each partition of `topic` will have (its end now)."""
    consumer = client(
        KafkaConsumer,
        bootstrap,
        security,
        group_id=None,
        enable_auto_commit=False,
        bootstrap_timeout_ms=max(1000, int(timeout_s * 1000)),
    )
    try:
        deadline = time.monotonic() + timeout_s
        partitions = consumer.partitions_for_topic(topic)
        while partitions is None and time.monotonic() < deadline:
            time.sleep(0.1)
            partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise OSError(f"topic {topic} has no partitions on {bootstrap}")
        ends = consumer.end_offsets([TopicPartition(topic, p) for p in sorted(partitions)])
        return {tp.partition: int(offset) for tp, offset in ends.items()}
    finally:
        consumer.close()
