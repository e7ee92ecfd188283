"""The retention horizon must be longer than every rule's look-back and the sanction ladder's:
a shorter one (or an equal one) is refused, naming what looks back furthest."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from warden.compliance.domain.ladder import Ladder
from warden.compliance.operations.retention import HorizonTooShort, check_horizon
from warden.compliance.rules.ladder_file import load_ladder
from warden.compliance.rules.rulebook import load_rules
from warden.config import Settings

ROOT = Path(__file__).resolve().parents[3]
RULES = load_rules(ROOT / "rules")


def test_a_horizon_as_long_as_the_ladders_look_back_is_refused_and_one_day_more_accepted() -> None:
    with pytest.raises(HorizonTooShort, match=r"looks back 30 days \(the sanction ladder's"):
        check_horizon(timedelta(days=30), [], Ladder(lookback_days=30))
    check_horizon(timedelta(days=31), [], Ladder(lookback_days=30))


def test_a_horizon_shorter_than_a_rules_window_names_the_rule() -> None:
    with pytest.raises(HorizonTooShort) as refused:
        check_horizon(timedelta(days=100), RULES, Ladder(lookback_days=1))
    assert str(refused.value) == (
        "WARDEN_RETENTION_DAYS=100 is too short: judging looks back 365 days (rule "
        "customer-data-read-without-relation v2), and the horizon must be longer "
        "(or 0: keep everything)"
    )


def test_the_default_horizon_covers_the_shipped_rules_and_ladder() -> None:
    ladder = load_ladder(ROOT / "rules")
    assert ladder is not None
    check_horizon(timedelta(days=Settings().retention_days), RULES, ladder)
