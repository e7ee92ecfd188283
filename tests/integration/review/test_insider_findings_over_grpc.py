"""Issue 22, tried as an insider would, on the real broker and each database over gRPC: a
self-approved price change is refused by the sales service and flagged when it comes from
Kafka; an export of 35 customers without a purpose is flagged; officers see explanations and
evidence with customers' personal data masked, admins in clear; money beyond the bound is
dead-lettered from Kafka."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import grpc
import pytest
from sqlalchemy import select

from tests import builders
from tests.integration.test_end_to_end_slice import change_price, price_list
from tests.system import System, eventually
from warden.cli import main
from warden.clients import Clients
from warden.compliance.storage import schema
from warden.money import MAX_MINOR
from warden.platform.cloudevents import CloudEvent
from warden.platform.kafka import read_topic
from warden.platform.kafka_publisher import KafkaPublisher
from warden.platform.topics import AFTERSALES_EVENTS, DEAD_LETTER, SALES_EVENTS
from warden.v1 import compliance_pb2 as pb
from warden.v1 import sales_pb2

AT = datetime(2026, 11, 12, 14, tzinfo=UTC)


def produce(system: System, topic: str, *events: CloudEvent) -> None:
    publisher = KafkaPublisher(system.settings.kafka_bootstrap)
    for event in events:
        publisher.send(topic, event.subject, event.to_bytes())
    publisher.close()


def erp_price_change(approved_by: str | None, new_price_minor: int = 70_000) -> CloudEvent:
    """A price.changed from an enterprise system, changed by alice."""
    approval = {
        "status": "approved" if approved_by else "none",
        "approved_by": approved_by,
        "requested_by": "alice",
    }
    return builders.price_changed(
        at=AT,
        price_change_id="ERP-1",
        new_price_minor=new_price_minor,
        discount_bp=(100_000 - new_price_minor) * 10_000 // 100_000,
        approval=approval,
    )


def access(action: str, **data: Any) -> CloudEvent:
    fields: dict[str, Any] = {
        "access_id": f"D-{action}",
        "customer_id": "C-314",
        "accessor_role": "supervisor",
        "action": action,
        "fields": ["phone"],
        "recipient": "usb-stick-17",
    }
    return builders.customer_data_read(
        "erin", source="/enterprise/desk", at=AT, **{**fields, **data}
    )


def case_of(clients: Clients, rule_id: str, employee: str) -> pb.Case:
    """The case a finding of `rule_id` opened for `employee`, read in full with GetCase."""
    listed = eventually(
        lambda: [
            c
            for c in clients.compliance.ListCases(pb.ListCasesRequest(employee_id=employee)).cases
            if any(f.rule_id == rule_id for f in c.findings)
        ],
        what=f"a case of {rule_id}",
    )
    return clients.compliance.GetCase(pb.GetCaseRequest(case_id=listed[0].case_id)).case


def rule_ids(clients: Clients, employee: str) -> list[str]:
    cases = clients.compliance.ListCases(pb.ListCasesRequest(employee_id=employee)).cases
    return sorted(f.rule_id for c in cases for f in c.findings)


def test_a_self_approved_price_change_is_refused_by_the_service_and_flagged_from_kafka(
    system: System,
) -> None:
    price_list(system)
    for approver in ("alice", " ALICE "):
        with pytest.raises(grpc.RpcError) as refused:
            change_price(system, 70_000, approved_by=approver)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert refused.value.details().startswith("approved_by: ")
        assert "is the salesperson changing the price ('alice')" in refused.value.details()
    request = sales_pb2.GetProductRequest(product_id="X100")
    product = system.clients.sales.GetProduct(request).product
    assert product.current_price.amount_minor == 100_000  # nothing changed

    produce(system, SALES_EVENTS, erp_price_change("Alice "))
    case = case_of(system.clients, "price-changed-self-approved", "alice")
    (finding,) = case.findings
    assert finding.rule_version == 1
    assert "approved by Alice , who changed the price (alice)" in finding.explanation
    # Approved (by herself), the change escaped the floor and authority rules: this one sees it.
    assert rule_ids(system.clients, "alice") == ["price-changed-self-approved"]


def test_an_export_of_35_customers_without_a_purpose_is_flagged(system: System) -> None:
    produce(system, AFTERSALES_EVENTS, access("export", customer_id="*", customer_count=35))
    case = case_of(system.clients, "customer-data-exported-without-purpose", "erin")
    (finding,) = case.findings
    for reason in ("action: export", "recorded purpose: none", "customers in it: 35 customer(s)"):
        assert reason in finding.explanation
    # Under the bulk rule's limit of 50: this is the only finding.
    assert rule_ids(system.clients, "erin") == ["customer-data-exported-without-purpose"]


def test_explanations_and_evidence_are_masked_for_an_officer_and_clear_for_an_admin(
    system: System, capsys: pytest.CaptureFixture[str]
) -> None:
    disclosed = access(
        "disclose",
        recipient_kind="external",
        recipient="promo-agency.example",
        customer={"phone": "+49 30 5550101", "address": "Hauptstrasse 5"},
    )
    produce(system, AFTERSALES_EVENTS, disclosed)
    admin = case_of(system.clients, "personal-data-disclosed-without-purpose", "erin")
    olivia = system.clients_as("olivia", "officer")
    try:
        officer = olivia.compliance.GetCase(pb.GetCaseRequest(case_id=admin.case_id)).case
        listed = olivia.compliance.ListCases(pb.ListCasesRequest(employee_id="erin")).cases
    finally:
        olivia.close()

    clear = admin.findings[0].explanation
    assert "customer: C-314" in clear and "disclosed to: promo-agency.example" in clear
    evidence = json.loads(admin.evidence_json[0])["data"]
    assert evidence["customer"] == {"phone": "+49 30 5550101", "address": "Hauptstrasse 5"}

    for shown in (officer.findings[0].explanation, listed[0].findings[0].explanation):
        assert "customer: C***4" in shown and "disclosed to: p***e" in shown
        assert "C-314" not in shown and "promo-agency" not in shown
        assert "action: disclose" in shown and "fields: phone" in shown
    masked = json.loads(officer.evidence_json[0])["data"]
    assert masked["customer"] == {"phone": "+***1", "address": "H***5"}
    assert masked["customer_id"] == "C***4" and masked["recipient"] == "p***e"
    assert masked["accessor_id"] == "erin"

    address = system.runtimes["compliance"].address
    for role, hidden, shown in (
        ("officer", "promo-agency.example", "disclosed to: p***e"),
        ("admin", "p***e", "disclosed to: promo-agency.example"),
    ):
        token = system.token("olivia", role)
        argv = ["cases", "--address", address, "--token", token, "show", admin.case_id]
        assert main(argv) == 0
        printed = capsys.readouterr().out
        assert shown in printed and hidden not in printed


def test_money_beyond_the_bound_from_kafka_is_dead_lettered_and_the_bound_is_judged(
    system: System,
) -> None:
    beyond = erp_price_change(None, new_price_minor=MAX_MINOR + 1)
    at_bound = erp_price_change(None, new_price_minor=MAX_MINOR)
    produce(system, SALES_EVENTS, beyond, at_bound)
    bootstrap = system.settings.kafka_bootstrap
    (dead,) = eventually(lambda: read_topic(bootstrap, DEAD_LETTER, 1.0), what="a dead letter")
    reason = dict(dead.headers)["warden.dlq.reason"].decode()
    assert reason == (
        "warden.sales.price.changed: data.new_price_minor must be at most 99,999,999,999,999 "
        f"minor units either side of 0, got {MAX_MINOR + 1}"
    )
    assert json.loads(dead.value)["id"] == beyond.id
    # The event at the bound is judged: a mark-up without approval breaks no rule, so it
    # shows as judged (in the inbox) with no case.
    eventually(lambda: _judged(system, at_bound.id), what="the event at the bound judged")
    assert rule_ids(system.clients, "alice") == []


def _judged(system: System, event_id: str) -> bool:

    with system.review.engine.connect() as conn:  # type: ignore[union-attr]
        found = conn.execute(
            select(schema.inbox.c.event_id).where(schema.inbox.c.event_id == event_id)
        )
        return found.first() is not None
