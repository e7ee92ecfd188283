"""Events produced straight to the input topics, as an enterprise system would, with event
times fixed so that what the watermark passes does not depend on consumption order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests import builders
from warden.platform.cloudevents import CloudEvent, format_time
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS, SALES_EVENTS

T0 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
FIRST_RESPONSE_DUE = T0 + timedelta(hours=1)


@dataclass(frozen=True)
class Produced:
    event: CloudEvent
    violating: bool = False


def price_changed(salesperson: str, violating: bool, at: datetime = T0) -> CloudEvent:
    """A price change; `violating` ones go below the floor without approval (4.1.2)."""
    new_price = 70_000 if violating else 95_000
    return builders.price_changed(
        subject=salesperson,
        source="/enterprise/sales",
        at=at,
        price_change_id=str(uuid.uuid4()),
        new_price_minor=new_price,
        discount_bp=(100_000 - new_price) // 10,
        authority_bp=5_000,
        reason="scale test",
    )


def _desk(ticket: str, agent: str) -> dict[str, Any]:
    """The envelope of an enterprise desk's events of one ticket."""
    return {"agent": agent, "customer": f"C-{ticket}", "source": "/enterprise/desk"}


def ticket_classified(ticket: str, agent: str) -> CloudEvent:
    """A p1 ticket whose first response is due an hour later."""
    return builders.ticket_classified(
        ticket,
        at=T0,
        priority="p1",
        first_response_due=format_time(FIRST_RESPONSE_DUE),
        resolution_due=format_time(T0 + timedelta(days=1)),
        **_desk(ticket, agent),
    )


def ticket_responded(ticket: str, agent: str) -> CloudEvent:
    """The first response, half an hour before it is due."""
    return builders.ticket_responded(
        ticket, due=FIRST_RESPONSE_DUE, at=T0 + timedelta(minutes=30), **_desk(ticket, agent)
    )


def send(publisher: KafkaPublisher, event: CloudEvent) -> None:
    """Keyed as the services key them (docs/events.md): ticket events by ticket, else by
    employee, so one ticket's or one employee's events stay in order on one partition."""
    if event.type.startswith("warden.aftersales."):
        publisher.send(AFTERSALES_EVENTS, event.data["ticket_id"], event.to_bytes())
    else:
        publisher.send(SALES_EVENTS, event.subject, event.to_bytes())


def produce(publisher: KafkaPublisher, employees: list[str], count: int) -> list[Produced]:
    """`count` price changes round-robin over `employees`, every third one violating."""
    produced = []
    for n in range(count):
        event = price_changed(employees[n % len(employees)], violating=n % 3 == 0)
        send(publisher, event)
        produced.append(Produced(event, n % 3 == 0))
    return produced


def produce_events(publisher: KafkaPublisher, events: list[CloudEvent]) -> list[Produced]:
    for event in events:
        send(publisher, event)
    return [Produced(e) for e in events]
