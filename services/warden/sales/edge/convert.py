"""Sales domain objects to and from their protobuf messages."""

from __future__ import annotations

import json

from warden.money import Money
from warden.platform.grpc_server import require
from warden.platform.proto_convert import money_in, money_out, timestamp_out
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.contracts import Amendment, Contract, ContractLine, Payment
from warden.sales.domain.performance import MemberLine, PerformanceReport
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.prices import Product
from warden.sales.domain.targets import Quota, Target
from warden.sales.usecases.contracts import LineInput
from warden.v1 import sales_pb2


def product_out(product: Product) -> sales_pb2.Product:
    return sales_pb2.Product(
        product_id=product.product_id,
        name=product.name,
        list_price=money_out(product.list_price),
        floor_price=money_out(product.floor_price),
        current_price=money_out(product.current_price),
    )


def request_out(request: PriceChangeRequest) -> sales_pb2.PriceChangeRequest:
    return sales_pb2.PriceChangeRequest(
        request_id=request.request_id,
        product_id=request.product_id,
        requested_by=request.requested_by,
        requested_price=money_out(request.requested_price),
        list_price=money_out(request.list_price),
        discount_bp=request.discount_bp,
        reason=request.reason,
        status=request.status,
        decided_by=request.decided_by,
        decision_reason=request.decision_reason,
        price_change_id=request.price_change_id or "",
    )


def quotas_in(quotas: list[sales_pb2.Quota], field: str = "quotas") -> list[Quota]:
    return [quota_in(q, f"{field}[{i}]") for i, q in enumerate(quotas)]


def quota_in(quota: sales_pb2.Quota, field: str) -> Quota:
    return Quota(
        require(quota.salesperson_id, f"{field}.salesperson_id"),
        money_in(quota.amount, f"{field}.amount"),
    )


def target_out(target: Target) -> sales_pb2.Target:
    return sales_pb2.Target(
        revision_id=target.revision_id,
        year=target.year,
        team=target.team,
        team_target=money_out(target.team_target),
        quotas=[
            sales_pb2.Quota(salesperson_id=q.salesperson_id, amount=money_out(q.amount))
            for q in target.quotas
        ],
        difference_minor=target.difference_minor,
        difference_accepted=target.difference_accepted,
        set_by=target.set_by,
        reason=target.reason,
        after_year_start=target.after_year_start,
        set_at=timestamp_out(target.set_at),
    )


def opportunity_out(opp: Opportunity) -> sales_pb2.Opportunity:
    return sales_pb2.Opportunity(
        opportunity_id=opp.opportunity_id,
        customer_id=opp.customer_id,
        salesperson_id=opp.salesperson_id,
        title=opp.title,
        estimated_value=money_out(opp.estimated_value),
        stage=opp.stage,
        created_at=timestamp_out(opp.created_at),
    )


def change_out(change: StageChange) -> sales_pb2.StageChange:
    return sales_pb2.StageChange(
        change_id=change.change_id,
        seq=change.seq,
        from_stage=change.from_stage or "",
        to_stage=change.to_stage,
        skipped=change.skipped,
        backwards=change.backwards,
        changed_by=change.changed_by,
        reason=change.reason,
        changed_at=timestamp_out(change.changed_at),
    )


def document_out(doc: Document) -> sales_pb2.Document:
    return sales_pb2.Document(
        document_id=doc.document_id,
        stage=doc.stage,
        name=doc.name,
        doc_type=doc.doc_type,
        sha256=doc.sha256,
        location=doc.location,
        archived_by=doc.archived_by,
        archived_at=timestamp_out(doc.archived_at),
    )


def lines_in(lines: list[sales_pb2.ContractLine]) -> list[LineInput]:
    return [
        LineInput(
            require(line.product_id, f"lines[{i}].product_id"),
            line.quantity,
            money_in(line.unit_price, f"lines[{i}].unit_price", positive=False),
            line.price_change_request_id.strip(),
        )
        for i, line in enumerate(lines)
    ]


def _line_out(line: ContractLine) -> sales_pb2.ContractLine:
    return sales_pb2.ContractLine(
        product_id=line.product_id,
        quantity=line.quantity,
        unit_price=money_out(line.unit_price),
        list_price=money_out(line.list_price),
        approved_price_change_id=line.approved_price_change_id or "",
        discount_bp=line.discount_bp,
    )


def contract_out(contract: Contract, collected_minor: int) -> sales_pb2.Contract:
    return sales_pb2.Contract(
        contract_id=contract.contract_id,
        opportunity_id=contract.opportunity_id,
        customer_id=contract.customer_id,
        salesperson_id=contract.salesperson_id,
        lines=[_line_out(line) for line in contract.lines],
        total=money_out(contract.total),
        payment_terms_days=contract.payment_terms_days,
        delivery_date=contract.delivery_date,
        signed_at=timestamp_out(contract.signed_at),
        version=contract.version,
        off_list_unapproved_lines=contract.off_list_unapproved_lines,
        collected=money_out(Money(collected_minor, contract.currency)),
    )


def amendment_out(amendment: Amendment) -> sales_pb2.Amendment:
    return sales_pb2.Amendment(
        amendment_id=amendment.amendment_id,
        changed_fields=list(amendment.changed_fields),
        old_json=json.dumps(amendment.old, sort_keys=True),
        new_json=json.dumps(amendment.new, sort_keys=True),
        amended_by=amendment.amended_by,
        approved_by=amendment.approved_by,
        reason=amendment.reason,
        amended_at=timestamp_out(amendment.amended_at),
    )


def payment_out(payment: Payment) -> sales_pb2.Payment:
    return sales_pb2.Payment(
        payment_id=payment.payment_id,
        contract_id=payment.contract_id,
        amount=money_out(payment.amount),
        recorded_by=payment.recorded_by,
        collected_at=timestamp_out(payment.collected_at),
    )


def _member_out(line: MemberLine) -> sales_pb2.PerformanceLine:
    out = sales_pb2.PerformanceLine(
        id=line.salesperson_id, signed_minor=line.signed_minor, collected_minor=line.collected_minor
    )
    if line.target_minor is not None:
        out.target_minor = line.target_minor
    if line.signed_completion_bp is not None:
        out.signed_completion_bp = line.signed_completion_bp
    if line.collected_completion_bp is not None:
        out.collected_completion_bp = line.collected_completion_bp
    return out


def report_out(report: PerformanceReport) -> sales_pb2.PerformanceReport:
    conversions = []
    for c in report.conversions:
        out = sales_pb2.StageConversion(
            from_stage=c.from_stage, to_stage=c.to_stage, entered=c.entered, converted=c.converted
        )
        if c.rate_bp is not None:
            out.rate_bp = c.rate_bp
        conversions.append(out)
    return sales_pb2.PerformanceReport(
        scope=report.scope,
        scope_id=report.scope_id,
        period=report.period.label,
        period_kind=report.period.kind,
        period_start=timestamp_out(report.period.start),
        period_end=timestamp_out(report.period.end),
        currency=report.currency,
        totals=_member_out(report.totals),
        pipeline=[
            sales_pb2.StageLine(stage=s.stage, count=s.count, value_minor=s.value_minor)
            for s in report.pipeline
        ],
        conversions=conversions,
        members=[_member_out(m) for m in report.members],
    )
