"""What 4.1.1 is judged on: sales figures as reported, and gifts and hospitality to customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from warden.errors import InvalidArgument
from warden.money import Money
from warden.sales.domain.periods import Period

EXPENSE_KINDS = ("gift", "hospitality", "expense")


def overstatement_bp(reported_minor: int, proven_minor: int) -> int:
    """How far the report exceeds what is proven: (reported - proven) * 10000 / max(proven, 1),
    rounded down (negative when under-reported)."""
    return (reported_minor - proven_minor) * 10_000 // max(proven_minor, 1)


@dataclass(frozen=True)
class SalesReport:
    """A salesperson's own figure for a period next to what the system can prove."""

    report_id: str
    salesperson_id: str
    period: Period
    reported: Money
    proven_signed_minor: int
    proven_collected_minor: int
    reported_at: datetime

    @property
    def overstatement_signed_bp(self) -> int:
        return overstatement_bp(self.reported.amount_minor, self.proven_signed_minor)

    @property
    def overstatement_collected_bp(self) -> int:
        return overstatement_bp(self.reported.amount_minor, self.proven_collected_minor)


@dataclass(frozen=True)
class Expense:
    expense_id: str
    salesperson_id: str
    customer_id: str
    kind: str
    amount: Money
    incurred_on: date
    description: str
    recorded_at: datetime


def check_expense(expense: Expense) -> Expense:
    if expense.kind not in EXPENSE_KINDS:
        raise InvalidArgument("kind", f"{expense.kind!r} is not one of {', '.join(EXPENSE_KINDS)}")
    if expense.amount.amount_minor <= 0:
        raise InvalidArgument("amount.amount_minor", "must be positive")
    if expense.incurred_on > expense.recorded_at.date():
        raise InvalidArgument("incurred_on", f"{expense.incurred_on} is in the future")
    return expense


def check_reported(reported: Money) -> Money:
    if reported.amount_minor < 0:
        raise InvalidArgument("reported.amount_minor", "must not be negative")
    return reported
