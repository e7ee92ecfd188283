"""The gRPC edge of every service: health, reflection, and precise status codes."""

from __future__ import annotations

from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import (
    ProtoReflectionDescriptorDatabase,
)
from sqlalchemy import select

from tests.system import System
from warden.sales.storage import tables as sales_tables
from warden.v1 import aftersales_pb2, common_pb2, compliance_pb2, rules_pb2, sales_pb2

REPO = Path(__file__).resolve().parents[2]
SERVICES = {
    "sales": "warden.v1.SalesService",
    "aftersales": "warden.v1.AfterSalesService",
    "compliance": "warden.v1.ComplianceService",
}


def eur(amount_minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=amount_minor, currency="EUR")


def refused(call, request) -> grpc.RpcError:  # type: ignore[no-untyped-def]
    with pytest.raises(grpc.RpcError) as caught:
        call(request)
    return caught.value


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_service_reports_serving_and_lists_itself_by_reflection(system: System) -> None:
    for name, full_name in SERVICES.items():
        with grpc.insecure_channel(system.runtimes[name].address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            for service in ("", full_name):
                reply = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=5)
                assert reply.status == health_pb2.HealthCheckResponse.SERVING
            listed = ProtoReflectionDescriptorDatabase(channel).get_services()
            assert full_name in listed
            assert "grpc.health.v1.Health" in listed


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_requests_get_invalid_argument_naming_the_field(system: System) -> None:
    sales = system.clients.sales
    sales.SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100", name="pump", list_price=eur(100_000), floor_price=eur(85_000)
        )
    )
    cases = [
        (sales_pb2.ChangePriceRequest(salesperson_id="a", new_price=eur(1)), "product_id"),
        (
            sales_pb2.ChangePriceRequest(product_id="X100", salesperson_id="a", new_price=eur(-5)),
            "new_price.amount_minor",
        ),
        (
            sales_pb2.ChangePriceRequest(
                product_id="X100",
                salesperson_id="a",
                new_price=common_pb2.Money(amount_minor=5, currency="euro"),
            ),
            "new_price.currency",
        ),
    ]
    for request, field in cases:  # salesperson "a" changes the price with her own token
        error = refused(system.seller("a").ChangePrice, request)
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error.details().startswith(f"{field}:")
    error = refused(
        system.clients.aftersales.OpenTicket,
        aftersales_pb2.OpenTicketRequest(customer_id="c", product_id="p", description="d"),
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "channel" in error.details()
    error = refused(
        system.clients.compliance.DecideCase,
        compliance_pb2.DecideCaseRequest(case_id="x"),
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT and "outcome" in error.details()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unknown_ids_get_not_found(system: System) -> None:
    error = refused(system.clients.sales.GetProduct, sales_pb2.GetProductRequest(product_id="nope"))
    assert error.code() == grpc.StatusCode.NOT_FOUND and "'nope'" in error.details()
    error = refused(
        system.clients.compliance.GetCase, compliance_pb2.GetCaseRequest(case_id="no-such-case")
    )
    assert error.code() == grpc.StatusCode.NOT_FOUND and "no-such-case" in error.details()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_repeated_idempotency_key_returns_the_first_result_and_emits_nothing_new(
    system: System,
) -> None:
    sales = system.clients.sales
    sales.RegisterSalesperson(
        sales_pb2.RegisterSalespersonRequest(
            salesperson=sales_pb2.Salesperson(
                salesperson_id="alice", name="A", role="sales_rep", team="n"
            )
        )
    )
    sales.SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100", name="pump", list_price=eur(100_000), floor_price=eur(85_000)
        )
    )
    request = sales_pb2.ChangePriceRequest(
        product_id="X100", salesperson_id="alice", new_price=eur(95_000), idempotency_key="k1"
    )
    alice = system.seller("alice")
    first = alice.ChangePrice(request)
    again = alice.ChangePrice(request)
    assert again.price_change_id == first.price_change_id
    assert again.event_id == first.event_id
    other = sales_pb2.ChangePriceRequest(
        product_id="X100", salesperson_id="alice", new_price=eur(90_000), idempotency_key="k1"
    )
    error = refused(alice.ChangePrice, other)
    assert error.code() == grpc.StatusCode.ALREADY_EXISTS and "idempotency_key" in error.details()
    product = sales.GetProduct(sales_pb2.GetProductRequest(product_id="X100")).product
    assert product.current_price.amount_minor == 95_000
    with system.sales.engine.connect() as conn:
        emitted = conn.execute(select(sales_tables.outbox.table.c.event_id)).scalars().all()
    assert emitted == [first.event_id]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_string_over_the_limit_is_refused_naming_the_field_and_changes_nothing(
    system: System,
) -> None:
    """Any request string above 10,000 characters, nested and repeated ones included: its
    event would otherwise approach Kafka's 1 MB record limit. A rule file's YAML may be longer."""
    long = "x" * 10_001
    sales = system.clients.sales
    error = refused(
        sales.SetListPrice,
        sales_pb2.SetListPriceRequest(
            product_id="X100", name=long, list_price=eur(100_000), floor_price=eur(85_000)
        ),
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "name: is at most 10,000 characters, not 10,001"
    assert (
        refused(sales.GetProduct, sales_pb2.GetProductRequest(product_id="X100")).code()
        == grpc.StatusCode.NOT_FOUND
    )  # nothing was stored
    error = refused(
        system.clients.aftersales.RegisterCustomer,
        aftersales_pb2.RegisterCustomerRequest(
            customer=aftersales_pb2.Customer(customer_id="C1"),
            personal=aftersales_pb2.PersonalData(name="Ann", address=long),
        ),
    )
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details() == "personal.address: is at most 10,000 characters, not 10,001"
    error = refused(
        system.clients.aftersales.DiscloseCustomerData,
        aftersales_pb2.DiscloseCustomerDataRequest(
            accessor_id="sue", customer_id="C1", fields=["name", long], recipient="R"
        ),
    )
    assert error.details() == "fields[1]: is at most 10,000 characters, not 10,001"
    error = refused(
        system.clients.compliance.DecideCase,
        compliance_pb2.DecideCaseRequest(case_id="x", reason=long),
    )
    assert error.details() == "reason: is at most 10,000 characters, not 10,001"
    with system.sales.engine.connect() as conn:  # type: ignore[union-attr]
        assert conn.execute(select(sales_tables.outbox.table.c.event_id)).all() == []

    rule = (REPO / "rules/4.1.2/price-below-floor.yaml").read_text()
    padded = rule.replace("\nversion: 1\n", "\nversion: 2\n") + "\n# " + "why " * 3_000 + "\n"
    assert len(padded) > 10_000
    published = system.clients.rules.PublishRules(
        rules_pb2.PublishRulesRequest(
            files=[rules_pb2.RuleFile(path="price-below-floor.yaml", text=padded)]
        )
    )
    assert list(published.added) == ["price-below-floor@v2"]  # a long rule file is taken
