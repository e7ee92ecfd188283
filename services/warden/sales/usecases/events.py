"""The sales events on `sales.events` (documented in docs/events.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from warden.platform.cloudevents import CloudEvent, format_time
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.contracts import Amendment, Contract, Payment
from warden.sales.domain.performance import PerformanceReport
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.prices import PriceChange
from warden.sales.domain.targets import Target

SOURCE = "/warden/sales"
PRICE_CHANGED = "warden.sales.price.changed"
TARGET_SET = "warden.sales.target.set"
STAGE_CHANGED = "warden.sales.opportunity.stage_changed"
DOCUMENT_ARCHIVED = "warden.sales.document.archived"
PRICE_CHANGE_REQUESTED = "warden.sales.price_change.requested"
PRICE_CHANGE_APPROVED = "warden.sales.price_change.approved"
PRICE_CHANGE_REJECTED = "warden.sales.price_change.rejected"
CONTRACT_SIGNED = "warden.sales.contract.signed"
CONTRACT_AMENDED = "warden.sales.contract.amended"
PAYMENT_COLLECTED = "warden.sales.payment.collected"
SALES_REPORTED = "warden.sales.sales.reported"
EXPENSE_RECORDED = "warden.sales.expense.recorded"
REPORT_PUBLISHED = "warden.sales.report.published"


def _event(kind: str, subject: str, time: datetime, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(type=kind, source=SOURCE, subject=subject, time=time, data=data)


def recorded(event: CloudEvent, recorded_by: str, key: str = "recorded_by") -> CloudEvent:
    """The event with the sales integration that recorded it (`recorded_by`), if one did: the
    person it names acted in the integration, which is kept beside them."""
    if not recorded_by:
        return event
    return replace(event, data={**event.data, key: recorded_by})


def recorder(recorded_by: str) -> dict[str, str]:
    """`recorded_by` for a request's idempotency record, when an integration recorded it."""
    return {"recorded_by": recorded_by} if recorded_by else {}


def price_changed(change: PriceChange, request_id: str | None = None) -> CloudEvent:
    return _event(
        PRICE_CHANGED,
        change.salesperson_id,
        change.changed_at,
        {
            "price_change_id": change.price_change_id,
            "product_id": change.product_id,
            "currency": change.list_price.currency,
            "list_price_minor": change.list_price.amount_minor,
            "floor_price_minor": change.floor_price.amount_minor,
            "old_price_minor": change.old_price.amount_minor,
            "new_price_minor": change.new_price.amount_minor,
            "discount_bp": change.discount_bp,
            "changed_by": change.salesperson_id,
            "changed_by_role": change.role,
            "authority_bp": change.authority_bp,
            "within_authority": change.discount_bp <= change.authority_bp,
            "approval": {
                "status": "approved" if change.approved_by else "none",
                "approved_by": change.approved_by or None,
                "requested_by": change.salesperson_id,
            },
            "reason": change.reason,
            "price_change_request_id": request_id,
        },
    )


def target_set(target: Target) -> CloudEvent:
    return _event(
        TARGET_SET,
        target.set_by,
        target.set_at,
        {
            "revision_id": target.revision_id,
            "year": target.year,
            "team": target.team,
            "team_target_minor": target.team_target.amount_minor,
            "currency": target.team_target.currency,
            "quotas": [
                {"salesperson_id": q.salesperson_id, "amount_minor": q.amount.amount_minor}
                for q in target.quotas
            ],
            "difference_minor": target.difference_minor,
            "difference_accepted": target.difference_accepted,
            "set_by": target.set_by,
            "after_year_start": target.after_year_start,
            "reason": target.reason,
        },
    )


def stage_changed(opp: Opportunity, change: StageChange) -> CloudEvent:
    return _event(
        STAGE_CHANGED,
        opp.salesperson_id,
        change.changed_at,
        {
            "opportunity_id": opp.opportunity_id,
            "customer_id": opp.customer_id,
            "salesperson_id": opp.salesperson_id,
            "change_id": change.change_id,
            "seq": change.seq,
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "skipped": change.skipped,
            "backwards": change.backwards,
            "changed_by": change.changed_by,
            "reason": change.reason,
        },
    )


def document_archived(opp: Opportunity, doc: Document) -> CloudEvent:
    return _event(
        DOCUMENT_ARCHIVED,
        opp.salesperson_id,
        doc.archived_at,
        {
            "opportunity_id": doc.opportunity_id,
            "stage": doc.stage,
            "document_id": doc.document_id,
            "name": doc.name,
            "doc_type": doc.doc_type,
            "sha256": doc.sha256,
            "location": doc.location,
            "archived_by": doc.archived_by,
            "salesperson_id": opp.salesperson_id,
        },
    )


def _request_data(request: PriceChangeRequest) -> dict[str, Any]:
    return {
        "request_id": request.request_id,
        "product_id": request.product_id,
        "requested_by": request.requested_by,
        "requested_price_minor": request.requested_price.amount_minor,
        "currency": request.requested_price.currency,
        "list_price_minor": request.list_price.amount_minor,
        "discount_bp": request.discount_bp,
        "reason": request.reason,
    }


def price_change_requested(request: PriceChangeRequest) -> CloudEvent:
    return _event(
        PRICE_CHANGE_REQUESTED, request.requested_by, request.requested_at, _request_data(request)
    )


def price_change_decided(request: PriceChangeRequest, approver_role: str) -> CloudEvent:
    approved = request.status == "approved"
    assert request.decided_at is not None
    return _event(
        PRICE_CHANGE_APPROVED if approved else PRICE_CHANGE_REJECTED,
        request.requested_by,
        request.decided_at,
        {
            **_request_data(request),
            "decided_by": request.decided_by,
            "decided_by_role": approver_role,
            "decision_reason": request.decision_reason,
            "price_change_id": request.price_change_id,
        },
    )


def contract_signed(contract: Contract, authority_bp: int) -> CloudEvent:
    """`authority_bp`: the largest discount the contract's salesperson may give on their own."""
    return _event(
        CONTRACT_SIGNED,
        contract.salesperson_id,
        contract.signed_at,
        {
            "contract_id": contract.contract_id,
            "opportunity_id": contract.opportunity_id,
            "customer_id": contract.customer_id,
            "salesperson_id": contract.salesperson_id,
            "currency": contract.currency,
            "total_minor": contract.total.amount_minor,
            "signed_at": format_time(contract.signed_at),
            "lines": [line.to_dict() for line in contract.lines],
            "off_list_unapproved_lines": contract.off_list_unapproved_lines,
            "salesperson_authority_bp": authority_bp,
            "off_list_beyond_authority_lines": sum(
                1
                for line in contract.lines
                if line.off_list_unapproved and line.discount_bp > authority_bp
            ),
            "largest_discount_bp": contract.largest_discount_bp,
            "payment_terms_days": contract.payment_terms_days,
            "delivery_date": contract.delivery_date,
        },
    )


def contract_amended(contract: Contract, amendment: Amendment) -> CloudEvent:
    return _event(
        CONTRACT_AMENDED,
        amendment.amended_by,
        amendment.amended_at,
        {
            "contract_id": contract.contract_id,
            "amendment_id": amendment.amendment_id,
            "customer_id": contract.customer_id,
            "salesperson_id": contract.salesperson_id,
            "currency": contract.currency,
            "version": contract.version,
            "changed_fields": list(amendment.changed_fields),
            "old": amendment.old,
            "new": amendment.new,
            "approval": {
                "status": "approved" if amendment.approved_by else "none",
                "approved_by": amendment.approved_by or None,
                "requested_by": amendment.amended_by,
            },
            "amended_by": amendment.amended_by,
            "reason": amendment.reason,
        },
    )


def payment_collected(payment: Payment, contract: Contract, collected_total: int) -> CloudEvent:
    return _event(
        PAYMENT_COLLECTED,
        payment.salesperson_id,
        payment.collected_at,
        {
            "payment_id": payment.payment_id,
            "contract_id": payment.contract_id,
            "customer_id": payment.customer_id,
            "salesperson_id": payment.salesperson_id,
            "amount_minor": payment.amount.amount_minor,
            "currency": payment.amount.currency,
            "recorded_by": payment.recorded_by,
            "contract_total_minor": contract.total.amount_minor,
            "collected_total_minor": collected_total,
        },
    )


def sales_reported(report: SalesReport) -> CloudEvent:
    return _event(
        SALES_REPORTED,
        report.salesperson_id,
        report.reported_at,
        {
            "report_id": report.report_id,
            "salesperson_id": report.salesperson_id,
            "period": report.period.label,
            "period_start": format_time(report.period.start),
            "period_end": format_time(report.period.end),
            "currency": report.reported.currency,
            "reported_minor": report.reported.amount_minor,
            "proven_signed_minor": report.proven_signed_minor,
            "proven_collected_minor": report.proven_collected_minor,
            "overstatement_signed_bp": report.overstatement_signed_bp,
            "overstatement_collected_bp": report.overstatement_collected_bp,
        },
    )


def expense_recorded(expense: Expense) -> CloudEvent:
    return _event(
        EXPENSE_RECORDED,
        expense.salesperson_id,
        expense.recorded_at,
        {
            "expense_id": expense.expense_id,
            "salesperson_id": expense.salesperson_id,
            "customer_id": expense.customer_id,
            "kind": expense.kind,
            "amount_minor": expense.amount.amount_minor,
            "currency": expense.amount.currency,
            "incurred_on": expense.incurred_on.isoformat(),
            "description": expense.description,
        },
    )


def report_published(
    report_id: str,
    report: PerformanceReport,
    recipients: list[str],
    published_by: str,
    at: datetime,
) -> CloudEvent:
    return _event(
        REPORT_PUBLISHED,
        published_by,
        at,
        {
            "report_id": report_id,
            "scope": report.scope,
            "scope_id": report.scope_id,
            "period_kind": report.period.kind,
            "period": report.period.label,
            "period_start": format_time(report.period.start),
            "period_end": format_time(report.period.end),
            "published_at": format_time(at),
            "published_by": published_by,
            "recipients": list(recipients),
            "currency": report.currency,
            "signed_minor": report.totals.signed_minor,
            "collected_minor": report.totals.collected_minor,
            "target_minor": report.totals.target_minor,
        },
    )
