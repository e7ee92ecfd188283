"""The outbox relay's rate: rows written to a service's outbox, published to the embedded broker
by `OutboxRelay` (as each service's relay worker does) and marked published. The relay is how
the sales and after-sales services put their events on Kafka, so its rate bounds how fast
they can feed the compliance service (docs/performance.md)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import MetaData

from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.embedded_broker import EmbeddedBroker
from warden.platform.kafka import ensure_topics
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.outbox import Outbox, OutboxRelay, outbox_table

TOPIC = "bench.relay"
KEYS = 50  # subjects: the rows spread over every partition, as employees' events do


@dataclass(frozen=True)
class RelayResult:
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def measure(db_url: str, rows: int, partitions: int = 6) -> RelayResult:
    """Fill an outbox with `rows` events (about the size of the services' events), then time
    the relay publishing and marking all of them."""
    metadata = MetaData()
    table = outbox_table(metadata)
    engine = make_engine(db_url, metadata)
    try:
        outbox = Outbox(table)
        with engine.begin() as conn:
            for n in range(rows):
                event = CloudEvent(
                    id=f"bench-relay-{n}",
                    type="warden.bench.relayed",
                    source="/warden/bench",
                    subject=f"emp-{n % KEYS}",
                    time=datetime.now(UTC),
                    data={"n": n, "note": "x" * 300},
                )
                outbox.add(conn, TOPIC, event)
        with EmbeddedBroker() as broker:
            ensure_topics(broker.bootstrap, (TOPIC,), partitions)
            publisher = KafkaPublisher(broker.bootstrap)
            try:
                relay = OutboxRelay(engine, table, publisher)
                started = time.perf_counter()
                published = 0
                while published < rows:
                    done = relay.publish_pending()
                    if not done:
                        raise SystemExit(f"the relay stopped after {published} of {rows} rows")
                    published += done
                return RelayResult(published, time.perf_counter() - started)
            finally:
                publisher.close()
    finally:
        engine.dispose()
