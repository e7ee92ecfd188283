"""Who reads customers' data (4.2.1) is who signed in: the token's subject, never a name sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest

from tests.integration.aftersales.conftest import of_type, outbox_events
from tests.integration.aftersales.grpc_desk import SECRET, Desk, eur_pb, serving
from tests.integration.aftersales.month import FakeClock
from warden.aftersales.app import AfterSalesApp
from warden.platform.auth import ADMIN, AFTERSALES, issue_token, with_token
from warden.v1 import aftersales_pb2 as pb
from warden.v1 import aftersales_pb2_grpc

Stub = aftersales_pb2_grpc.AfterSalesServiceStub


@pytest.fixture
def desk(app: AfterSalesApp, clock: FakeClock) -> Iterator[Desk]:
    with serving(app, clock) as built:
        built.stub.RegisterAgent(
            pb.RegisterAgentRequest(agent=pb.Agent(agent_id="sue", name="Sue", role="supervisor"))
        )
        yield built


@pytest.fixture
def signed_in(desk: Desk) -> Iterator[Callable[..., Stub]]:
    """A stub calling the desk with a real token for `subject` with `roles`."""
    channels: list[grpc.Channel] = []

    def stub(subject: str, *roles: str) -> Stub:
        channels.append(grpc.insecure_channel(desk.address))
        token = issue_token(SECRET, subject, roles or (AFTERSALES,))
        return Stub(with_token(channels[-1], token))

    yield stub
    for channel in channels:
        channel.close()


def _accesses(desk: Desk) -> list[pb.DataAccess]:
    return list(desk.stub.ListDataAccesses(pb.ListDataAccessesRequest()).accesses)


def _read(accessor_id: str) -> pb.ReadCustomerDataRequest:
    return pb.ReadCustomerDataRequest(accessor_id=accessor_id, customer_id="C1", fields=["name"])


@pytest.mark.parametrize("named", ["", "dave"], ids=["accessor left empty", "accessor named"])
def test_an_agent_reads_as_themselves_when_they_name_no_one_or_themselves(
    desk: Desk, signed_in: Callable[..., Stub], named: str
) -> None:
    reply = signed_in("dave").ReadCustomerData(_read(named))
    assert reply.record.personal.name == "Ann"
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.accessor_role, access.granted) == ("dave", "agent", True)
    (event,) = of_type(outbox_events(desk.app), "customer_data.accessed")
    assert event["subject"] == "dave" and event["data"]["accessor_id"] == "dave"


IMPERSONATIONS: list[tuple[str, Callable[[Stub], Any]]] = [
    ("read", lambda s: s.ReadCustomerData(_read("dave"))),
    (
        "export",
        lambda s: s.ExportCustomerData(
            pb.ExportCustomerDataRequest(accessor_id="sue", fields=["name"], recipient="usb")
        ),
    ),
    (
        "disclose",
        lambda s: s.DiscloseCustomerData(
            pb.DiscloseCustomerDataRequest(
                accessor_id="sue", customer_id="C1", recipient="promo.example", purpose="x"
            )
        ),
    ),
]


@pytest.mark.parametrize(("action", "call"), IMPERSONATIONS, ids=[i[0] for i in IMPERSONATIONS])
def test_naming_someone_else_as_accessor_is_refused_and_logged_as_the_signed_in_caller(
    desk: Desk, signed_in: Callable[..., Stub], action: str, call: Callable[[Stub], Any]
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        call(signed_in("erin"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details().startswith("accessor_id: 'erin' is signed in and may not act")
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.accessor_role, access.action) == ("erin", "agent", action)
    assert not access.granted and "may not act as" in access.refusal
    (event,) = of_type(outbox_events(desk.app), "customer_data.accessed")
    assert event["subject"] == "erin"
    assert (event["data"]["accessor_id"], event["data"]["granted"]) == ("erin", False)


def test_a_caller_who_is_no_registered_agent_is_logged_as_unregistered(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        signed_in("mallory").ReadCustomerData(_read("dave"))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "accessor_id: 'mallory'" in refused.value.details()
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.accessor_role, access.granted) == (
        "mallory",
        "unregistered",
        False,
    )


def test_an_unregistered_caller_naming_no_one_is_not_found_and_nothing_is_logged(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        signed_in("mallory").ReadCustomerData(_read(""))
    assert refused.value.code() == grpc.StatusCode.NOT_FOUND
    assert "accessor_id: agent 'mallory' not found" in refused.value.details()
    assert _accesses(desk) == []


@pytest.mark.parametrize(("action", "call"), IMPERSONATIONS, ids=[i[0] for i in IMPERSONATIONS])
def test_an_admin_naming_someone_else_as_accessor_is_refused_and_logged_as_the_admin(
    desk: Desk, signed_in: Callable[..., Stub], action: str, call: Callable[[Stub], Any]
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        call(signed_in("mallory", ADMIN))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details().startswith("accessor_id: 'mallory' is signed in and may not")
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.action, access.granted) == ("mallory", action, False)
    (event,) = of_type(outbox_events(desk.app), "customer_data.accessed")
    assert event["subject"] == "mallory" and event["data"]["accessor_id"] == "mallory"


def test_an_admin_cannot_charge_a_fee_in_an_agents_name(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    before = outbox_events(desk.app)
    with pytest.raises(grpc.RpcError) as refused:
        signed_in("mallory", ADMIN).ChargeFee(_fee("dave", desk.open_ticket))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details().startswith("agent_id: 'mallory' is signed in")
    assert desk.app.list_fees(ticket_id=desk.open_ticket) == []
    assert outbox_events(desk.app) == before


def test_a_token_whose_subject_differs_only_in_case_and_spaces_reads_as_that_agent(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    reply = signed_in("dave").ReadCustomerData(_read(" DAVE "))
    assert reply.record.personal.name == "Ann"
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.granted) == ("dave", True)


def test_the_role_table_still_judges_the_signed_in_employee(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    with pytest.raises(grpc.RpcError) as refused:
        signed_in("bill").ReadCustomerData(
            pb.ReadCustomerDataRequest(customer_id="C1", fields=["phone"])
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details() == "fields: role 'billing' may not see phone"
    (access,) = _accesses(desk)
    assert (access.accessor_id, access.granted) == ("bill", False)


def _fee(agent_id: str, ticket_id: str) -> pb.ChargeFeeRequest:
    return pb.ChargeFeeRequest(
        ticket_id=ticket_id, agent_id=agent_id, service_code="SV", amount=eur_pb(8_000)
    )


def test_a_fee_is_charged_as_the_signed_in_agent_and_never_in_a_colleagues_name(
    desk: Desk, signed_in: Callable[..., Stub]
) -> None:
    before = outbox_events(desk.app)
    with pytest.raises(grpc.RpcError) as refused:
        signed_in("erin").ChargeFee(_fee("dave", desk.open_ticket))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert refused.value.details().startswith("agent_id: 'erin' is signed in")
    assert desk.app.list_fees(ticket_id=desk.open_ticket) == []
    assert outbox_events(desk.app) == before
    reply = signed_in("dave").ChargeFee(_fee("", desk.open_ticket))
    assert reply.fee.agent_id == "dave"
