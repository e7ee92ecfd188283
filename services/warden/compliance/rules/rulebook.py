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
    Problem,
    RuleBookInvalid,
    RuleFileError,
    check_fields,
    compose,
    fields_of,
    flag_of,
    items_of,
    mapping_of,
    number_of,
    plain_value,
    sanction_of,
    scalar_of,
    texts_of,
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
    fields = mapping_of(node, what)
    assert isinstance(node, yaml.MappingNode)
    check_fields(node, CONDITION_FIELDS, what)
    for needed in ("field", "op"):
        if needed not in fields:
            raise Problem(node, f"missing required field {needed!r} in {what}")
    op = scalar_of(fields["op"], str, f"{what}.op")
    if op not in OPERATORS:
        raise Problem(fields["op"], f"{what}.op {op!r} is not one of {', '.join(OPERATORS)}")
    operands = [k for k in ("value", "param", "than") if k in fields]
    if len(operands) != 1:
        raise Problem(node, f"{what} needs exactly one of value, param or than")
    value: Any = None
    other: str | None = None
    if "value" in fields:
        value = plain_value(fields["value"])
    elif "param" in fields:
        name = scalar_of(fields["param"], str, f"{what}.param")
        if name not in params:
            raise Problem(fields["param"], f"{what}.param {name!r} is not defined under params")
        value = params[name]
    else:
        other = scalar_of(fields["than"], str, f"{what}.than")
    fold = flag_of(fields, "fold")
    if fold and op not in ("eq", "ne"):
        raise Problem(fields["fold"], f"{what}.fold compares text: only with op eq or ne")
    return Condition(
        field=scalar_of(fields["field"], str, f"{what}.field"),
        op=op,
        value=value,
        other_field=other,
        says=scalar_of(fields["says"], str, f"{what}.says") if "says" in fields else "",
        unit=scalar_of(fields["unit"], str, f"{what}.unit") if "unit" in fields else "",
        fold=fold,
    )


def _window(
    node: yaml.Node, fields: dict[str, yaml.Node], params: dict[str, Any], what: str
) -> int:
    given = [k for k in ("window_days", "window_hours") if k in fields]
    if len(given) != 1:
        raise Problem(node, f"{what} needs exactly one of window_days or window_hours")
    seconds = 86_400 if given[0] == "window_days" else 3_600
    return number_of(fields[given[0]], params, f"{what}.{given[0]}") * seconds


def _pairs(node: yaml.Node, what: str) -> tuple[tuple[str, str], ...]:
    fields = mapping_of(node, what)
    return tuple((key, scalar_of(value, str, f"{what}.{key}")) for key, value in fields.items())


def _fact(node: yaml.Node, index: int) -> Fact:
    what = f"facts[{index}]"
    fields = fields_of(node, FACT_FIELDS, what)
    return Fact(
        field=scalar_of(fields["field"], str, f"{what}.field"),
        says=scalar_of(fields["says"], str, f"{what}.says"),
        unit=scalar_of(fields["unit"], str, f"{what}.unit") if "unit" in fields else "",
    )


def _aggregate(node: yaml.Node, params: dict[str, Any], index: int) -> Aggregate:
    what = f"aggregate[{index}]"
    fields = fields_of(node, AGGREGATE_FIELDS, what)
    function = scalar_of(fields["function"], str, f"{what}.function")
    if function not in AGGREGATE_FUNCTIONS:
        raise Problem(
            fields["function"],
            f"{what}.function {function!r} is not one of {', '.join(AGGREGATE_FUNCTIONS)}",
        )
    if (function == "count") == ("field" in fields):
        raise Problem(
            node, f"{what}: {function} {'takes no' if function == 'count' else 'needs a'} field"
        )
    return Aggregate(
        name=scalar_of(fields["name"], str, f"{what}.name"),
        function=function,
        types=texts_of(fields["over"], f"{what}.over"),
        match=_pairs(fields["match"], f"{what}.match"),
        window_s=_window(node, fields, params, what),
        field=scalar_of(fields["field"], str, f"{what}.field") if "field" in fields else "",
    )


def _where(
    node: yaml.Node, params: dict[str, Any], what: str
) -> tuple[tuple[str, str, object], ...]:
    tests = []
    for i, item in enumerate(items_of(node, what)):
        condition = _condition(item, params, i)
        if condition.other_field:
            raise Problem(item, f"{what}[{i}] compares with a value or a param, not a field")
        tests.append((condition.field, condition.op, condition.value))
    return tuple(tests)


def _source(node: yaml.Node, params: dict[str, Any], what: str) -> Source:
    fields = fields_of(node, SOURCE_FIELDS, what)
    return Source(
        type=scalar_of(fields["type"], str, f"{what}.type"),
        key=scalar_of(fields["key"], str, f"{what}.key"),
        match=_pairs(fields["match"], f"{what}.match") if "match" in fields else (),
        where=_where(fields["where"], params, f"{what}.where") if "where" in fields else (),
    )


def _correlation(node: yaml.Node, params: dict[str, Any], index: int) -> Correlation:
    what = f"correlate[{index}]"
    fields = fields_of(node, CORRELATE_FIELDS, what)
    sources = items_of(fields["sources"], f"{what}.sources")
    closers = items_of(fields["closed_by"], f"{what}.closed_by") if "closed_by" in fields else []
    return Correlation(
        name=scalar_of(fields["name"], str, f"{what}.name"),
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
    fields = fields_of(node, DEADLINE_FIELDS, "deadline")
    kind = scalar_of(fields["kind"], str, "deadline.kind")
    if not _DEADLINE_KIND.fullmatch(kind):
        raise Problem(
            fields["kind"],
            f"deadline.kind {kind!r} must be 1 to 48 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit",
        )
    dues = [k for k in ("due_field", "due_after_days", "due_after_hours") if k in fields]
    if len(dues) != 1:
        raise Problem(
            node, "deadline needs exactly one of due_field, due_after_days, due_after_hours"
        )
    after = 0
    if dues[0] != "due_field":
        unit = 86_400 if dues[0] == "due_after_days" else 3_600
        after = number_of(fields[dues[0]], params, f"deadline.{dues[0]}") * unit
    handover, handover_to = "", ""
    if "handover" in fields:
        moved = fields_of(fields["handover"], HANDOVER_FIELDS, "deadline.handover")
        handover = scalar_of(moved["on"], str, "deadline.handover.on")
        handover_to = scalar_of(moved["to"], str, "deadline.handover.to")
    return Deadline(
        kind=kind,
        starts=scalar_of(fields["starts"], str, "deadline.starts"),
        key=scalar_of(fields["key"], str, "deadline.key"),
        met_by=texts_of(fields["met_by"], "deadline.met_by"),
        employee=scalar_of(fields["employee"], str, "deadline.employee"),
        due_field=scalar_of(fields["due_field"], str, "deadline.due_field")
        if "due_field" in fields
        else "",
        due_after_s=after,
        handover=handover,
        handover_to=handover_to,
    )


def _example(node: yaml.Node, index: int) -> dict[str, Any]:
    what = f"examples[{index}]"
    fields = fields_of(node, EXAMPLE_FIELDS, what)
    kind = scalar_of(fields["kind"], str, f"{what}.kind")
    if kind not in EXAMPLE_KINDS:
        raise Problem(
            fields["kind"], f"{what}.kind {kind!r} is not one of {', '.join(EXAMPLE_KINDS)}"
        )
    for i, event in enumerate(items_of(fields["events"], f"{what}.events")):
        event_fields = fields_of(event, EXAMPLE_EVENT_FIELDS, f"{what}.events[{i}]")
        mapping_of(event_fields["data"], f"{what}.events[{i}].data")
    expect = fields["expect"]
    if not isinstance(expect, yaml.SequenceNode):
        raise Problem(expect, f"{what}.expect must be a list of findings ([] for none)")
    for i, finding in enumerate(expect.value):
        fields_of(finding, EXPECT_FIELDS, f"{what}.expect[{i}]")
    example = plain_value(node)
    assert isinstance(example, dict)
    return example


def _optional(fields: dict[str, yaml.Node], name: str, parse: Any, *args: Any) -> tuple[Any, ...]:
    if name not in fields:
        return ()
    return tuple(parse(n, *args, i) for i, n in enumerate(items_of(fields[name], name)))


def parse_rule(text: str, path: str) -> Rule:
    """Parse one rule file; raise RuleBookInvalid with the first problem in it."""
    root = compose(text, path)
    try:
        if root is None:
            raise Problem(None, "the file is empty")
        fields = mapping_of(root, "a rule file")
        assert isinstance(root, yaml.MappingNode)
        check_fields(root, TOP_FIELDS, "the rule")
        clause = scalar_of(fields["clause"], str, "clause")
        if clause not in CLAUSES:
            raise Problem(fields["clause"], f"clause {clause!r} is not one of {', '.join(CLAUSES)}")
        severity = scalar_of(fields["severity"], str, "severity")
        if severity not in SEVERITIES:
            raise Problem(
                fields["severity"], f"severity {severity!r} is not one of {', '.join(SEVERITIES)}"
            )
        version = scalar_of(fields["version"], int, "version")
        if version < 1:
            raise Problem(fields["version"], "version must be 1 or more")
        params = plain_value(fields["params"]) if "params" in fields else {}
        if not isinstance(params, dict):
            raise Problem(fields["params"], "params must be a mapping")
        when = fields["when"]
        if not isinstance(when, yaml.SequenceNode) or not when.value:
            raise Problem(when, "when must be a non-empty list of conditions")
        waits = flag_of(fields, "wait_for_other_partitions")
        if waits and "deadline" in fields:
            raise Problem(
                fields["wait_for_other_partitions"],
                "wait_for_other_partitions cannot be used with deadline: a missed deadline is "
                "judged when its own partition has passed the due time",
            )
        return Rule(
            description=scalar_of(fields["description"], str, "description")
            if "description" in fields
            else "",
            facts=_optional(fields, "facts", _fact),
            aggregates=_optional(fields, "aggregate", _aggregate, params),
            correlations=_optional(fields, "correlate", _correlation, params),
            deadline=_deadline(fields["deadline"], params) if "deadline" in fields else None,
            evidence=texts_of(fields["evidence"], "evidence") if "evidence" in fields else (),
            waits_for_partitions=waits,
            examples=_optional(fields, "examples", _example),
            rule_id=scalar_of(fields["id"], str, "id"),
            version=version,
            clause=clause,
            title=scalar_of(fields["title"], str, "title"),
            severity=severity,
            sanction=sanction_of(fields["sanction"]),
            on=scalar_of(fields["on"], str, "on"),
            conditions=tuple(_condition(c, params, i) for i, c in enumerate(when.value)),
            params=params,
            source=path,
        )
    except Problem as problem:
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
