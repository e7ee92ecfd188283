"""After-sales use cases, each in one transaction with its events in the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from warden.aftersales import domain, events, store
from warden.aftersales.domain import Ticket
from warden.errors import NotFound
from warden.platform.topics import AFTERSALES_EVENTS


class AfterSalesApp:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def open_ticket(
        self,
        customer_id: str,
        product_id: str,
        channel: str,
        description: str,
        agent_id: str,
        idempotency_key: str = "",
    ) -> tuple[Ticket, str]:
        request = {
            "customer_id": customer_id,
            "product_id": product_id,
            "channel": channel,
            "description": description,
            "agent_id": agent_id,
        }
        with self.engine.begin() as conn:
            earlier = store.idempotency.seen(conn, idempotency_key, "OpenTicket", request)
            if earlier is not None:
                found = store.get_ticket(conn, earlier)
                assert found is not None
                return found
            ticket = domain.receive(
                str(uuid.uuid4()),
                customer_id,
                product_id,
                channel,
                description,
                agent_id,
                self.clock(),
            )
            event = events.ticket_received(ticket)
            store.add_ticket(conn, ticket, event.id)
            store.outbox.add(conn, AFTERSALES_EVENTS, event, key=ticket.ticket_id)
            store.idempotency.remember(
                conn, idempotency_key, "OpenTicket", request, ticket.ticket_id
            )
        return ticket, event.id

    def get_ticket(self, ticket_id: str) -> Ticket:
        with self.engine.connect() as conn:
            found = store.get_ticket(conn, ticket_id)
        if found is None:
            raise NotFound("ticket", ticket_id)
        return found[0]
