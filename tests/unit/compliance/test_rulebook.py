"""Rule files: the shipped catalogue is valid and complete; bad files are refused with file,
line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.compliance.domain.findings import CLAUSES
from warden.compliance.rules.ladder_file import load_ladder, parse_ladder
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rulebook import EXAMPLE_KINDS, load_rules, parse_rule
from warden.config import Settings

RULES = Settings().rules_dir

GOOD = """\
id: big-discount
version: 1
clause: "4.1.2"
title: Big discount
severity: major
sanction: {kind: fine, amount_minor: 50000, currency: EUR}
on: warden.sales.price.changed
params:
  max_bp: 2000
when:
  - field: data.discount_bp
    op: gt
    param: max_bp
"""


def refused(text: str, path: str = "rules/x.yaml") -> tuple[int, str]:
    with pytest.raises(RuleBookInvalid) as invalid:
        parse_rule(text, path)
    (error,) = invalid.value.errors
    assert error.path == path
    return error.line, error.reason


def test_a_minimal_rule_file_parses() -> None:
    rule = parse_rule(GOOD, "rules/x.yaml")
    assert (rule.key, rule.clause, rule.conditions[0].value) == ("big-discount@v1", "4.1.2", 2000)


def test_an_unknown_field_is_refused_with_its_line() -> None:
    line, reason = refused(GOOD.replace("title:", "colour: red\ntitle:"))
    assert (line, reason) == (4, "unknown field 'colour' in the rule")


def test_a_wrong_type_is_refused_with_its_line() -> None:
    line, reason = refused(GOOD.replace("version: 1", "version: one"))
    assert line == 2 and reason == "version must be an integer, got 'one'"


def test_waiting_for_other_partitions_is_off_unless_a_rule_asks() -> None:
    assert parse_rule(GOOD, "rules/x.yaml").waits_for_partitions is False
    asked = GOOD.replace("params:", "wait_for_other_partitions: true\nparams:")
    assert parse_rule(asked, "rules/x.yaml").waits_for_partitions is True
    (privacy,) = [
        r for r in load_rules(RULES) if r.rule_id == "customer-data-read-without-relation"
    ]
    assert privacy.waits_for_partitions and privacy.version == 2


@pytest.mark.parametrize("value", ["yes please", "1", "[true]", "''"])
def test_waiting_for_other_partitions_must_be_true_or_false(value: str) -> None:
    line, reason = refused(GOOD.replace("params:", f"wait_for_other_partitions: {value}\nparams:"))
    assert line == 8
    assert reason.startswith("wait_for_other_partitions must be true or false, got ")


def test_a_missing_clause_is_refused() -> None:
    line, reason = refused(GOOD.replace('clause: "4.1.2"\n', ""))
    assert line == 1 and reason == "missing required field 'clause' in the rule"


def test_a_clause_outside_policy_section_4_is_refused() -> None:
    line, reason = refused(GOOD.replace('"4.1.2"', '"4.9.9"'))
    assert line == 3 and reason.startswith("clause '4.9.9' is not one of 4.1.1")


def test_a_yaml_syntax_error_is_refused_with_its_line() -> None:
    line, reason = refused(GOOD.replace("  - field: data.discount_bp", "  - field: [data"))
    assert line == 12 and reason.startswith("YAML syntax error:")


def test_an_undefined_parameter_is_refused() -> None:
    line, reason = refused(GOOD.replace("param: max_bp", "param: max_pct"))
    assert line == 13 and reason == "when[0].param 'max_pct' is not defined under params"


def test_fold_on_an_ordering_comparison_is_refused_with_its_line() -> None:
    line, reason = refused(GOOD.replace("param: max_bp", "param: max_bp\n    fold: true"))
    assert (line, reason) == (14, "when[0].fold compares text: only with op eq or ne")


def test_fold_must_be_true_or_false() -> None:
    text = GOOD.replace("op: gt\n    param: max_bp", "op: eq\n    value: x\n    fold: yes please")
    assert refused(text) == (14, "fold must be true or false, got 'yes please'")


def test_fold_is_off_unless_a_condition_asks() -> None:
    folded = parse_rule(
        GOOD.replace("op: gt\n    param: max_bp", "op: eq\n    value: X\n    fold: true"), "x"
    )
    assert folded.conditions[0].fold is True
    assert parse_rule(GOOD, "x").conditions[0].fold is False


@pytest.mark.parametrize(
    ("section", "line", "reason"),
    [
        (
            "aggregate:\n  - {name: s, function: median, field: data.x, over: [t], match: {}, "
            "window_days: 1}\n",
            11,
            "aggregate[0].function 'median' is not one of sum, count, count_distinct",
        ),
        (
            "aggregate:\n  - {name: s, function: sum, field: data.x, over: [t], match: {}, "
            "window_days: span}\n",
            11,
            "aggregate[0].window_days 'span' is not defined under params",
        ),
        (
            "correlate:\n  - name: c\n    window_days: 3\n    sources:\n      - {type: t}\n",
            14,
            "missing required field 'key' in correlate[0].sources[0]",
        ),
        (
            "deadline: {kind: k, starts: t, key: data.k, met_by: [u], employee: subject}\n",
            10,
            "deadline needs exactly one of due_field, due_after_days, due_after_hours",
        ),
        (
            "deadline: {kind: 'k~shadow', starts: t, key: data.k, met_by: [u], employee: subject,"
            " due_after_hours: 4}\n",
            10,
            "deadline.kind 'k~shadow' must be 1 to 48 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit",
        ),
        (
            "wait_for_other_partitions: true\ndeadline: {kind: k, starts: t, key: data.k, "
            "met_by: [u], employee: subject, due_after_hours: 4}\n",
            10,
            "wait_for_other_partitions cannot be used with deadline: a missed deadline is judged "
            "when its own partition has passed the due time",
        ),
        (
            "examples:\n  - {name: n, kind: sunny, events: [], expect: []}\n",
            11,
            "examples[0].kind 'sunny' is not one of breaks, inside, boundary",
        ),
        (
            "examples:\n  - name: n\n    kind: breaks\n    events:\n      - {subject: a, "
            "time: '2026-01-01T00:00:00Z', data: {}, colour: red}\n    expect: []\n",
            14,
            "unknown field 'colour' in examples[0].events[0]",
        ),
    ],
)
def test_bad_stateful_sections_and_examples_are_refused(
    section: str, line: int, reason: str
) -> None:
    text = GOOD.replace("params:\n  max_bp: 2000\n", "params:\n  max_bp: 2000\n" + section)
    assert refused(text) == (line, reason)


def test_every_bad_file_of_a_directory_is_listed(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "typo.yaml").write_text(GOOD.replace("severity:", "severty:"))
    (tmp_path / "broken.yaml").write_text("id: [x\n")
    with pytest.raises(RuleBookInvalid) as invalid:
        load_rules(tmp_path)
    assert [(Path(e.path).name, e.line) for e in invalid.value.errors] == [
        ("broken.yaml", 2),
        ("typo.yaml", 5),
    ]


def test_a_bad_sanction_ladder_is_refused_with_its_line(tmp_path: Path) -> None:
    ladder = (
        "lookback_days: 365\nseverities:\n  minor: [{kind: warning}]\n  major: [{kind: fine}]\n"
    )
    (tmp_path / "sanctions.yaml").write_text(ladder + "  critical: [{kind: dismissal}]\n")
    with pytest.raises(RuleBookInvalid) as invalid:
        load_rules(tmp_path)
    (error,) = invalid.value.errors
    assert (Path(error.path).name, error.line) == ("sanctions.yaml", 4)
    assert error.reason == "a fine needs a positive amount_minor and a 3-letter currency"


def test_a_ladder_flag_must_be_a_boolean() -> None:
    text = (
        "lookback_days: 30\nseverities:\n  minor: [{kind: warning}]\n  major: [{kind: warning}]\n"
        "  critical: [{kind: dismissal, legal_referral: maybe}]\n"
    )
    with pytest.raises(RuleBookInvalid) as invalid:
        parse_ladder(text, "s.yaml")
    assert invalid.value.errors[0].reason == (
        "severities.critical[0].legal_referral must be true or false, got 'maybe'"
    )


def test_the_shipped_catalogue_is_valid_and_covers_every_clause_of_4_1_and_4_2() -> None:
    rules = load_rules(RULES)
    assert {r.clause for r in rules} == set(CLAUSES)
    assert len(rules) >= 23
    ladder = load_ladder(RULES)
    assert ladder is not None and ladder.lookback_days == 365


@pytest.mark.parametrize("rule", load_rules(RULES), ids=lambda r: r.rule_id)
def test_every_rule_has_examples_that_break_it_stay_inside_and_sit_on_the_boundary(
    rule: object,
) -> None:
    kinds = {e["kind"] for e in rule.examples}  # type: ignore[attr-defined]
    assert kinds == set(EXAMPLE_KINDS)
    breaking = [e for e in rule.examples if e["expect"]]  # type: ignore[attr-defined]
    assert breaking, "at least one example must give a finding"
    assert all("sanction" in f for e in breaking[:1] for f in e["expect"])
