"""The analytics figures from plain rows: ISO weeks, counts per week, medians, age buckets and
precision per rule, each checked against a value worked out here another way."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from warden.compliance.domain import analytics as fig
from warden.errors import InvalidArgument

# Thursday of ISO week 2026-W49 (Monday 30 November 2026).
NOW = datetime(2026, 12, 3, 15, 30, tzinfo=UTC)


def test_the_period_is_the_last_weeks_ending_with_the_current_one() -> None:
    start, weeks = fig.weeks_ending(NOW, 3)
    assert start == datetime(2026, 11, 16, tzinfo=UTC)
    assert weeks == ["2026-W47", "2026-W48", "2026-W49"]
    # Across a year boundary: 2027-01-01 is a Friday of 2026's week 53.
    _, weeks = fig.weeks_ending(datetime(2027, 1, 5, tzinfo=UTC), 2)
    assert weeks == ["2026-W53", "2027-W01"]


def test_counts_per_week_by_key_match_a_count_by_calendar_dates() -> None:
    rng = random.Random(7)
    start, weeks = fig.weeks_ending(NOW, 4)
    rows = [
        (rng.choice(["4.1.1", "4.2.1"]), start + timedelta(hours=rng.randrange(-200, 28 * 24)))
        for _ in range(300)
    ]
    counts = fig.per_week(rows, weeks)
    for key, per in counts.items():
        for i, week in enumerate(weeks):
            year, number = int(week[:4]), int(week[-2:])
            monday = datetime.fromisocalendar(year, number, 1).replace(tzinfo=UTC)
            expected = sum(1 for k, at in rows if k == key and monday <= at < monday + timedelta(7))
            assert per[i] == expected
    # Rows before the period are left out, not counted in the first week.
    assert sum(map(sum, counts.values())) == sum(1 for _, at in rows if at >= start)


def test_the_median_time_to_a_decision_overall_and_per_clause() -> None:
    opened = NOW - timedelta(days=10)
    hours = {"4.1.1": [5, 1, 9], "4.2.1": [2, 30, 4, 8]}
    rows = [(c, opened, opened + timedelta(hours=h)) for c, hs in hours.items() for h in hs]
    ttd = fig.time_to_decision(rows)
    assert ttd.decided == 7
    assert ttd.by_clause == {c: timedelta(hours=statistics.median(hs)) for c, hs in hours.items()}
    everything = [h for hs in hours.values() for h in hs]
    assert ttd.overall == timedelta(hours=statistics.median(everything))
    assert fig.time_to_decision([]).overall is None


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (timedelta(0), "<1d"),
        (timedelta(hours=23, minutes=59), "<1d"),
        (timedelta(days=1), "1-3d"),
        (timedelta(days=3), "3-7d"),
        (timedelta(days=6, hours=23), "3-7d"),
        (timedelta(days=7), "7-30d"),
        (timedelta(days=30), ">30d"),
        (timedelta(days=400), ">30d"),
    ],
)
def test_an_open_case_falls_in_the_bucket_of_its_age(age: timedelta, bucket: str) -> None:
    counts = dict(fig.open_by_age([NOW - age], NOW))
    assert counts[bucket] == 1
    assert sum(counts.values()) == 1
    assert list(counts) == ["<1d", "1-3d", "3-7d", "7-30d", ">30d"]


def test_precision_per_rule_adds_its_versions_labels() -> None:
    rows = [
        ("r1", "true_violation", 3),
        ("r1", "false_positive", 1),
        ("r1", "true_violation", 2),  # another version of r1
        ("r1", "inconclusive", 4),
        ("r2", "inconclusive", 2),
    ]
    precision = fig.precision_by_rule(rows)
    assert precision["r1"].value == 5 / 6
    assert precision["r1"].inconclusive == 4
    assert precision["r2"].value is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "whole number of weeks from 1 to 104, not 'abc'"),
        ("0", "from 1 to 104, not 0"),
        ("105", "from 1 to 104, not 105"),
        ("-3", "from 1 to 104, not -3"),
        ("2.5", "not '2.5'"),
    ],
)
def test_a_bad_period_is_refused_precisely(text: str, message: str) -> None:
    with pytest.raises(InvalidArgument, match="weeks") as refused:
        fig.parse_weeks(text)
    assert message in str(refused.value)


def test_the_period_defaults_and_accepts_its_bounds() -> None:
    assert fig.parse_weeks(None) == fig.parse_weeks("") == fig.DEFAULT_WEEKS
    assert fig.parse_weeks(" 1 ") == 1
    assert fig.parse_weeks("104") == 104
