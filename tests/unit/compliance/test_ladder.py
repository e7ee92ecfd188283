"""The sanction ladder (4.3): the proposal follows severity and the confirmed record."""

from __future__ import annotations

import pytest

from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder, Step, propose
from warden.compliance.domain.sanctions import Sanction, SanctionKind

WARNING = Sanction(SanctionKind.WARNING)
FINE_500 = Sanction(SanctionKind.FINE, 50_000, "EUR")
SUSPEND_10 = Sanction(SanctionKind.SUSPENSION, days=10)


@pytest.mark.parametrize(
    ("severity", "rule_sanction", "prior", "expected"),
    [
        ("minor", WARNING, 0, "warning"),
        ("minor", WARNING, 1, "fine of 200.00 EUR"),
        ("minor", WARNING, 2, "suspension of 3 day(s)"),
        ("minor", WARNING, 7, "suspension of 3 day(s)"),
        ("major", FINE_500, 0, "fine of 500.00 EUR"),
        ("major", Sanction(SanctionKind.FINE, 30_000, "EUR"), 0, "fine of 300.00 EUR"),
        ("major", FINE_500, 1, "suspension of 5 day(s)"),
        ("critical", SUSPEND_10, 0, "suspension of 10 day(s)"),
        ("critical", SUSPEND_10, 1, "dismissal"),
    ],
)
def test_each_confirmed_violation_in_the_look_back_climbs_one_rung(
    severity: str, rule_sanction: Sanction, prior: int, expected: str
) -> None:
    assert str(propose(DEFAULT_LADDER, severity, rule_sanction, prior).sanction) == expected


def test_a_first_violation_gets_the_rules_own_sanction_and_says_so() -> None:
    proposal = propose(DEFAULT_LADDER, "major", FINE_500, 0)
    assert proposal.reasoning == (
        "1st violation (no confirmed violation in the 365 days before); "
        "major -> fine of 500.00 EUR (the rule's proposal)"
    )
    assert not proposal.dismissal_review and not proposal.legal_referral


def test_a_repeated_violation_names_the_record_and_the_rung() -> None:
    proposal = propose(DEFAULT_LADDER, "minor", WARNING, 2)
    assert proposal.reasoning == (
        "3rd violation (2 confirmed violation(s) in the 365 days before); "
        "minor -> suspension of 3 day(s) (minor rung 3 of 3)"
    )


def test_a_critical_violation_asks_for_dismissal_review_and_legal_referral() -> None:
    proposal = propose(DEFAULT_LADDER, "critical", SUSPEND_10, 0)
    assert proposal.dismissal_review and proposal.legal_referral
    assert proposal.reasoning.endswith("plus dismissal review (4.3.2) and legal referral (4.3.2)")


def test_amounts_days_and_look_back_are_configuration() -> None:
    ladder = Ladder(
        lookback_days=90,
        steps={"major": (Step(FINE_500), Step(Sanction(SanctionKind.FINE, 99_900, "EUR")))},
    )
    proposal = propose(ladder, "major", FINE_500, 1)
    assert str(proposal.sanction) == "fine of 999.00 EUR"
    assert "in the 90 days before" in proposal.reasoning


def test_a_severity_without_rungs_keeps_the_rules_sanction() -> None:
    ladder = Ladder(lookback_days=30, steps={})
    assert propose(ladder, "minor", WARNING, 4).sanction == WARNING
