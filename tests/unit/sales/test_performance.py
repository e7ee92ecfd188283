"""Report numbers without a database: pipeline at the period's end, conversion within it."""

from __future__ import annotations

from datetime import UTC, datetime

from warden.sales.domain.performance import (
    OpenValue,
    PerformanceReport,
    Revenue,
    build_report,
    completion_bp,
)
from warden.sales.domain.periods import parse_period, share_of_year
from warden.sales.domain.pipeline import StageChange


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, tzinfo=UTC)


def moves(oid: str, *steps: tuple[str, datetime]) -> list[StageChange]:
    changes, before = [], None
    for seq, (stage, when) in enumerate(steps, start=1):
        changes.append(
            StageChange(f"{oid}{seq}", oid, seq, before, stage, False, False, "a", "", when)
        )
        before = stage
    return changes


HISTORY = {
    # enters lead and visit in March, proposal in April (skipping needs_analysis)
    "o1": moves("o1", ("lead", at(3, 2)), ("visit", at(3, 9)), ("proposal", at(4, 2))),
    # a lead in March that goes nowhere
    "o2": moves("o2", ("lead", at(3, 20))),
    # entered before March, visit in March
    "o3": moves("o3", ("lead", at(2, 1)), ("visit", at(3, 1))),
}
OPEN = [OpenValue("o1", "alice", 100), OpenValue("o2", "alice", 200), OpenValue("o3", "bob", 400)]


def report(period: str) -> PerformanceReport:
    """Alice's quota is 1,200 a year, bob has none, the team's target is 2,400 a year."""
    span = parse_period(period)
    return build_report(
        "team",
        "north",
        span,
        "EUR",
        {"alice": share_of_year(1_200, span), "bob": None},
        share_of_year(2_400, span),
        [Revenue("alice", at(3, 5), 300), Revenue("bob", at(4, 1), 700)],
        [Revenue("alice", at(3, 31), 150)],
        OPEN,
        HISTORY,
    )


def test_conversion_counts_what_entered_a_stage_in_the_period_and_moved_on_by_its_end() -> None:
    march = report("2026-03")
    by_pair = {
        (c.from_stage, c.to_stage): (c.entered, c.converted, c.rate_bp) for c in march.conversions
    }
    assert by_pair[("lead", "visit")] == (2, 1, 5_000)  # o1 and o2 entered; o1 moved on
    assert by_pair[("visit", "needs_analysis")] == (2, 0, 0)  # o1 and o3; o1 skipped it later
    assert by_pair[("needs_analysis", "proposal")] == (0, 0, None)


def test_the_pipeline_is_what_stood_at_each_stage_at_the_periods_end() -> None:
    march = {s.stage: (s.count, s.value_minor) for s in report("2026-03").pipeline}
    assert march["lead"] == (1, 200) and march["visit"] == (2, 500)
    april = {s.stage: (s.count, s.value_minor) for s in report("2026-04").pipeline}
    assert april["proposal"] == (1, 100) and april["visit"] == (1, 400)


def test_a_team_report_adds_up_its_members() -> None:
    q1 = report("2026-Q1")
    totals = q1.totals
    # team target 2,400 a year: Q1 600. Signed in Q1: alice 300 (bob's 700 is in April).
    assert (totals.target_minor, totals.signed_minor, totals.collected_minor) == (600, 300, 150)
    assert totals.signed_completion_bp == 5_000
    members = {m.salesperson_id: m for m in q1.members}
    assert members["alice"].target_minor == 300 and members["bob"].target_minor is None
    assert members["bob"].signed_completion_bp is None


def test_completion_is_rounded_down_and_absent_without_a_target() -> None:
    assert completion_bp(2, 3) == 6_666
    assert completion_bp(5, None) is None and completion_bp(5, 0) is None
