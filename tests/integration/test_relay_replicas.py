"""Two replicas of a service relaying one PostgreSQL outbox to the real embedded broker: each
row reaches Kafka once and in order, because one relay at a time holds the outbox's lock."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, MetaData, func, select

from tests.conftest import _postgres_database
from warden.platform.cloudevents import CloudEvent, parse
from warden.platform.db import make_engine
from warden.platform.kafka import ensure_topics, read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import Outbox, OutboxRelay, outbox_table

ROWS = 300
TOPIC = "relay.replicas"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


@pytest.mark.postgres
def test_two_relays_on_one_outbox_publish_each_row_once_and_in_order(
    broker: str, postgres_url: str
) -> None:
    metadata = MetaData()
    table = outbox_table(metadata)
    replicas: list[Engine] = [make_engine(postgres_url, metadata) for _ in range(2)]
    outbox = Outbox(table)
    with replicas[0].begin() as conn:
        for n in range(ROWS):
            event = CloudEvent(
                id=f"ev-{n:04d}",
                type="warden.test.relayed",
                source="/warden/test",
                subject="one-key",
                time=datetime.now(UTC),
                data={"n": n},
            )
            outbox.add(conn, TOPIC, event)
    ensure_topics(broker, (TOPIC,), partitions=1)
    publishers = [KafkaPublisher(broker) for _ in replicas]
    relays = [
        OutboxRelay(engine, table, publisher, batch=25)
        for engine, publisher in zip(replicas, publishers, strict=True)
    ]
    published = [0, 0]

    def pending() -> int:
        with replicas[0].connect() as conn:
            query = select(func.count()).where(table.c.published_at.is_(None))
            return int(conn.execute(query).scalar_one())

    def relay(index: int) -> None:
        while pending():
            published[index] += relays[index].publish_pending()

    threads = [threading.Thread(target=relay, args=(i,)) for i in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        for publisher in publishers:
            publisher.close()
        for engine in replicas:
            engine.dispose()
    assert sum(published) == ROWS
    records = read_topic(broker, TOPIC, timeout_s=10, expect=ROWS + 1)
    ids = [parse(r.value).id for r in records]
    assert ids == [f"ev-{n:04d}" for n in range(ROWS)]  # each once, in outbox order
