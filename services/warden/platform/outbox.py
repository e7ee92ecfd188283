"""Transactional outbox: events are written with the state change, a relay publishes them."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

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

from warden.platform.cloudevents import CloudEvent
from warden.platform.db import UtcDateTime

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


class Publisher:
    """What the relay needs from Kafka: send one message and wait for the acknowledgement."""

    def send(self, topic: str, key: str, value: bytes) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class OutboxRelay:
    """Publishes unpublished outbox rows in order, marking each once the broker acknowledged it.

    A crash between the acknowledgement and the mark publishes a row again: delivery is
    at-least-once, and consumers de-duplicate by event id. On PostgreSQL, replicas of a
    service share its outbox: a session advisory lock (keyed by schema and table) lets one
    relay at a time, so a row is not published by two replicas at once and order is kept; the
    others skip the round. (SQLite serves one instance, which relays alone.)
    """

    def __init__(self, engine: Engine, table: Table, publisher: Publisher, batch: int = 200):
        self.engine = engine
        self.table = table
        self.publisher = publisher
        self.batch = batch

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
            rows = conn.execute(
                select(self.table.c.seq, self.table.c.topic, self.table.c.key, self.table.c.payload)
                .where(self.table.c.published_at.is_(None))
                .order_by(self.table.c.seq)
                .limit(self.batch)
            ).all()
        for row in rows:
            self.publisher.send(row.topic, row.key, row.payload.encode())
            with self.engine.begin() as conn:
                conn.execute(
                    update(self.table)
                    .where(self.table.c.seq == row.seq)
                    .values(published_at=datetime.now(UTC))
                )
        return len(rows)

    def run(self, stop: threading.Event, interval_s: float) -> None:
        """Relay until `stop` is set; a broker error is logged and retried, never fatal."""
        while not stop.is_set():
            try:
                published = self.publish_pending()
            except Exception:  # noqa: BLE001 - the relay must outlive a broker outage
                log.exception("outbox relay: publish failed, retrying")
                published = 0
            if not published:
                stop.wait(interval_s)
