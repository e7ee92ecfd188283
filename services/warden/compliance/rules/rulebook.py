"""Rule files: YAML in rules/, one rule a file, validated with file, line and reason per error."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from warden.compliance.domain.findings import CLAUSES, OPERATORS, SEVERITIES, Condition, Rule
from warden.compliance.domain.specs import (
    AGGREGATE_FUNCTIONS,
    Aggregate,
    Correlation,
    Deadline,
    Fact,
    Source,
)
from warden.compliance.rules.ladder_file import LADDER_FILE, parse_ladder
from warden.compliance.rules.reading import (
    RuleBookInvalid,
    RuleFileError,
    _check_fields,
    _compose,
    _fields,
    _flag,
    _items,
    _mapping,
    _number,
    _plain,
    _Problem,
    _sanction,
    _scalar,
    _texts,
)

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
