"""The sanction ladder's file (rules/sanctions.yaml): parsed and checked like a rule file."""

from __future__ import annotations

from pathlib import Path

import yaml

from warden.compliance.domain.findings import SEVERITIES
from warden.compliance.domain.ladder import Ladder, Step
from warden.compliance.rules.reading import (
    SANCTION_FIELDS,
    Problem,
    RuleBookInvalid,
    RuleFileError,
    check_fields,
    compose,
    fields_of,
    items_of,
    mapping_of,
    number_of,
    plain_value,
    sanction_of,
)

LADDER_FILE = "sanctions.yaml"
LADDER_FIELDS = {"lookback_days": True, "severities": True}
STEP_FIELDS = {*SANCTION_FIELDS, "dismissal_review", "legal_referral"}


def _step(node: yaml.Node, what: str) -> Step:
    fields = mapping_of(node, what)
    assert isinstance(node, yaml.MappingNode)
    check_fields(node, STEP_FIELDS, what)
    flags = {}
    for flag in ("dismissal_review", "legal_referral"):
        value = plain_value(fields[flag]) if flag in fields else False
        if not isinstance(value, bool):
            raise Problem(fields[flag], f"{what}.{flag} must be true or false, got {value!r}")
        flags[flag] = value
    sanction_fields = [(k, v) for k, v in node.value if str(k.value) in SANCTION_FIELDS]
    sanction = sanction_of(yaml.MappingNode(node.tag, sanction_fields, node.start_mark))
    return Step(sanction, flags["dismissal_review"], flags["legal_referral"])


def parse_ladder(text: str, path: str) -> Ladder:
    """Parse the sanction ladder file (rules/sanctions.yaml); RuleBookInvalid on a problem."""
    root = compose(text, path)
    try:
        if root is None:
            raise Problem(None, "the file is empty")
        fields = fields_of(root, LADDER_FIELDS, "the sanction ladder")
        lookback = number_of(fields["lookback_days"], {}, "lookback_days")
        severities = mapping_of(fields["severities"], "severities")
        steps = {}
        for severity, rungs in severities.items():
            if severity not in SEVERITIES:
                raise Problem(rungs, f"severity {severity!r} is not one of {', '.join(SEVERITIES)}")
            items = items_of(rungs, f"severities.{severity}")
            steps[severity] = tuple(
                _step(n, f"severities.{severity}[{i}]") for i, n in enumerate(items)
            )
        missing = [s for s in SEVERITIES if s not in steps]
        if missing:
            raise Problem(fields["severities"], f"severities lacks {', '.join(missing)}")
        return Ladder(lookback, steps)
    except Problem as problem:
        raise RuleBookInvalid([RuleFileError(path, problem.line, problem.reason)]) from None


def load_ladder(directory: Path) -> Ladder | None:
    """The ladder in `directory`/sanctions.yaml, or None when there is no such file."""
    path = directory / LADDER_FILE
    if not path.exists():
        return None
    return parse_ladder(path.read_text(encoding="utf-8"), str(path))
