"""At-least-once delivery, effectively-once effects, and dead letters, on the real broker."""

from __future__ import annotations

from sqlalchemy import func, select

from tests import builders
from tests.system import System, eventually, hr_decisions
from warden.compliance.storage import schema
from warden.platform.cloudevents import CloudEvent
from warden.platform.kafka import read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import DEAD_LETTER, SALES_EVENTS
from warden.v1 import compliance_pb2


def below_floor_event(event_id: str = "evt-1") -> CloudEvent:
    """A price change as an enterprise sales system would produce it: below the floor and
    unapproved, by a director whose 40% authority covers the discount (so one rule breaks)."""
    return builders.price_changed(
        event_id=event_id,
        price_change_id=f"pc-{event_id}",
        changed_by_role="sales_director",
        authority_bp=4000,
    )


def count(system: System, table) -> int:  # type: ignore[no-untyped-def]
    with system.review.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_the_same_event_delivered_twice_gives_one_finding_one_case_one_hr_decision(
    system: System,
) -> None:
    producer = KafkaPublisher(system.settings.kafka_bootstrap)
    event = below_floor_event()
    producer.send(SALES_EVENTS, "alice", event.to_bytes())
    producer.send(SALES_EVENTS, "alice", event.to_bytes())
    producer.close()

    eventually(lambda: system.consumer.judged >= 2, what="both deliveries handled")
    assert count(system, schema.inbox) == 1
    assert count(system, schema.findings) == 1
    assert count(system, schema.cases) == 1

    (case,) = system.clients.compliance.ListCases(compliance_pb2.ListCasesRequest()).cases
    system.officer("olivia").DecideCase(
        compliance_pb2.DecideCaseRequest(
            case_id=case.case_id, outcome=compliance_pb2.OUTCOME_CONFIRMED
        )
    )
    bootstrap = system.settings.kafka_bootstrap
    eventually(lambda: hr_decisions(bootstrap), what="the HR record")
    assert len(hr_decisions(bootstrap, timeout_s=3.0, expect=2)) == 1
    assert count(system, schema.decisions) == 1


def test_bad_messages_go_to_the_dead_letter_topic_and_the_next_event_is_still_judged(
    system: System,
) -> None:
    not_json = b"\x00this is not JSON"
    unknown = CloudEvent(type="com.example.unknown", source="/erp/sales", subject="bob", data={})
    missing_field = below_floor_event("evt-bad")
    del missing_field.data["new_price_minor"]
    not_a_number = (
        below_floor_event("evt-nan")
        .to_bytes()
        .replace(b'"old_price_minor":', b'"x":NaN,"old_price_minor":')
    )
    producer = KafkaPublisher(system.settings.kafka_bootstrap)
    for value in (not_json, unknown.to_bytes(), missing_field.to_bytes(), not_a_number):
        producer.send(SALES_EVENTS, "k", value)
    producer.producer.send(SALES_EVENTS, key=b"k", value=None).get(timeout=30)  # a tombstone
    producer.send(SALES_EVENTS, "alice", below_floor_event("evt-good").to_bytes())
    producer.close()

    bootstrap = system.settings.kafka_bootstrap
    letters = eventually(
        lambda: [r] if len(r := read_topic(bootstrap, DEAD_LETTER, 1.0, expect=5)) >= 5 else [],
        what="five dead letters",
    )[0]
    by_value = {record.value: dict(record.headers) for record in letters}
    expected = {not_json, unknown.to_bytes(), missing_field.to_bytes(), not_a_number, b""}
    assert set(by_value) == expected
    assert by_value[not_json]["warden.dlq.reason"].startswith(b"not JSON")
    assert by_value[not_a_number]["warden.dlq.reason"] == b"not JSON: NaN is not a JSON number"
    assert by_value[b""]["warden.dlq.reason"] == b"no value (a tombstone record): not a CloudEvent"
    assert by_value[unknown.to_bytes()]["warden.dlq.reason"] == (
        b"unknown event type 'com.example.unknown'"
    )
    assert by_value[missing_field.to_bytes()]["warden.dlq.reason"] == (
        b"warden.sales.price.changed: data.new_price_minor is missing"
    )
    assert all(h["warden.dlq.topic"] == SALES_EVENTS.encode() for h in by_value.values())

    (case,) = eventually(
        lambda: system.clients.compliance.ListCases(compliance_pb2.ListCasesRequest()).cases,
        what="the valid event's case",
    )
    assert list(case.findings[0].event_ids) == ["evt-good"]
    assert count(system, schema.inbox) == 1
