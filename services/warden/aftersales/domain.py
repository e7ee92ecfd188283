"""After-sales domain: tickets received from customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warden.errors import InvalidArgument

CHANNELS = ("phone", "email", "web", "visit")


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    customer_id: str
    product_id: str
    channel: str
    description: str
    agent_id: str
    status: str
    received_at: datetime


def receive(
    ticket_id: str,
    customer_id: str,
    product_id: str,
    channel: str,
    description: str,
    agent_id: str,
    at: datetime,
) -> Ticket:
    """A customer's problem as received; the agent who took it in is the first assignee."""
    if channel not in CHANNELS:
        raise InvalidArgument("channel", f"{channel!r} is not one of {', '.join(CHANNELS)}")
    if not description.strip():
        raise InvalidArgument("description", "is required")
    return Ticket(
        ticket_id, customer_id, product_id, channel, description.strip(), agent_id, "received", at
    )
