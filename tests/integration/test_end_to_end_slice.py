"""The walking skeleton's slice, on the real broker and real databases: a salesperson prices
below the floor without approval (4.1.2) -> a case -> an officer confirms -> one HR decision."""

from __future__ import annotations

import json

import grpc
import pytest

from tests.system import System, eventually, hr_decisions
from warden.v1 import common_pb2, compliance_pb2, sales_pb2


def eur(amount_minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=amount_minor, currency="EUR")


def price_list(system: System) -> None:
    sales = system.clients.sales
    for pid, role in [("alice", "sales_rep"), ("carol", "sales_director")]:
        sales.RegisterSalesperson(
            sales_pb2.RegisterSalespersonRequest(
                salesperson=sales_pb2.Salesperson(salesperson_id=pid, name=pid, role=role, team="n")
            )
        )
    sales.SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100", name="pump", list_price=eur(100_000), floor_price=eur(85_000)
        )
    )


def change_price(
    system: System, price: int, approved_by: str = ""
) -> sales_pb2.ChangePriceResponse:
    """Alice changes the price with her own token; a change someone else approved is recorded
    by a sales system (role crm), which names both."""
    stub = system.sales_system() if approved_by else system.seller("alice")
    return stub.ChangePrice(
        sales_pb2.ChangePriceRequest(
            product_id="X100", salesperson_id="alice", new_price=eur(price), approved_by=approved_by
        )
    )


def open_cases(system: System) -> list[compliance_pb2.Case]:
    return list(
        system.clients.compliance.ListCases(
            compliance_pb2.ListCasesRequest(status=compliance_pb2.CASE_STATUS_OPEN)
        ).cases
    )


def test_price_below_floor_without_approval_ends_as_one_hr_decision(system: System) -> None:
    price_list(system)
    change_price(system, 95_000)  # inside policy: no finding
    change_price(system, 80_000, approved_by="carol")  # below floor but approved: no finding
    flagged = change_price(system, 70_000)  # below floor, no approval: 4.1.2

    eventually(lambda: len(open_cases(system)) >= 2, what="the compliance cases")
    eventually(lambda: system.consumer.judged >= 3, what="all three events judged")
    # The 700.00 EUR price breaks two rules of 4.1.2: under the floor, and a 30 % discount
    # beyond a sales rep's authority. Each gives its own finding and case.
    cases = open_cases(system)
    assert sorted(c.findings[0].rule_id for c in cases) == [
        "discount-beyond-authority",
        "price-below-floor",
    ]
    (case,) = [c for c in cases if c.findings[0].rule_id == "price-below-floor"]
    assert (case.employee_id, case.clause, case.severity) == ("alice", "4.1.2", "major")
    assert case.proposed_sanction.kind == compliance_pb2.SANCTION_KIND_FINE
    assert case.proposed_sanction.fine.amount_minor == 50_000
    (finding,) = case.findings
    assert finding.rule_id == "price-below-floor" and finding.rule_version == 1
    assert list(finding.event_ids) == [flagged.event_id]
    assert "new price 700.00 EUR < policy floor 850.00 EUR" in finding.explanation
    assert "approval: none" in finding.explanation

    decision = (
        system.officer("olivia")
        .DecideCase(
            compliance_pb2.DecideCaseRequest(
                case_id=case.case_id,
                outcome=compliance_pb2.OUTCOME_CONFIRMED,
                reason="confirmed",
            )
        )
        .decision
    )

    bootstrap = system.settings.kafka_bootstrap
    eventually(lambda: hr_decisions(bootstrap), what="the HR record")
    records = hr_decisions(bootstrap, timeout_s=3.0, expect=2)
    assert len(records) == 1
    hr = json.loads(records[0].value)
    assert hr["type"] == "warden.compliance.penalty.decided"
    assert hr["id"] == decision.decision_id and hr["subject"] == "alice"
    assert hr["data"]["sanction"] == {
        "kind": "fine",
        "amount_minor": 50_000,
        "currency": "EUR",
        "days": None,
    }
    assert hr["data"]["clauses"] == ["4.1.2"] and hr["data"]["decided_by"] == ["olivia"]
    assert hr["data"]["case_id"] == case.case_id


def test_a_case_cannot_be_decided_twice(system: System) -> None:
    price_list(system)
    change_price(system, 70_000)
    case = eventually(lambda: open_cases(system), what="a compliance case")[0]
    request = compliance_pb2.DecideCaseRequest(
        case_id=case.case_id, outcome=compliance_pb2.OUTCOME_CONFIRMED
    )
    olivia = system.officer("olivia")
    olivia.DecideCase(request)
    with pytest.raises(grpc.RpcError) as refused:
        olivia.DecideCase(request)
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "already decided" in refused.value.details()
