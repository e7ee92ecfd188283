"""Bad input through AfterSalesService over gRPC (real server, real database, no broker needed):
a precise status naming the field or state, nothing changed, no stray event."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from tests.integration.aftersales.conftest import BACKENDS, module_app, of_type, outbox_events
from tests.integration.aftersales.grpc_desk import Desk, eur_pb, serving
from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import common_pb2


@pytest.fixture
def desk(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    with serving(app, clock) as built:
        yield built


@pytest.fixture(scope="module", params=BACKENDS)
def shared_desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desk]:
    """One desk per backend for the bad requests: each must leave it as it found it."""
    with module_app(request, tmp_path_factory) as (app, clock), serving(app, clock) as built:
        yield built


def _state(desk: Desk) -> tuple[Any, ...]:
    """Everything a bad request must leave alone: both tickets with history, fees, the outbox."""
    tickets = [
        desk.stub.GetTicket(pb.GetTicketRequest(ticket_id=t)).SerializeToString(deterministic=True)
        for t in (desk.open_ticket, desk.closed_ticket)
    ]
    fees = desk.stub.ListFees(pb.ListFeesRequest(customer_id="C1")).SerializeToString()
    return (*tickets, fees, len(outbox_events(desk.app)))


def _stamp(moment: Any) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


Call = Callable[[Desk], Any]

BAD: list[tuple[str, Call, grpc.StatusCode, str]] = [
    (
        "unknown customer",
        lambda d: d.stub.OpenTicket(
            pb.OpenTicketRequest(
                customer_id="C9", product_id="X1", channel="web", description="x", agent_id="dave"
            )
        ),
        grpc.StatusCode.NOT_FOUND,
        "customer_id: customer 'C9' not found",
    ),
    (
        "unknown receiving agent",
        lambda d: d.stub.OpenTicket(
            pb.OpenTicketRequest(
                customer_id="C1", product_id="X1", channel="web", description="x", agent_id="zed"
            )
        ),
        grpc.StatusCode.NOT_FOUND,
        "agent_id: agent 'zed' not found",
    ),
    (
        "unknown ticket",
        lambda d: d.stub.RespondToTicket(
            pb.RespondToTicketRequest(ticket_id="T-404", agent_id="dave", message="hi")
        ),
        grpc.StatusCode.NOT_FOUND,
        "ticket_id: ticket 'T-404' not found",
    ),
    (
        "unknown agent to assign to",
        lambda d: d.stub.AssignTicket(
            pb.AssignTicketRequest(
                ticket_id=d.open_ticket, to_agent="zed", assigned_by="dave", reason="busy"
            )
        ),
        grpc.StatusCode.NOT_FOUND,
        "to_agent: agent 'zed' not found",
    ),
    (
        "survey score 0",
        lambda d: d.stub.AnswerSurvey(pb.AnswerSurveyRequest(ticket_id=d.closed_ticket, score=0)),
        grpc.StatusCode.INVALID_ARGUMENT,
        "score: must be between 1 and 5, got 0",
    ),
    (
        "survey score 6",
        lambda d: d.stub.AnswerSurvey(pb.AnswerSurveyRequest(ticket_id=d.closed_ticket, score=6)),
        grpc.StatusCode.INVALID_ARGUMENT,
        "score: must be between 1 and 5, got 6",
    ),
    (
        "survey on an open ticket",
        lambda d: d.stub.AnswerSurvey(pb.AnswerSurveyRequest(ticket_id=d.open_ticket, score=4)),
        grpc.StatusCode.FAILED_PRECONDITION,
        "is in_progress: survey after closing",
    ),
    (
        "resolution on a closed ticket",
        lambda d: d.stub.ResolveTicket(
            pb.ResolveTicketRequest(ticket_id=d.closed_ticket, agent_id="erin", resolution="done")
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
        "is closed: cannot resolve it",
    ),
    (
        "escalation to an unknown department",
        lambda d: d.stub.EscalateTicket(
            pb.EscalateTicketRequest(
                ticket_id=d.open_ticket, department="marketing", question="?", escalated_by="dave"
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "department: 'marketing' is not one of rnd, production, logistics, quality, finance",
    ),
    (
        "report back before the department answered",
        lambda d: d.stub.ReportBackEscalation(
            pb.ReportBackEscalationRequest(
                escalation_id=d.escalation, reported_by="dave", message="news"
            )
        ),
        grpc.StatusCode.FAILED_PRECONDITION,
        "has no answer from rnd yet",
    ),
    (
        "unknown escalation",
        lambda d: d.stub.AnswerEscalation(
            pb.AnswerEscalationRequest(escalation_id="E-404", answer_summary="x", answered_by="r")
        ),
        grpc.StatusCode.NOT_FOUND,
        "escalation_id: escalation 'E-404' not found",
    ),
    (
        "unknown priority",
        lambda d: d.stub.ClassifyTicket(
            pb.ClassifyTicketRequest(
                ticket_id=d.open_ticket, category="hw", priority="p9", classified_by="dave"
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "priority: 'p9' is not one of p1, p2, p3, p4",
    ),
    (
        "a step dated in the future",
        lambda d: d.stub.RespondToTicket(
            pb.RespondToTicketRequest(
                ticket_id=d.open_ticket,
                agent_id="dave",
                message="hi",
                occurred_at=_stamp(d.clock.now + timedelta(minutes=5)),
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "occurred_at:",
    ),
    (
        "a step dated before the ticket's last step",
        lambda d: d.stub.RespondToTicket(
            pb.RespondToTicketRequest(
                ticket_id=d.open_ticket,
                agent_id="dave",
                message="hi",
                occurred_at=_stamp(d.clock.now - timedelta(days=3)),
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "occurred_at: is before the ticket's last step",
    ),
    (
        "a fee in another currency than the schedule's",
        lambda d: d.as_("dave").ChargeFee(
            pb.ChargeFeeRequest(
                ticket_id=d.open_ticket,
                service_code="SV",
                amount=common_pb2.Money(amount_minor=8_000, currency="USD"),
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "amount.currency",
    ),
    (
        "a quality report of no month",
        lambda d: d.stub.GetQualityReport(pb.GetQualityReportRequest(period="2026-13")),
        grpc.StatusCode.INVALID_ARGUMENT,
        "period: '2026-13' is not a month like 2026-11",
    ),
    (
        "an unknown personal field",
        lambda d: d.as_("dave").ReadCustomerData(
            pb.ReadCustomerDataRequest(customer_id="C1", fields=["salary"])
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "fields: salary not among name, phone, email, address",
    ),
    (
        "an unknown agent role",
        lambda d: d.stub.RegisterAgent(
            pb.RegisterAgentRequest(agent=pb.Agent(agent_id="x", name="x", role="boss"))
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
        "agent.role: 'boss' is not one of",
    ),
]


@pytest.mark.parametrize(("case", "call", "code", "details"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_precisely_and_changes_nothing(
    shared_desk: Desk, case: str, call: Call, code: grpc.StatusCode, details: str
) -> None:
    desk = shared_desk
    before = _state(desk)
    with pytest.raises(grpc.RpcError) as refused:
        call(desk)
    assert refused.value.code() == code, refused.value.details()
    assert details in refused.value.details()
    assert _state(desk) == before


def test_a_fee_outside_the_schedule_is_recorded_flagged_and_said_so(desk: Desk) -> None:
    before = len(outbox_events(desk.app))
    reply = desk.as_("dave").ChargeFee(
        pb.ChargeFeeRequest(ticket_id=desk.open_ticket, service_code="GOLD", amount=eur_pb(9_900))
    )
    assert list(reply.fee.flags) == ["not_in_schedule"] and not reply.fee.in_schedule
    assert "not in the fee schedule" in reply.explanation
    assert "not refused" in reply.explanation
    events = outbox_events(desk.app)
    assert len(events) == before + 1
    assert (
        events[-1]["data"]["service_code"] == "GOLD" and events[-1]["data"]["in_schedule"] is False
    )


def test_a_role_that_may_not_see_a_field_is_denied_and_the_attempt_is_logged(desk: Desk) -> None:
    before = _state(desk)
    with pytest.raises(grpc.RpcError) as refused:
        desk.as_("bill").ReadCustomerData(
            pb.ReadCustomerDataRequest(customer_id="C1", fields=["phone"])
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details() == "fields: role 'billing' may not see phone"
    (attempt,) = desk.stub.ListDataAccesses(pb.ListDataAccessesRequest(customer_id="C1")).accesses
    assert (attempt.accessor_id, attempt.granted, list(attempt.fields)) == (
        "bill",
        False,
        ["phone"],
    )
    (event,) = of_type(outbox_events(desk.app), "customer_data.accessed")
    assert event["data"]["granted"] is False and event["subject"] == "bill"
    assert _state(desk)[:3] == before[:3]


def test_an_agent_reads_only_customers_of_their_own_open_tickets(desk: Desk) -> None:
    dave = desk.as_("dave")
    reply = dave.ReadCustomerData(
        pb.ReadCustomerDataRequest(customer_id="C1", fields=["name", "phone"])
    )
    assert (reply.record.personal.name, reply.record.personal.phone) == ("Ann", "+49 1")
    assert reply.record.personal.email == ""  # not asked for, not shown
    with pytest.raises(grpc.RpcError) as refused:
        dave.ReadCustomerData(pb.ReadCustomerDataRequest(customer_id="C1", fields=["address"]))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "may not see address" in refused.value.details()


def _open_request(description: str = "pump noise") -> pb.OpenTicketRequest:
    return pb.OpenTicketRequest(
        customer_id="C1",
        product_id="X1",
        channel="phone",
        description=description,
        agent_id="dave",
        idempotency_key="desk-42",
    )


def test_a_repeated_open_with_the_same_key_returns_the_first_ticket_and_emits_nothing(
    desk: Desk,
) -> None:
    first = desk.stub.OpenTicket(_open_request())
    before = _state(desk)
    again = desk.stub.OpenTicket(_open_request())
    assert (again.ticket.ticket_id, again.event_id) == (first.ticket.ticket_id, first.event_id)
    assert _state(desk) == before
    with pytest.raises(grpc.RpcError) as refused:
        desk.stub.OpenTicket(_open_request("another problem"))
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency_key 'desk-42'" in refused.value.details()
    assert _state(desk) == before


def test_a_repeated_step_or_fee_with_the_same_key_changes_nothing(desk: Desk) -> None:
    respond = pb.RespondToTicketRequest(
        ticket_id=desk.open_ticket, agent_id="dave", message="on it", idempotency_key="r-1"
    )
    fee = pb.ChargeFeeRequest(
        ticket_id=desk.open_ticket, service_code="SV", amount=eur_pb(8_000), idempotency_key="f-1"
    )
    dave = desk.as_("dave")
    first_answer = desk.stub.RespondToTicket(respond)
    first_fee = dave.ChargeFee(fee)
    before = _state(desk)
    assert desk.stub.RespondToTicket(respond).result.event_id == first_answer.result.event_id
    assert dave.ChargeFee(fee).fee.fee_id == first_fee.fee.fee_id
    assert _state(desk) == before
    respond.message = "something else"
    with pytest.raises(grpc.RpcError) as refused:
        desk.stub.RespondToTicket(respond)
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency_key 'r-1'" in refused.value.details()
    assert _state(desk) == before


def test_closing_without_resolution_is_said_in_the_reply(desk: Desk) -> None:
    reply = desk.stub.CloseTicket(
        pb.CloseTicketRequest(ticket_id=desk.open_ticket, agent_id="dave")
    )
    assert reply.note == (
        "recorded as closed without a resolution and closed while the customer's last message "
        "is unanswered (the compliance rules judge it)"
    )
    assert reply.result.ticket.outcome == "unresolved"
