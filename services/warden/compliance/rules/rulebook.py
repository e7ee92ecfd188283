"""Rule files: YAML in rules/, one rule a file, validated with file, line and reason per error."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from warden.compliance.domain.findings import CLAUSES, OPERATORS, SEVERITIES, Condition, Rule
from warden.compliance.domain.ladder import Ladder, Step
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.domain.specs import (
    AGGREGATE_FUNCTIONS,
    Aggregate,
    Correlation,
    Deadline,
    Fact,
    Source,
)

LADDER_FILE = "sanctions.yaml"
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
    "facts": False,
    "aggregate": False,
    "correlate": False,
    "deadline": False,
    "evidence": False,
    "wait_for_other_partitions": False,
    "examples": False,
}
CONDITION_FIELDS = {"field", "op", "value", "param", "than", "says", "unit", "fold"}
SANCTION_FIELDS = {"kind", "amount_minor", "currency", "days"}
FACT_FIELDS = {"field": True, "says": True, "unit": False}
WINDOW_FIELDS = {"window_days": False, "window_hours": False}
AGGREGATE_FIELDS = {
    "name": True,
    "function": True,
    "field": False,
    "over": True,
    "match": True,
    **WINDOW_FIELDS,
}
CORRELATE_FIELDS = {"name": True, "sources": True, "closed_by": False, **WINDOW_FIELDS}
SOURCE_FIELDS = {"type": True, "key": True, "match": False, "where": False}
DEADLINE_FIELDS = {
    "kind": True,
    "starts": True,
    "key": True,
    "met_by": True,
    "employee": True,
    "due_field": False,
    "due_after_days": False,
    "due_after_hours": False,
    "handover": False,
}
HANDOVER_FIELDS = {"on": True, "to": True}
EXAMPLE_FIELDS = {"name": True, "kind": True, "events": True, "expect": True}
EXAMPLE_KINDS = ("breaks", "inside", "boundary")
EXAMPLE_EVENT_FIELDS = {
    "id": False,
    "type": False,
    "source": False,
    "subject": True,
    "time": True,
    "data": True,
}
EXPECT_FIELDS = {
    "employee": True,
    "reasons": False,
    "sanction": False,
    "flags": False,
    "events": False,
}
LADDER_FIELDS = {"lookback_days": True, "severities": True}
STEP_FIELDS = {*SANCTION_FIELDS, "dismissal_review", "legal_referral"}


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


def _flag(fields: dict[str, yaml.Node], name: str) -> bool:
    """An optional true/false field (false when absent)."""
    if name not in fields:
        return False
    value = _plain(fields[name])
    if not isinstance(value, bool):
        raise _Problem(fields[name], f"{name} must be true or false, got {value!r}")
    return value


def _plain(node: yaml.Node) -> Any:
    return yaml.SafeLoader("").construct_document(node)


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
    fold = _flag(fields, "fold")
    if fold and op not in ("eq", "ne"):
        raise _Problem(fields["fold"], f"{what}.fold compares text: only with op eq or ne")
    return Condition(
        field=_scalar(fields["field"], str, f"{what}.field"),
        op=op,
        value=value,
        other_field=other,
        says=_scalar(fields["says"], str, f"{what}.says") if "says" in fields else "",
        unit=_scalar(fields["unit"], str, f"{what}.unit") if "unit" in fields else "",
        fold=fold,
    )


def _compose(text: str, path: str) -> yaml.Node | None:
    try:
        return yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        raise RuleBookInvalid([RuleFileError(path, line, f"YAML syntax error: {reason}")]) from None


def _fields(node: yaml.Node, allowed: dict[str, bool], what: str) -> dict[str, yaml.Node]:
    fields = _mapping(node, what)
    assert isinstance(node, yaml.MappingNode)
    _check_fields(node, allowed, what)
    return fields


def _items(node: yaml.Node, what: str) -> list[yaml.Node]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise _Problem(node, f"{what} must be a non-empty list")
    return list(node.value)


def _texts(node: yaml.Node, what: str) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (_scalar(node, str, what),)
    return tuple(_scalar(n, str, f"{what}[{i}]") for i, n in enumerate(_items(node, what)))


def _number(node: yaml.Node, params: dict[str, Any], what: str) -> int:
    """An integer given literally or as the name of an integer parameter."""
    value = _plain(node)
    if isinstance(value, str):
        if value not in params:
            raise _Problem(node, f"{what} {value!r} is not defined under params")
        value = params[value]
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _Problem(node, f"{what} must be a positive integer or a parameter naming one")
    return value


def _window(
    node: yaml.Node, fields: dict[str, yaml.Node], params: dict[str, Any], what: str
) -> int:
    given = [k for k in ("window_days", "window_hours") if k in fields]
    if len(given) != 1:
        raise _Problem(node, f"{what} needs exactly one of window_days or window_hours")
    seconds = 86_400 if given[0] == "window_days" else 3_600
    return _number(fields[given[0]], params, f"{what}.{given[0]}") * seconds


def _pairs(node: yaml.Node, what: str) -> tuple[tuple[str, str], ...]:
    fields = _mapping(node, what)
    return tuple((key, _scalar(value, str, f"{what}.{key}")) for key, value in fields.items())


def _fact(node: yaml.Node, index: int) -> Fact:
    what = f"facts[{index}]"
    fields = _fields(node, FACT_FIELDS, what)
    return Fact(
        field=_scalar(fields["field"], str, f"{what}.field"),
        says=_scalar(fields["says"], str, f"{what}.says"),
        unit=_scalar(fields["unit"], str, f"{what}.unit") if "unit" in fields else "",
    )


def _aggregate(node: yaml.Node, params: dict[str, Any], index: int) -> Aggregate:
    what = f"aggregate[{index}]"
    fields = _fields(node, AGGREGATE_FIELDS, what)
    function = _scalar(fields["function"], str, f"{what}.function")
    if function not in AGGREGATE_FUNCTIONS:
        raise _Problem(
            fields["function"],
            f"{what}.function {function!r} is not one of {', '.join(AGGREGATE_FUNCTIONS)}",
        )
    if (function == "count") == ("field" in fields):
        raise _Problem(
            node, f"{what}: {function} {'takes no' if function == 'count' else 'needs a'} field"
        )
    return Aggregate(
        name=_scalar(fields["name"], str, f"{what}.name"),
        function=function,
        types=_texts(fields["over"], f"{what}.over"),
        match=_pairs(fields["match"], f"{what}.match"),
        window_s=_window(node, fields, params, what),
        field=_scalar(fields["field"], str, f"{what}.field") if "field" in fields else "",
    )


def _where(
    node: yaml.Node, params: dict[str, Any], what: str
) -> tuple[tuple[str, str, object], ...]:
    tests = []
    for i, item in enumerate(_items(node, what)):
        condition = _condition(item, params, i)
        if condition.other_field:
            raise _Problem(item, f"{what}[{i}] compares with a value or a param, not a field")
        tests.append((condition.field, condition.op, condition.value))
    return tuple(tests)


def _source(node: yaml.Node, params: dict[str, Any], what: str) -> Source:
    fields = _fields(node, SOURCE_FIELDS, what)
    return Source(
        type=_scalar(fields["type"], str, f"{what}.type"),
        key=_scalar(fields["key"], str, f"{what}.key"),
        match=_pairs(fields["match"], f"{what}.match") if "match" in fields else (),
        where=_where(fields["where"], params, f"{what}.where") if "where" in fields else (),
    )


def _correlation(node: yaml.Node, params: dict[str, Any], index: int) -> Correlation:
    what = f"correlate[{index}]"
    fields = _fields(node, CORRELATE_FIELDS, what)
    sources = _items(fields["sources"], f"{what}.sources")
    closers = _items(fields["closed_by"], f"{what}.closed_by") if "closed_by" in fields else []
    return Correlation(
        name=_scalar(fields["name"], str, f"{what}.name"),
        sources=tuple(_source(n, params, f"{what}.sources[{i}]") for i, n in enumerate(sources)),
        within_s=_window(node, fields, params, what),
        closed_by=tuple(
            _source(n, params, f"{what}.closed_by[{i}]") for i, n in enumerate(closers)
        ),
    )


# A deadline kind names the commitment in missed-deadline events and in the deadline rows,
# where a shadow version's own deadlines are `<kind>~shadow` (compliance/judging/deadlines.py).
_DEADLINE_KIND = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,47}")


def _deadline(node: yaml.Node, params: dict[str, Any]) -> Deadline:
    fields = _fields(node, DEADLINE_FIELDS, "deadline")
    kind = _scalar(fields["kind"], str, "deadline.kind")
    if not _DEADLINE_KIND.fullmatch(kind):
        raise _Problem(
            fields["kind"],
            f"deadline.kind {kind!r} must be 1 to 48 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit",
        )
    dues = [k for k in ("due_field", "due_after_days", "due_after_hours") if k in fields]
    if len(dues) != 1:
        raise _Problem(
            node, "deadline needs exactly one of due_field, due_after_days, due_after_hours"
        )
    after = 0
    if dues[0] != "due_field":
        unit = 86_400 if dues[0] == "due_after_days" else 3_600
        after = _number(fields[dues[0]], params, f"deadline.{dues[0]}") * unit
    handover, handover_to = "", ""
    if "handover" in fields:
        moved = _fields(fields["handover"], HANDOVER_FIELDS, "deadline.handover")
        handover = _scalar(moved["on"], str, "deadline.handover.on")
        handover_to = _scalar(moved["to"], str, "deadline.handover.to")
    return Deadline(
        kind=kind,
        starts=_scalar(fields["starts"], str, "deadline.starts"),
        key=_scalar(fields["key"], str, "deadline.key"),
        met_by=_texts(fields["met_by"], "deadline.met_by"),
        employee=_scalar(fields["employee"], str, "deadline.employee"),
        due_field=_scalar(fields["due_field"], str, "deadline.due_field")
        if "due_field" in fields
        else "",
        due_after_s=after,
        handover=handover,
        handover_to=handover_to,
    )


def _example(node: yaml.Node, index: int) -> dict[str, Any]:
    what = f"examples[{index}]"
    fields = _fields(node, EXAMPLE_FIELDS, what)
    kind = _scalar(fields["kind"], str, f"{what}.kind")
    if kind not in EXAMPLE_KINDS:
        raise _Problem(
            fields["kind"], f"{what}.kind {kind!r} is not one of {', '.join(EXAMPLE_KINDS)}"
        )
    for i, event in enumerate(_items(fields["events"], f"{what}.events")):
        event_fields = _fields(event, EXAMPLE_EVENT_FIELDS, f"{what}.events[{i}]")
        _mapping(event_fields["data"], f"{what}.events[{i}].data")
    expect = fields["expect"]
    if not isinstance(expect, yaml.SequenceNode):
        raise _Problem(expect, f"{what}.expect must be a list of findings ([] for none)")
    for i, finding in enumerate(expect.value):
        _fields(finding, EXPECT_FIELDS, f"{what}.expect[{i}]")
    example = _plain(node)
    assert isinstance(example, dict)
    return example


def _optional(fields: dict[str, yaml.Node], name: str, parse: Any, *args: Any) -> tuple[Any, ...]:
    if name not in fields:
        return ()
    return tuple(parse(n, *args, i) for i, n in enumerate(_items(fields[name], name)))


def parse_rule(text: str, path: str) -> Rule:
    """Parse one rule file; raise RuleBookInvalid with the first problem in it."""
    root = _compose(text, path)
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
        waits = _flag(fields, "wait_for_other_partitions")
        if waits and "deadline" in fields:
            raise _Problem(
                fields["wait_for_other_partitions"],
                "wait_for_other_partitions cannot be used with deadline: a missed deadline is "
                "judged when its own partition has passed the due time",
            )
        return Rule(
            description=_scalar(fields["description"], str, "description")
            if "description" in fields
            else "",
            facts=_optional(fields, "facts", _fact),
            aggregates=_optional(fields, "aggregate", _aggregate, params),
            correlations=_optional(fields, "correlate", _correlation, params),
            deadline=_deadline(fields["deadline"], params) if "deadline" in fields else None,
            evidence=_texts(fields["evidence"], "evidence") if "evidence" in fields else (),
            waits_for_partitions=waits,
            examples=_optional(fields, "examples", _example),
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


def defined_twice(rules: list[Rule], name: Callable[[Rule], str]) -> list[RuleFileError]:
    """An error for each rule whose `name` an earlier rule of `rules` already has."""
    errors: list[RuleFileError] = []
    seen: dict[str, str] = {}
    for rule in rules:
        if name(rule) in seen:
            errors.append(
                RuleFileError(rule.source, 1, f"{name(rule)} is also defined in {seen[name(rule)]}")
            )
        seen[name(rule)] = rule.source
    return errors


def load_rules(directory: Path) -> list[Rule]:
    """Every rule under `directory` (*.yaml), or RuleBookInvalid listing every bad file (and
    naming a directory that is not there: a mistyped WARDEN_RULES_DIR must not judge
    with no rules)."""
    if not directory.is_dir():
        what = "not a directory" if directory.exists() else "no such directory"
        raise RuleBookInvalid([RuleFileError(str(directory), 0, f"rules directory: {what}")])
    rules: list[Rule] = []
    errors: list[RuleFileError] = []
    ladder = directory / LADDER_FILE
    if ladder.exists():
        try:
            parse_ladder(ladder.read_text(encoding="utf-8"), str(ladder))
        except RuleBookInvalid as invalid:
            errors.extend(invalid.errors)
    for path in sorted(directory.glob("**/*.yaml")):
        if path == ladder:
            continue
        try:
            rules.append(parse_rule(path.read_text(encoding="utf-8"), str(path)))
        except RuleBookInvalid as invalid:
            errors.extend(invalid.errors)
    errors += defined_twice(rules, lambda rule: rule.key)
    if errors:
        raise RuleBookInvalid(errors)
    return rules


def _step(node: yaml.Node, what: str) -> Step:
    fields = _mapping(node, what)
    assert isinstance(node, yaml.MappingNode)
    _check_fields(node, STEP_FIELDS, what)
    flags = {}
    for flag in ("dismissal_review", "legal_referral"):
        value = _plain(fields[flag]) if flag in fields else False
        if not isinstance(value, bool):
            raise _Problem(fields[flag], f"{what}.{flag} must be true or false, got {value!r}")
        flags[flag] = value
    sanction_fields = [(k, v) for k, v in node.value if str(k.value) in SANCTION_FIELDS]
    sanction = _sanction(yaml.MappingNode(node.tag, sanction_fields, node.start_mark))
    return Step(sanction, flags["dismissal_review"], flags["legal_referral"])


def parse_ladder(text: str, path: str) -> Ladder:
    """Parse the sanction ladder file (rules/sanctions.yaml); RuleBookInvalid on a problem."""
    root = _compose(text, path)
    try:
        if root is None:
            raise _Problem(None, "the file is empty")
        fields = _fields(root, LADDER_FIELDS, "the sanction ladder")
        lookback = _number(fields["lookback_days"], {}, "lookback_days")
        severities = _mapping(fields["severities"], "severities")
        steps = {}
        for severity, rungs in severities.items():
            if severity not in SEVERITIES:
                raise _Problem(
                    rungs, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}"
                )
            items = _items(rungs, f"severities.{severity}")
            steps[severity] = tuple(
                _step(n, f"severities.{severity}[{i}]") for i, n in enumerate(items)
            )
        missing = [s for s in SEVERITIES if s not in steps]
        if missing:
            raise _Problem(fields["severities"], f"severities lacks {', '.join(missing)}")
        return Ladder(lookback, steps)
    except _Problem as problem:
        raise RuleBookInvalid([RuleFileError(path, problem.line, problem.reason)]) from None


def load_ladder(directory: Path) -> Ladder | None:
    """The ladder in `directory`/sanctions.yaml, or None when there is no such file."""
    path = directory / LADDER_FILE
    if not path.exists():
        return None
    return parse_ladder(path.read_text(encoding="utf-8"), str(path))
