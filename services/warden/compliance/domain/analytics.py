"""The figures of the console's analytics, computed from plain rows: ISO weeks, counts per week,
medians of time to a decision, open cases by age bucket, and precision per rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from warden.compliance.domain.labels import Label, Precision
from warden.errors import InvalidArgument

DEFAULT_WEEKS = 12
MAX_WEEKS = 104
# Open cases by age: (label, upper bound exclusive); the last bucket has no bound.
AGE_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("<1d", timedelta(days=1)),
    ("1-3d", timedelta(days=3)),
    ("3-7d", timedelta(days=7)),
    ("7-30d", timedelta(days=30)),
    (">30d", None),
)


def parse_weeks(text: str | None) -> int:
    """The period selector: a whole number of weeks back, 1 to MAX_WEEKS (default when empty)."""
    if text is None or not text.strip():
        return DEFAULT_WEEKS
    try:
        weeks = int(text.strip())
    except ValueError:
        raise InvalidArgument(
            "weeks", f"give a whole number of weeks from 1 to {MAX_WEEKS}, not {text!r}"
        ) from None
    if not 1 <= weeks <= MAX_WEEKS:
        raise InvalidArgument("weeks", f"give a number of weeks from 1 to {MAX_WEEKS}, not {weeks}")
    return weeks


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 of the ISO week holding `moment`, in its time zone."""
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=moment.isoweekday() - 1)


def weeks_ending(now: datetime, count: int) -> tuple[datetime, list[str]]:
    """The start of the period and its `count` ISO weeks, oldest first, the last one holding now."""
    start = week_start(now) - timedelta(weeks=count - 1)
    return start, [iso_week(start + timedelta(weeks=i)) for i in range(count)]


def per_week(rows: Iterable[tuple[str, datetime]], weeks: list[str]) -> dict[str, list[int]]:
    """Counts per key and week, in the order of `weeks`; moments outside them are left out."""
    index = {week: i for i, week in enumerate(weeks)}
    counts: dict[str, list[int]] = {}
    for key, moment in rows:
        i = index.get(iso_week(moment))
        if i is not None:
            counts.setdefault(key, [0] * len(weeks))[i] += 1
    return dict(sorted(counts.items()))


def median(spans: Iterable[timedelta]) -> timedelta | None:
    """The median span (mean of the two middle ones for an even count); None for none."""
    ordered = sorted(spans)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@dataclass(frozen=True)
class TimeToDecision:
    overall: timedelta | None
    by_clause: dict[str, timedelta | None]
    decided: int


def time_to_decision(rows: Iterable[tuple[str, datetime, datetime]]) -> TimeToDecision:
    """From (clause, opened at, first decided at): the median span, overall and per clause."""
    spans: dict[str, list[timedelta]] = {}
    for clause, opened, decided in rows:
        spans.setdefault(clause, []).append(max(decided - opened, timedelta(0)))
    every = [span for listed in spans.values() for span in listed]
    by_clause = {clause: median(listed) for clause, listed in sorted(spans.items())}
    return TimeToDecision(median(every), by_clause, len(every))


def age_bucket(age: timedelta) -> str:
    for label, bound in AGE_BUCKETS:
        if bound is None or age < bound:
            return label
    raise AssertionError("the last bucket has no bound")


def open_by_age(opened: Iterable[datetime], now: datetime) -> list[tuple[str, int]]:
    """How many open cases fall in each age bucket, every bucket listed."""
    counts = {label: 0 for label, _ in AGE_BUCKETS}
    for moment in opened:
        counts[age_bucket(now - moment)] += 1
    return list(counts.items())


def precision_by_rule(rows: Iterable[tuple[str, str, int]]) -> dict[str, Precision]:
    """From (rule id, label, findings): each rule's precision over all its versions."""
    figures: dict[str, Precision] = {}
    for rule_id, label, count in rows:
        figures[rule_id] = figures.get(rule_id, Precision()).counted(Label(label), count)
    return dict(sorted(figures.items()))
