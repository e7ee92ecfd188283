"""Compliance persistence: inbox, stored events, findings, cases, decisions, outbox."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)

from warden.compliance.domain.cases import Case, CaseStatus, Decision, Outcome
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import UtcDateTime
from warden.platform.outbox import Outbox, outbox_table

metadata = MetaData()

inbox = Table(
    "inbox",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("event_id", String(200), primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", Integer, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("source", String(200), nullable=False),
    Column("type", String(200), nullable=False, index=True),
    Column("subject", String(200), nullable=False, index=True),
    Column("time", UtcDateTime, nullable=False, index=True),
    Column("payload", Text, nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("finding_id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=True, index=True),
    Column("rule_id", String(200), nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("clause", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("employee_id", String(200), nullable=False, index=True),
    Column("event_ids", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("employee_id", String(200), nullable=False, index=True),
    Column("clause", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("sanction_kind", String(16), nullable=False),
    Column("sanction_amount_minor", Integer, nullable=False),
    Column("sanction_currency", String(3), nullable=False),
    Column("sanction_days", Integer, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("outcome", String(16), nullable=True),
    Column("decided_by", String(200), nullable=False, default=""),
    Column("decision_reason", Text, nullable=False, default=""),
)

decisions = Table(
    "decisions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=False),
    Column("employee_id", String(200), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("sanction_kind", String(16), nullable=True),
    Column("sanction_amount_minor", Integer, nullable=False),
    Column("sanction_currency", String(3), nullable=False),
    Column("sanction_days", Integer, nullable=False),
    Column("clauses", Text, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False, index=True),
    Column("effective_date", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    UniqueConstraint("case_id", "decision_id"),
)

outbox = Outbox(outbox_table(metadata))


def already_processed(conn: Connection, event: CloudEvent) -> bool:
    row = conn.execute(
        select(inbox.c.event_id).where(inbox.c.source == event.source, inbox.c.event_id == event.id)
    ).first()
    return row is not None


def record_received(
    conn: Connection, event: CloudEvent, topic: str, partition: int, offset: int, at: datetime
) -> None:
    conn.execute(
        inbox.insert().values(
            source=event.source,
            event_id=event.id,
            topic=topic,
            partition=partition,
            offset=offset,
            received_at=at,
        )
    )
    conn.execute(
        events.insert().values(
            event_id=event.id,
            source=event.source,
            type=event.type,
            subject=event.subject,
            time=event.time,
            payload=event.to_json(),
        )
    )


def _sanction_columns(sanction: Sanction | None) -> dict[str, Any]:
    return {
        "sanction_kind": sanction.kind.value if sanction else None,
        "sanction_amount_minor": sanction.amount_minor if sanction else 0,
        "sanction_currency": sanction.currency if sanction else "",
        "sanction_days": sanction.days if sanction else 0,
    }


def _sanction_from(row: Any) -> Sanction | None:
    if not row.sanction_kind:
        return None
    return Sanction(
        SanctionKind(row.sanction_kind),
        row.sanction_amount_minor,
        row.sanction_currency,
        row.sanction_days,
    )


def add_case(conn: Connection, case: Case) -> None:
    conn.execute(
        cases.insert().values(
            case_id=case.case_id,
            employee_id=case.employee_id,
            clause=case.clause,
            severity=case.severity,
            title=case.title,
            opened_at=case.opened_at,
            status=case.status.value,
            outcome=None,
            decided_by="",
            decision_reason="",
            **_sanction_columns(case.proposed),
        )
    )
    for finding in case.findings:
        conn.execute(
            findings.insert().values(
                finding_id=finding.finding_id,
                case_id=case.case_id,
                rule_id=finding.rule_id,
                rule_version=finding.rule_version,
                clause=finding.clause,
                severity=finding.severity,
                title=finding.title,
                employee_id=finding.employee_id,
                event_ids=json.dumps(finding.event_ids),
                reasons=json.dumps(finding.reasons),
                occurred_at=finding.occurred_at,
            )
        )


def _finding_from(row: Any) -> Finding:
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
    )


def _case_from(conn: Connection, row: Any) -> Case:
    found = conn.execute(
        select(findings).where(findings.c.case_id == row.case_id).order_by(findings.c.occurred_at)
    ).all()
    proposed = _sanction_from(row)
    assert proposed is not None
    return Case(
        case_id=row.case_id,
        employee_id=row.employee_id,
        clause=row.clause,
        severity=row.severity,
        title=row.title,
        proposed=proposed,
        findings=tuple(_finding_from(f) for f in found),
        opened_at=row.opened_at,
        status=CaseStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        decided_by=row.decided_by,
        decision_reason=row.decision_reason,
    )


def get_case(conn: Connection, case_id: str) -> Case | None:
    row = conn.execute(select(cases).where(cases.c.case_id == case_id)).first()
    return _case_from(conn, row) if row else None


def list_cases(conn: Connection, status: CaseStatus | None, limit: int, offset: int) -> list[Case]:
    query = select(cases).order_by(cases.c.opened_at.desc(), cases.c.case_id)
    if status is not None:
        query = query.where(cases.c.status == status.value)
    rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [_case_from(conn, r) for r in rows]


def count_findings(conn: Connection) -> int:
    return len(conn.execute(select(findings.c.finding_id)).all())


def update_case_decision(conn: Connection, case: Case) -> None:
    conn.execute(
        cases.update()
        .where(cases.c.case_id == case.case_id)
        .values(
            status=case.status.value,
            outcome=case.outcome.value if case.outcome else None,
            decided_by=case.decided_by,
            decision_reason=case.decision_reason,
        )
    )


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
            **_sanction_columns(decision.sanction),
        )
    )


def _decision_from(row: Any) -> Decision:
    return Decision(
        decision_id=row.decision_id,
        case_id=row.case_id,
        employee_id=row.employee_id,
        outcome=Outcome(row.outcome),
        sanction=_sanction_from(row),
        clauses=tuple(json.loads(row.clauses)),
        decided_by=tuple(json.loads(row.decided_by)),
        decided_at=row.decided_at,
        effective_date=row.effective_date,
        reason=row.reason,
    )


def list_decisions(conn: Connection, since: datetime | None, limit: int) -> list[Decision]:
    query = select(decisions).order_by(decisions.c.decided_at, decisions.c.seq)
    if since is not None:
        query = query.where(decisions.c.decided_at >= since)
    return [_decision_from(r) for r in conn.execute(query.limit(limit)).all()]
