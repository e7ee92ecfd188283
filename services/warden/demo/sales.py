"""The demo's sales part: salespeople, a price list and price changes, then a salesperson's
month through SalesService (target, opportunity through the pipeline, contract, payment) and
its monthly report."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from warden.clients import Clients
from warden.demo.common import eur, step
from warden.sales.edge.chart import money
from warden.sales.edge.text import report_text
from warden.v1 import sales_pb2, sales_pb2_grpc


def as_(clients: Clients, subject: str, role: str = "sales") -> sales_pb2_grpc.SalesServiceStub:
    """SalesService as `subject` calls it with their own token: each person acts as themself;
    a sales system (role crm) records what people did in it, naming them."""
    return clients.acting_as(subject, role).sales


def scenario(clients: Clients) -> None:
    """Sales events, through SalesService as its users and the sales system send them."""
    step("Sales: salespeople and the price list")
    for pid, name, role in [
        ("alice", "Alice Martin", "sales_rep"),
        ("bob", "Bob Chen", "sales_manager"),
        ("carol.director", "Carol Diaz", "sales_director"),
    ]:
        clients.sales.RegisterSalesperson(
            sales_pb2.RegisterSalespersonRequest(
                salesperson=sales_pb2.Salesperson(
                    salesperson_id=pid, name=name, role=role, team="north"
                )
            )
        )
        print(f"  registered {name} ({role})")
    as_(clients, "pricing.admin").SetListPrice(
        sales_pb2.SetListPriceRequest(
            product_id="X100",
            name="X100 industrial pump",
            list_price=eur(100_000),
            floor_price=eur(85_000),
        )
    )
    print("  X100 industrial pump: list 1,000.00 EUR, policy floor 850.00 EUR")

    step("Sales: three price changes")
    changes = [
        ("alice", 95_000, "", "volume customer, inside her authority"),
        ("bob", 80_000, "carol.director", "strategic account, approved by the director"),
        ("alice", 70_000, "", "to close before month end, nobody asked"),
    ]
    # A person changes a price with their own token; the change the director approved in the
    # ERP is recorded by the ERP (role crm), which names both the salesperson and the approver.
    erp = as_(clients, "erp.sales", "crm")
    for who, price, approver, why in changes:
        (erp if approver else as_(clients, who)).ChangePrice(
            sales_pb2.ChangePriceRequest(
                product_id="X100",
                salesperson_id=who,
                new_price=eur(price),
                reason=why,
                approved_by=approver,
            )
        )
        approval = f"approved by {approver}" if approver else "no approval"
        print(f"  {who} -> {money(price, 'EUR')} ({approval}): {why}")
    alices_month(clients)


def alices_month(clients: Clients) -> None:
    """A target, one opportunity from lead to payment with its proposal archived, the report."""
    alice = as_(clients, "alice")
    now = datetime.now(UTC)
    step(f"Sales: the {now.year} target of team north, broken down per salesperson")
    target = (
        as_(clients, "carol.director")
        .SetTarget(
            sales_pb2.SetTargetRequest(
                year=now.year,
                team="north",
                team_target=eur(12_000_000),
                quotas=[
                    sales_pb2.Quota(salesperson_id="alice", amount=eur(6_000_000)),
                    sales_pb2.Quota(salesperson_id="bob", amount=eur(6_000_000)),
                ],
                reason="demo: the year's target entered in the sales system",
            )
        )
        .target
    )
    print(
        f"  team target 120,000.00 EUR; alice and bob 60,000.00 EUR each (difference "
        f"{money(target.difference_minor, 'EUR')})"
    )

    step(f"Sales: Alice's month ({now:%B %Y}): an opportunity through the pipeline")
    opp = alice.CreateOpportunity(
        sales_pb2.CreateOpportunityRequest(
            customer_id="C-042",
            salesperson_id="alice",
            title="Three X100 pumps for the new plant",
            estimated_value=eur(300_000),
        )
    ).opportunity
    print(f"  lead {opp.opportunity_id}: {opp.title} (C-042, estimate 3,000.00 EUR)")
    for stage in ("visit", "needs_analysis", "proposal"):
        alice.ChangeStage(
            sales_pb2.ChangeStageRequest(opportunity_id=opp.opportunity_id, to_stage=stage)
        )
        print(f"  -> {stage}")
    proposal = b"Proposal: 3 x X100 industrial pump at list price, delivery in 6 weeks."
    doc = alice.ArchiveDocument(
        sales_pb2.ArchiveDocumentRequest(
            opportunity_id=opp.opportunity_id,
            name="proposal-C-042.pdf",
            doc_type="proposal",
            sha256=hashlib.sha256(proposal).hexdigest(),
            location="s3://warden-demo/proposals/proposal-C-042.pdf",
        )
    ).document
    print(f"  proposal archived: {doc.name} sha256 {doc.sha256[:16]}...")
    contract = alice.SignContract(
        sales_pb2.SignContractRequest(
            opportunity_id=opp.opportunity_id,
            lines=[sales_pb2.ContractLine(product_id="X100", quantity=3, unit_price=eur(100_000))],
            payment_terms_days=30,
        )
    ).contract
    print(f"  -> contract_signed: contract {contract.contract_id}, 3 x 1,000.00 = 3,000.00 EUR")
    as_(clients, "finance").RecordPayment(
        sales_pb2.RecordPaymentRequest(contract_id=contract.contract_id, amount=eur(300_000))
    )
    print("  -> payment_collected: 3,000.00 EUR received")

    period = f"{now:%Y-%m}"
    step(f"Sales: Alice's monthly report for {period}, published to her and her manager")
    published = as_(clients, "bob").PublishPerformanceReport(
        sales_pb2.PublishPerformanceReportRequest(
            scope="salesperson",
            scope_id="alice",
            period=period,
            recipients=["alice", "bob"],
        )
    )
    print(report_text(published.report))
    print(f"  published as report {published.report_id} to alice, bob")
