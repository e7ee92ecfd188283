"""The demo's after-sales part: tickets through AfterSalesService."""

from __future__ import annotations

from warden.clients import Clients
from warden.demo.common import step
from warden.v1 import aftersales_pb2


def scenario(clients: Clients) -> None:
    """After-sales events, through AfterSalesService as a service desk would send them."""
    step("After-sales: a customer's problem comes in")
    reply = clients.aftersales.OpenTicket(
        aftersales_pb2.OpenTicketRequest(
            customer_id="C-042",
            product_id="X100",
            channel="phone",
            description="Pump loses pressure after two hours",
            agent_id="dave",
        )
    )
    print(f"  ticket {reply.ticket.ticket_id} received by dave over the phone")
