"""Bad input over gRPC: each gets a precise status naming the field or the state, changes
nothing and emits no event (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import grpc
import pytest

from warden import contract
from warden.money import MAX_MINOR
from warden.platform import cloudevents
from warden.v1 import sales_pb2 as pb

from .conftest import Sales
from .seed import World, pb_eur, seed

INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND
PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION
DENIED = grpc.StatusCode.PERMISSION_DENIED

Call = Callable[[Any, World], Any]


def line(product: str = "P1", quantity: int = 1, unit: int = 10_000) -> pb.ContractLine:
    return pb.ContractLine(product_id=product, quantity=quantity, unit_price=pb_eur(unit))


def change_price(
    price: int, product: str = "P1", who: str = "alice", approved_by: str = ""
) -> Call:
    return lambda s, w: s.ChangePrice(
        pb.ChangePriceRequest(
            product_id=product,
            salesperson_id=who,
            new_price=pb_eur(price),
            approved_by=approved_by,
        )
    )


def sign(opp: str, *lines: pb.ContractLine) -> Call:
    return lambda s, w: s.SignContract(
        pb.SignContractRequest(opportunity_id=getattr(w, opp), lines=list(lines), signed_by="alice")
    )


def pay(amount: int, contract: str = "") -> Call:
    return lambda s, w: s.RecordPayment(
        pb.RecordPaymentRequest(
            contract_id=contract or w.contract_id, amount=pb_eur(amount), recorded_by="fin"
        )
    )


def stage(opp: str, to: str) -> Call:
    return lambda s, w: s.ChangeStage(
        pb.ChangeStageRequest(opportunity_id=getattr(w, opp), to_stage=to, changed_by="alice")
    )


def target(year: int, *quotas: tuple[str, int], reason: str = "") -> Call:
    return lambda s, w: s.SetTarget(
        pb.SetTargetRequest(
            year=year,
            team="north",
            team_target=pb_eur(200_000),
            set_by="carol",
            reason=reason,
            quotas=[pb.Quota(salesperson_id=p, amount=pb_eur(a)) for p, a in quotas],
        )
    )


def expense(kind: str = "gift", amount: int = 5_000, day: str = "2026-01-02") -> Call:
    return lambda s, w: s.RecordExpense(
        pb.RecordExpenseRequest(
            salesperson_id="alice",
            customer_id="C1",
            kind=kind,
            amount=pb_eur(amount),
            incurred_on=day,
        )
    )


def decide(approver: str) -> Call:
    return lambda s, w: s.DecidePriceChange(
        pb.DecidePriceChangeRequest(request_id=w.request_id, approver_id=approver, approve=True)
    )


def amend(contract: str = "", **fields: Any) -> Call:
    return lambda s, w: s.AmendContract(
        pb.AmendContractRequest(contract_id=contract or w.contract_id, amended_by="alice", **fields)
    )


CASES: dict[str, tuple[Call, grpc.StatusCode, str]] = {
    "zero price": (change_price(0), INVALID, "new_price.amount_minor: must be positive"),
    "negative price": (change_price(-100), INVALID, "new_price.amount_minor: must be positive"),
    "negative list price": (
        lambda s, w: s.SetListPrice(
            pb.SetListPriceRequest(
                product_id="P9", name="x", list_price=pb_eur(-1), floor_price=pb_eur(1)
            )
        ),
        INVALID,
        "list_price.amount_minor",
    ),
    "price change approved by the salesperson making it": (
        change_price(5_000, approved_by="alice"),
        INVALID,
        "approved_by: 'alice' is the salesperson changing the price ('alice')",
    ),
    "price change approved by the salesperson under another spelling": (
        change_price(5_000, approved_by=" ALICE "),
        INVALID,
        "approved_by: 'ALICE' is the salesperson changing the price",
    ),
    "price one minor unit above the largest amount": (
        change_price(MAX_MINOR + 1),
        INVALID,
        "new_price.amount_minor: must be at most 99,999,999,999,999 minor units",
    ),
    "price at the largest 64-bit integer": (
        change_price(2**63 - 1),
        INVALID,
        "new_price.amount_minor: must be at most 99,999,999,999,999 minor units",
    ),
    "unknown product": (change_price(9_000, product="NOPE"), NOT_FOUND, "product 'NOPE'"),
    "unknown salesperson": (change_price(9_000, who="nobody"), NOT_FOUND, "salesperson 'nobody'"),
    "zero quantity": (sign("at_proposal", line(quantity=0)), INVALID, "lines[0].quantity"),
    "negative quantity": (
        sign("at_proposal", line(), line(quantity=-2)),
        INVALID,
        "lines[1].quantity",
    ),
    "zero unit price": (
        sign("at_proposal", line(unit=0)),
        INVALID,
        "lines[0].unit_price.amount_minor",
    ),
    "contract whose total is beyond the largest amount": (
        sign("at_proposal", line(quantity=2, unit=MAX_MINOR)),
        INVALID,
        "lines: the total 199,999,999,999,998 minor units is beyond the largest amount",
    ),
    "unknown product on a line": (
        sign("at_proposal", line(product="NOPE")),
        NOT_FOUND,
        "lines[0].product_id: product 'NOPE'",
    ),
    "contract before the proposal stage": (
        sign("at_visit", line()),
        PRECONDITION,
        "is at visit; a contract is signed from proposal",
    ),
    "contract without the proposal archived": (
        sign("bare_proposal", line()),
        PRECONDITION,
        "no proposal document archived",
    ),
    "stage change out of order": (
        stage("at_visit", "proposal"),
        PRECONDITION,
        "is at visit; proposal is not the next stage (needs_analysis)",
    ),
    "contract_signed by a stage change without a proposal": (
        stage("bare_proposal", "contract_signed"),
        PRECONDITION,
        "no proposal document archived",
    ),
    "contract_signed by a stage change without a contract": (
        stage("at_proposal", "contract_signed"),
        PRECONDITION,
        "no signed contract",
    ),
    "unknown stage": (stage("at_visit", "won"), INVALID, "to_stage: 'won' is not a stage"),
    "zero payment": (pay(0), INVALID, "amount.amount_minor: must be positive"),
    "negative payment": (pay(-5), INVALID, "amount.amount_minor: must be positive"),
    "payment beyond the contract": (pay(20_001), PRECONDITION, "200.00 EUR outstanding"),
    "payment on an unknown contract": (pay(100, "NOPE"), NOT_FOUND, "contract 'NOPE'"),
    "amendment of an unknown contract": (
        amend("NOPE", payment_terms_days=60),
        NOT_FOUND,
        "contract 'NOPE' not found",
    ),
    "amendment that changes nothing": (amend(payment_terms_days=30), INVALID, "amendment"),
    "amendment approved by someone without the authority": (
        amend(lines=[line(unit=7_000)], approved_by="bob", payment_terms_days=60),
        DENIED,
        "approved_by: 'bob' (sales_manager) may approve discounts up to 2500 bp",
    ),
    "quota for a year without a target": (
        lambda s, w: s.SetQuota(
            pb.SetQuotaRequest(
                year=2027,
                team="north",
                set_by="carol",
                quota=pb.Quota(salesperson_id="alice", amount=pb_eur(1)),
            )
        ),
        NOT_FOUND,
        "target 'north 2027' not found",
    ),
    "target for a year out of range": (target(1999, ("alice", 200_000)), INVALID, "year"),
    "quota for an unknown salesperson": (
        target(2027, ("ghost", 200_000)),
        NOT_FOUND,
        "quotas[0].salesperson_id: salesperson 'ghost'",
    ),
    "quotas that do not add up": (target(2027, ("alice", 150_000)), INVALID, "quotas: add up"),
    "target changed after the year started without a reason": (
        target(2026, ("alice", 100_000), ("bob", 100_000)),
        INVALID,
        "reason: is required",
    ),
    "report for a month that does not exist": (
        lambda s, w: s.ReportSales(
            pb.ReportSalesRequest(salesperson_id="alice", period="2026-13", reported=pb_eur(1))
        ),
        INVALID,
        "period: '2026-13'",
    ),
    "approval by the requester": (decide("alice"), DENIED, "cannot approve their own"),
    "approval beyond the approver's authority": (decide("bob"), DENIED, "up to 2500 bp"),
    "zero requested price": (
        lambda s, w: s.RequestPriceChange(
            pb.RequestPriceChangeRequest(
                product_id="P2", salesperson_id="alice", requested_price=pb_eur(0)
            )
        ),
        INVALID,
        "requested_price.amount_minor",
    ),
    "zero expense": (expense(amount=0), INVALID, "amount.amount_minor"),
    "unknown expense kind": (expense(kind="bribe"), INVALID, "kind: 'bribe'"),
    "expense in the future": (expense(day="2030-01-01"), INVALID, "incurred_on"),
    "zero estimated value": (
        lambda s, w: s.CreateOpportunity(
            pb.CreateOpportunityRequest(
                customer_id="C", salesperson_id="alice", title="t", estimated_value=pb_eur(0)
            )
        ),
        INVALID,
        "estimated_value.amount_minor",
    ),
    "document without a content hash": (
        lambda s, w: s.ArchiveDocument(
            pb.ArchiveDocumentRequest(
                opportunity_id=w.at_visit,
                name="n",
                doc_type="visit_report",
                sha256="xyz",
                location="s3://d",
                archived_by="alice",
            )
        ),
        INVALID,
        "sha256",
    ),
    "report published to nobody": (
        lambda s, w: s.PublishPerformanceReport(
            pb.PublishPerformanceReportRequest(
                scope="salesperson", scope_id="alice", period="2026-01"
            )
        ),
        INVALID,
        "recipients",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_precisely_and_changes_nothing(
    shared_sales: tuple[Sales, World], case: str
) -> None:
    sales, world = shared_sales
    sales.clock.set(2026, 1, 20)
    call, code, says = CASES[case]
    before, events = sales.counts(), len(sales.events())
    with pytest.raises(grpc.RpcError) as refused:
        call(sales.stub, world)
    assert refused.value.code() == code
    assert says in refused.value.details()
    assert sales.counts() == before
    assert len(sales.events()) == events


def test_a_performance_report_for_a_period_that_does_not_exist_names_the_period(
    shared_sales: tuple[Sales, World],
) -> None:
    sales, _ = shared_sales
    with pytest.raises(grpc.RpcError) as refused:
        sales.stub.GetPerformanceReport(
            pb.GetPerformanceReportRequest(scope="salesperson", scope_id="alice", period="2026-Q5")
        )
    assert refused.value.code() == INVALID
    assert refused.value.details().startswith("period: '2026-Q5'")


def test_a_price_at_the_largest_amount_is_accepted_and_emitted_within_the_contract(
    sales: Sales,
) -> None:
    world = seed(sales.app)
    changed = change_price(MAX_MINOR, product="P2", approved_by="carol")(sales.stub, world)
    assert changed.product.current_price.amount_minor == MAX_MINOR
    (event,) = [
        e
        for e in sales.events("warden.sales.price.changed")
        if e["data"]["price_change_id"] == changed.price_change_id
    ]
    assert event["data"]["new_price_minor"] == MAX_MINOR
    assert event["data"]["approval"]["approved_by"] == "carol"
    contract.validate(cloudevents.parse(json.dumps(event).encode()))
