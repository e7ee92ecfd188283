"""Price-change events produced straight to `sales.events`, as an enterprise system would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from warden.platform.cloudevents import CloudEvent
from warden.platform.kafka import KafkaPublisher
from warden.platform.topics import SALES_EVENTS
from warden.sales.events import PRICE_CHANGED, SOURCE


@dataclass(frozen=True)
class Produced:
    event: CloudEvent
    violating: bool


def price_changed(salesperson: str, violating: bool) -> CloudEvent:
    """A price change; `violating` ones go below the floor without approval (4.1.2)."""
    new_price = 70_000 if violating else 95_000
    return CloudEvent(
        type=PRICE_CHANGED,
        source=SOURCE,
        subject=salesperson,
        id=str(uuid.uuid4()),
        data={
            "price_change_id": str(uuid.uuid4()),
            "product_id": "X100",
            "currency": "EUR",
            "list_price_minor": 100_000,
            "floor_price_minor": 85_000,
            "old_price_minor": 100_000,
            "new_price_minor": new_price,
            "discount_bp": (100_000 - new_price) // 10,
            "changed_by": salesperson,
            "changed_by_role": "sales_rep",
            "authority_bp": 1_000,
            "approval": {"status": "none", "approved_by": None, "requested_by": salesperson},
            "reason": "scale test",
        },
    )


def produce(publisher: KafkaPublisher, employees: list[str], count: int) -> list[Produced]:
    """`count` events round-robin over `employees`, every third one violating, keyed by subject
    like the sales service's outbox keys them."""
    produced = []
    for n in range(count):
        salesperson = employees[n % len(employees)]
        violating = n % 3 == 0
        event = price_changed(salesperson, violating)
        publisher.send(SALES_EVENTS, event.subject, event.to_bytes())
        produced.append(Produced(event, violating))
    return produced
