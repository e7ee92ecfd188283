"""The public event contract (docs/events.md): known event types and the data fields each needs.

Each producing service's event types live in a module of their own here; the compliance
service validates every incoming event against the union before judging it."""

from __future__ import annotations

from typing import Any

from warden.contract import aftersales, compliance, sales
from warden.contract.fields import FieldKinds
from warden.money import MAX_MINOR
from warden.platform.cloudevents import CloudEvent, MalformedEvent

EVENT_FIELDS: dict[str, FieldKinds] = {**sales.EVENTS, **aftersales.EVENTS, **compliance.EVENTS}
# Sums of many amounts (a period's contracts, a team's quotas): bounded by what int64 holds,
# not by MAX_MINOR, so a large but honest period is still judged.
SUMS = frozenset({"proven_signed_minor", "proven_collected_minor", "difference_minor"})
INT64_MAX = 2**63 - 1
# Money fields (`*_minor`) of each type and their bound either side: MAX_MINOR, as the
# services bound every single amount.
MONEY_FIELDS: dict[str, tuple[tuple[str, int], ...]] = {
    kind: tuple(
        (name, INT64_MAX if name in SUMS else MAX_MINOR)
        for name in fields
        if name.endswith("_minor")
    )
    for kind, fields in EVENT_FIELDS.items()
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
        if isinstance(value, bool) and bool not in kinds:
            raise MalformedEvent(f"{event.type}: data.{name} must not be a boolean")
        if not isinstance(value, kinds):
            wanted = " or ".join(k.__name__ for k in kinds)
            raise MalformedEvent(f"{event.type}: data.{name} must be {wanted}, got {value!r}")
    for name, bound in MONEY_FIELDS[event.type]:
        value = event.data[name]
        if value is not None and abs(value) > bound:
            raise MalformedEvent(
                f"{event.type}: data.{name} must be at most {bound:,} minor units "
                f"either side of 0, got {value}"
            )
