"""A backtest reports how officers labelled the events of the findings a candidate would add
or remove: the labelled cases resting on the same events, on both databases, in the report
and in `warden rules backtest` (words and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.integration.compliance.test_backtest import (
    END,
    START,
    backtest_cli,
    judged_with_version_1,
    rule_sets,
)
from warden.compliance.domain.cases import Choice, Outcome
from warden.compliance.domain.labels import Label
from warden.compliance.review.cases import Review
from warden.compliance.review.labels import Labels
from warden.compliance.rule_testing import backtest
from warden.compliance.rules import catalogue
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import case_store, schema
from warden.platform.db import make_engine

# The labels officers gave the cases production opened: (rule, judged event) -> label.
LABELS = {
    ("customer-expenses-over-window", "e-1"): Label.FALSE_POSITIVE,
    ("customer-expenses-over-window", "e-4"): Label.TRUE_VIOLATION,
    ("large-expense", "e-4"): Label.TRUE_VIOLATION,  # another rule, on the same event
}


def labelled_by_officers(engine: Engine) -> dict[tuple[str, str], str]:
    """Decide and label the cases of LABELS; their case ids by (rule, event)."""
    with engine.connect() as conn:
        cases = case_store.list_cases(conn, None, 100, 0)
    ids = {(c.findings[0].rule_id, c.findings[0].event_ids[0]): c.case_id for c in cases}
    for key, label in LABELS.items():
        Review(engine).decide(ids[key], "olivia", Choice(Outcome.CONFIRMED, "checked"))
        Labels(engine).label(ids[key], "oscar", label.value)
    return {key: ids[key] for key in LABELS}


def test_the_backtest_reports_the_officers_labels_of_the_events_added_or_removed(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    active, candidate = rule_sets(tmp_path)
    engine = make_engine(database_url, schema.metadata)
    judged_with_version_1(engine, active)
    ids = labelled_by_officers(engine)
    with engine.connect() as conn:
        active_rules = list(catalogue.current(conn).active)

    report = backtest.run(engine, load_rules(candidate), active_rules, START, END)

    rules = {r.rule_id: r for r in report.rules}
    window, gift = rules["customer-expenses-over-window"], rules["gift-above-threshold"]
    labelled = {
        d.event_id: sorted((c.case_id, c.rule_id, c.label) for c in d.labels)
        for d in window.removed
    }
    assert labelled == {
        "e-1": [
            (
                ids[("customer-expenses-over-window", "e-1")],
                "customer-expenses-over-window",
                Label.FALSE_POSITIVE,
            )
        ],
        "e-4": sorted(
            [
                (
                    ids[("customer-expenses-over-window", "e-4")],
                    "customer-expenses-over-window",
                    Label.TRUE_VIOLATION,
                ),
                (ids[("large-expense", "e-4")], "large-expense", Label.TRUE_VIOLATION),
            ]
        ),
    }
    assert window.labelled("removed") == "1 true violation, 1 false positive, 0 unlabelled"
    assert [d.labels for d in gift.added] == [()]  # e-2 opened no case: nothing labelled
    assert gift.labelled("added") == "1 unlabelled"

    assert backtest_cli(database_url, candidate, "--examples", "5") == 0
    out, _ = capsys.readouterr()
    assert "officers' labels on the same events (cases resting on them):" in out
    assert (
        "  customer-expenses-over-window removed: 1 true violation, 1 false positive, "
        "0 unlabelled" in out
    )
    assert "  gift-above-threshold added: 1 unlabelled" in out
    case_fp = ids[("customer-expenses-over-window", "e-1")]
    assert f"      labelled false positive: case {case_fp} (customer-expenses-over-window)" in out

    assert backtest_cli(database_url, candidate, "--json", "--examples", "5") == 0
    shown = {r["rule_id"]: r for r in json.loads(capsys.readouterr()[0])["rules"]}
    removed = shown["customer-expenses-over-window"]["removed"]
    assert removed["officers_labels"] == {"true_violation": 1, "false_positive": 1, "none": 0}
    first = removed["examples"][0]
    assert first["event_ids"][0] == "e-1"
    assert first["officers_labels"] == [
        {"case_id": case_fp, "rule_id": "customer-expenses-over-window", "label": "false_positive"}
    ]
    assert shown["gift-above-threshold"]["added"]["officers_labels"] == {"none": 1}
    assert "officers_labels" not in shown["gift-above-threshold"]["changed"]
    engine.dispose()
