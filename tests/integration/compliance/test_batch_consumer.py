"""The compliance consumer judges each poll's records in one transaction, on the embedded
broker and each database: a redelivered event and one delivered twice in the same poll give
one inbox row, one finding and one case each; a poison event in a poll is dead-lettered with
its reason after its retries, and the rest of that poll is judged."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.scale.helpers import price_changed
from tests.system import TEST_SOURCES, eventually
from warden.bootstrap import build_compliance
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.judging.judge import Judge
from warden.compliance.storage import inbox_store, schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka import ensure_topics, read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import ALL_TOPICS, DEAD_LETTER, SALES_EVENTS

FALLBACK = "in one transaction failed; judging them one at a time"


@pytest.fixture
def settings(broker: str, database_url: str, tmp_path: Path) -> Settings:
    """One partition per topic: everything produced before the start arrives in one poll."""
    ensure_topics(broker, ALL_TOPICS, 1)
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        consumer_group=f"warden-batch-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        kafka_partitions=1,
        console_port=0,
    )


def produce(settings: Settings, events: list[CloudEvent]) -> None:
    publisher = KafkaPublisher(settings.kafka_bootstrap)
    for event in events:
        publisher.send(SALES_EVENTS, event.subject, event.to_bytes())
    publisher.close()


@pytest.fixture
def started(settings: Settings) -> Iterator[Callable[[], EventConsumer]]:
    """Call `start()` after producing: the compliance instance, running until the test ends."""
    consumers: list[EventConsumer] = []
    stops = []

    def start() -> EventConsumer:
        runtime, _review, consumer = build_compliance(settings, port=0)
        stops.append(runtime.start())
        consumers.append(consumer)
        return consumer

    yield start
    for runtime in stops:
        runtime.stop(grace_s=0.5)


def stored(settings: Settings) -> dict[str, list[str]]:
    engine = make_engine(settings.db_url("compliance"), schema.metadata)
    try:
        with engine.connect() as conn:
            return {
                "inbox": sorted(conn.execute(select(schema.inbox.c.event_id)).scalars()),
                "findings": sorted(conn.execute(select(schema.findings.c.event_ids)).scalars()),
                "cases": list(conn.execute(select(schema.cases.c.case_id)).scalars()),
            }
    finally:
        engine.dispose()


def test_a_poll_with_a_redelivered_event_and_a_duplicate_judges_each_event_once(
    settings: Settings, started: Callable[[], EventConsumer], caplog: pytest.LogCaptureFixture
) -> None:
    old, new, other = (price_changed(f"rep-{n}", violating=True) for n in range(3))
    engine = make_engine(settings.db_url("compliance"), schema.metadata)
    Judge.from_catalogue(engine, settings.rules_dir).handle(old, SALES_EVENTS, 0, 0)
    engine.dispose()
    produce(settings, [old, new, new, other])  # `old` redelivered, `new` twice in the poll

    caplog.set_level(logging.INFO)
    consumer = started()
    eventually(lambda: consumer.judged >= 4, what="the four deliveries judged")

    held = stored(settings)
    assert held["inbox"] == sorted(e.id for e in (old, new, other))
    assert held["findings"] == sorted(f'["{e.id}"]' for e in (old, new, other))
    assert len(held["cases"]) == 3
    assert consumer.dead_lettered == 0
    assert not [r for r in caplog.records if FALLBACK in r.getMessage()]
    skipped = [r.getMessage() for r in caplog.records if "already judged: skipped" in r.message]
    assert sorted(skipped) == sorted(
        f"event {e.id} from /enterprise/sales already judged: skipped" for e in (old, new)
    )


def test_a_poison_event_in_a_poll_is_dead_lettered_and_the_rest_of_the_poll_judged(
    settings: Settings, started: Callable[[], EventConsumer], caplog: pytest.LogCaptureFixture
) -> None:
    before, poison, after = (price_changed(f"rep-{n}", violating=True) for n in range(3))
    # A stored event of the same identity is there already: storing `poison` fails every time.
    engine = make_engine(settings.db_url("compliance"), schema.metadata)
    with engine.begin() as conn:
        conn.execute(schema.events.insert(), inbox_store.event_row(poison))
    engine.dispose()
    produce(settings, [before, poison, after])

    consumer = started()
    (letter,) = eventually(
        lambda: read_topic(settings.kafka_bootstrap, DEAD_LETTER, timeout_s=1.0),
        what="the poison event's dead letter",
    )
    eventually(lambda: consumer.judged >= 2, what="the rest of the poll judged")

    headers = dict(letter.headers)
    assert letter.value == poison.to_bytes()
    assert headers["warden.dlq.reason"].startswith(b"processing failed: IntegrityError")
    assert headers["warden.dlq.topic"] == SALES_EVENTS.encode()
    assert headers["warden.dlq.offset"] == b"1"
    held = stored(settings)
    assert held["inbox"] == sorted(e.id for e in (before, after))
    assert held["findings"] == sorted(f'["{e.id}"]' for e in (before, after))
    assert len(held["cases"]) == 2
    assert consumer.dead_lettered == 1
    assert [r for r in caplog.records if FALLBACK in r.getMessage()], "no batch was tried"
