"""AfterSalesService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

from warden.aftersales.domain import Ticket
from warden.aftersales.service import AfterSalesApp
from warden.platform.grpc_server import require
from warden.platform.proto_convert import timestamp_out
from warden.v1 import aftersales_pb2, aftersales_pb2_grpc

SERVICE_NAME = aftersales_pb2.DESCRIPTOR.services_by_name["AfterSalesService"].full_name


def ticket_out(ticket: Ticket) -> aftersales_pb2.Ticket:
    return aftersales_pb2.Ticket(
        ticket_id=ticket.ticket_id,
        customer_id=ticket.customer_id,
        product_id=ticket.product_id,
        channel=ticket.channel,
        description=ticket.description,
        agent_id=ticket.agent_id,
        status=ticket.status,
        received_at=timestamp_out(ticket.received_at),
    )


class AfterSalesServicer(aftersales_pb2_grpc.AfterSalesServiceServicer):
    def __init__(self, app: AfterSalesApp) -> None:
        self.app = app

    def OpenTicket(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        ticket, event_id = self.app.open_ticket(
            customer_id=require(request.customer_id, "customer_id"),
            product_id=require(request.product_id, "product_id"),
            channel=require(request.channel, "channel"),
            description=require(request.description, "description"),
            agent_id=require(request.agent_id, "agent_id"),
            idempotency_key=request.idempotency_key,
        )
        return aftersales_pb2.OpenTicketResponse(ticket=ticket_out(ticket), event_id=event_id)

    def GetTicket(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        ticket = self.app.get_ticket(require(request.ticket_id, "ticket_id"))
        return aftersales_pb2.GetTicketResponse(ticket=ticket_out(ticket))
