"""Every example beside every rule file, judged by its rule on a fresh database of each backend
with the ladder of rules/sanctions.yaml (as `warden rules test` does on SQLite in memory): the
findings, their explanations and proposed sanctions are the ones the example expects."""

from __future__ import annotations

import pytest

from tests.integration.compliance.conftest import FreshDb
from warden.compliance.domain.ladder import DEFAULT_LADDER
from warden.compliance.rule_testing import examples
from warden.compliance.rules.ladder_file import load_ladder
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings

EXAMPLES = examples.examples_of(load_rules(Settings().rules_dir))
LADDER = load_ladder(Settings().rules_dir) or DEFAULT_LADDER


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.rule.rule_id}[{e.kind}] {e.name}")
def test_rule_example_gives_the_findings_it_expects(
    example: examples.Example, fresh_db: FreshDb
) -> None:
    cases = examples.run(example, fresh_db(), LADDER)
    assert examples.check(example, cases) == []
