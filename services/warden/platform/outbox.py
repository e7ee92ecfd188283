"""Transactional outbox: events are written with the state change, a relay publishes them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import takewhile
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    text,
    update,
)

from warden.platform import deadletter
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import UtcDateTime
from warden.platform.runtime import Patience
from warden.platform.topics import DEAD_LETTER

log = logging.getLogger(__name__)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox",
        metadata,
        Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", UtcDateTime, nullable=False),
        Column("published_at", UtcDateTime, nullable=True, index=True),
    )


class Outbox:
    """Adds events to the outbox inside the caller's transaction."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def add(self, conn: Connection, topic: str, event: CloudEvent, key: str | None = None) -> None:
        conn.execute(
            self.table.insert().values(
                event_id=event.id,
                topic=topic,
                key=key or event.subject,
                payload=event.to_json(),
                created_at=datetime.now(UTC),
            )
        )


# A message to publish: topic, key, value, and optionally its headers.
Message = tuple[str, str, bytes] | tuple[str, str, bytes, list[tuple[str, bytes]]]

# A dead letter keeps a refused row's payload up to this size (the dead-letter topic has the
# same request limit): a larger one stays in the outbox row the dead letter names.
DEAD_LETTER_PAYLOAD_LIMIT = 512 * 1024


class Refused(Exception):
    """Kafka refuses this message for what it is (larger than the producer's request limit,
    say): sending it again can never succeed. The relay dead-letters it instead."""


class Publisher:
    """What the relay needs from Kafka: send one message and wait for the acknowledgement, or
    send many and learn, in order, which were acknowledged."""

    # Errors of the transport (the broker away): the relay retries them for as long as it
    # takes, since restarting the process cannot bring the broker back.
    transient: tuple[type[BaseException], ...] = ()

    def send(
        self, topic: str, key: str, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def send_all(self, messages: Sequence[Message]) -> Iterator[None]:
        """Send `messages` in order, yielding once per message as the broker acknowledges it,
        in the order given; a message that fails raises at its turn, so the caller knows the
        acknowledged prefix. This default sends them one at a time."""
        for topic, key, value, *headers in messages:
            self.send(topic, key, value, *headers)
            yield


class OutboxRelay:
    """Publishes unpublished outbox rows in order, a round of up to `batch` rows at a time:
    every row of the round is handed to the producer at once, and the rows the broker
    acknowledged, from the first up to any that failed, are marked published in one
    statement. (Row by row, waiting for each acknowledgement and committing each mark, the
    relay would publish fewer events than the compliance service judges.)

    Order: the producer is idempotent, so a request it retries cannot land behind a later one
    of the same partition. A send that fails for good (retries exhausted, or a record the
    broker refuses) is different: rows behind it in the round may have been acknowledged
    already, and are then on the topic before it; they stay unmarked and are published again
    after it (consumers de-duplicate by event id). After such a round the relay sends one row
    per round, as it did before batching, until a round succeeds: a row that keeps failing
    holds back the rows behind it instead of having them published again every round.

    A row Kafka refuses for what it is (`Refused`: larger than the producer's 1 MB request
    limit, an invalid record) could never be published, and would hold back every row behind
    it for ever. It goes to `dead_letter_topic` instead, with its reason, its intended topic
    and its event id, and its payload when that fits (`DEAD_LETTER_PAYLOAD_LIMIT`; the row keeps
    it in any case); it is then marked published, and the relay goes on. A send that fails
    for any other reason (the broker away) is retried as above, never dead-lettered.

    A crash between the acknowledgement and the mark publishes a row again: delivery is
    at-least-once, and consumers de-duplicate by event id. On PostgreSQL, replicas of a
    service share its outbox: a session advisory lock (keyed by schema and table) lets one
    relay at a time, so a row is not published by two replicas at once and order is kept; the
    others skip the round. (SQLite serves one instance, which relays alone.)
    """

    def __init__(
        self,
        engine: Engine,
        table: Table,
        publisher: Publisher,
        batch: int = 200,
        dead_letter_topic: str = DEAD_LETTER,
        dead_letter_batch: int = 0,
    ):
        self.engine = engine
        self.table = table
        self.publisher = publisher
        self.batch = batch
        self.dead_letter_topic = dead_letter_topic
        # Dead letters of input records (platform/deadletter.py) need no order among
        # themselves: a run of them at the head is published up to this many at once, even
        # by a relay that publishes its other rows one at a time (0: as the other rows).
        self.dead_letter_batch = dead_letter_batch
        self.dead_lettered = 0
        self._failed = False  # the last round ended on a failed send: one row per round

    def publish_pending(self) -> int:
        """Publish what is waiting; return how many rows were published (0 when another
        replica holds the relay lock)."""
        if self.engine.dialect.name != "postgresql":
            return self._publish_pending()
        with self.engine.connect() as lock:
            key = text("hashtext(current_schema() || '.' || :table)").bindparams(
                table=self.table.name
            )
            held = bool(lock.execute(select(func.pg_try_advisory_lock(key))).scalar())
            lock.commit()  # a session lock: no transaction stays open while publishing
            if not held:
                return 0
            try:
                return self._publish_pending()
            finally:
                lock.execute(select(func.pg_advisory_unlock(key)))
                lock.commit()

    def _publish_pending(self) -> int:
        with self.engine.connect() as conn:
            rows = self._round(conn)
        acknowledged = 0
        try:
            self._failed = True
            for _ in self.publisher.send_all([self._message(r) for r in rows]):
                acknowledged += 1
            self._failed = False
        except Refused as refused:
            self._dead_letter(rows[acknowledged], str(refused))
            acknowledged += 1  # handled: marked with the rows before it
            self._failed = False
        finally:
            # The acknowledged prefix is marked even when a later row failed (its error then
            # reaches `run`, which retries from the first unmarked row).
            if acknowledged:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(self.table)
                        .where(self.table.c.seq.in_([r.seq for r in rows[:acknowledged]]))
                        .values(published_at=datetime.now(UTC))
                    )
        return acknowledged

    def _round(self, conn: Connection) -> Sequence[Any]:
        """The rows to publish now: up to `batch` (one after a failed round), or the run of
        dead letters at the head, up to `dead_letter_batch` (their topics and seqs read first,
        so a round of other rows does not read the dead letters' payloads)."""
        table = self.table
        pending = select(table.c.seq, table.c.event_id, table.c.topic, table.c.key)
        pending = pending.add_columns(table.c.payload).where(table.c.published_at.is_(None))
        pending = pending.order_by(table.c.seq)
        if self.dead_letter_batch > self.batch and not self._failed:
            heads = conn.execute(
                select(table.c.seq, table.c.topic)
                .where(table.c.published_at.is_(None))
                .order_by(table.c.seq)
                .limit(self.dead_letter_batch)
            ).all()
            if not heads:
                return []  # nothing to publish: an idle round costs one query
            run = list(takewhile(lambda h: h.topic == self.dead_letter_topic, heads))
            if len(run) > 1:
                return conn.execute(pending.where(table.c.seq.in_([h.seq for h in run]))).all()
        return conn.execute(pending.limit(1 if self._failed else self.batch)).all()

    def _message(self, row: Any) -> Message:
        """A row's message: its payload, or for a dead letter of an input record
        (platform/deadletter.py) that record's bytes with the reason in headers."""
        if row.topic == self.dead_letter_topic:
            return deadletter.message(row.payload, row.topic)
        return (row.topic, row.key, row.payload.encode())

    def _dead_letter(self, row: Any, reason: str) -> None:
        """Publish a refused row to the dead-letter topic (its payload too when it fits), or
        raise: then nothing is marked past the acknowledged rows, and the row is tried again."""
        payload = row.payload.encode()
        headers = [
            ("warden.dlq.reason", f"refused by Kafka: {reason}".encode()),
            ("warden.dlq.topic", row.topic.encode()),
            ("warden.dlq.event_id", row.event_id.encode()),
            ("warden.dlq.outbox", f"{self.table.name} row {row.seq}".encode()),
        ]
        if len(payload) > DEAD_LETTER_PAYLOAD_LIMIT:
            kept = f"omitted: {len(payload)} bytes, kept in {self.table.name} row {row.seq}"
            headers.append(("warden.dlq.payload", kept.encode()))
            payload = b""
        self.publisher.send(self.dead_letter_topic, row.key, payload, headers)
        self.dead_lettered += 1
        log.error(
            "outbox relay: event %s (%s row %d) refused by Kafka for %s: %s; sent to %s instead",
            row.event_id,
            self.table.name,
            row.seq,
            row.topic,
            reason,
            self.dead_letter_topic,
        )

    def run(
        self,
        stop: threading.Event,
        interval_s: float,
        max_backoff_s: float = 5.0,
        patience: Patience | None = None,
    ) -> None:
        """Relay until `stop` is set. After a failed round the relay waits twice as long each
        time, up to `max_backoff_s`, so a row that keeps failing (or a broker that refuses
        fast) is retried and logged a few times a minute, not every `interval_s`; a round
        that works resets it. A broker error (`Publisher.transient`) is retried for as long
        as it takes; any other (the database gone, a bug) only within `patience`, which then
        raises `WorkerGaveUp` and so ends the process, to be restarted."""
        failures = 0
        while not stop.is_set():
            try:
                published = self.publish_pending()
                failures = 0
                if patience is not None:
                    patience.succeeded()
            except Exception as exc:  # the relay outlives any failure; patience ends it
                if stop.is_set():
                    return
                failures += 1
                if patience is not None and not isinstance(exc, self.publisher.transient):
                    patience.failed(exc)
                delay = min(max_backoff_s, interval_s * 2**failures)
                log.exception(
                    "outbox relay: publish failed (%d in a row), retrying in %.2f s",
                    failures,
                    delay,
                )
                stop.wait(delay)
                continue
            if not published:
                stop.wait(interval_s)
