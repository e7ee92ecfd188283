"""The public event contract (docs/events.md): known event types and the data fields each needs."""

from __future__ import annotations

from typing import Any

from warden.platform.cloudevents import CloudEvent, MalformedEvent

_NUMBER = (int,)
_TEXT = (str,)
_OPTIONAL_TEXT = (str, type(None))
_OBJECT = (dict,)

# type -> {field: accepted Python types}. A field absent here may still be sent and is kept.
EVENT_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "warden.sales.price.changed": {
        "price_change_id": _TEXT,
        "product_id": _TEXT,
        "currency": _TEXT,
        "list_price_minor": _NUMBER,
        "floor_price_minor": _NUMBER,
        "old_price_minor": _NUMBER,
        "new_price_minor": _NUMBER,
        "discount_bp": _NUMBER,
        "changed_by": _TEXT,
        "changed_by_role": _TEXT,
        "authority_bp": _NUMBER,
        "approval": _OBJECT,
    },
    "warden.aftersales.ticket.received": {
        "ticket_id": _TEXT,
        "customer_id": _TEXT,
        "product_id": _TEXT,
        "channel": _TEXT,
        "agent_id": _TEXT,
    },
}


class UnknownEventType(MalformedEvent):
    """The event's type is not part of the contract."""


def validate(event: CloudEvent) -> None:
    """Raise MalformedEvent naming the first field that breaks the contract."""
    fields = EVENT_FIELDS.get(event.type)
    if fields is None:
        raise UnknownEventType(f"unknown event type {event.type!r}")
    for name, kinds in fields.items():
        if name not in event.data:
            raise MalformedEvent(f"{event.type}: data.{name} is missing")
        value: Any = event.data[name]
        if isinstance(value, bool) or not isinstance(value, kinds):
            wanted = " or ".join(k.__name__ for k in kinds)
            raise MalformedEvent(f"{event.type}: data.{name} must be {wanted}, got {value!r}")
