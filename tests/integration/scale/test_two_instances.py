"""Two compliance instances in one consumer group on the embedded broker and one shared
database, as two replicas share PostgreSQL: they split the input partitions, and when one
stops the other takes its partitions; every event is judged exactly once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.scale.helpers import Produced, produce
from tests.system import eventually
from warden.bootstrap import build_compliance
from warden.compliance import store
from warden.compliance.consumer import EventConsumer
from warden.config import Settings
from warden.platform.db import make_engine
from warden.platform.kafka import KafkaPublisher
from warden.platform.runtime import Runtime

PARTITIONS = 6
EMPLOYEES = [f"rep-{n:02d}" for n in range(12)]


@pytest.fixture
def settings(broker: str, database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        consumer_group=f"warden-scale-{tmp_path.name}",
        kafka_partitions=PARTITIONS,
        relay_interval_s=0.02,
    )


@pytest.fixture
def publisher(broker: str) -> Iterator[KafkaPublisher]:
    sender = KafkaPublisher(broker)
    yield sender
    sender.close()


def start_instance(settings: Settings) -> tuple[Runtime, EventConsumer]:
    runtime, _review, consumer = build_compliance(settings, port=0)
    return runtime.start(), consumer


def count(settings: Settings, table: object) -> int:
    engine = make_engine(settings.db_url("compliance"))
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def stored(settings: Settings) -> dict[str, list[str]]:
    engine = make_engine(settings.db_url("compliance"))
    try:
        with engine.connect() as conn:
            inbox = [r.event_id for r in conn.execute(select(store.inbox.c.event_id))]
            findings = conn.execute(
                select(store.findings.c.event_ids, store.findings.c.employee_id)
            )
            rows = list(findings)
        return {
            "inbox": inbox,
            "finding_events": [r.event_ids for r in rows],
            "finding_employees": [r.employee_id for r in rows],
        }
    finally:
        engine.dispose()


def test_two_instances_judge_every_event_once_across_a_rebalance(
    settings: Settings, publisher: KafkaPublisher
) -> None:
    first, first_consumer = start_instance(settings)
    second, second_consumer = start_instance(settings)
    try:
        before = produce(publisher, EMPLOYEES, 120)
        eventually(
            lambda: count(settings, store.inbox) == len(before),
            timeout_s=60,
            what="the first half judged by the two instances",
        )
        assert first_consumer.judged > 0 and second_consumer.judged > 0, (
            "both instances should own partitions of the group",
            first_consumer.judged,
            second_consumer.judged,
        )

        after: list[Produced] = []
        producing = threading.Thread(
            target=lambda: after.extend(produce(publisher, EMPLOYEES, 120))
        )
        producing.start()
        second.stop(grace_s=0.5)  # mid-stream: its partitions move to the first instance
        producing.join()
        judged_by_second = second_consumer.judged

        everything = before + after
        eventually(
            lambda: count(settings, store.inbox) >= len(everything),
            timeout_s=90,
            what="the second half judged after the rebalance",
        )
    finally:
        first.stop(grace_s=0.5)
        second.stop(grace_s=0.5)

    result = stored(settings)
    assert sorted(result["inbox"]) == sorted(p.event.id for p in everything)
    violating = [p for p in everything if p.violating]
    assert count(settings, store.cases) == len(violating)
    assert sorted(result["finding_events"]) == sorted(f'["{p.event.id}"]' for p in violating)
    # History per employee is whole, whichever instance judged which part of it.
    for employee in EMPLOYEES:
        expected = sum(1 for p in violating if p.event.subject == employee)
        assert result["finding_employees"].count(employee) == expected, employee
    assert first_consumer.judged + judged_by_second >= len(everything)
    assert first_consumer.dead_lettered == 0 and second_consumer.dead_lettered == 0
