"""Rules as data, and the findings they make: each explained with the values that met it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from warden.compliance.domain.sanctions import Sanction

CLAUSES = {
    "4.1.1": "false sales reporting or bribery",
    "4.1.2": "unauthorised change of price or contract",
    "4.2.1": "leak of customer private data or unreasonable fees",
    "4.2.2": "broken service commitment, perfunctory handling or shirking",
}
SEVERITIES = ("minor", "major", "critical")
OPERATORS = {"eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
NAMESPACE = uuid.UUID("6f1d3b0e-8a40-4e0b-9a57-3c1f0de0a001")


@dataclass(frozen=True)
class Condition:
    """One test on an event field against a literal, a parameter or another field."""

    field: str
    op: str
    value: Any = None
    other_field: str | None = None
    says: str = ""
    unit: str = ""

    def fields(self) -> list[str]:
        return [self.field] + ([self.other_field] if self.other_field else [])


@dataclass(frozen=True)
class Rule:
    rule_id: str
    version: int
    clause: str
    title: str
    severity: str
    sanction: Sanction
    on: str
    conditions: tuple[Condition, ...]
    params: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def key(self) -> str:
        return f"{self.rule_id}@v{self.version}"


@dataclass(frozen=True)
class Finding:
    finding_id: str
    rule_id: str
    rule_version: int
    clause: str
    severity: str
    title: str
    employee_id: str
    event_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    occurred_at: datetime

    @property
    def explanation(self) -> str:
        rule = f"{self.rule_id} v{self.rule_version}"
        head = f"{rule} (clause {self.clause}, {self.severity}): {self.title}"
        return "\n".join([head, *(f"  - {r}" for r in self.reasons)])


def lookup(event: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of an event, or KeyError."""
    node: Any = event
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def missing_fields(rule: Rule, event: dict[str, Any]) -> list[str]:
    missing = []
    for condition in rule.conditions:
        for path in condition.fields():
            try:
                lookup(event, path)
            except KeyError:
                missing.append(path)
    return missing


def _render(value: Any, unit: str, event: dict[str, Any]) -> str:
    if value is None:
        return "none"
    if unit == "money" and isinstance(value, int):
        currency = event.get("data", {}).get("currency", "")
        units, cents = divmod(value, 100)
        return f"{units:,}.{cents:02d} {currency}".strip()
    if unit == "bp" and isinstance(value, int):
        return f"{value / 100:g}%"
    return str(value)


def explain(condition: Condition, event: dict[str, Any]) -> str:
    """The condition in words, with the actual values that met it."""
    left = _render(lookup(event, condition.field), condition.unit, event)
    right_raw = lookup(event, condition.other_field) if condition.other_field else condition.value
    right = _render(right_raw, condition.unit, event)
    if condition.says:
        return condition.says.format(left=left, right=right)
    return f"{condition.field} {left} {OPERATORS[condition.op]} {right}"


def make_finding(rule: Rule, event: dict[str, Any], occurred_at: datetime) -> Finding:
    event_id = str(event["id"])
    return Finding(
        finding_id=str(uuid.uuid5(NAMESPACE, f"{rule.key}|{event_id}")),
        rule_id=rule.rule_id,
        rule_version=rule.version,
        clause=rule.clause,
        severity=rule.severity,
        title=rule.title,
        employee_id=str(event["subject"]),
        event_ids=(event_id,),
        reasons=tuple(explain(c, event) for c in rule.conditions),
        occurred_at=occurred_at,
    )
