"""Contracts, their amendments and the payments collected on them (2.2, judged by 4.1.2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from warden.errors import FailedPrecondition, InvalidArgument
from warden.money import MAX_MINOR, Money
from warden.sales.domain.approvals import discount_bp

AMENDABLE = ("lines", "payment_terms_days", "delivery_date")


@dataclass(frozen=True)
class ContractLine:
    product_id: str
    quantity: int
    unit_price: Money
    list_price: Money
    approved_price_change_id: str | None = None

    @property
    def total_minor(self) -> int:
        return self.quantity * self.unit_price.amount_minor

    @property
    def discount_bp(self) -> int:
        return discount_bp(self.list_price, self.unit_price)

    @property
    def off_list_unapproved(self) -> bool:
        return self.unit_price != self.list_price and self.approved_price_change_id is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "quantity": self.quantity,
            "unit_price_minor": self.unit_price.amount_minor,
            "list_price_minor": self.list_price.amount_minor,
            "discount_bp": self.discount_bp,
            "approved_price_change_id": self.approved_price_change_id,
        }


@dataclass(frozen=True)
class Contract:
    contract_id: str
    opportunity_id: str
    customer_id: str
    salesperson_id: str
    currency: str
    lines: tuple[ContractLine, ...]
    payment_terms_days: int
    delivery_date: str
    signed_at: datetime
    version: int = 1

    @property
    def total(self) -> Money:
        return Money(sum(line.total_minor for line in self.lines), self.currency)

    @property
    def off_list_unapproved_lines(self) -> int:
        return sum(1 for line in self.lines if line.off_list_unapproved)

    @property
    def largest_discount_bp(self) -> int:
        return max((line.discount_bp for line in self.lines), default=0)

    def terms(self) -> dict[str, Any]:
        return {
            "lines": [line.to_dict() for line in self.lines],
            "payment_terms_days": self.payment_terms_days,
            "delivery_date": self.delivery_date,
            "total_minor": self.total.amount_minor,
        }


@dataclass(frozen=True)
class Amendment:
    amendment_id: str
    contract_id: str
    changed_fields: tuple[str, ...]
    old: dict[str, Any]
    new: dict[str, Any]
    amended_by: str
    approved_by: str
    reason: str
    amended_at: datetime


@dataclass(frozen=True)
class Payment:
    payment_id: str
    contract_id: str
    customer_id: str
    salesperson_id: str
    amount: Money
    recorded_by: str
    collected_at: datetime


def check_line(i: int, line: ContractLine) -> ContractLine:
    field = f"lines[{i}]"
    if line.quantity <= 0:
        raise InvalidArgument(f"{field}.quantity", f"must be positive, got {line.quantity}")
    if line.unit_price.amount_minor <= 0:
        raise InvalidArgument(f"{field}.unit_price.amount_minor", "must be positive")
    if line.unit_price.currency != line.list_price.currency:
        raise InvalidArgument(
            f"{field}.unit_price.currency",
            f"must be the product's currency {line.list_price.currency}",
        )
    return line


def check_contract(contract: Contract) -> Contract:
    if not contract.lines:
        raise InvalidArgument("lines", "a contract has at least one line")
    for i, line in enumerate(contract.lines):
        check_line(i, line)
        if line.unit_price.currency != contract.currency:
            raise InvalidArgument(f"lines[{i}].unit_price.currency", "all lines share one currency")
    if contract.payment_terms_days < 0:
        raise InvalidArgument("payment_terms_days", "must not be negative")
    if contract.total.amount_minor > MAX_MINOR:
        raise InvalidArgument(
            "lines",
            f"the total {contract.total.amount_minor:,} minor units is beyond the largest "
            f"amount, {MAX_MINOR:,}",
        )
    return contract


def amend(
    contract: Contract,
    lines: Sequence[ContractLine] | None,
    payment_terms_days: int | None,
    delivery_date: str | None,
    amendment: Amendment,
) -> tuple[Contract, Amendment]:
    """Apply the given fields (None: unchanged); the amendment records old and new values."""
    changes: dict[str, Any] = {}
    if lines is not None and tuple(lines) != contract.lines:
        changes["lines"] = tuple(lines)
    if payment_terms_days is not None and payment_terms_days != contract.payment_terms_days:
        changes["payment_terms_days"] = payment_terms_days
    if delivery_date is not None and delivery_date != contract.delivery_date:
        changes["delivery_date"] = delivery_date
    if not changes:
        raise InvalidArgument("amendment", f"changes none of {', '.join(AMENDABLE)}")
    amended = check_contract(replace(contract, version=contract.version + 1, **changes))
    fields = tuple(f for f in AMENDABLE if f in changes)
    old, new = contract.terms(), amended.terms()
    if "lines" in changes:
        fields = (*fields, "total_minor") if old["total_minor"] != new["total_minor"] else fields
    recorded = replace(
        amendment,
        changed_fields=fields,
        old={f: old[f] for f in fields},
        new={f: new[f] for f in fields},
    )
    return amended, recorded


def collect(contract: Contract, collected_so_far: int, payment: Payment) -> Payment:
    if payment.amount.currency != contract.currency:
        raise InvalidArgument(
            "amount.currency", f"must be the contract's currency {contract.currency}"
        )
    if payment.amount.amount_minor <= 0:
        raise InvalidArgument("amount.amount_minor", "must be positive")
    outstanding = contract.total.amount_minor - collected_so_far
    if payment.amount.amount_minor > outstanding:
        raise FailedPrecondition(
            f"contract {contract.contract_id!r} has {Money(outstanding, contract.currency)} "
            f"outstanding; a payment of {payment.amount} exceeds it"
        )
    return payment
