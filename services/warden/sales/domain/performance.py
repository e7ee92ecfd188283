"""Performance reports (2.3): revenue against target, pipeline by stage, stage conversion.

The numbers are defined in docs/sales.md; every amount is in the report's one currency."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from warden.sales.domain.periods import Period
from warden.sales.domain.pipeline import STAGES, StageChange, stage_at


@dataclass(frozen=True)
class Revenue:
    """A signed contract's total, or a collected payment, at the moment it happened."""

    salesperson_id: str
    at: datetime
    amount_minor: int


@dataclass(frozen=True)
class OpenValue:
    opportunity_id: str
    salesperson_id: str
    estimated_minor: int  # 0 when the estimate is in another currency


@dataclass(frozen=True)
class StageLine:
    stage: str
    count: int
    value_minor: int


@dataclass(frozen=True)
class Conversion:
    from_stage: str
    to_stage: str
    entered: int
    converted: int
    rate_bp: int | None


@dataclass(frozen=True)
class MemberLine:
    salesperson_id: str
    target_minor: int | None
    signed_minor: int
    collected_minor: int

    @property
    def signed_completion_bp(self) -> int | None:
        return completion_bp(self.signed_minor, self.target_minor)

    @property
    def collected_completion_bp(self) -> int | None:
        return completion_bp(self.collected_minor, self.target_minor)


@dataclass(frozen=True)
class PerformanceReport:
    scope: str  # salesperson | team
    scope_id: str
    period: Period
    currency: str
    totals: MemberLine
    pipeline: tuple[StageLine, ...]
    conversions: tuple[Conversion, ...]
    members: tuple[MemberLine, ...]


def completion_bp(actual_minor: int, target_minor: int | None) -> int | None:
    """actual / target in basis points, rounded down; None without a (positive) target."""
    if not target_minor:
        return None
    return actual_minor * 10_000 // target_minor


def revenue_in(items: Sequence[Revenue], period: Period, salesperson_id: str) -> int:
    return sum(
        r.amount_minor
        for r in items
        if r.salesperson_id == salesperson_id and period.contains(r.at)
    )


def pipeline_at_end(
    opportunities: Sequence[OpenValue], history: Mapping[str, Sequence[StageChange]], end: datetime
) -> tuple[StageLine, ...]:
    """Each stage's opportunities (count, estimated value) as they stood at the period's end."""
    counts = dict.fromkeys(STAGES, 0)
    values = dict.fromkeys(STAGES, 0)
    for opp in opportunities:
        stage = stage_at(history.get(opp.opportunity_id, ()), end)
        if stage is not None:
            counts[stage] += 1
            values[stage] += opp.estimated_minor
    return tuple(StageLine(s, counts[s], values[s]) for s in STAGES)


def conversions(
    history: Mapping[str, Sequence[StageChange]], period: Period
) -> tuple[Conversion, ...]:
    """For each stage and the next: of the opportunities that entered the stage during the
    period, how many entered the next stage after that and before the period's end."""
    result = []
    for here, there in zip(STAGES, STAGES[1:], strict=False):
        entered = converted = 0
        for changes in history.values():
            first = min(
                (
                    c.changed_at
                    for c in changes
                    if c.to_stage == here and period.contains(c.changed_at)
                ),
                default=None,
            )
            if first is None:
                continue
            entered += 1
            if any(c.to_stage == there and first <= c.changed_at < period.end for c in changes):
                converted += 1
        rate = converted * 10_000 // entered if entered else None
        result.append(Conversion(here, there, entered, converted, rate))
    return tuple(result)


def build_report(
    scope: str,
    scope_id: str,
    period: Period,
    currency: str,
    targets: Mapping[str, int | None],
    team_target_minor: int | None,
    signed: Sequence[Revenue],
    collected: Sequence[Revenue],
    opportunities: Sequence[OpenValue],
    history: Mapping[str, Sequence[StageChange]],
) -> PerformanceReport:
    """`targets` holds each salesperson in scope with their target for the period."""
    members = tuple(
        MemberLine(
            sid, targets[sid], revenue_in(signed, period, sid), revenue_in(collected, period, sid)
        )
        for sid in sorted(targets)
    )
    if scope == "salesperson":
        totals = members[0]
    else:
        totals = MemberLine(
            scope_id,
            team_target_minor,
            sum(m.signed_minor for m in members),
            sum(m.collected_minor for m in members),
        )
    return PerformanceReport(
        scope,
        scope_id,
        period,
        currency,
        totals,
        pipeline_at_end(opportunities, history, period.end),
        conversions(history, period),
        members if scope == "team" else (),
    )


def report_from_json(text: str) -> PerformanceReport:
    """The report as stored at publication (the inverse of json of dataclasses.asdict)."""
    doc = json.loads(text)
    return PerformanceReport(
        doc["scope"],
        doc["scope_id"],
        Period(**doc["period"]),
        doc["currency"],
        MemberLine(**doc["totals"]),
        tuple(StageLine(**line) for line in doc["pipeline"]),
        tuple(Conversion(**line) for line in doc["conversions"]),
        tuple(MemberLine(**line) for line in doc["members"]),
    )
