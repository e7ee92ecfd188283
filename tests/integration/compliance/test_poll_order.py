"""A poll's events are judged in event time across partitions: a customer-data read keyed by
the employee and the ticket that entitles it, keyed by the ticket, arrive in one poll on two
partitions, the read's partition first; the read is judged after the ticket, and not flagged.
Judged partition after partition, it was flagged (a false accusation of a privacy leak, seen
now and then in `make demo`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from tests import builders
from tests.integration.compliance.conftest import FreshDb
from tests.integration.compliance.kafka_records import Record
from tests.system import intake_for_tests
from warden.compliance.intake.consumer import EventConsumer
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.poll import Judging, Read, in_event_time
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.deadletter import DeadLetterBox
from warden.platform.topics import AFTERSALES_EVENTS

RULES = Path(__file__).resolve().parents[3] / "rules"


def ticket_received(at: datetime) -> CloudEvent:
    return builders.ticket_received(event_id="ev-ticket", at=at)


def data_read(at: datetime) -> CloudEvent:
    return builders.customer_data_read(event_id="ev-read", at=at, access_id="D-3")


def record(event: CloudEvent, partition: int, offset: int) -> Record:
    return Record(AFTERSALES_EVENTS, partition, offset, b"k", event.to_bytes())


def test_a_read_in_the_same_poll_as_its_ticket_is_judged_after_it(fresh_db: FreshDb) -> None:
    engine = fresh_db()
    judge = Judge.from_catalogue(engine, RULES)
    judging = Judging(judge, DeadLetterBox(engine, schema.outbox.table))
    consumer = EventConsumer(None, judging, intake=intake_for_tests())
    poll = [
        record(data_read(datetime(2026, 11, 2, 9, tzinfo=UTC)), partition=4, offset=0),
        record(ticket_received(datetime(2026, 11, 1, 9, tzinfo=UTC)), partition=1, offset=0),
    ]
    consumer.process_batch(poll)
    assert consumer.dead_lettered == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.inbox)).scalar_one() == 2
        findings = conn.execute(select(schema.findings.c.rule_id)).scalars().all()
    assert "customer-data-read-without-relation" not in findings


def test_each_partition_keeps_its_order_and_partitions_merge_by_event_time() -> None:
    def at(day: int) -> datetime:
        return datetime(2026, 11, day, tzinfo=UTC)

    events = {
        # Partition 0 out of time order (a late-arriving event): its order is kept.
        "a": (0, at(5)), "b": (0, at(2)), "c": (0, at(9)),
        "x": (1, at(1)), "y": (1, at(5)), "z": (1, at(7)),
    }  # fmt: skip
    pairs = [
        Read(CloudEvent("t", "/s", "e", {}, id=name, time=when), "t", p, n)
        for n, (name, (p, when)) in enumerate(events.items())
    ]
    order = [one.event.id for one in in_event_time(pairs)]
    assert order == ["x", "a", "b", "y", "z", "c"]  # at(5): partition 0 first, as given
    assert [i for i in order if events[i][0] == 0] == ["a", "b", "c"]
    assert [i for i in order if events[i][0] == 1] == ["x", "y", "z"]
    one = [p for p in pairs if p.partition == 1]
    assert in_event_time(one) == one
