"""Customers' personal data hidden from roles without the need: in evidence and explanations."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from warden.compliance.domain.findings import Finding

# Event data keys holding customers' personal data, at any depth: masked unless the role needs
# them. Everything under a `customer` or `customers` key is personal too (customer.phone).
PERSONAL_FIELDS = frozenset(
    {
        "customer_id",
        "customer_ids",
        "customer_name",
        "customer_email",
        "customer_phone",
        "customer_address",
        "email",
        "phone",
        "address",
        "recipient",
        "comment",
        "description",
    }
)
CUSTOMER_KEYS = frozenset({"customer", "customers"})
# Values the data uses to mean "none" or "all customers": not personal, left as they are.
_NOT_PERSONAL = frozenset({"", "*"})


def mask(value: Any) -> Any:
    """A personal value with all but its first and last characters hidden; lists and objects
    masked element by element."""
    if isinstance(value, list):
        return [mask(v) for v in value]
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    if value is None or value in _NOT_PERSONAL:
        return value
    text = str(value)
    return text[:1] + "***" + text[-1:] if len(text) > 2 else "***"


def masked_data(value: Any) -> Any:
    """`value` with every personal key's value masked, however deep it sits."""
    if isinstance(value, list):
        return [masked_data(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {
        k: mask(v) if k in PERSONAL_FIELDS or k in CUSTOMER_KEYS else masked_data(v)
        for k, v in value.items()
    }


def masked_event(event: dict[str, Any], reveal: bool) -> dict[str, Any]:
    """An event as evidence: customers' personal data masked unless `reveal`."""
    if reveal:
        return event
    return {**event, "data": masked_data(dict(event.get("data") or {}))}


def personal_values(events: Iterable[dict[str, Any]]) -> set[str]:
    """Every personal value of the events' data, as text (what explanations quote)."""
    found: set[str] = set()

    def leaves(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                leaves(v)
        elif isinstance(value, dict):
            for v in value.values():
                leaves(v)
        elif value is not None and not isinstance(value, bool):
            text = str(value).strip()
            if text not in _NOT_PERSONAL:
                found.add(text)

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for k, v in value.items():
                (leaves if k in PERSONAL_FIELDS or k in CUSTOMER_KEYS else walk)(v)

    for event in events:
        walk(event.get("data") or {})
    return found


def masked_text(text: str, values: Iterable[str]) -> str:
    """`text` with each whole occurrence of a personal value masked; longest values first, so
    "C-3141" is not masked as "C-314" plus a digit, and "C-31" inside "C-314" is left alone."""
    ordered = sorted(set(values), key=len, reverse=True)
    if not ordered:
        return text
    pattern = re.compile(
        "|".join(rf"(?<![\w-]){re.escape(v)}(?![\w-])" for v in ordered), re.IGNORECASE
    )
    return pattern.sub(lambda m: str(mask(m.group(0))), text)


def masked_finding(finding: Finding, values: Iterable[str]) -> Finding:
    """A finding whose explanation quotes no personal value."""
    values = list(values)
    return replace(finding, reasons=tuple(masked_text(r, values) for r in finding.reasons))


def events_of(
    finding: Finding,
    found: dict[tuple[str, str], dict[str, Any]],
    by_id: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """The stored events a finding rests on; a reference without a source is looked up by id."""
    picked = []
    for source, event_id in finding.evidence:
        event = found.get((source, event_id)) if source else by_id.get(event_id)
        if event is not None:
            picked.append(event)
    return picked
