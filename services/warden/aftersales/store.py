"""After-sales persistence: tickets, idempotency keys and the outbox."""

from __future__ import annotations

from sqlalchemy import Column, Connection, MetaData, String, Table, Text, select

from warden.aftersales.domain import Ticket
from warden.platform.db import UtcDateTime
from warden.platform.idempotency import IdempotencyKeys
from warden.platform.outbox import Outbox, outbox_table

metadata = MetaData()

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=False, index=True),
    Column("product_id", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("agent_id", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("event_id", String(64), nullable=False),
)

idempotency = IdempotencyKeys(metadata)
outbox = Outbox(outbox_table(metadata))


def add_ticket(conn: Connection, ticket: Ticket, event_id: str) -> None:
    conn.execute(tickets.insert().values(**ticket.__dict__, event_id=event_id))


def get_ticket(conn: Connection, ticket_id: str) -> tuple[Ticket, str] | None:
    row = conn.execute(select(tickets).where(tickets.c.ticket_id == ticket_id)).first()
    if row is None:
        return None
    values = row._asdict()
    event_id = values.pop("event_id")
    return Ticket(**values), event_id
