"""The commitment table with its override, and the quality figures on small hand-made groups."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from warden.aftersales.domain import quality
from warden.aftersales.domain.commitments import CommitmentTable, load_table
from warden.aftersales.domain.tickets import Ticket
from warden.errors import InvalidArgument

T0 = datetime(2026, 11, 2, 8, tzinfo=UTC)


def test_an_override_file_replaces_the_priorities_it_names(tmp_path: Path) -> None:
    path = tmp_path / "table.json"
    path.write_text(json.dumps({"p1": {"first_response_hours": 0.5, "resolution_hours": 4}}))
    table = load_table(path)
    assert table.due("p1", T0) == (T0 + timedelta(minutes=30), T0 + timedelta(hours=4))
    assert table.due("p4", T0) == CommitmentTable().due("p4", T0)


def test_an_invalid_override_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"p1": {"first_response_hours": 5, "resolution_hours": 2}}))
    with pytest.raises(ValueError, match=f"{path}: 'p1' needs 0 < first_response <= resolution"):
        load_table(path)


def test_an_unknown_priority_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidArgument) as refused:
        CommitmentTable().due("p0", T0)
    assert refused.value.field == "priority"


def ticket(n: int, **changes: object) -> Ticket:
    base = Ticket(
        f"T{n}",
        "C",
        "X",
        "phone",
        "d",
        "dave",
        "in_progress",
        T0,
        category="hw",
        priority="p1",
        first_response_due=T0 + timedelta(hours=1),
        resolution_due=T0 + timedelta(hours=8),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_month_bounds_cover_one_calendar_month_in_utc() -> None:
    assert quality.month_bounds("2026-12") == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    with pytest.raises(InvalidArgument) as refused:
        quality.month_bounds("2026-1")
    assert refused.value.field == "period"


def test_figures_of_a_small_group_counted_by_hand() -> None:
    now = T0 + timedelta(days=2)
    group = [
        # met both: answered at 30 min, resolved at 4 h, survey 5
        ticket(
            1,
            first_response_at=T0 + timedelta(minutes=30),
            resolved_at=T0 + timedelta(hours=4),
            status="closed",
            survey_score=5,
        ),
        # answered late (90 min), resolved late (10 h), reopened once, survey 2
        ticket(
            2,
            first_response_at=T0 + timedelta(minutes=90),
            resolved_at=T0 + timedelta(hours=10),
            status="closed",
            survey_score=2,
            reopen_count=1,
        ),
        # never answered, still open, past both: missed twice, 2 escalations, 3 reassignments
        ticket(3, escalation_count=2, reassignment_count=3),
        # unclassified: not judged
        ticket(4, priority="", first_response_due=None, resolution_due=None),
    ]
    f = quality.figures(group, now)
    assert (f.tickets, f.closed, f.surveys, f.satisfaction_average) == (4, 2, 2, 3.5)
    assert f.satisfaction_distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert (f.first_response_met, f.first_response_missed, f.mean_first_response_minutes) == (
        1,
        2,
        60,
    )
    assert (f.resolution_met, f.resolution_missed, f.mean_resolution_minutes) == (1, 2, 420)
    assert (f.commitment_judged, f.within_commitment, f.within_commitment_bp) == (3, 1, 3333)
    assert (f.reopened, f.ever_closed, f.reopen_rate_bp) == (1, 2, 5000)
    assert (f.escalations, f.reassignments) == (2, 3)


def test_an_empty_group_has_no_averages_or_rates() -> None:
    f = quality.figures([], T0)
    assert (f.satisfaction_average, f.mean_first_response_minutes, f.within_commitment_bp) == (
        None,
        None,
        None,
    )
    assert f.reopen_rate_bp is None and f.tickets == 0


def test_the_report_keeps_only_tickets_received_in_the_month() -> None:
    inside = ticket(1)
    before = ticket(2, received_at=datetime(2026, 10, 31, 23, 59, tzinfo=UTC))
    after = ticket(3, received_at=datetime(2026, 12, 1, tzinfo=UTC), agent_id="erin")
    report = quality.report("2026-11", [inside, before, after], T0)
    assert report.overall.tickets == 1 and list(report.by_agent) == ["dave"]
