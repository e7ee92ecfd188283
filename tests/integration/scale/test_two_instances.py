"""Two compliance instances in one consumer group on the embedded broker and one shared
database, as two replicas share PostgreSQL: they split the input partitions, and when one
stops mid-stream the other takes its partitions; every event is judged exactly once, and
repeat-offence history and open deadlines are still right afterwards."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.scale.helpers import (
    FIRST_RESPONSE_DUE,
    Produced,
    produce,
    produce_events,
    ticket_classified,
    ticket_responded,
)
from tests.system import TEST_SOURCES, eventually
from warden.bootstrap import build_compliance
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.judging import state
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.storage import schema
from warden.config import Settings
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import make_engine
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.runtime import Runtime
from warden.platform.topics import SALES_EVENTS

PARTITIONS = 6
EMPLOYEES = [f"rep-{n:02d}" for n in range(12)]
TICKETS = {f"T-{n:02d}": f"agent-{n % 4}" for n in range(12)}
ANSWERED = sorted(TICKETS)[::2]


@pytest.fixture
def settings(broker: str, database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        kafka_bootstrap=broker,
        compliance_db_url=database_url,
        consumer_group=f"warden-scale-{tmp_path.name}",
        allowed_sources=TEST_SOURCES,
        kafka_partitions=PARTITIONS,
        relay_interval_s=0.02,
        console_port=0,
        # Deadlines judged by their partitions' events only, as by the one-instance reference
        # this test compares with (the tickets are days old: the clock would judge them too).
        quiet_partition_s=0.0,
    )


@pytest.fixture
def publisher(broker: str) -> Iterator[KafkaPublisher]:
    sender = KafkaPublisher(broker)
    yield sender
    sender.close()


def customer_chases(ticket: str) -> CloudEvent:
    """The customer writes again an hour after the first response was due."""
    return CloudEvent(
        type="warden.aftersales.customer.messaged",
        source="/enterprise/desk",
        subject=TICKETS[ticket],
        time=FIRST_RESPONSE_DUE + timedelta(hours=1),
        data={"ticket_id": ticket, "customer_id": f"C-{ticket}", "message_id": f"M-{ticket}"},
    )


def start_instance(settings: Settings) -> tuple[Runtime, EventConsumer]:
    runtime, _review, consumer = build_compliance(settings, port=0)
    return runtime.start(), consumer


def both_own_partitions(*consumers: EventConsumer) -> None:
    eventually(
        lambda: all(c.consumer.assignment() for c in consumers),
        60,
        "both instances to own partitions",
    )


def stored(db_url: str) -> dict[str, list[str]]:
    """What a compliance database holds: inbox ids (input and internal), findings, cases,
    which rule flagged which events, and every deadline's state."""
    engine = make_engine(db_url, schema.metadata)
    inbox, deadlines = schema.inbox, state.deadlines
    try:
        with engine.connect() as conn:
            rows = {
                "input": select(inbox.c.event_id).where(inbox.c.topic != INTERNAL_TOPIC),
                "internal": select(inbox.c.event_id).where(inbox.c.topic == INTERNAL_TOPIC),
                "findings": select(schema.findings.c.finding_id),
                "cases": select(schema.cases.c.case_id),
                "flagged": select(schema.findings.c.rule_id, schema.findings.c.event_ids),
                "deadlines": select(
                    deadlines.c.kind, deadlines.c.key, deadlines.c.status, deadlines.c.employee_id
                ),
            }
            return {
                name: sorted(" ".join(str(v) for v in row) for row in conn.execute(query))
                for name, query in rows.items()
            }
    finally:
        engine.dispose()


def judged(settings: Settings, produced: list[Produced]) -> bool:
    return set(stored(settings.db_url("compliance"))["input"]) >= {p.event.id for p in produced}


def judged_by_one_instance(produced: list[Produced], tmp_path: Path) -> dict[str, list[str]]:
    """What a single instance makes of the same events, in production order, with no broker:
    the reference that two instances and a rebalance must reproduce exactly."""
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    engine = make_engine(url, schema.metadata)
    judge = Judge.from_directory(engine, Settings().rules_dir)
    for offset, p in enumerate(produced):
        judge.handle(p.event, SALES_EVENTS, 0, offset)
    engine.dispose()
    return stored(url)


def test_two_instances_judge_every_event_once_across_a_rebalance(
    settings: Settings, publisher: KafkaPublisher, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="warden.platform.kafka")
    first, first_consumer = start_instance(settings)
    second, second_consumer = start_instance(settings)
    try:
        both_own_partitions(first_consumer, second_consumer)
        opened = [ticket_classified(ticket, agent) for ticket, agent in TICKETS.items()]
        before = produce_events(publisher, opened) + produce(publisher, EMPLOYEES, 120)
        eventually(lambda: judged(settings, before), 60, "the first part judged by both")
        assert first_consumer.judged > 0 and second_consumer.judged > 0, (
            "both instances should own partitions of the group",
            first_consumer.judged,
            second_consumer.judged,
        )

        after: list[Produced] = []

        def stream() -> None:
            after.extend(produce(publisher, EMPLOYEES, 120))
            answers = [ticket_responded(t, TICKETS[t]) for t in ANSWERED]
            after.extend(produce_events(publisher, answers))

        producing = threading.Thread(target=stream)
        producing.start()
        second.stop(grace_s=0.5)  # mid-stream: its partitions move to the first instance
        producing.join()
        judged_by_second = second_consumer.judged
        eventually(lambda: judged(settings, after), 90, "the rest judged after the rebalance")
        # Each rebalance is logged: the instance left now owns every partition, and says so.
        every = "; ".join(
            f"{topic}[{','.join(str(p) for p in range(PARTITIONS))}]"
            for topic in sorted(first_consumer.consumer.subscription())
        )
        assigned = [r.getMessage() for r in caplog.records if "partitions assigned" in r.message]
        assert len(assigned) >= 3, assigned  # both at the start, the first after the stop
        assert assigned[-1].endswith(f"partitions assigned: {every}"), assigned

        # An hour past the first-response due time the customers of the unanswered tickets
        # write again: each ticket's stream (its partition, docs/compliance.md#deadlines) now
        # shows the due time passed, so those tickets are late.
        chases = [customer_chases(t) for t in TICKETS if t not in ANSWERED]
        clock = produce_events(publisher, chases)
        eventually(lambda: judged(settings, clock), 60, "the late event judged")
    finally:
        first.stop(grace_s=0.5)
        second.stop(grace_s=0.5)

    everything = before + after + clock
    result = stored(settings.db_url("compliance"))
    assert result["input"] == sorted(p.event.id for p in everything)
    # Exactly the findings, cases and deadlines one instance makes of the same stream: none
    # lost, none doubled, each employee's history whole whichever instance judged which part.
    assert result == judged_by_one_instance(everything, tmp_path)
    for p in everything:
        flagged = f'price-below-floor ["{p.event.id}"]' in result["flagged"]
        assert flagged == p.violating, p.event.id
    expected = [
        f"first_response {ticket} {'met' if ticket in ANSWERED else 'missed'} {agent}"
        for ticket, agent in TICKETS.items()
    ]
    first_responses = [d for d in result["deadlines"] if d.startswith("first_response ")]
    assert first_responses == sorted(expected)
    late = [f for f in result["flagged"] if f.startswith("first-response-late ")]
    assert len(late) == len(TICKETS) - len(ANSWERED)
    assert first_consumer.judged + judged_by_second >= len(everything)
    assert first_consumer.dead_lettered == 0 and second_consumer.dead_lettered == 0


def test_two_instances_judge_quiet_partitions_by_the_clock_each_deadline_once(
    settings: Settings, publisher: KafkaPublisher
) -> None:
    """Each instance judges by the clock only the quiet partitions it owns: twelve tickets,
    six answered in time, on partitions split between two instances, and nothing after them.
    Each unanswered ticket's missed first response and every ticket's missed resolution are
    found once, with no later event."""
    quiet = replace(settings, quiet_partition_s=1.0)
    first, first_consumer = start_instance(quiet)
    second, second_consumer = start_instance(quiet)
    try:
        both_own_partitions(first_consumer, second_consumer)
        opened = [ticket_classified(ticket, agent) for ticket, agent in TICKETS.items()]
        answers = [ticket_responded(t, TICKETS[t]) for t in ANSWERED]
        produce_events(publisher, opened + answers)
        unanswered = len(TICKETS) - len(ANSWERED)

        def late() -> dict[str, list[str]]:
            flagged = stored(quiet.db_url("compliance"))["flagged"]
            return {
                rule: [f for f in flagged if f.startswith(f"{rule} ")]
                for rule in ("first-response-late", "resolution-late")
            }

        eventually(
            lambda: [len(v) for v in late().values()] == [unanswered, len(TICKETS)],
            60,
            "the missed deadlines judged by the clock",
        )
        consumers = (first_consumer, second_consumer)
        passes = [c.quiet_passes for c in consumers]
        eventually(
            lambda: all(c.quiet_passes >= n + 2 for c, n in zip(consumers, passes, strict=True)),
            60,
            "two more clock checks by each instance",
        )
        assert first_consumer.quiet_passes > 0 and second_consumer.quiet_passes > 0
    finally:
        first.stop(grace_s=0.5)
        second.stop(grace_s=0.5)
    assert [len(v) for v in late().values()] == [unanswered, len(TICKETS)]  # none doubled
    deadlines = stored(quiet.db_url("compliance"))["deadlines"]
    assert sorted(d.split()[2] for d in deadlines if d.startswith("first_response ")) == sorted(
        ["met"] * len(ANSWERED) + ["missed"] * unanswered
    )
    # Every event judged (a redelivery in a late rebalance is judged again, changing nothing).
    assert first_consumer.judged + second_consumer.judged >= len(TICKETS) + len(ANSWERED)
