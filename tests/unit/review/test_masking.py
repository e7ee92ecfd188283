"""Masking customers' personal data for roles without the need: evidence at any depth, and the
explanations that quote it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from warden.compliance.domain.findings import Finding
from warden.compliance.review.masking import (
    mask,
    masked_event,
    masked_finding,
    masked_text,
    personal_values,
)


def event(**data: Any) -> dict[str, Any]:
    return {"id": "ev-1", "type": "t", "subject": "dave", "data": data}


def finding(*reasons: str) -> Finding:
    when = datetime(2026, 11, 12, tzinfo=UTC)
    return Finding("f", "r", 1, "4.2.1", "major", "T", "dave", ("ev-1",), reasons, when)


def test_a_value_keeps_only_its_first_and_last_characters() -> None:
    assert mask("C-314") == "C***4"
    assert mask("ab") == "***"
    assert mask(["C-1", {"phone": "+49 30 1"}]) == ["C***1", {"phone": "+***1"}]


def test_nested_customer_fields_are_masked_at_any_depth() -> None:
    seen = masked_event(
        event(
            customer={"id": "C-314", "phone": "+49 30 123", "address": "Main St 1"},
            lines=[{"customer_phone": "555-0101", "product_id": "X100"}],
            accessor_id="dave",
        ),
        reveal=False,
    )["data"]
    assert seen["customer"] == {"id": "C***4", "phone": "+***3", "address": "M***1"}
    assert seen["lines"] == [{"customer_phone": "5***1", "product_id": "X100"}]
    assert seen["accessor_id"] == "dave"


def test_an_event_is_shown_as_it_is_to_a_role_that_may_see_it() -> None:
    original = event(customer_id="C-314", recipient="promo-agency.example")
    assert masked_event(original, reveal=True) == original


def test_none_and_all_customers_are_not_personal_values() -> None:
    seen = masked_event(event(customer_id="*", purpose="", recipient=""), reveal=False)["data"]
    assert seen == {"customer_id": "*", "purpose": "", "recipient": ""}
    assert personal_values([event(customer_id="*", recipient="")]) == set()


def test_personal_values_are_collected_from_every_depth() -> None:
    values = personal_values(
        [
            event(customer_id="C-314", recipient="promo-agency.example", product_id="X100"),
            event(customer={"phone": "+49 30 123", "address": "Main St 1"}, description="Lunch"),
        ]
    )
    assert values == {"C-314", "promo-agency.example", "+49 30 123", "Main St 1", "Lunch"}


def test_an_explanation_quotes_personal_values_masked_and_leaves_the_rest() -> None:
    values = {"C-314", "promo-agency.example", "+49 30 123"}
    text = "customer: C-314, disclosed to: promo-agency.example, phone +49 30 123, product X100"
    assert masked_text(text, values) == (
        "customer: C***4, disclosed to: p***e, phone +***3, product X100"
    )


def test_a_value_inside_a_longer_id_is_not_masked_as_a_part_of_it() -> None:
    assert masked_text("customers C-3141 and C-314", {"C-314"}) == "customers C-3141 and C***4"
    assert masked_text("customers C-3141 and C-314", {"C-314", "C-3141"}) == (
        "customers C***1 and C***4"
    )


def test_a_findings_reasons_are_masked_and_its_explanation_with_them() -> None:
    shown = masked_finding(finding("customer: C-314", "fields: phone, address"), {"C-314"})
    assert shown.reasons == ("customer: C***4", "fields: phone, address")
    assert "C-314" not in shown.explanation
