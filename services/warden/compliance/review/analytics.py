"""The console's analytics over the compliance tables: cases opened and decided per week by
clause, the median time to a decision, open cases by age, findings per rule per week (active
and shadow) and precision per rule from outcome labels. Rows are read for the period and the
figures computed in domain/analytics.py, the same way on every backend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select

from warden.compliance.domain import analytics as figures
from warden.compliance.domain.cases import CaseStatus
from warden.compliance.domain.labels import Precision
from warden.compliance.storage.schema import (
    case_labels,
    cases,
    decisions,
    findings,
    shadow_findings,
)


@dataclass(frozen=True)
class Analytics:
    weeks: list[str]
    opened: dict[str, list[int]]  # clause -> cases opened per week
    decided: dict[str, list[int]]  # clause -> cases first decided per week
    time_to_decision: figures.TimeToDecision  # of the cases first decided in the period
    open_by_age: list[tuple[str, int]]
    findings: dict[str, list[int]]  # rule id -> active findings per week
    shadow: dict[str, list[int]]  # rule id -> shadow findings per week
    precision: dict[str, Precision]  # rule id -> labels over all its versions


class AnalyticsQueries:
    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def compute(self, weeks: int) -> Analytics:
        now = self.clock()
        start, names = figures.weeks_ending(now, weeks)
        first_decision = (
            select(decisions.c.case_id, func.min(decisions.c.decided_at).label("decided_at"))
            .group_by(decisions.c.case_id)
            .subquery()
        )
        with self.engine.connect() as conn:
            opened = conn.execute(
                select(cases.c.clause, cases.c.opened_at).where(cases.c.opened_at >= start)
            ).all()
            decided = conn.execute(
                select(cases.c.clause, cases.c.opened_at, first_decision.c.decided_at)
                .join(first_decision, first_decision.c.case_id == cases.c.case_id)
                .where(first_decision.c.decided_at >= start)
            ).all()
            still_open = conn.execute(
                select(cases.c.opened_at).where(cases.c.status != CaseStatus.DECIDED.value)
            ).all()
            active = conn.execute(
                select(findings.c.rule_id, findings.c.occurred_at).where(
                    findings.c.occurred_at >= start
                )
            ).all()
            shadow = conn.execute(
                select(shadow_findings.c.rule_id, shadow_findings.c.occurred_at).where(
                    shadow_findings.c.occurred_at >= start
                )
            ).all()
            labelled = conn.execute(
                select(findings.c.rule_id, case_labels.c.label, func.count())
                .join(case_labels, case_labels.c.case_id == findings.c.case_id)
                .group_by(findings.c.rule_id, case_labels.c.label)
            ).all()
        return Analytics(
            weeks=names,
            opened=figures.per_week(((r.clause, _utc(r.opened_at)) for r in opened), names),
            decided=figures.per_week(((r.clause, _utc(r.decided_at)) for r in decided), names),
            time_to_decision=figures.time_to_decision(
                (r.clause, _utc(r.opened_at), _utc(r.decided_at)) for r in decided
            ),
            open_by_age=figures.open_by_age((_utc(r.opened_at) for r in still_open), now),
            findings=figures.per_week(((r.rule_id, _utc(r.occurred_at)) for r in active), names),
            shadow=figures.per_week(((r.rule_id, _utc(r.occurred_at)) for r in shadow), names),
            precision=figures.precision_by_rule((r[0], r[1], r[2]) for r in labelled),
        )


def _utc(moment: datetime) -> datetime:
    # An aggregate (min) loses the column's type on SQLite: its value may come back naive.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
