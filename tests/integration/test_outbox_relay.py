"""The outbox relay publishes a batch at a time to the real embedded broker, on each database:
every row once, each key's rows in outbox order, and only acknowledged rows marked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, Table, func, select

from warden.platform.cloudevents import CloudEvent, parse
from warden.platform.db import make_engine
from warden.platform.deadletter import DeadLetter, DeadLetterBox
from warden.platform.kafka import ensure_topics, read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import (
    Message,
    Outbox,
    OutboxRelay,
    Publisher,
    Refused,
    outbox_table,
)
from warden.platform.topics import DEAD_LETTER

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


def _dead_letters(broker: str, expect: int) -> list[Any]:
    return read_topic(broker, DEAD_LETTER, timeout_s=5, expect=expect)


def test_a_row_over_the_request_limit_is_dead_lettered_and_the_rows_behind_it_flow(
    broker: str, outbox: tuple[Engine, Table]
) -> None:
    """A row above the producer's 1 MB request limit can never be published. The five rows
    before it are published; it goes to the dead-letter topic with its reason, intended topic
    and event id, its payload left in the outbox row it names; the rows behind it follow. It
    held back every later row of its service for ever before."""
    engine, table = outbox
    _add(engine, table, 0, 5)
    _add(engine, table, 5, 1, pad=2_000_000)
    _add(engine, table, 6, 3)
    ensure_topics(broker, (TOPIC, DEAD_LETTER), partitions=3)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, table, publisher)
    try:
        assert relay.publish_pending() == 6  # five published, the sixth dead-lettered
        assert relay.publish_pending() == 3
        assert relay.publish_pending() == 0
    finally:
        publisher.close()
    assert relay.dead_lettered == 1
    assert _unpublished(engine, table) == []
    records = read_topic(broker, TOPIC, timeout_s=5, expect=9)  # waits: any extra shows
    assert sorted(parse(r.value).id for r in records) == [
        f"ev-{n:04d}" for n in (0, 1, 2, 3, 4, 6, 7, 8)
    ]
    (dead,) = _dead_letters(broker, expect=2)
    headers = {name: value.decode() for name, value in dead.headers}
    with engine.connect() as conn:
        seq, size = conn.execute(
            select(table.c.seq, func.length(table.c.payload)).where(table.c.event_id == "ev-0005")
        ).one()
    assert headers["warden.dlq.reason"] == (
        f"refused by Kafka: {size} bytes, over the 1048576 byte limit"
    )
    assert headers["warden.dlq.topic"] == TOPIC
    assert headers["warden.dlq.event_id"] == "ev-0005"
    assert headers["warden.dlq.outbox"] == f"outbox row {seq}"
    assert headers["warden.dlq.payload"] == f"omitted: {size} bytes, kept in outbox row {seq}"
    assert dead.value == b""
    assert dead.key == b"key-5"


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


class _Refusing(_Pipelined):
    """Refuses the messages in `invalid` for what they are (`Refused`, as KafkaPublisher
    raises for a record the broker rejects); dead letters go to `sent`, or fail while
    `broker_down`."""

    def __init__(self, invalid: set[str]) -> None:
        super().__init__(refuse=set())
        self.invalid = invalid
        self.sent: list[tuple[str, str, bytes, dict[str, bytes]]] = []
        self.broker_down = False

    def send_all(self, messages: Sequence[Message]) -> Iterator[None]:
        self.rounds.append(len(messages))
        for _topic, _key, value in messages:
            event_id = parse(value).id
            if event_id in self.invalid:
                raise Refused("invalid record: the broker's own reason")
            self.published.append(event_id)
            yield

    def send(
        self, topic: str, key: str, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        if self.broker_down:
            raise ConnectionError("broker unreachable")
        self.sent.append((topic, key, value, dict(headers or [])))


def test_a_refused_row_that_fits_is_dead_lettered_with_its_payload(
    outbox: tuple[Engine, Table],
) -> None:
    engine, table = outbox
    _add(engine, table, 0, 6)
    publisher = _Refusing(invalid={"ev-0002"})
    relay = OutboxRelay(engine, table, publisher, batch=4)
    assert relay.publish_pending() == 3  # 0 and 1 published, 2 dead-lettered
    assert relay.publish_pending() == 3  # a whole round again
    assert _unpublished(engine, table) == []
    ((topic, key, value, headers),) = publisher.sent
    assert topic == DEAD_LETTER
    assert key == "key-2"
    assert parse(value).id == "ev-0002"  # the payload itself, as the row holds it
    assert (
        headers["warden.dlq.reason"] == b"refused by Kafka: invalid record: the broker's own reason"
    )
    assert headers["warden.dlq.topic"] == TOPIC.encode()
    assert "warden.dlq.payload" not in headers


def test_a_refused_row_stays_in_the_outbox_until_its_dead_letter_is_acknowledged(
    outbox: tuple[Engine, Table],
) -> None:
    """The dead-letter topic unreachable: the refused row is not marked, nothing behind it is
    sent, and the relay tries it again (one row a round) until the dead letter goes out."""
    engine, table = outbox
    _add(engine, table, 0, 4)
    publisher = _Refusing(invalid={"ev-0001"})
    publisher.broker_down = True
    relay = OutboxRelay(engine, table, publisher, batch=4)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            relay.publish_pending()
    assert _unpublished(engine, table) == ["ev-0001", "ev-0002", "ev-0003"]
    assert publisher.rounds == [4, 1]
    publisher.broker_down = False
    assert relay.publish_pending() == 1
    assert relay.publish_pending() == 2
    assert _unpublished(engine, table) == []
    assert [h["warden.dlq.event_id"] for *_, h in publisher.sent] == [b"ev-0001"]


def test_a_run_of_input_dead_letters_is_published_at_once_by_a_relay_of_one_row_a_round(
    broker: str, outbox: tuple[Engine, Table]
) -> None:
    engine, table = outbox
    box = DeadLetterBox(engine, table)

    def letter(offset: int) -> DeadLetter:
        return DeadLetter("sales.events", 0, offset, b"k", b"\x00junk", "not JSON: x")

    box.add([letter(0), letter(1), letter(2)])
    _add(engine, table, 0, 1)
    box.add([letter(3)])
    ensure_topics(broker, (TOPIC, DEAD_LETTER), partitions=1)
    publisher = KafkaPublisher(broker)
    relay = OutboxRelay(engine, table, publisher, batch=1, dead_letter_batch=200)
    try:
        rounds = [relay.publish_pending() for _ in range(4)]
    finally:
        publisher.close()
    assert rounds == [3, 1, 1, 0]  # the dead letters, the event, the last dead letter
    letters = read_topic(broker, DEAD_LETTER, timeout_s=5, expect=5)
    assert sorted(int(dict(r.headers)["warden.dlq.offset"]) for r in letters) == [0, 1, 2, 3]
    assert {r.value for r in letters} == {b"\x00junk"}
