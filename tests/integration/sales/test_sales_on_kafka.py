"""The sales events on the real broker: every one the service emits is published to
`sales.events` and accepted by the compliance service's contract (none dead-lettered)."""

from __future__ import annotations

import hashlib
import json

from tests.system import System, eventually
from warden.platform.kafka import read_topic
from warden.platform.topics import SALES_EVENTS
from warden.v1 import common_pb2
from warden.v1 import sales_pb2 as pb


def eur(minor: int) -> common_pb2.Money:
    return common_pb2.Money(amount_minor=minor, currency="EUR")


def a_month_with_every_event_type(system: System) -> None:
    s = system.clients.sales
    for pid, role in [("alice", "sales_rep"), ("carol", "sales_director")]:
        s.RegisterSalesperson(
            pb.RegisterSalespersonRequest(
                salesperson=pb.Salesperson(salesperson_id=pid, name=pid, role=role, team="north")
            )
        )
    s.SetListPrice(
        pb.SetListPriceRequest(
            product_id="P1", name="valve", list_price=eur(10_000), floor_price=eur(8_000)
        )
    )
    alice, carol = system.seller("alice"), system.seller("carol")
    carol.SetTarget(
        pb.SetTargetRequest(
            year=2030,
            team="north",
            team_target=eur(1_000_000),
            set_by="carol",
            quotas=[pb.Quota(salesperson_id="alice", amount=eur(1_000_000))],
        )
    )
    opp = alice.CreateOpportunity(
        pb.CreateOpportunityRequest(
            customer_id="C1", salesperson_id="alice", title="valves", estimated_value=eur(60_000)
        )
    ).opportunity.opportunity_id
    for stage in ("visit", "needs_analysis", "proposal"):
        alice.ChangeStage(
            pb.ChangeStageRequest(opportunity_id=opp, to_stage=stage, changed_by="alice")
        )
    alice.ArchiveDocument(
        pb.ArchiveDocumentRequest(
            opportunity_id=opp,
            name="offer.pdf",
            doc_type="proposal",
            sha256=hashlib.sha256(b"offer").hexdigest(),
            location="s3://d/offer",
            archived_by="alice",
        )
    )
    asked = alice.RequestPriceChange(
        pb.RequestPriceChangeRequest(
            product_id="P1", salesperson_id="alice", requested_price=eur(7_500)
        )
    ).request
    carol.DecidePriceChange(
        pb.DecidePriceChangeRequest(request_id=asked.request_id, approver_id="carol", approve=True)
    )
    contract = alice.SignContract(
        pb.SignContractRequest(
            opportunity_id=opp,
            signed_by="alice",
            lines=[pb.ContractLine(product_id="P1", quantity=8, unit_price=eur(7_500))],
        )
    ).contract
    alice.AmendContract(
        pb.AmendContractRequest(
            contract_id=contract.contract_id, amended_by="alice", payment_terms_days=90
        )
    )
    system.seller("fin").RecordPayment(
        pb.RecordPaymentRequest(
            contract_id=contract.contract_id, amount=eur(60_000), recorded_by="fin"
        )
    )
    alice.ReportSales(
        pb.ReportSalesRequest(salesperson_id="alice", period="2026", reported=eur(90_000))
    )
    alice.RecordExpense(
        pb.RecordExpenseRequest(
            salesperson_id="alice",
            customer_id="C1",
            kind="hospitality",
            amount=eur(4_000),
            incurred_on="2026-01-02",
        )
    )
    carol.PublishPerformanceReport(
        pb.PublishPerformanceReportRequest(
            scope="team",
            scope_id="north",
            period="2030-01",
            recipients=["carol"],
            published_by="carol",
        )
    )


def test_every_sales_event_reaches_kafka_and_passes_the_contract(system: System) -> None:
    a_month_with_every_event_type(system)
    # target 1, stage changes 1 + 3 + 1 (signed) + 1 (paid), document 1, request 1, decision 1
    # + its price change 1, contract 1, amendment 1, payment 1, reported 1, expense 1, report 1
    expected = 17
    records = read_topic(system.settings.kafka_bootstrap, SALES_EVENTS, 30.0, expect=expected)
    types = sorted({json.loads(r.value)["type"] for r in records})
    assert len(records) == expected
    assert types == sorted(
        f"warden.sales.{t}"
        for t in (
            "target.set",
            "opportunity.stage_changed",
            "document.archived",
            "price_change.requested",
            "price_change.approved",
            "price.changed",
            "contract.signed",
            "contract.amended",
            "payment.collected",
            "sales.reported",
            "expense.recorded",
            "report.published",
        )
    )
    eventually(lambda: system.consumer.judged >= expected, what="every sales event judged")
    assert system.consumer.dead_lettered == 0
