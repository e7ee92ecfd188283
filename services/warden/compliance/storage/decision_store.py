"""Decisions: recorded, listed, and the confirmed violations that make up a record."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select

from warden.compliance.domain.cases import Decision, Outcome
from warden.compliance.storage.row_values import (
    in_chunks,
    names_from,
    names_json,
    sanction_columns,
    sanction_from,
)
from warden.compliance.storage.schema import cases, decisions


def add_decision(conn: Connection, decision: Decision) -> None:
    conn.execute(
        decisions.insert().values(
            decision_id=decision.decision_id,
            case_id=decision.case_id,
            employee_id=decision.employee_id,
            outcome=decision.outcome.value,
            clauses=json.dumps(decision.clauses),
            decided_by=json.dumps(decision.decided_by),
            decided_at=decision.decided_at,
            effective_date=decision.effective_date,
            reason=decision.reason,
            replaces=decision.replaces,
            revision=decision.revision,
            on_behalf_of=names_json(decision.on_behalf_of),
            **sanction_columns(decision.sanction),
        )
    )


def _decision_from(row: Any) -> Decision:
    return Decision(
        decision_id=row.decision_id,
        case_id=row.case_id,
        employee_id=row.employee_id,
        outcome=Outcome(row.outcome),
        sanction=sanction_from(row),
        clauses=tuple(json.loads(row.clauses)),
        decided_by=tuple(json.loads(row.decided_by)),
        decided_at=row.decided_at,
        effective_date=row.effective_date,
        reason=row.reason,
        replaces=row.replaces,
        revision=row.revision,
        on_behalf_of=names_from(row.on_behalf_of),
    )


def list_decisions(conn: Connection, since: datetime | None, limit: int) -> list[Decision]:
    query = select(decisions).order_by(decisions.c.decided_at, decisions.c.seq)
    if since is not None:
        query = query.where(decisions.c.decided_at >= since)
    return [_decision_from(r) for r in conn.execute(query.limit(limit)).all()]


def get_decision(conn: Connection, decision_id: str) -> Decision | None:
    row = conn.execute(select(decisions).where(decisions.c.decision_id == decision_id)).first()
    return _decision_from(row) if row else None


# The standing decisions that impose a sanction, of some employees, oldest first. The join
# names the case by its key as well (a decision's case_id is the case that points to it): so
# the lookup starts from the employees' decisions (their index) and finds each case by key.
# Joined on decision_id alone, SQLite's planner read every case, on each batch with a finding.
_RECORDS = (
    select(decisions)
    .join(
        cases,
        and_(
            cases.c.case_id == decisions.c.case_id,
            cases.c.decision_id == decisions.c.decision_id,
        ),
    )
    .where(
        decisions.c.employee_id.in_(bindparam("employees", expanding=True)),
        decisions.c.outcome != Outcome.DISMISSED.value,
    )
    .order_by(decisions.c.decided_at, decisions.c.seq)
)


def decisions_of_cases(conn: Connection, case_ids: Iterable[str]) -> dict[str, list[Decision]]:
    """Every decision of each case (a revised one and the decision it replaces), oldest first."""
    found: dict[str, list[Decision]] = {case_id: [] for case_id in case_ids}
    for chunk in in_chunks(sorted(found)):
        query = (
            select(decisions)
            .where(decisions.c.case_id.in_(chunk))
            .order_by(decisions.c.decided_at, decisions.c.seq)
        )
        for row in conn.execute(query):
            found[row.case_id].append(_decision_from(row))
    return found


def confirmed_violations(
    conn: Connection, employee_id: str, since: datetime | None = None
) -> list[Decision]:
    """The employee's record: each case's standing decision that imposes a sanction (confirmed
    or amended, not replaced by a later one), oldest first. The sanction ladder reads this."""
    query = _RECORDS if since is None else _RECORDS.where(decisions.c.decided_at >= since)
    return [_decision_from(r) for r in conn.execute(query, {"employees": [employee_id]})]


def records_of(conn: Connection, employee_ids: Iterable[str]) -> dict[str, list[Decision]]:
    """`confirmed_violations` of several employees, in one query per 500."""
    wanted = sorted(set(employee_ids))
    records: dict[str, list[Decision]] = {employee: [] for employee in wanted}
    for chunk in in_chunks(wanted):
        for row in conn.execute(_RECORDS, {"employees": chunk}):
            records[row.employee_id].append(_decision_from(row))
    return records
