"""The benchmark's budget line: what the ratio target leaves for storing and enriching an event
beyond the floor (bench/floor.py), and what that takes now."""

from __future__ import annotations

from bench.report import budget


def test_the_budget_names_what_the_target_leaves_for_the_rest() -> None:
    # Raw 15,000 events/s: the target allows 200 us an event; the floor takes 125 of them.
    line = budget(raw_rate=15_000, floor_rate=8_000, rate=2_000)
    assert line == (
        "an event takes 500 us end to end, 125 of them in the floor (nothing stored); the "
        "target allows 200 in all, so 75 for the rest (storing, stateful lookups, deadlines, "
        "cases), which takes 375 now"
    )


def test_a_floor_beyond_the_target_leaves_nothing_and_says_so() -> None:
    line = budget(raw_rate=96_000, floor_rate=30_000, rate=7_350)
    assert "which the floor alone exceeds: nothing is left for the rest" in line
    assert line.startswith("an event takes 136 us end to end, 33 of them in the floor")
    assert "-" not in line.split("allows")[1]
