"""Fees judged against the schedule (never refused) and the personal-data role table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warden.aftersales.domain import fees, privacy
from warden.aftersales.domain.tickets import Agent
from warden.errors import InvalidArgument
from warden.money import Money

AT = datetime(2026, 11, 2, 8, tzinfo=UTC)
REPAIR = fees.schedule_entry("REPAIR", "repair", Money(12_000, "EUR"), warranty_covers=True)
VISIT = fees.schedule_entry("VISIT", "visit", Money(8_000, "EUR"), warranty_covers=False)


def charge(code: str, amount: int, warranty: bool, entry, earlier=()):  # type: ignore[no-untyped-def]
    return fees.charge(
        "F2", "T1", "C1", "dave", code, Money(amount, "EUR"), warranty, AT, entry, list(earlier)
    )


def test_a_fee_at_the_schedule_price_is_not_flagged() -> None:
    fee = charge("VISIT", 8_000, False, VISIT)
    assert fee.flags == [] and fees.explain(fee) == "recorded; within the fee schedule"


def test_a_fee_not_in_the_schedule_is_flagged_and_said_not_refused() -> None:
    fee = charge("GOLD", 100, False, None)
    assert (fee.flags, fee.in_schedule, fee.warranty_covers) == (["not_in_schedule"], False, None)
    assert "not refused" in fees.explain(fee)


def test_above_schedule_warranty_and_duplicate_are_each_flagged() -> None:
    assert charge("VISIT", 8_001, False, VISIT).flags == ["above_schedule"]
    assert charge("REPAIR", 12_000, True, REPAIR).flags == ["charged_on_warranty"]
    assert charge("VISIT", 8_000, True, VISIT).flags == []  # warranty does not cover visits
    first = charge("REPAIR", 12_000, False, REPAIR)
    again = charge("REPAIR", 12_000, False, REPAIR, earlier=[first])
    assert (again.flags, again.duplicate_of) == (["duplicate"], first.fee_id)


def test_a_fee_in_another_currency_than_the_schedule_cannot_be_judged() -> None:
    with pytest.raises(InvalidArgument) as refused:
        fees.charge("F", "T", "C", "d", "VISIT", Money(1, "USD"), False, AT, VISIT, [])
    assert refused.value.field == "amount.currency"


@pytest.mark.parametrize(
    ("role", "action", "fields", "own_ticket", "why"),
    [
        ("agent", "read", ("name", "phone"), True, ""),
        ("agent", "read", ("name",), False, "agent 'x' has no open ticket of this customer"),
        ("agent", "read", ("address",), True, "role 'agent' may not see address"),
        ("billing", "read", ("phone",), False, "role 'billing' may not see phone"),
        ("billing", "read", ("name", "address"), False, ""),
        ("analyst", "read", ("name",), False, "role 'analyst' may not see name"),
        ("supervisor", "export", privacy.PERSONAL_FIELDS, False, ""),
        ("billing", "export", ("email",), False, "role 'billing' may not export customer data"),
    ],
)
def test_the_role_table_decides_who_sees_which_personal_field(
    role: str, action: str, fields: tuple[str, ...], own_ticket: bool, why: str
) -> None:
    assert privacy.refusal(Agent("x", "X", role), action, fields, own_ticket) == why


def test_fields_default_to_all_and_unknown_ones_are_refused() -> None:
    assert privacy.requested_fields([]) == ("name", "phone", "email", "address")
    assert privacy.requested_fields(["phone", "phone", " name"]) == ("phone", "name")
    with pytest.raises(InvalidArgument) as refused:
        privacy.requested_fields(["salary"])
    assert refused.value.field == "fields"
