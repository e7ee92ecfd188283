"""Idempotency keys over gRPC: the same key with the same request returns the first result and
changes nothing; the same key with a different request is ALREADY_EXISTS naming the key."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import grpc
import pytest

from warden.v1 import sales_pb2 as pb

from .conftest import Sales
from .seed import SHA, World, pb_eur

# Each operation: (rpc name, request builder taking (world, variant), the reply's result id).
Build = Callable[[World, int], Any]
OPERATIONS: dict[str, tuple[str, Build, Callable[[Any], str]]] = {
    "price change": (
        "ChangePrice",
        lambda w, v: pb.ChangePriceRequest(
            product_id="P1", salesperson_id="alice", new_price=pb_eur(9_500 - v)
        ),
        lambda r: r.price_change_id,
    ),
    "price-change request": (
        "RequestPriceChange",
        lambda w, v: pb.RequestPriceChangeRequest(
            product_id="P2", salesperson_id="alice", requested_price=pb_eur(45_000 - v)
        ),
        lambda r: r.request.request_id,
    ),
    "price-change decision": (
        "DecidePriceChange",
        lambda w, v: pb.DecidePriceChangeRequest(
            request_id=w.request_id, approver_id="carol", approve=True, reason="ok" * (v + 1)
        ),
        lambda r: r.request.price_change_id,
    ),
    "target": (
        "SetTarget",
        lambda w, v: pb.SetTargetRequest(
            year=2027,
            team="north",
            team_target=pb_eur(100_000 + v),
            set_by="carol",
            difference_accepted=True,
            quotas=[pb.Quota(salesperson_id="alice", amount=pb_eur(100_000))],
        ),
        lambda r: r.target.revision_id,
    ),
    "opportunity": (
        "CreateOpportunity",
        lambda w, v: pb.CreateOpportunityRequest(
            customer_id="C9", salesperson_id="alice", title=f"deal {v}", estimated_value=pb_eur(1)
        ),
        lambda r: r.opportunity.opportunity_id,
    ),
    "stage change": (
        "ChangeStage",
        lambda w, v: pb.ChangeStageRequest(
            opportunity_id=w.at_visit, to_stage="needs_analysis", changed_by=["alice", "bob"][v]
        ),
        lambda r: r.change.change_id,
    ),
    "document": (
        "ArchiveDocument",
        lambda w, v: pb.ArchiveDocumentRequest(
            opportunity_id=w.at_visit,
            name=f"visit-{v}.txt",
            doc_type="visit_report",
            sha256=SHA,
            location="s3://d",
            archived_by="alice",
        ),
        lambda r: r.document.document_id,
    ),
    "contract": (
        "SignContract",
        lambda w, v: pb.SignContractRequest(
            opportunity_id=w.at_proposal,
            signed_by="alice",
            lines=[pb.ContractLine(product_id="P1", quantity=1 + v, unit_price=pb_eur(10_000))],
        ),
        lambda r: r.contract.contract_id,
    ),
    "amendment": (
        "AmendContract",
        lambda w, v: pb.AmendContractRequest(
            contract_id=w.contract_id, amended_by="alice", payment_terms_days=45 + v
        ),
        lambda r: r.amendment.amendment_id,
    ),
    "payment": (
        "RecordPayment",
        lambda w, v: pb.RecordPaymentRequest(
            contract_id=w.contract_id, amount=pb_eur(5_000 + v), recorded_by="fin"
        ),
        lambda r: r.payment.payment_id,
    ),
    "reported sales": (
        "ReportSales",
        lambda w, v: pb.ReportSalesRequest(
            salesperson_id="alice", period="2026-01", reported=pb_eur(30_000 + v)
        ),
        lambda r: r.report_id,
    ),
    "expense": (
        "RecordExpense",
        lambda w, v: pb.RecordExpenseRequest(
            salesperson_id="alice",
            customer_id="C1",
            kind="hospitality",
            amount=pb_eur(8_000 + v),
            incurred_on="2026-01-10",
        ),
        lambda r: r.expense_id,
    ),
    "published report": (
        "PublishPerformanceReport",
        lambda w, v: pb.PublishPerformanceReportRequest(
            scope="team",
            scope_id="north",
            period="2026-01",
            recipients=["carol"][: 1 + v] + (["hr"] if v else []),
        ),
        lambda r: r.report_id,
    ),
}


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_repeated_key_returns_the_first_result_and_a_reused_key_is_refused(
    shared_sales: tuple[Sales, World], operation: str
) -> None:
    sales, world = shared_sales  # one world per backend: each operation touches its own part
    sales.clock.set(2026, 1, 20)
    rpc, build, result_id = OPERATIONS[operation]
    call = getattr(sales.stub, rpc)
    first = build(world, 0)
    first.idempotency_key = f"key-{operation}"
    reply = call(first)
    after_first, events = sales.counts(), len(sales.events())

    again = call(first)
    assert result_id(again) == result_id(reply) and result_id(reply)
    assert getattr(again, "event_id", None) == getattr(reply, "event_id", None)
    assert sales.counts() == after_first and len(sales.events()) == events

    different = build(world, 1)
    different.idempotency_key = first.idempotency_key
    with pytest.raises(grpc.RpcError) as refused:
        call(different)
    assert refused.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency_key" in refused.value.details()
    assert sales.counts() == after_first and len(sales.events()) == events


def race(call: Callable[[Any], Any], request: Any) -> tuple[list[Any], list[grpc.RpcError]]:
    """Two threads make the same call at the same moment: the replies and the errors."""
    start = threading.Barrier(2)
    replies: list[Any] = []
    failures: list[grpc.RpcError] = []

    def one() -> None:
        start.wait()
        try:
            replies.append(call(request))
        except grpc.RpcError as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return replies, failures


def test_two_simultaneous_first_uses_of_one_key_give_one_result_and_no_internal_error(
    shared_sales: tuple[Sales, World],
) -> None:
    """Both calls see an unused key; the second to commit collides with the first's key row.
    It is run again, sees the key, and replays the first result: never INTERNAL."""
    sales, world = shared_sales
    sales.clock.set(2026, 1, 20)
    for round_ in range(5):
        events = len(sales.events())
        request = pb.CreateOpportunityRequest(
            customer_id="C8",
            salesperson_id="alice",
            title=f"race {round_}",
            estimated_value=pb_eur(1),
            idempotency_key=f"race-{round_}",
        )
        replies, failures = race(sales.stub.CreateOpportunity, request)
        assert [(f.code(), f.details()) for f in failures] == []
        assert len(replies) == 2
        assert len({r.opportunity.opportunity_id for r in replies}) == 1
        assert len(sales.events()) == events + 1
