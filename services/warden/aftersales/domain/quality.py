"""Service quality (3.2) per period, agent and category; each number is defined in docs."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from warden.aftersales.domain.tickets import CLOSED, Ticket
from warden.errors import InvalidArgument

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MET, MISSED, PENDING = "met", "missed", "pending"


def month_bounds(period: str) -> tuple[datetime, datetime]:
    """ "2026-11" -> [2026-11-01T00:00Z, 2026-12-01T00:00Z)."""
    match = _MONTH.match(period or "")
    if not match:
        raise InvalidArgument("period", f"{period!r} is not a month like 2026-11")
    year, month = int(match[1]), int(match[2])
    start = datetime(year, month, 1, tzinfo=UTC)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def first_response_outcome(ticket: Ticket, now: datetime) -> str:
    due = ticket.first_response_due
    if due is None:
        return PENDING
    if ticket.first_response_at is not None:
        return MET if ticket.first_response_at <= due else MISSED
    return MISSED if now > due else PENDING


def resolution_outcome(ticket: Ticket, now: datetime) -> str:
    due = ticket.resolution_due
    if due is None:
        return PENDING
    if ticket.resolved_at is not None:
        return MET if ticket.resolved_at <= due else MISSED
    return MISSED if now > due or ticket.status == CLOSED else PENDING


@dataclass(frozen=True)
class QualityFigures:
    """The figures of one group of tickets (all of a period, one agent's, one category's)."""

    tickets: int = 0
    closed: int = 0
    surveys: int = 0
    satisfaction_average: float | None = None
    satisfaction_distribution: dict[int, int] = field(default_factory=dict)
    first_response_met: int = 0
    first_response_missed: int = 0
    mean_first_response_minutes: int | None = None
    resolution_met: int = 0
    resolution_missed: int = 0
    mean_resolution_minutes: int | None = None
    commitment_judged: int = 0
    within_commitment: int = 0
    within_commitment_bp: int | None = None
    reopened: int = 0
    ever_closed: int = 0
    reopen_rate_bp: int | None = None
    escalations: int = 0
    reassignments: int = 0
    closed_without_resolution: int = 0


@dataclass(frozen=True)
class QualityReport:
    period: str
    period_start: datetime
    period_end: datetime
    computed_at: datetime
    overall: QualityFigures
    by_agent: dict[str, QualityFigures]
    by_category: dict[str, QualityFigures]


def _mean_minutes(spans: list[timedelta]) -> int | None:
    if not spans:
        return None
    return int(sum(spans, timedelta()).total_seconds() // 60 // len(spans))


def _bp(part: int, whole: int) -> int | None:
    return part * 10_000 // whole if whole else None


def figures(tickets: Iterable[Ticket], now: datetime) -> QualityFigures:
    group = list(tickets)
    scores = [t.survey_score for t in group if t.survey_score is not None]
    first = [first_response_outcome(t, now) for t in group]
    resolution = [resolution_outcome(t, now) for t in group]
    judged = [(f, r) for f, r in zip(first, resolution, strict=True) if PENDING not in (f, r)]
    within = sum(1 for f, r in judged if f == r == MET)
    reopened = sum(1 for t in group if t.reopen_count)
    ever_closed = sum(1 for t in group if t.status == CLOSED or t.reopen_count)
    return QualityFigures(
        tickets=len(group),
        closed=sum(1 for t in group if t.status == CLOSED),
        surveys=len(scores),
        satisfaction_average=round(sum(scores) / len(scores), 2) if scores else None,
        satisfaction_distribution={s: scores.count(s) for s in range(1, 6)},
        first_response_met=first.count(MET),
        first_response_missed=first.count(MISSED),
        mean_first_response_minutes=_mean_minutes(
            [t.first_response_at - t.received_at for t in group if t.first_response_at]
        ),
        resolution_met=resolution.count(MET),
        resolution_missed=resolution.count(MISSED),
        mean_resolution_minutes=_mean_minutes(
            [t.resolved_at - t.received_at for t in group if t.resolved_at]
        ),
        commitment_judged=len(judged),
        within_commitment=within,
        within_commitment_bp=_bp(within, len(judged)),
        reopened=reopened,
        ever_closed=ever_closed,
        reopen_rate_bp=_bp(reopened, ever_closed),
        escalations=sum(t.escalation_count for t in group),
        reassignments=sum(t.reassignment_count for t in group),
        closed_without_resolution=sum(1 for t in group if t.closed_without_resolution),
    )


def _grouped(
    tickets: list[Ticket], key: Callable[[Ticket], str], now: datetime
) -> dict[str, QualityFigures]:
    keys = sorted({key(t) for t in tickets})
    return {k: figures([t for t in tickets if key(t) == k], now) for k in keys}


def report(period: str, tickets: Iterable[Ticket], now: datetime) -> QualityReport:
    """The report of the tickets received in `period` (a month), as they stand at `now`."""
    start, end = month_bounds(period)
    chosen = [t for t in tickets if start <= t.received_at < end]
    return QualityReport(
        period,
        start,
        end,
        now,
        figures(chosen, now),
        _grouped(chosen, lambda t: t.agent_id, now),
        _grouped(chosen, lambda t: t.category or "unclassified", now),
    )
