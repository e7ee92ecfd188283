"""The outbox relay publishes a batch at a time to the real embedded broker, on each database:
every row once, each key's rows in outbox order, and only acknowledged rows marked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

import pytest
from kafka.errors import MessageSizeTooLargeError
from sqlalchemy import Engine, MetaData, Table, select

from warden.platform.cloudevents import CloudEvent, parse
from warden.platform.db import make_engine
from warden.platform.kafka import KafkaPublisher, ensure_topics, read_topic
from warden.platform.outbox import Message, Outbox, OutboxRelay, Publisher, outbox_table

TOPIC = "relay.batches"
KEYS = 7


@pytest.fixture
def outbox(database_url: str) -> Iterator[tuple[Engine, Table]]:
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = make_engine(database_url, metadata)
    yield engine, table
    engine.dispose()


def _add(engine: Engine, table: Table, first: int, count: int, pad: int = 100) -> None:
    with engine.begin() as conn:
        for n in range(first, first + count):
            event = CloudEvent(
                id=f"ev-{n:04d}",
                type="warden.test.relayed",
                source="/warden/test",
                subject=f"key-{n % KEYS}",
                time=datetime.now(UTC),
                data={"n": n, "pad": "x" * pad},
            )
            Outbox(table).add(conn, TOPIC, event)


def _unpublished(engine: Engine, table: Table) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(table.c.event_id).where(table.c.published_at.is_(None)).order_by(table.c.seq)
        )
        return [r.event_id for r in rows]


def test_batches_publish_every_row_once_with_each_keys_rows_in_order(
    broker: str, outbox: tuple[Engine, Table]
) -> None:
    engine, table = outbox
    _add(engine, table, 0, 450)
    ensure_topics(broker, (TOPIC,), partitions=3)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, table, publisher, batch=200)
    try:
        rounds = [relay.publish_pending() for _ in range(4)]
    finally:
        publisher.close()
    assert rounds == [200, 200, 50, 0]
    assert _unpublished(engine, table) == []
    records = read_topic(broker, TOPIC, timeout_s=5, expect=451)  # waits: any duplicate shows
    ids = [parse(r.value).id for r in records]
    assert sorted(ids) == [f"ev-{n:04d}" for n in range(450)]  # each row once
    for key in range(KEYS):
        mine = [parse(r.value).id for r in records if r.key == f"key-{key}".encode()]
        assert mine == [f"ev-{n:04d}" for n in range(key, 450, KEYS)]  # outbox order


def test_a_row_the_producer_refuses_stops_the_batch_after_the_rows_before_it(
    broker: str, outbox: tuple[Engine, Table]
) -> None:
    """A row above the producer's 1 MB request limit: the five rows before it are published
    and marked, it and the rows after it stay unpublished, and its error reaches the caller
    (the relay's loop logs it and retries)."""
    engine, table = outbox
    _add(engine, table, 0, 5)
    _add(engine, table, 5, 1, pad=2_000_000)
    _add(engine, table, 6, 3)
    ensure_topics(broker, (TOPIC,), partitions=3)
    publisher = KafkaPublisher(broker)
    try:
        with pytest.raises(MessageSizeTooLargeError):
            OutboxRelay(engine, table, publisher).publish_pending()
    finally:
        publisher.close()
    assert _unpublished(engine, table) == ["ev-0005", "ev-0006", "ev-0007", "ev-0008"]
    records = read_topic(broker, TOPIC, timeout_s=3, expect=6)
    assert sorted(parse(r.value).id for r in records) == [f"ev-{n:04d}" for n in range(5)]


class _Pipelined(Publisher):
    """A producer with every message of a round in flight at once, on a broker that refuses
    the messages whose event ids are in `refuse` and acknowledges the others: `published`
    holds what reached the topic, in order, and the acknowledgements are yielded in the
    order given, raising at the first refused message (as KafkaPublisher.send_all does)."""

    def __init__(self, refuse: set[str]) -> None:
        self.refuse = refuse
        self.published: list[str] = []
        self.rounds: list[int] = []

    def send_all(self, messages: Sequence[Message]) -> Iterator[None]:
        ids = [parse(value).id for _topic, _key, value in messages]
        self.rounds.append(len(ids))
        self.published += [i for i in ids if i not in self.refuse]
        for event_id in ids:
            if event_id in self.refuse:
                raise RuntimeError(f"{event_id} not acknowledged")
            yield


def test_after_a_failed_send_the_relay_goes_one_row_a_round_until_one_succeeds(
    outbox: tuple[Engine, Table],
) -> None:
    """Rows behind a failed one that the broker acknowledged stay unmarked (published again
    later, de-duplicated by consumers); while the row keeps failing nothing behind it is sent
    again; once it goes through, the relay returns to whole rounds."""
    engine, table = outbox
    _add(engine, table, 0, 10)
    publisher = _Pipelined(refuse={"ev-0004"})
    relay = OutboxRelay(engine, table, publisher, batch=8)
    ids = [f"ev-{n:04d}" for n in range(10)]
    for _ in range(3):
        with pytest.raises(RuntimeError, match="ev-0004 not acknowledged"):
            relay.publish_pending()
    assert publisher.rounds == [8, 1, 1]  # after the failure: only the failing row
    assert publisher.published == ids[:4] + ids[5:8]  # 5-7 were acknowledged, not marked
    assert _unpublished(engine, table) == ids[4:]
    publisher.refuse.clear()
    assert relay.publish_pending() == 1  # the failed row, on its own
    assert relay.publish_pending() == 5  # a whole round again: 5-9
    assert publisher.rounds == [8, 1, 1, 1, 5]
    assert publisher.published == ids[:4] + ids[5:8] + ids[4:]  # 5-7 twice (de-duplicated)
    assert _unpublished(engine, table) == []
