"""Reading a YAML rule or ladder file: each problem reported with its file, line and reason;
typed fields, lists, texts and sanctions read from the YAML nodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from warden.compliance.domain.sanctions import Sanction, SanctionKind

SANCTION_FIELDS = {"kind", "amount_minor", "currency", "days"}


@dataclass(frozen=True)
class RuleFileError:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        if not self.line:  # about the directory, or a file as a whole
            return f"{self.path}: {self.reason}"
        return f"{self.path}:{self.line}: {self.reason}"


class RuleBookInvalid(Exception):
    """One or more rule files are invalid; `errors` lists each with file, line and reason."""

    def __init__(self, errors: list[RuleFileError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class Problem(Exception):
    def __init__(self, node: yaml.Node | None, reason: str) -> None:
        super().__init__(reason)
        self.line = node.start_mark.line + 1 if node is not None else 1
        self.reason = reason


def mapping_of(node: yaml.Node, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise Problem(node, f"{what} must be a mapping")
    return {str(k.value): v for k, v in node.value}


def _key_lines(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(k.value): k for k, _ in node.value}


def scalar_of(node: yaml.Node, kind: type, what: str) -> Any:
    value = plain_value(node)
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise Problem(node, f"{what} must be an integer, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise Problem(node, f"{what} must be text, got {value!r}")
    return value


def flag_of(fields: dict[str, yaml.Node], name: str) -> bool:
    """An optional true/false field (false when absent)."""
    if name not in fields:
        return False
    value = plain_value(fields[name])
    if not isinstance(value, bool):
        raise Problem(fields[name], f"{name} must be true or false, got {value!r}")
    return value


def plain_value(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_document(node)


def check_fields(node: yaml.MappingNode, allowed: set[str] | dict[str, bool], what: str) -> None:
    for key, key_node in _key_lines(node).items():
        if key not in allowed:
            raise Problem(key_node, f"unknown field {key!r} in {what}")
    if isinstance(allowed, dict):
        present = _key_lines(node)
        for key, needed in allowed.items():
            if needed and key not in present:
                raise Problem(node, f"missing required field {key!r} in {what}")


def sanction_of(node: yaml.Node) -> Sanction:
    fields = mapping_of(node, "sanction")
    assert isinstance(node, yaml.MappingNode)
    check_fields(node, SANCTION_FIELDS, "sanction")
    if "kind" not in fields:
        raise Problem(node, "missing required field 'kind' in sanction")
    kind_text = scalar_of(fields["kind"], str, "sanction.kind")
    try:
        kind = SanctionKind(kind_text)
    except ValueError:
        known = ", ".join(k.value for k in SanctionKind)
        raise Problem(
            fields["kind"], f"sanction.kind {kind_text!r} is not one of {known}"
        ) from None
    amount = (
        scalar_of(fields["amount_minor"], int, "sanction.amount_minor")
        if "amount_minor" in fields
        else 0
    )
    days = scalar_of(fields["days"], int, "sanction.days") if "days" in fields else 0
    currency = (
        scalar_of(fields["currency"], str, "sanction.currency") if "currency" in fields else ""
    )
    if kind is SanctionKind.FINE and (amount <= 0 or len(currency) != 3):
        raise Problem(node, "a fine needs a positive amount_minor and a 3-letter currency")
    if kind is SanctionKind.SUSPENSION and days <= 0:
        raise Problem(node, "a suspension needs a positive number of days")
    return Sanction(kind, amount, currency, days)


def compose(text: str, path: str) -> yaml.Node | None:
    try:
        return yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise RuleBookInvalid([RuleFileError(path, line, f"YAML syntax error: {reason}")]) from None


def fields_of(node: yaml.Node, allowed: dict[str, bool], what: str) -> dict[str, yaml.Node]:
    fields = mapping_of(node, what)
    assert isinstance(node, yaml.MappingNode)
    check_fields(node, allowed, what)
    return fields


def items_of(node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise Problem(node, f"{what} must be a non-empty list")
    return list(node.value)


def texts_of(node: yaml.Node, what: str) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (scalar_of(node, str, what),)
    return tuple(scalar_of(n, str, f"{what}[{i}]") for i, n in enumerate(items_of(node, what)))


def number_of(node: yaml.Node, params: dict[str, Any], what: str) -> int:
    """An integer given literally or as the name of an integer parameter."""
    value = plain_value(node)
    if isinstance(value, str):
        if value not in params:
            raise Problem(node, f"{what} {value!r} is not defined under params")
        value = params[value]
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise Problem(node, f"{what} must be a positive integer or a parameter naming one")
    return value
