"""Rule files: YAML in rules/, one rule a file, validated with file, line and reason per error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from warden.compliance.domain.findings import CLAUSES, OPERATORS, SEVERITIES, Condition, Rule
from warden.compliance.domain.sanctions import Sanction, SanctionKind

TOP_FIELDS = {
    "id": True,
    "version": True,
    "clause": True,
    "title": True,
    "description": False,
    "severity": True,
    "sanction": True,
    "on": True,
    "params": False,
    "when": True,
    "examples": False,
}
CONDITION_FIELDS = {"field", "op", "value", "param", "than", "says", "unit"}
SANCTION_FIELDS = {"kind", "amount_minor", "currency", "days"}


@dataclass(frozen=True)
class RuleFileError:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class RuleBookInvalid(Exception):
    """One or more rule files are invalid; `errors` lists each with file, line and reason."""

    def __init__(self, errors: list[RuleFileError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class _Problem(Exception):
    def __init__(self, node: yaml.Node | None, reason: str) -> None:
        super().__init__(reason)
        self.line = node.start_mark.line + 1 if node is not None else 1
        self.reason = reason


def _mapping(node: yaml.Node, what: str) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        raise _Problem(node, f"{what} must be a mapping")
    return {str(k.value): v for k, v in node.value}


def _key_lines(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {str(k.value): k for k, _ in node.value}


def _scalar(node: yaml.Node, kind: type, what: str) -> Any:
    value = _plain(node)
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _Problem(node, f"{what} must be an integer, got {value!r}")
    if kind is str and not isinstance(value, str):
        raise _Problem(node, f"{what} must be text, got {value!r}")
    return value


def _plain(node: yaml.Node) -> Any:
    return yaml.safe_load(yaml.serialize(node))


def _check_fields(node: yaml.MappingNode, allowed: set[str] | dict[str, bool], what: str) -> None:
    for key, key_node in _key_lines(node).items():
        if key not in allowed:
            raise _Problem(key_node, f"unknown field {key!r} in {what}")
    if isinstance(allowed, dict):
        present = _key_lines(node)
        for key, needed in allowed.items():
            if needed and key not in present:
                raise _Problem(node, f"missing required field {key!r} in {what}")


def _sanction(node: yaml.Node) -> Sanction:
    fields = _mapping(node, "sanction")
    assert isinstance(node, yaml.MappingNode)
    _check_fields(node, SANCTION_FIELDS, "sanction")
    if "kind" not in fields:
        raise _Problem(node, "missing required field 'kind' in sanction")
    kind_text = _scalar(fields["kind"], str, "sanction.kind")
    try:
        kind = SanctionKind(kind_text)
    except ValueError:
        known = ", ".join(k.value for k in SanctionKind)
        raise _Problem(
            fields["kind"], f"sanction.kind {kind_text!r} is not one of {known}"
        ) from None
    amount = (
        _scalar(fields["amount_minor"], int, "sanction.amount_minor")
        if "amount_minor" in fields
        else 0
    )
    days = _scalar(fields["days"], int, "sanction.days") if "days" in fields else 0
    currency = _scalar(fields["currency"], str, "sanction.currency") if "currency" in fields else ""
    if kind is SanctionKind.FINE and (amount <= 0 or len(currency) != 3):
        raise _Problem(node, "a fine needs a positive amount_minor and a 3-letter currency")
    if kind is SanctionKind.SUSPENSION and days <= 0:
        raise _Problem(node, "a suspension needs a positive number of days")
    return Sanction(kind, amount, currency, days)


def _condition(node: yaml.Node, params: dict[str, Any], index: int) -> Condition:
    what = f"when[{index}]"
    fields = _mapping(node, what)
    assert isinstance(node, yaml.MappingNode)
    _check_fields(node, CONDITION_FIELDS, what)
    for needed in ("field", "op"):
        if needed not in fields:
            raise _Problem(node, f"missing required field {needed!r} in {what}")
    op = _scalar(fields["op"], str, f"{what}.op")
    if op not in OPERATORS:
        raise _Problem(fields["op"], f"{what}.op {op!r} is not one of {', '.join(OPERATORS)}")
    operands = [k for k in ("value", "param", "than") if k in fields]
    if len(operands) != 1:
        raise _Problem(node, f"{what} needs exactly one of value, param or than")
    value: Any = None
    other: str | None = None
    if "value" in fields:
        value = _plain(fields["value"])
    elif "param" in fields:
        name = _scalar(fields["param"], str, f"{what}.param")
        if name not in params:
            raise _Problem(fields["param"], f"{what}.param {name!r} is not defined under params")
        value = params[name]
    else:
        other = _scalar(fields["than"], str, f"{what}.than")
    return Condition(
        field=_scalar(fields["field"], str, f"{what}.field"),
        op=op,
        value=value,
        other_field=other,
        says=_scalar(fields["says"], str, f"{what}.says") if "says" in fields else "",
        unit=_scalar(fields["unit"], str, f"{what}.unit") if "unit" in fields else "",
    )


def parse_rule(text: str, path: str) -> Rule:
    """Parse one rule file; raise RuleBookInvalid with the first problem in it."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise RuleBookInvalid([RuleFileError(path, line, f"YAML syntax error: {reason}")]) from None
    try:
        if root is None:
            raise _Problem(None, "the file is empty")
        fields = _mapping(root, "a rule file")
        assert isinstance(root, yaml.MappingNode)
        _check_fields(root, TOP_FIELDS, "the rule")
        clause = _scalar(fields["clause"], str, "clause")
        if clause not in CLAUSES:
            raise _Problem(
                fields["clause"], f"clause {clause!r} is not one of {', '.join(CLAUSES)}"
            )
        severity = _scalar(fields["severity"], str, "severity")
        if severity not in SEVERITIES:
            raise _Problem(
                fields["severity"], f"severity {severity!r} is not one of {', '.join(SEVERITIES)}"
            )
        version = _scalar(fields["version"], int, "version")
        if version < 1:
            raise _Problem(fields["version"], "version must be 1 or more")
        params = _plain(fields["params"]) if "params" in fields else {}
        if not isinstance(params, dict):
            raise _Problem(fields["params"], "params must be a mapping")
        when = fields["when"]
        if not isinstance(when, yaml.SequenceNode) or not when.value:
            raise _Problem(when, "when must be a non-empty list of conditions")
        return Rule(
            rule_id=_scalar(fields["id"], str, "id"),
            version=version,
            clause=clause,
            title=_scalar(fields["title"], str, "title"),
            severity=severity,
            sanction=_sanction(fields["sanction"]),
            on=_scalar(fields["on"], str, "on"),
            conditions=tuple(_condition(c, params, i) for i, c in enumerate(when.value)),
            params=params,
            source=path,
        )
    except _Problem as problem:
        raise RuleBookInvalid([RuleFileError(path, problem.line, problem.reason)]) from None


def load_rules(directory: Path) -> list[Rule]:
    """Every rule under `directory` (*.yaml), or RuleBookInvalid listing every bad file."""
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    for path in sorted(directory.glob("**/*.yaml")):
        try:
            rules.append(parse_rule(path.read_text(encoding="utf-8"), str(path)))
        except RuleBookInvalid as invalid:
            errors.extend(invalid.errors)
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.key in seen:
            errors.append(
                RuleFileError(rule.source, 1, f"{rule.key} is also defined in {seen[rule.key]}")
            )
        seen[rule.key] = rule.source
    if errors:
        raise RuleBookInvalid(errors)
    return rules
