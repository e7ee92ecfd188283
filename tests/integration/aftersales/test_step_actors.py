"""Who takes a ticket step is who signed in, over gRPC on both databases: an agent's token
takes each step kind as its subject and is refused, with nothing changed, when it names
another agent (an admin's too); a desk integration (role `desk`) records steps agents took in
it, naming the agent, and both are kept: the step's actor and its `recorded_by`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import grpc
import pytest

from tests.integration.aftersales.conftest import outbox_events
from tests.integration.aftersales.grpc_desk import SECRET, Desk, serving
from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.platform.auth import ADMIN, AFTERSALES, DESK, issue_token, with_token
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import aftersales_pb2_grpc

Stub = aftersales_pb2_grpc.AfterSalesServiceStub


@pytest.fixture
def desk(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    with serving(app, clock) as built:
        yield built


@pytest.fixture
def signed_in(desk: Desk) -> Iterator[Callable[..., Stub]]:
    """A stub calling the desk with a real token for `subject` with `roles`."""
    channels: list[grpc.Channel] = []

    def stub(subject: str, *roles: str) -> Stub:
        channels.append(grpc.insecure_channel(desk.address))
        return Stub(with_token(channels[-1], issue_token(SECRET, subject, roles or (AFTERSALES,))))

    yield stub
    for channel in channels:
        channel.close()


def fresh_ticket(desk: Desk) -> str:
    """A ticket dave received (recorded by the tests' desk integration)."""
    return desk.stub.OpenTicket(
        pb.OpenTicketRequest(
            customer_id="C1", product_id="X1", channel="phone", description="hum", agent_id="dave"
        )
    ).ticket.ticket_id


def escalated(desk: Desk, ticket: str, answered: bool = False) -> str:
    escalation = desk.stub.EscalateTicket(
        pb.EscalateTicketRequest(
            ticket_id=ticket, department="rnd", question="?", escalated_by="dave"
        )
    ).escalation_id
    if answered:
        desk.stub.AnswerEscalation(
            pb.AnswerEscalationRequest(
                escalation_id=escalation, answer_summary="known", answered_by="rita"
            )
        )
    return escalation


def closed(desk: Desk, ticket: str) -> str:
    desk.stub.CloseTicket(pb.CloseTicketRequest(ticket_id=ticket, agent_id="dave"))
    return ticket


# Each step kind: its RPC, the field naming who takes it, and its request for a fresh ticket.
STEPS: dict[str, tuple[str, str, Callable[[Desk, str], object]]] = {
    "open": (
        "OpenTicket",
        "agent_id",
        lambda desk, who: pb.OpenTicketRequest(
            customer_id="C1", product_id="X1", channel="web", description="d", agent_id=who
        ),
    ),
    "classify": (
        "ClassifyTicket",
        "classified_by",
        lambda desk, who: pb.ClassifyTicketRequest(
            ticket_id=fresh_ticket(desk), category="hw", priority="p2", classified_by=who
        ),
    ),
    "assign": (
        "AssignTicket",
        "assigned_by",
        lambda desk, who: pb.AssignTicketRequest(
            ticket_id=fresh_ticket(desk), to_agent="erin", assigned_by=who, reason="away"
        ),
    ),
    "respond": (
        "RespondToTicket",
        "agent_id",
        lambda desk, who: pb.RespondToTicketRequest(
            ticket_id=fresh_ticket(desk), agent_id=who, message="on it"
        ),
    ),
    "escalate": (
        "EscalateTicket",
        "escalated_by",
        lambda desk, who: pb.EscalateTicketRequest(
            ticket_id=fresh_ticket(desk), department="rnd", question="?", escalated_by=who
        ),
    ),
    "answer escalation": (
        "AnswerEscalation",
        "answered_by",
        lambda desk, who: pb.AnswerEscalationRequest(
            escalation_id=escalated(desk, fresh_ticket(desk)), answer_summary="a", answered_by=who
        ),
    ),
    "report back": (
        "ReportBackEscalation",
        "reported_by",
        lambda desk, who: pb.ReportBackEscalationRequest(
            escalation_id=escalated(desk, fresh_ticket(desk), answered=True),
            reported_by=who,
            message="R&D says it is known",
        ),
    ),
    "resolve": (
        "ResolveTicket",
        "agent_id",
        lambda desk, who: pb.ResolveTicketRequest(
            ticket_id=fresh_ticket(desk), agent_id=who, resolution="fixed"
        ),
    ),
    "close": (
        "CloseTicket",
        "agent_id",
        lambda desk, who: pb.CloseTicketRequest(ticket_id=fresh_ticket(desk), agent_id=who),
    ),
    "reopen": (
        "ReopenTicket",
        "reopened_by",
        lambda desk, who: pb.ReopenTicketRequest(
            ticket_id=closed(desk, fresh_ticket(desk)), reopened_by=who, reason="back again"
        ),
    ),
}
KINDS = list(STEPS)


def last_step(desk: Desk, reply: object) -> pb.TicketStep:
    if isinstance(reply, pb.OpenTicketResponse):
        ticket = reply.ticket.ticket_id
    else:
        ticket = reply.result.ticket.ticket_id  # type: ignore[attr-defined]
    history = desk.stub.GetTicket(pb.GetTicketRequest(ticket_id=ticket)).history
    return history[-1] if not isinstance(reply, pb.OpenTicketResponse) else history[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("named", ["", " Dave"], ids=["no name", "their own name"])
def test_an_agent_takes_each_step_as_themselves(
    desk: Desk, signed_in: Callable[..., Stub], kind: str, named: str
) -> None:
    rpc, _, request = STEPS[kind]
    reply = getattr(signed_in("dave"), rpc)(request(desk, named))
    step = last_step(desk, reply)
    assert step.actor == "dave"
    assert "recorded_by" not in json.loads(step.detail_json)
    assert "recorded_by" not in outbox_events(desk.app)[-1]["data"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("roles", [(AFTERSALES,), (ADMIN,)], ids=["agent", "admin"])
def test_a_person_naming_another_agent_is_refused_and_nothing_changes(
    desk: Desk, signed_in: Callable[..., Stub], kind: str, roles: tuple[str, ...]
) -> None:
    rpc, field, request = STEPS[kind]
    prepared = request(desk, "erin")
    before = outbox_events(desk.app)
    with pytest.raises(grpc.RpcError) as refused:
        getattr(signed_in("dave", *roles), rpc)(prepared)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details().startswith(
        f"{field}: 'dave' is signed in and may not record a step as 'erin'"
    )
    assert outbox_events(desk.app) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_desk_integration_records_a_step_for_the_agent_it_names_and_is_kept_beside(
    desk: Desk, signed_in: Callable[..., Stub], kind: str
) -> None:
    rpc, _, request = STEPS[kind]
    reply = getattr(signed_in("helpdesk", DESK), rpc)(request(desk, "erin"))
    step = last_step(desk, reply)
    assert step.actor == "erin"
    assert json.loads(step.detail_json)["recorded_by"] == "helpdesk"
    event = outbox_events(desk.app)[-1]
    assert event["data"]["recorded_by"] == "helpdesk"


@pytest.mark.parametrize("kind", KINDS)
def test_a_desk_integration_must_name_the_agent(
    desk: Desk, signed_in: Callable[..., Stub], kind: str
) -> None:
    rpc, field, request = STEPS[kind]
    prepared = request(desk, "")
    before = outbox_events(desk.app)
    with pytest.raises(grpc.RpcError) as refused:
        getattr(signed_in("helpdesk", DESK), rpc)(prepared)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details() == (
        f"{field}: a desk integration names the agent who took the step"
    )
    assert outbox_events(desk.app) == before


def test_a_desk_integration_reads_no_personal_data_and_charges_no_fee(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    helpdesk = signed_in("helpdesk", DESK)
    for call, request in (
        (helpdesk.ReadCustomerData, pb.ReadCustomerDataRequest(customer_id="C1", fields=["name"])),
        (helpdesk.ChargeFee, pb.ChargeFeeRequest(ticket_id=desk.open_ticket, service_code="SV")),
        (helpdesk.RegisterAgent, pb.RegisterAgentRequest()),
    ):
        with pytest.raises(grpc.RpcError) as refused:
            call(request)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
