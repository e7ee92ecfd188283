"""After-sales events over the real broker: keyed by ticket, within the public contract (nothing
dead-lettered), and judged by the compliance service (a warranty fee becomes a 4.2.1 case)."""

from __future__ import annotations

import json

import grpc
import pytest

from tests.system import System, eventually
from warden.aftersales.storage import tables
from warden.platform.auth import AFTERSALES
from warden.platform.cloudevents import CloudEvent
from warden.platform.kafka import read_topic
from warden.platform.topics import AFTERSALES_EVENTS, DEAD_LETTER
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import common_pb2, compliance_pb2


def _desk(system: System) -> str:
    stub = system.clients.aftersales
    stub.RegisterAgent(
        pb.RegisterAgentRequest(agent=pb.Agent(agent_id="dave", name="Dave", role="agent"))
    )
    stub.RegisterAgent(
        pb.RegisterAgentRequest(agent=pb.Agent(agent_id="sue", name="Sue", role="supervisor"))
    )
    stub.RegisterCustomer(
        pb.RegisterCustomerRequest(
            customer=pb.Customer(customer_id="C1"), personal=pb.PersonalData(name="Ann", phone="1")
        )
    )
    stub.SetFee(
        pb.SetFeeRequest(
            entry=pb.FeeScheduleEntry(
                service_code="REPAIR",
                price=common_pb2.Money(amount_minor=12_000, currency="EUR"),
                warranty_covers=True,
            )
        )
    )
    return (
        system.agent("dave")
        .OpenTicket(
            pb.OpenTicketRequest(
                customer_id="C1", product_id="X1", channel="phone", description="leak"
            )
        )
        .ticket.ticket_id
    )


def test_after_sales_events_reach_compliance_keyed_by_ticket_and_within_contract(
    system: System,
) -> None:
    stub = system.agent("dave")  # the agent takes each step with their own token
    ticket = _desk(system)
    stub.ClassifyTicket(
        pb.ClassifyTicketRequest(
            ticket_id=ticket, category="hw", priority="p2", classified_by="dave"
        )
    )
    stub.RespondToTicket(pb.RespondToTicketRequest(ticket_id=ticket, agent_id="dave", message="hi"))
    dave, sue = system.clients_as("dave", AFTERSALES), system.clients_as("sue", AFTERSALES)
    try:
        dave.aftersales.ChargeFee(
            pb.ChargeFeeRequest(
                ticket_id=ticket,
                service_code="REPAIR",
                amount=common_pb2.Money(amount_minor=12_000, currency="EUR"),
                warranty=True,
            )
        )
        sue.aftersales.DiscloseCustomerData(
            pb.DiscloseCustomerDataRequest(customer_id="C1", fields=["name"], recipient="Couriers")
        )
    finally:
        dave.close()
        sue.close()
    stub.CloseTicket(pb.CloseTicketRequest(ticket_id=ticket, agent_id="dave"))
    sent = 7  # received, assigned, classified, responded, fee, disclosure, closed

    records = eventually(
        lambda: read_topic(system.settings.kafka_bootstrap, AFTERSALES_EVENTS, 2.0, expect=sent),
        what="the after-sales events on the topic",
    )
    assert len(records) == sent
    keys = sorted(r.key.decode() for r in records)
    assert keys == sorted([ticket] * 6 + ["sue"])
    eventually(lambda: system.consumer.judged >= sent, what="every event judged")
    assert system.consumer.dead_lettered == 0

    def warranty_case() -> list[compliance_pb2.Case]:
        cases = system.clients.compliance.ListCases(compliance_pb2.ListCasesRequest()).cases
        return [c for c in cases if c.employee_id == "dave" and c.clause == "4.2.1"]

    assert eventually(warranty_case, what="the 4.2.1 case of the warranty fee")


def test_an_event_too_large_for_kafka_is_dead_lettered_and_the_service_keeps_publishing(
    system: System,
) -> None:
    """A request field that long is refused at the gRPC edge (a 1.5 MB reassignment reason
    was accepted before, and its event was over the producer's 1 MB request limit). An event
    that large can still arise from a long list (a report sent to tens of thousands of
    recipients): written to the running service's outbox between two reassignments, it goes
    to the dead-letter topic with its reason, and the events after it still reach the
    compliance service. Before, it held
    back every later event of the service for ever."""
    stub = system.agent("dave")
    ticket = _desk(system)  # received, assigned
    huge = "x" * 1_500_000
    with pytest.raises(grpc.RpcError) as refused:
        stub.AssignTicket(
            pb.AssignTicketRequest(
                ticket_id=ticket, to_agent="sue", assigned_by="dave", reason=huge
            )
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details() == "reason: is at most 10,000 characters, not 1,500,000"

    stub.AssignTicket(
        pb.AssignTicketRequest(ticket_id=ticket, to_agent="sue", assigned_by="dave", reason="away")
    )
    oversized = CloudEvent(
        type="warden.aftersales.ticket.assigned",
        source="/warden/aftersales",
        subject="sue",
        data={"ticket_id": ticket, "reason": huge},
    )
    assert system.aftersales is not None
    with system.aftersales.engine.begin() as conn:
        tables.outbox.add(conn, AFTERSALES_EVENTS, oversized, key=ticket)
    system.agent("sue").AssignTicket(
        pb.AssignTicketRequest(ticket_id=ticket, to_agent="dave", assigned_by="sue", reason="back")
    )
    bootstrap = system.settings.kafka_bootstrap
    (dead,) = eventually(
        lambda: read_topic(bootstrap, DEAD_LETTER, 1.0, expect=1), what="the dead letter"
    )
    headers = {name: value.decode() for name, value in dead.headers}
    assert headers["warden.dlq.topic"] == AFTERSALES_EVENTS
    assert headers["warden.dlq.event_id"] == oversized.id
    assert headers["warden.dlq.reason"].startswith("refused by Kafka: ")
    assert headers["warden.dlq.reason"].endswith(" bytes, over the 1048576 byte limit")
    assert headers["warden.dlq.payload"].startswith("omitted: ")
    assert dead.key.decode() == ticket
    eventually(lambda: system.consumer.judged >= 4, what="the events around it judged")
    records = read_topic(bootstrap, AFTERSALES_EVENTS, 2.0, expect=5)
    reasons = [
        json.loads(r.value)["data"].get("reason")
        for r in records
        if json.loads(r.value)["type"] == "warden.aftersales.ticket.assigned"
    ]
    assert reasons == ["received", "away", "back"]  # the oversized one is not on the topic
