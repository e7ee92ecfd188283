"""The event contract bounds money (`*_minor`) to money.MAX_MINOR either side, as the services
do: an amount beyond it from an enterprise system is refused naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests import builders
from warden import contract
from warden.money import MAX_MINOR
from warden.platform.cloudevents import CloudEvent, MalformedEvent


def price_changed(**data: Any) -> CloudEvent:
    """A price change the contract accepts (1,000 -> 900 EUR, 10% off, within authority)."""
    fields: dict[str, Any] = {
        "floor_price_minor": 80_000,
        "new_price_minor": 90_000,
        "discount_bp": 1000,
    }
    return builders.price_changed(source="/erp", **{**fields, **data})


@pytest.mark.parametrize("amount", [MAX_MINOR, -MAX_MINOR, 0])
def test_money_up_to_the_bound_passes_the_contract(amount: int) -> None:
    contract.validate(price_changed(new_price_minor=amount))


@pytest.mark.parametrize("amount", [MAX_MINOR + 1, -MAX_MINOR - 1, 2**63 - 1])
def test_money_beyond_the_bound_is_refused_naming_the_field(amount: int) -> None:
    with pytest.raises(MalformedEvent) as refused:
        contract.validate(price_changed(new_price_minor=amount))
    assert str(refused.value) == (
        "warden.sales.price.changed: data.new_price_minor must be at most 99,999,999,999,999 "
        f"minor units either side of 0, got {amount}"
    )


def test_an_optional_money_field_may_be_null_but_not_beyond_the_bound() -> None:
    fee: dict[str, Any] = {
        "fee_id": "F-1",
        "ticket_id": "T-1",
        "customer_id": "C-1",
        "agent_id": "dave",
        "service_code": "S1",
        "amount_minor": 100,
        "currency": "EUR",
        "in_schedule": False,
        "schedule_price_minor": None,
        "warranty": False,
        "warranty_covers": None,
        "duplicate_of": None,
    }
    contract.validate(CloudEvent("warden.aftersales.fee.charged", "/desk", "dave", fee))
    with pytest.raises(MalformedEvent, match="data.schedule_price_minor must be at most"):
        contract.validate(
            CloudEvent(
                "warden.aftersales.fee.charged",
                "/desk",
                "dave",
                {**fee, "schedule_price_minor": MAX_MINOR + 1},
            )
        )


def sales_reported(proven_signed_minor: int) -> CloudEvent:
    data = {
        "report_id": "SR-1",
        "salesperson_id": "bob",
        "period": "2026-11",
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        "currency": "EUR",
        "reported_minor": MAX_MINOR,
        "proven_signed_minor": proven_signed_minor,
        "proven_collected_minor": 0,
        "overstatement_signed_bp": 0,
        "overstatement_collected_bp": 0,
    }
    return CloudEvent("warden.sales.sales.reported", "/erp", "bob", data)


def test_a_sum_of_amounts_may_pass_the_single_amount_bound_within_int64() -> None:
    contract.validate(sales_reported(3 * MAX_MINOR))
    contract.validate(sales_reported(2**63 - 1))
    with pytest.raises(MalformedEvent, match="data.proven_signed_minor must be at most 9,223"):
        contract.validate(sales_reported(2**63))
