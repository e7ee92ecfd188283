"""No record stops the judging (issues 21, 22): over the real broker, every record the service
cannot read, or must not accept, is dead-lettered once with its reason, the service stays
SERVING, the events around it are judged, and a restart dead-letters and judges nothing again."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from kafka import KafkaProducer
from sqlalchemy import Engine, select

from tests.integration.compliance import bad_records
from tests.integration.compliance.bad_records import Bad
from tests.system import TEST_SOURCES, eventually
from warden.bootstrap import build_compliance
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.cloudevents import MAX_BYTES, CloudEvent
from warden.platform.db import make_engine
from warden.platform.deadletter import VALUE_LIMIT, stored_value
from warden.platform.kafka import ensure_topics, read_topic
from warden.platform.runtime import Runtime
from warden.platform.topics import ALL_TOPICS, DEAD_LETTER, SALES_EVENTS

# What is produced to one partition, so every record's offset is known.
Origin = tuple[str, int, int]


def settings_for(broker: str, database_url: str, tmp_path: Path, group: str) -> Settings:
    ensure_topics(broker, ALL_TOPICS, 2)
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        consumer_group=f"intake-{group}-{uuid.uuid4().hex[:8]}",
        kafka_partitions=2,
        relay_interval_s=0.02,
        console_port=0,
        allowed_sources=TEST_SOURCES,
    )


class Service:
    """A compliance instance, started, and stopped when the test ends."""

    def __init__(self, settings: Settings) -> None:
        runtime, _review, self.consumer = build_compliance(settings, port=0)
        self.runtime: Runtime = runtime.start()

    def serving(self) -> int:
        with grpc.insecure_channel(self.runtime.address) as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=5
            )
        return int(reply.status)

    def stop(self) -> None:
        self.runtime.stop(grace_s=0.5)


@pytest.fixture
def producer(broker: str) -> Iterator[KafkaProducer]:
    sender = KafkaProducer(bootstrap_servers=broker, acks="all", max_request_size=8 << 20)
    yield sender
    sender.close(timeout=5)


def send(producer: KafkaProducer, value: bytes | None, partition: int = 0) -> Origin:
    meta = producer.send(SALES_EVENTS, key=b"k", value=value, partition=partition).get(30)
    return (meta.topic, meta.partition, meta.offset)


def letters(broker: str, at_least: int) -> dict[Origin, list[object]]:
    """The dead letters on the topic by origin, once `at_least` are there (all of them)."""
    records = eventually(
        lambda: (
            r if len(r := read_topic(broker, DEAD_LETTER, 2.0, expect=10**6)) >= at_least else []
        ),
        60,
        f"{at_least} dead letters",
    )
    by_origin: dict[Origin, list[object]] = {}
    for record in records:
        headers = dict(record.headers)
        origin = (
            headers["warden.dlq.topic"].decode(),
            int(headers["warden.dlq.partition"]),
            int(headers["warden.dlq.offset"]),
        )
        by_origin.setdefault(origin, []).append(record)
    return by_origin


def judged(engine: Engine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The inbox's (source, id) pairs, and the employee and events of each finding with a
    case."""
    with engine.connect() as conn:
        inbox = sorted(
            (row.source, row.event_id)
            for row in conn.execute(select(schema.inbox.c.source, schema.inbox.c.event_id))
        )
        findings = conn.execute(
            select(schema.findings.c.employee_id, schema.findings.c.event_ids).where(
                schema.findings.c.case_id.is_not(None)
            )
        ).all()
    return inbox, sorted((f.employee_id, f.event_ids) for f in findings)


def dead_letter_rows(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(schema.outbox.table.c.event_id, schema.outbox.table.c.payload).where(
                schema.outbox.table.c.topic == DEAD_LETTER
            )
        ).all()
    return {row.event_id: row.payload for row in rows}


def test_every_bad_record_is_dead_lettered_once_with_its_reason_and_judging_goes_on(
    broker: str, database_url: str, tmp_path: Path, producer: KafkaProducer
) -> None:
    rng = random.Random(21)
    settings = settings_for(broker, database_url, tmp_path, "each")
    bad = [make(rng, n) for n, make in enumerate(bad_records.KINDS)]
    bad.append(bad_records.too_large(rng, 99, size=5_000_000))  # the 5 MB record
    good: list[CloudEvent] = []
    sent: dict[Origin, Bad] = {}
    for n, record in enumerate(bad):  # a valid event before and after each bad record
        good.append(bad_records.valid(rng, 100 + n))
        send(producer, good[-1].to_bytes())
        sent[send(producer, record.value)] = record
    good.append(bad_records.valid(rng, 200))
    send(producer, good[-1].to_bytes())

    service = Service(settings)
    engine = make_engine(settings.db_url("compliance"), schema.metadata)
    try:
        by_origin = letters(broker, len(bad))
        eventually(lambda: service.consumer.judged >= len(good), 60, "the valid events judged")
        assert service.serving() == health_pb2.HealthCheckResponse.SERVING
        assert set(by_origin) == set(sent)
        for origin, record in sent.items():
            (letter,) = by_origin[origin]
            headers = dict(letter.headers)  # type: ignore[attr-defined]
            reason = headers["warden.dlq.reason"].decode()
            assert reason.startswith(record.reason), (record.kind, reason)
            whole = record.value or b""
            assert headers["warden.dlq.size"] == str(len(whole)).encode()
            assert headers["warden.dlq.sha256"] == hashlib.sha256(whole).hexdigest().encode()
            assert letter.value == whole[:VALUE_LIMIT]  # type: ignore[attr-defined]
        (big,) = [o for o, r in sent.items() if r.kind == "over the size limit"]
        assert sent[big].reason == f"too large: 5000000 bytes, over the limit of {MAX_BYTES}"
        cut = dict(by_origin[big][0].headers)["warden.dlq.cut"]  # type: ignore[attr-defined]
        assert cut.startswith(f"value cut to its first {VALUE_LIMIT} of 5000000 bytes".encode())
        kept = dead_letter_rows(engine)[f"dead-letter:{big[0]}:{big[1]}:{big[2]}"]
        assert stored_value(kept) == sent[big].value
        inbox, cases = judged(engine)
        assert inbox == sorted((e.source, e.id) for e in good)
        assert service.consumer.dead_lettered == len(bad)
    finally:
        service.stop()

    # Started again under a new consumer group, as after a crash before any offset was
    # committed: every record is read again, and nothing is dead-lettered or judged twice.
    again = Service(settings_for(broker, database_url, tmp_path, "again"))
    try:
        eventually(lambda: again.consumer.judged >= len(good), 60, "the redelivered events")
        assert again.consumer.dead_lettered == 0
        assert len(read_topic(broker, DEAD_LETTER, 2.0, expect=10**6)) == len(bad)
        assert len(dead_letter_rows(engine)) == len(bad)
        assert judged(engine) == (inbox, cases)
        assert again.serving() == health_pb2.HealthCheckResponse.SERVING
    finally:
        again.stop()
        engine.dispose()
