"""Periods and targets (2.1): what a period is, how a yearly quota is shared, when quotas add up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from warden.errors import InvalidArgument
from warden.money import Money
from warden.sales.domain.periods import parse_period, share_of_year
from warden.sales.domain.targets import Quota, Target, set_target, with_quota

TEAMS = {"alice": "north", "bob": "north", "zoe": "south"}


def eur(minor: int) -> Money:
    return Money(minor, "EUR")


def target(quotas: list[tuple[str, int]], accepted: bool = False, **kw: object) -> Target:
    values: dict[str, object] = {
        "revision_id": "r1",
        "year": 2026,
        "team": "north",
        "team_target": eur(1_000_000),
        "quotas": tuple(Quota(s, eur(a)) for s, a in quotas),
        "difference_accepted": accepted,
        "set_by": "carol",
        "reason": "",
        "set_at": datetime(2025, 12, 15, tzinfo=UTC),
    }
    values.update(kw)
    return Target(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-11", "month", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12", "month", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q2", "quarter", datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)),
        ("2026", "year", datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_period_is_a_month_a_quarter_or_a_year(
    text: str, kind: str, start: datetime, end: datetime
) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26", "1999", "Nov"])
def test_a_period_that_does_not_exist_is_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse_period(text)
    assert refused.value.field == "period"


def test_the_twelve_monthly_shares_of_a_quota_add_up_to_it_exactly() -> None:
    quota = 1_000_001
    months = [share_of_year(quota, parse_period(f"2026-{m:02d}")) for m in range(1, 13)]
    assert sum(months) == quota
    assert months[0] == 83_333  # floor(1_000_001 / 12)
    assert share_of_year(quota, parse_period("2026-Q1")) == sum(months[:3]) == 250_000


def test_quotas_that_add_up_to_the_team_target_are_accepted() -> None:
    accepted = set_target(target([("alice", 600_000), ("bob", 400_000)]), TEAMS)
    assert accepted.difference_minor == 0
    assert accepted.quota_for("alice", parse_period("2026-Q1")) == 150_000


def test_quotas_that_do_not_add_up_are_refused_unless_the_difference_is_accepted() -> None:
    with pytest.raises(InvalidArgument) as refused:
        set_target(target([("alice", 600_000), ("bob", 300_000)]), TEAMS)
    assert refused.value.field == "quotas"
    assert "9,000.00 EUR" in refused.value.reason and "10,000.00 EUR" in refused.value.reason
    stated = set_target(target([("alice", 600_000), ("bob", 300_000)], accepted=True), TEAMS)
    assert stated.difference_minor == 100_000


def test_a_quota_for_someone_outside_the_team_names_the_quota() -> None:
    with pytest.raises(InvalidArgument) as refused:
        set_target(target([("alice", 600_000), ("zoe", 400_000)]), TEAMS)
    assert refused.value.field == "quotas[1].salesperson_id"


def test_a_salesperson_given_two_quotas_is_refused() -> None:
    with pytest.raises(InvalidArgument) as refused:
        set_target(target([("alice", 500_000), ("alice", 500_000)]), TEAMS)
    assert refused.value.field == "quotas[1].salesperson_id"


def test_changing_a_target_once_the_year_started_needs_a_reason() -> None:
    late = datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(InvalidArgument) as refused:
        set_target(target([("alice", 500_000), ("bob", 500_000)], set_at=late), TEAMS)
    assert refused.value.field == "reason"
    why = set_target(
        target([("alice", 500_000), ("bob", 500_000)], set_at=late, reason="reorg"), TEAMS
    )
    assert why.after_year_start


def test_one_quota_changes_in_place_and_the_others_are_kept() -> None:
    first = target([("alice", 600_000), ("bob", 400_000)])
    changed = with_quota(first, Quota("alice", eur(700_000)), revision_id="r2")
    assert [(q.salesperson_id, q.amount.amount_minor) for q in changed.quotas] == [
        ("alice", 700_000),
        ("bob", 400_000),
    ]
    assert changed.difference_minor == -100_000 and changed.revision_id == "r2"
