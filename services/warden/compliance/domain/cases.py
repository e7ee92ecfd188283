"""Cases opened from findings, and the decisions officers make on them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from warden.compliance.domain.findings import NAMESPACE, Finding
from warden.compliance.domain.sanctions import Sanction
from warden.errors import FailedPrecondition, InvalidArgument


class CaseStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Case:
    case_id: str
    employee_id: str
    clause: str
    severity: str
    title: str
    proposed: Sanction
    findings: tuple[Finding, ...]
    opened_at: datetime
    status: CaseStatus = CaseStatus.OPEN
    outcome: Outcome | None = None
    decided_by: str = ""
    decision_reason: str = ""


@dataclass(frozen=True)
class Decision:
    decision_id: str
    case_id: str
    employee_id: str
    outcome: Outcome
    sanction: Sanction | None
    clauses: tuple[str, ...]
    decided_by: tuple[str, ...]
    decided_at: datetime
    effective_date: str
    reason: str


def open_case(finding: Finding, proposed: Sanction) -> Case:
    """One case per finding; its id derives from the finding's, so a redelivery cannot add one."""
    return Case(
        case_id=str(uuid.uuid5(NAMESPACE, f"case|{finding.finding_id}")),
        employee_id=finding.employee_id,
        clause=finding.clause,
        severity=finding.severity,
        title=finding.title,
        proposed=proposed,
        findings=(finding,),
        opened_at=finding.occurred_at,
    )


def decide(
    case: Case, officer_id: str, outcome: Outcome, reason: str, at: datetime
) -> tuple[Case, Decision]:
    """An officer's decision on an open case."""
    if case.status is not CaseStatus.OPEN:
        raise FailedPrecondition(f"case {case.case_id} is already {case.status.value}")
    if officer_id == case.employee_id:
        raise FailedPrecondition(f"officer {officer_id!r} cannot decide a case about themselves")
    if outcome is Outcome.DISMISSED and not reason.strip():
        raise InvalidArgument("reason", "is required to dismiss a case")
    decided = Case(
        **{
            **case.__dict__,
            "status": CaseStatus.DECIDED,
            "outcome": outcome,
            "decided_by": officer_id,
            "decision_reason": reason,
        }
    )
    decision = Decision(
        decision_id=str(uuid.uuid5(NAMESPACE, f"decision|{case.case_id}|1")),
        case_id=case.case_id,
        employee_id=case.employee_id,
        outcome=outcome,
        sanction=case.proposed if outcome is Outcome.CONFIRMED else None,
        clauses=(case.clause,),
        decided_by=(officer_id,),
        decided_at=at,
        effective_date=at.date().isoformat(),
        reason=reason,
    )
    return decided, decision
