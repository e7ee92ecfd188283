"""Findings and cases: rows to and from domain objects, reads and filters, saves, comments,
employees' departments."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from warden.compliance.domain.cases import ENGINE, Case, CaseStatus, Comment, Outcome, Proposal
from warden.compliance.domain.findings import Finding
from warden.compliance.storage import queue_store
from warden.compliance.storage.audit_store import BULK_AUDIT, audit_end, audit_row
from warden.compliance.storage.queue_store import ASSIGNED
from warden.compliance.storage.row_values import (
    names_from,
    names_json,
    sanction_columns,
    sanction_from,
)
from warden.compliance.storage.schema import cases, comments, employees, findings
from warden.errors import FailedPrecondition
from warden.platform import jsontext
from warden.platform.db import BulkInsert

# Judging opens many cases per transaction: each kind of row is written in one statement.
_BULK_CASES = BulkInsert(cases)
_BULK_FINDINGS = BulkInsert(findings)


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "employee_id": case.employee_id,
        "clause": case.clause,
        "severity": case.severity,
        "title": case.title,
        "opened_at": case.opened_at,
        "occurred_at": case.occurred_at,
        "status": case.status.value,
        "outcome": None,
        "decided_by": "",
        "decision_reason": "",
        "raised_by": case.raised_by,
        "assignee": case.assignee,
        "claimed_at": case.claimed_at,
        "inbox": case.inbox or None,
        "due_at": case.due_at,
        "pending": None,
        "revision": 0,
        "decision_id": "",
        "appeal_reason": "",
        "proposal_reasoning": case.proposal_reasoning,
        "dismissal_review": case.dismissal_review,
        "legal_referral": case.legal_referral,
        **sanction_columns(case.proposed),
    }


def finding_row(finding: Finding) -> dict[str, Any]:
    return {
        "finding_id": finding.finding_id,
        "rule_id": finding.rule_id,
        "rule_version": finding.rule_version,
        "clause": finding.clause,
        "severity": finding.severity,
        "title": finding.title,
        "employee_id": finding.employee_id,
        "event_ids": jsontext.dumps(finding.event_ids),
        "event_sources": jsontext.dumps(finding.event_sources),
        "reasons": jsontext.dumps(finding.reasons),
        "occurred_at": finding.occurred_at,
    }


class CaseWriter:
    """The cases one transaction opens, written together when it flushes (at the transaction's
    end): their rows, their findings and their `created` audit entries, each kind in one
    statement. The audit chain's end is read (and on PostgreSQL its lock taken, held until
    the commit) only then, and the entries chained in memory: replicas judging at the same
    time queue for the chain during their last statements and commit, not for the whole of
    their judging, as they did when the lock was taken at the first case. Nothing else may
    append to the audit chain in the same transaction between a flush's start and its end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._findings: list[dict[str, Any]] = []
        self._created: list[Case] = []

    def add(self, case: Case) -> None:
        opened = {"case_id": case.case_id, "snooze_id": None}
        self._findings += [finding_row(f) | opened for f in case.findings]
        self._created.append(case)

    def flush(self) -> list[Case]:
        """Write the cases, each in its inbox with its due date and assignee
        (queue_store.place, under the audit chain's lock); the cases as stored."""
        if not self._created:
            return []
        # PostgreSQL: the chain's lock (and its end) first, so placements do not race. SQLite:
        # read after the inserts, as its first write takes the database's lock.
        early = audit_end(self.conn) if self.conn.dialect.name == "postgresql" else None
        self._created = queue_store.place(self.conn, self._created)
        _BULK_CASES(self.conn, [_case_row(c) for c in self._created])
        _BULK_FINDINGS(self.conn, self._findings)
        self._findings.clear()
        seq, prev = early or audit_end(self.conn)
        entries = []
        for case in self._created:
            seq += 1
            details = {
                "employee_id": case.employee_id,
                "clause": case.clause,
                "severity": case.severity,
                "proposed": str(case.proposed),
                "findings": [f.finding_id for f in case.findings],
            }
            entries.append(
                audit_row(
                    seq, case.case_id, case.raised_by, "created", case.opened_at, details, prev
                )
            )
            prev = entries[-1]["hash"]
            if case.assignee:  # assigned to an officer of its inbox (queue_store.place)
                seq += 1
                assigned = {"officer": case.assignee, "inbox": case.inbox}
                entries.append(
                    audit_row(seq, case.case_id, ENGINE, ASSIGNED, case.opened_at, assigned, prev)
                )
                prev = entries[-1]["hash"]
        BULK_AUDIT(self.conn, entries)
        stored, self._created = self._created, []
        return stored


def add_case(conn: Connection, case: Case) -> Case:
    """Open one case now, in the caller's transaction (see CaseWriter for many); as stored."""
    writer = CaseWriter(conn)
    writer.add(case)
    (stored,) = writer.flush()
    return stored


def finding_from(row: Any) -> Finding:
    return Finding(
        finding_id=row.finding_id,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
        clause=row.clause,
        severity=row.severity,
        title=row.title,
        employee_id=row.employee_id,
        event_ids=tuple(json.loads(row.event_ids)),
        reasons=tuple(json.loads(row.reasons)),
        occurred_at=row.occurred_at,
        event_sources=tuple(json.loads(row.event_sources or "[]")),
    )


def _proposal_json(pending: Proposal | None) -> str | None:
    if pending is None:
        return None
    return json.dumps(
        {
            "outcome": pending.outcome.value,
            "sanction": sanction_columns(pending.sanction),
            "reason": pending.reason,
            "officer_id": pending.officer_id,
            "at": pending.at.isoformat(),
            # Only when named: a proposal an older Warden stored compares equal (save_case).
            **({"on_behalf_of": pending.on_behalf_of} if pending.on_behalf_of else {}),
        }
    )


def _proposal_from(text: str | None) -> Proposal | None:
    if not text:
        return None
    raw = json.loads(text)
    return Proposal(
        outcome=Outcome(raw["outcome"]),
        sanction=sanction_from(_Row(raw["sanction"])),
        reason=raw["reason"],
        officer_id=raw["officer_id"],
        at=datetime.fromisoformat(raw["at"]),
        on_behalf_of=raw.get("on_behalf_of", ""),
    )


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _case_from(conn: Connection, row: Any) -> Case:
    found = conn.execute(
        select(findings).where(findings.c.case_id == row.case_id).order_by(findings.c.occurred_at)
    ).all()
    said = conn.execute(
        select(comments).where(comments.c.case_id == row.case_id).order_by(comments.c.seq)
    ).all()
    proposed = sanction_from(row)
    assert proposed is not None
    return Case(
        case_id=row.case_id,
        employee_id=row.employee_id,
        clause=row.clause,
        severity=row.severity,
        title=row.title,
        proposed=proposed,
        findings=tuple(finding_from(f) for f in found),
        opened_at=row.opened_at,
        occurred_at=row.occurred_at,
        status=CaseStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        decided_by=row.decided_by,
        decision_reason=row.decision_reason,
        raised_by=row.raised_by,
        assignee=row.assignee,
        claimed_at=row.claimed_at,
        comments=tuple(Comment(c.author, c.text, c.at) for c in said),
        pending=_proposal_from(row.pending),
        decision_id=row.decision_id,
        revision=row.revision,
        appeal_reason=row.appeal_reason,
        proposal_reasoning=row.proposal_reasoning or "",
        dismissal_review=bool(row.dismissal_review),
        legal_referral=bool(row.legal_referral),
        on_behalf_of=names_from(row.on_behalf_of),
        inbox=row.inbox or "",
        due_at=row.due_at,
    )


def get_case(conn: Connection, case_id: str, for_update: bool = False) -> Case | None:
    """A case; `for_update` locks its row until the transaction ends (PostgreSQL), so two
    officers acting on one case at once are serialised."""
    query = select(cases).where(cases.c.case_id == case_id)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    return _case_from(conn, row) if row else None


@dataclass(frozen=True)
class CaseFilter:
    """What the queue shows: every criterion is optional; ages are relative to `now`."""

    status: CaseStatus | None = None
    severity: str = ""
    clause: str = ""
    employee_id: str = ""
    department: str = ""
    opened_before: datetime | None = None
    assignee: str = ""
    # An officer never sees the cases about themselves (an employee id as people.person gives).
    hidden_from: str = ""
    inbox: str = ""
    # Set: the queue's order at this time (overdue first, then by due date), not newest first.
    queue_at: datetime | None = None


def _filtered(query: Any, where: CaseFilter) -> Any:
    if where.status is not None:
        query = query.where(cases.c.status == where.status.value)
    if where.severity:
        query = query.where(cases.c.severity == where.severity)
    if where.clause:
        query = query.where(cases.c.clause == where.clause)
    if where.employee_id:
        query = query.where(cases.c.employee_id == where.employee_id)
    if where.assignee:
        query = query.where(cases.c.assignee == where.assignee)
    if where.inbox:
        query = query.where(cases.c.inbox == where.inbox)
    if where.hidden_from:
        query = query.where(func.lower(func.trim(cases.c.employee_id)) != where.hidden_from)
    if where.opened_before is not None:
        query = query.where(cases.c.opened_at <= where.opened_before)
    if where.department:
        members = select(employees.c.employee_id).where(employees.c.department == where.department)
        query = query.where(cases.c.employee_id.in_(members))
    return query


def list_cases(
    conn: Connection, status: CaseStatus | CaseFilter | None, limit: int, offset: int
) -> list[Case]:
    where = status if isinstance(status, CaseFilter) else CaseFilter(status=status)
    order = (
        queue_store.queue_order(where.queue_at)
        if where.queue_at is not None
        else (cases.c.opened_at.desc(), cases.c.case_id)
    )
    query = _filtered(select(cases), where).order_by(*order)
    rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [_case_from(conn, r) for r in rows]


def open_case_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """(clause, severity, count) of the cases not decided yet."""
    rows = conn.execute(
        select(cases.c.clause, cases.c.severity, func.count())
        .where(cases.c.status != CaseStatus.DECIDED.value)
        .group_by(cases.c.clause, cases.c.severity)
        .order_by(cases.c.clause, cases.c.severity)
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def oldest_open(conn: Connection) -> datetime | None:
    """When the oldest case not decided yet was opened."""
    return conn.execute(
        select(func.min(cases.c.opened_at)).where(cases.c.status != CaseStatus.DECIDED.value)
    ).scalar()


def department_of(conn: Connection, employee_id: str) -> str:
    row = conn.execute(
        select(employees.c.department).where(employees.c.employee_id == employee_id)
    ).first()
    return str(row[0]) if row else ""


def set_department(conn: Connection, employee_id: str, department: str, at: datetime) -> None:
    updated = conn.execute(
        employees.update()
        .where(employees.c.employee_id == employee_id)
        .values(department=department, updated_at=at)
    )
    if not updated.rowcount:
        conn.execute(
            employees.insert().values(employee_id=employee_id, department=department, updated_at=at)
        )


def count_findings(conn: Connection) -> int:
    return len(conn.execute(select(findings.c.finding_id)).all())


def save_case(conn: Connection, case: Case, before: Case | None = None) -> None:
    """Write a case's review state (status, assignee, pending proposal, decision). With
    `before`, only if the stored state is still `before`'s: another officer's concurrent
    change makes this FailedPrecondition instead of being overwritten."""
    query = cases.update().where(cases.c.case_id == case.case_id)
    if before is not None:
        pending = _proposal_json(before.pending)
        query = query.where(
            cases.c.status == before.status.value,
            cases.c.assignee == before.assignee,
            cases.c.revision == before.revision,
            cases.c.pending.is_(None) if pending is None else cases.c.pending == pending,
        )
    written = conn.execute(
        query.values(
            status=case.status.value,
            outcome=case.outcome.value if case.outcome else None,
            decided_by=case.decided_by,
            on_behalf_of=names_json(case.on_behalf_of),
            decision_reason=case.decision_reason,
            assignee=case.assignee,
            claimed_at=case.claimed_at,
            pending=_proposal_json(case.pending),
            decision_id=case.decision_id,
            revision=case.revision,
            appeal_reason=case.appeal_reason,
        )
    )
    if before is not None and written.rowcount != 1:
        raise FailedPrecondition(
            f"status: case {case.case_id} was changed by someone else meanwhile; reload it"
        )


def add_comment(conn: Connection, case_id: str, comment: Comment) -> None:
    conn.execute(
        comments.insert().values(
            case_id=case_id, author=comment.author, text=comment.text, at=comment.at
        )
    )
