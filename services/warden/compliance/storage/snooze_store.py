"""Rule snoozes: rows to and from domain objects, the ones judging reads, and the findings they
suppressed (recorded without a case, each with its `suppressed` audit entry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from warden.compliance.domain.cases import ENGINE
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.snoozes import Scope, Snooze
from warden.compliance.storage.audit_store import BULK_AUDIT, audit_end, audit_row
from warden.compliance.storage.case_store import finding_from, finding_row
from warden.compliance.storage.schema import findings, snoozes
from warden.platform.db import BulkInsert

_BULK_FINDINGS = BulkInsert(findings)


def _row(snooze: Snooze) -> dict[str, Any]:
    return {
        "snooze_id": snooze.snooze_id,
        "rule_id": snooze.rule_id,
        "scope": snooze.scope.value,
        "subject": snooze.subject,
        "case_id": snooze.case_id,
        "employee_id": snooze.employee_id,
        "reason": snooze.reason,
        "snoozed_by": snooze.snoozed_by,
        "starts_at": snooze.starts_at,
        "ends_at": snooze.ends_at,
        "lifted_at": snooze.lifted_at,
        "lifted_by": snooze.lifted_by,
        "lift_reason": snooze.lift_reason,
    }


def _from(row: Any) -> Snooze:
    return Snooze(
        snooze_id=row.snooze_id,
        rule_id=row.rule_id,
        scope=Scope(row.scope),
        subject=row.subject,
        case_id=row.case_id,
        employee_id=row.employee_id,
        reason=row.reason,
        snoozed_by=row.snoozed_by,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        lifted_at=row.lifted_at,
        lifted_by=row.lifted_by,
        lift_reason=row.lift_reason,
    )


def add(conn: Connection, snooze: Snooze) -> None:
    conn.execute(snoozes.insert().values(**_row(snooze)))


def lift(conn: Connection, snooze: Snooze) -> None:
    conn.execute(
        snoozes.update()
        .where(snoozes.c.snooze_id == snooze.snooze_id)
        .values(
            lifted_at=snooze.lifted_at, lifted_by=snooze.lifted_by, lift_reason=snooze.lift_reason
        )
    )


def get(conn: Connection, snooze_id: str, for_update: bool = False) -> Snooze | None:
    query = select(snoozes).where(snoozes.c.snooze_id == snooze_id)
    if for_update and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return _from(row) if row else None


# Judging's read (judging/snoozes.py), once per transaction with a finding: a range of the
# index on ends_at.
_ENDING_AFTER = select(snoozes).where(snoozes.c.ends_at > bindparam("moment"))


def ending_after(conn: Connection, moment: datetime) -> list[Snooze]:
    """The snoozes whose period ends after `moment` (by the index on ends_at), lifted or not:
    those that may cover an event of that time or later."""
    return [_from(row) for row in conn.execute(_ENDING_AFTER, {"moment": moment})]


def listed(
    conn: Connection, rule_id: str = "", subject: str = "", ending_after: datetime | None = None
) -> list[Snooze]:
    """Snoozes, newest first, of a rule and a subject when given, ending after a time."""
    query = select(snoozes).order_by(snoozes.c.starts_at.desc(), snoozes.c.snooze_id)
    if rule_id:
        query = query.where(snoozes.c.rule_id == rule_id)
    if subject:
        query = query.where(snoozes.c.subject == subject)
    if ending_after is not None:
        query = query.where(snoozes.c.ends_at > ending_after)
    return [_from(row) for row in conn.execute(query)]


def of_case(conn: Connection, case_id: str) -> list[Snooze]:
    query = select(snoozes).where(snoozes.c.case_id == case_id).order_by(snoozes.c.starts_at)
    return [_from(row) for row in conn.execute(query)]


def suppressed_findings(conn: Connection, snooze_id: str) -> list[Finding]:
    """The findings a snooze suppressed, oldest first."""
    query = (
        select(findings).where(findings.c.snooze_id == snooze_id).order_by(findings.c.occurred_at)
    )
    return [finding_from(row) for row in conn.execute(query)]


def record_suppressed(conn: Connection, suppressed: list[tuple[Finding, Snooze, datetime]]) -> None:
    """Store each suppressed finding (no case, marked with its snooze) and chain its
    `suppressed` audit entry, under the snooze's case, to the audit log; in one statement each.
    Called after the transaction's cases are flushed (case_store.CaseWriter)."""
    if not suppressed:
        return
    rows = [finding_row(f) | {"case_id": None, "snooze_id": s.snooze_id} for f, s, _ in suppressed]
    _BULK_FINDINGS(conn, rows)
    seq, prev = audit_end(conn)
    entries = []
    for finding, snooze, at in suppressed:
        seq += 1
        details = {
            "snooze_id": snooze.snooze_id,
            "finding_id": finding.finding_id,
            "rule_id": finding.rule_id,
            "rule_version": finding.rule_version,
            "employee_id": finding.employee_id,
            "event_ids": list(finding.event_ids),
            "occurred_at": finding.occurred_at.isoformat(),
        }
        entries.append(audit_row(seq, snooze.case_id, ENGINE, "suppressed", at, details, prev))
        prev = entries[-1]["hash"]
    BULK_AUDIT(conn, entries)
