"""The after-sales events on `aftersales.events` (documented in docs/events.md)."""

from __future__ import annotations

from warden.aftersales.domain import Ticket
from warden.platform.cloudevents import CloudEvent

SOURCE = "/warden/aftersales"
TICKET_RECEIVED = "warden.aftersales.ticket.received"


def ticket_received(ticket: Ticket) -> CloudEvent:
    return CloudEvent(
        type=TICKET_RECEIVED,
        source=SOURCE,
        subject=ticket.agent_id,
        time=ticket.received_at,
        data={
            "ticket_id": ticket.ticket_id,
            "customer_id": ticket.customer_id,
            "product_id": ticket.product_id,
            "channel": ticket.channel,
            "agent_id": ticket.agent_id,
        },
    )
