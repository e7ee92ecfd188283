"""Event types the after-sales service produces on `aftersales.events`."""

from __future__ import annotations

from warden.contract.fields import TEXT, FieldKinds

EVENTS: dict[str, FieldKinds] = {
    "warden.aftersales.ticket.received": {
        "ticket_id": TEXT,
        "customer_id": TEXT,
        "product_id": TEXT,
        "channel": TEXT,
        "agent_id": TEXT,
    },
}
