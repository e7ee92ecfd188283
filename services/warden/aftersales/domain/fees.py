"""Fees (4.2.1): the schedule, and every fee charged, judged against it but never refused."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from warden.errors import InvalidArgument
from warden.money import Money


@dataclass(frozen=True)
class ScheduleEntry:
    service_code: str
    description: str
    price: Money
    warranty_covers: bool


@dataclass(frozen=True)
class Fee:
    fee_id: str
    ticket_id: str
    customer_id: str
    agent_id: str
    service_code: str
    amount: Money
    warranty: bool
    charged_at: datetime
    schedule_price: Money | None
    warranty_covers: bool | None
    duplicate_of: str | None

    @property
    def in_schedule(self) -> bool:
        return self.schedule_price is not None

    @property
    def flags(self) -> list[str]:
        """Why this fee may be unreasonable; the compliance rules decide whether it is."""
        found = []
        if not self.in_schedule:
            found.append("not_in_schedule")
        elif self.schedule_price is not None and self.amount > self.schedule_price:
            found.append("above_schedule")
        if self.warranty and self.warranty_covers:
            found.append("charged_on_warranty")
        if self.duplicate_of:
            found.append("duplicate")
        return found


def schedule_entry(
    code: str, description: str, price: Money, warranty_covers: bool
) -> ScheduleEntry:
    if not code.strip():
        raise InvalidArgument("service_code", "is required")
    if price.amount_minor < 0:
        raise InvalidArgument("price.amount_minor", "must not be negative")
    return ScheduleEntry(code.strip(), description.strip(), price, warranty_covers)


def charge(
    fee_id: str,
    ticket_id: str,
    customer_id: str,
    agent_id: str,
    service_code: str,
    amount: Money,
    warranty: bool,
    at: datetime,
    entry: ScheduleEntry | None,
    earlier: Iterable[Fee],
) -> Fee:
    """Record a fee as charged; a code outside the schedule is recorded and flagged, not refused."""
    if entry is not None and entry.price.currency != amount.currency:
        raise InvalidArgument(
            "amount.currency",
            f"{amount.currency} differs from the schedule's {entry.price.currency} "
            f"for {service_code}",
        )
    duplicate = next((f.fee_id for f in earlier if f.service_code == service_code), None)
    return Fee(
        fee_id,
        ticket_id,
        customer_id,
        agent_id,
        service_code,
        amount,
        warranty,
        at,
        entry.price if entry else None,
        entry.warranty_covers if entry else None,
        duplicate,
    )


FLAG_WORDS = {
    "not_in_schedule": "the service code is not in the fee schedule",
    "above_schedule": "the amount is above the schedule price",
    "charged_on_warranty": "the work is under warranty and the schedule says warranty covers it",
    "duplicate": "the same code was already charged on this ticket",
}


def explain(fee: Fee) -> str:
    """The reply's words: recorded, and why it is flagged (refusing would hide a violation)."""
    if not fee.flags:
        return "recorded; within the fee schedule"
    reasons = "; ".join(FLAG_WORDS[f] for f in fee.flags)
    return (
        f"recorded and flagged for compliance review: {reasons}. The fee was not refused, "
        "because refusing would hide a possible violation (4.2.1)"
    )
