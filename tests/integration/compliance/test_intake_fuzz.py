"""Fuzz over the real broker: a few hundred malformed records of every kind, interleaved at
random (seeded) with a valid stream on two partitions, ids sent by two sources among it. Each
malformed record is dead-lettered exactly once, each valid event judged, the cases those of a
clean run of the valid stream; started again from the first offset, the service
dead-letters and judges nothing twice."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from grpc_health.v1 import health_pb2
from kafka import KafkaProducer

from tests.integration.compliance import bad_records
from tests.integration.compliance.test_intake_over_kafka import (
    Origin,
    Service,
    dead_letter_rows,
    judged,
    letters,
    settings_for,
)
from tests.system import eventually
from warden.compliance.judging.judge import Judge
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka import read_topic
from warden.platform.topics import DEAD_LETTER, SALES_EVENTS

SEED = 2022
MALFORMED = 300
VALID = 150
OVER_SIZE = 2
TWINS = 10


@pytest.fixture
def producer(broker: str) -> Iterator[KafkaProducer]:
    sender = KafkaProducer(bootstrap_servers=broker, acks="all", max_request_size=4 << 20)
    yield sender
    sender.close(timeout=5)


def mixed_stream(rng: random.Random) -> list[tuple[bad_records.Bad | CloudEvent, int]]:
    """The records in the order produced, each with its partition (0 or 1)."""
    items: list[bad_records.Bad | CloudEvent] = [bad_records.valid(rng, n) for n in range(VALID)]
    # The same id from two allowed sources: two events, each judged.
    twins = [bad_records.valid(rng, VALID + n) for n in range(TWINS)]
    items += twins + [replace(t, source="/erp/sales", subject="rep-twin") for t in twins]
    items += [rng.choice(bad_records.KINDS)(rng, n) for n in range(MALFORMED)]
    items += [bad_records.too_large(rng, n) for n in range(OVER_SIZE)]
    rng.shuffle(items)
    return [(item, rng.randrange(2)) for item in items]


def clean_run(database: Path, events: list[CloudEvent]) -> list[tuple[str, str]]:
    """The cases of the valid stream alone, judged in its order without Kafka."""
    engine = make_engine(f"sqlite:///{database}", schema.metadata)
    try:
        judge = Judge.from_catalogue(engine, Path(__file__).resolve().parents[3] / "rules")
        judge.handle_batch([(event, SALES_EVENTS, 0, n) for n, event in enumerate(events)])
        return judged(engine)[1]
    finally:
        engine.dispose()


def test_malformed_records_interleaved_with_a_valid_stream_are_each_dead_lettered_once(
    broker: str, database_url: str, tmp_path: Path, producer: KafkaProducer
) -> None:
    rng = random.Random(SEED)
    stream = mixed_stream(rng)
    futures = []
    for item, partition in stream:
        value = item.to_bytes() if isinstance(item, CloudEvent) else item.value
        futures.append(producer.send(SALES_EVENTS, key=b"k", value=value, partition=partition))
    producer.flush(30)
    malformed: dict[Origin, bad_records.Bad] = {}
    valid: list[CloudEvent] = []
    for (item, _partition), future in zip(stream, futures, strict=True):
        meta = future.get(30)
        if isinstance(item, CloudEvent):
            valid.append(item)
        else:
            malformed[(meta.topic, meta.partition, meta.offset)] = item

    settings = settings_for(broker, database_url, tmp_path, "fuzz")
    service = Service(settings)
    engine = make_engine(settings.db_url("compliance"), schema.metadata)
    try:
        by_origin = letters(broker, len(malformed))
        eventually(lambda: service.consumer.judged >= len(valid), 60, "the valid stream judged")
        assert service.serving() == health_pb2.HealthCheckResponse.SERVING
        assert set(by_origin) == set(malformed)
        repeated = {origin: len(found) for origin, found in by_origin.items() if len(found) > 1}
        assert repeated == {}
        for origin, record in malformed.items():
            reason = dict(by_origin[origin][0].headers)["warden.dlq.reason"].decode()  # type: ignore[attr-defined]
            assert reason.startswith(record.reason), (record.kind, reason)
        inbox, cases = judged(engine)
        assert inbox == sorted((e.source, e.id) for e in valid)
        assert len({e.id for e in valid}) == len(valid) - TWINS
        assert cases, "the valid stream opens cases"
        assert cases == clean_run(tmp_path / "clean.db", valid)
    finally:
        service.stop()

    again = Service(settings_for(broker, database_url, tmp_path, "fuzz-again"))
    try:
        eventually(lambda: again.consumer.judged >= len(valid), 60, "the stream read again")
        assert again.consumer.dead_lettered == 0
        assert len(dead_letter_rows(engine)) == len(malformed)
        assert len(read_topic(broker, DEAD_LETTER, 2.0, expect=10**6)) == len(malformed)
        assert judged(engine) == (inbox, cases)
    finally:
        again.stop()
        engine.dispose()
