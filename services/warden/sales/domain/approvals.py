"""Price-change requests and the approval rule of the price policy (4.1.2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.money import Money
from warden.sales.domain.prices import same_person

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


def discount_bp(list_price: Money, price: Money) -> int:
    """Discount of `price` off `list_price` in basis points (negative for a mark-up)."""
    return (list_price.amount_minor - price.amount_minor) * 10_000 // list_price.amount_minor


@dataclass(frozen=True)
class PriceChangeRequest:
    request_id: str
    product_id: str
    requested_by: str
    requested_price: Money
    list_price: Money
    reason: str
    requested_at: datetime
    status: str = PENDING
    decided_by: str = ""
    decision_reason: str = ""
    decided_at: datetime | None = None
    price_change_id: str | None = None

    @property
    def discount_bp(self) -> int:
        return discount_bp(self.list_price, self.requested_price)


def check_request(request: PriceChangeRequest) -> PriceChangeRequest:
    if request.requested_price.currency != request.list_price.currency:
        raise InvalidArgument(
            "requested_price.currency",
            f"must be the list price's currency {request.list_price.currency}",
        )
    if request.requested_price.amount_minor <= 0:
        raise InvalidArgument("requested_price.amount_minor", "must be positive")
    return request


def check_approver(
    approver_id: str,
    approver_role: str,
    requested_by: str,
    discount: int,
    authority: Mapping[str, int],
    field: str = "approver_id",
) -> None:
    """The approval rule: someone other than the requester whose role may give `discount`."""
    if same_person(approver_id, requested_by):
        raise PermissionDenied(f"{field}: {approver_id!r} cannot approve their own change")
    allowed = authority.get(approver_role, 0)
    if discount > allowed:
        raise PermissionDenied(
            f"{field}: {approver_id!r} ({approver_role}) may approve discounts up to "
            f"{allowed} bp, this one is {discount} bp"
        )


def decide(
    request: PriceChangeRequest, approve: bool, decided_by: str, reason: str, at: datetime
) -> PriceChangeRequest:
    """Record the decision on a pending request (the approver was checked by check_approver)."""
    if request.status != PENDING:
        raise FailedPrecondition(
            f"price change request {request.request_id!r} is already {request.status}"
        )
    if not approve and not reason.strip():
        raise InvalidArgument("reason", "is required to reject a request")
    status = APPROVED if approve else REJECTED
    return replace(
        request, status=status, decided_by=decided_by, decision_reason=reason, decided_at=at
    )
