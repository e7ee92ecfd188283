"""AfterSalesService on a real gRPC server over the app (no broker needed), with a small desk."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import grpc

from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.aftersales.edge.servicer import SERVICE_NAME, AfterSalesServicer
from warden.platform.auth import ADMIN, AFTERSALES, DESK, AuthInterceptor, issue_token, with_token
from warden.platform.grpc_server import create_server
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import aftersales_pb2_grpc, common_pb2

SECRET = "after-sales-test-secret"  # tokens are signed with it; the desk's stub: admin and desk


@dataclass
class Desk:
    stub: aftersales_pb2_grpc.AfterSalesServiceStub
    app: AfterSalesApp
    clock: FakeClock
    open_ticket: str = ""
    closed_ticket: str = ""
    escalation: str = ""
    address: str = ""
    token: str = ""  # the admin token the stub calls with
    channels: list[grpc.Channel] = field(default_factory=list)

    def as_(self, subject: str) -> aftersales_pb2_grpc.AfterSalesServiceStub:
        """A stub calling with `subject`'s own after-sales token: who reads or charges."""
        self.channels.append(grpc.insecure_channel(self.address))
        token = issue_token(SECRET, subject, [AFTERSALES])
        return aftersales_pb2_grpc.AfterSalesServiceStub(with_token(self.channels[-1], token))


def eur_pb(amount: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=amount, currency="EUR")


def _setup(stub: aftersales_pb2_grpc.AfterSalesServiceStub, desk: Desk) -> None:
    for agent_id, role in [("dave", "agent"), ("erin", "agent"), ("bill", "billing")]:
        stub.RegisterAgent(
            pb.RegisterAgentRequest(agent=pb.Agent(agent_id=agent_id, name=agent_id, role=role))
        )
    stub.RegisterCustomer(
        pb.RegisterCustomerRequest(
            customer=pb.Customer(customer_id="C1"),
            personal=pb.PersonalData(name="Ann", phone="+49 1", email="a@example.com"),
        )
    )
    stub.SetFee(pb.SetFeeRequest(entry=pb.FeeScheduleEntry(service_code="SV", price=eur_pb(8_000))))
    opened = stub.OpenTicket(
        pb.OpenTicketRequest(
            customer_id="C1", product_id="X1", channel="email", description="noise", agent_id="dave"
        )
    ).ticket.ticket_id
    stub.ClassifyTicket(
        pb.ClassifyTicketRequest(
            ticket_id=opened, category="hardware", priority="p2", classified_by="dave"
        )
    )
    desk.escalation = stub.EscalateTicket(
        pb.EscalateTicketRequest(
            ticket_id=opened, department="rnd", question="known?", escalated_by="dave"
        )
    ).escalation_id
    closed = stub.OpenTicket(
        pb.OpenTicketRequest(
            customer_id="C1", product_id="X1", channel="web", description="old", agent_id="erin"
        )
    ).ticket.ticket_id
    stub.CloseTicket(pb.CloseTicketRequest(ticket_id=closed, agent_id="erin"))
    desk.open_ticket, desk.closed_ticket = opened, closed
    desk.clock.at(desk.clock.now + timedelta(hours=1))


@contextmanager
def serving(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    """AfterSalesService on a real gRPC server over `app`, with a small desk set up."""
    server, port, _ = create_server(
        "127.0.0.1:0",
        lambda s: aftersales_pb2_grpc.add_AfterSalesServiceServicer_to_server(
            AfterSalesServicer(app), s
        ),
        [SERVICE_NAME],
        auth=AuthInterceptor(SECRET),
    )
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            # An admin that is also a desk integration: it records the steps agents took.
            token = issue_token(SECRET, "warden-tests", [ADMIN, DESK])
            stub = aftersales_pb2_grpc.AfterSalesServiceStub(with_token(channel, token))
            built = Desk(stub, app, clock, address=f"127.0.0.1:{port}", token=token)
            _setup(built.stub, built)
            yield built
            for opened in built.channels:
                opened.close()
    finally:
        server.stop(0)
