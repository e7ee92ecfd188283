"""Cases, the decisions on them and the proposals awaiting a second officer, as records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from warden.compliance.domain.findings import Finding, stable_id
from warden.compliance.domain.sanctions import Sanction
from warden.people import person

ENGINE = "warden-engine"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    DECIDED = "decided"
    APPEALED = "appealed"


class Outcome(StrEnum):
    CONFIRMED = "confirmed"
    AMENDED = "amended"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    at: datetime


@dataclass(frozen=True)
class Proposal:
    """A decision one officer made that a second, different officer must confirm."""

    outcome: Outcome
    sanction: Sanction | None
    reason: str
    officer_id: str  # who recorded it: the caller
    at: datetime
    on_behalf_of: str = ""  # the officer who decided it on paper, when an admin recorded it

    @property
    def people(self) -> set[str]:
        return signature_people(self.officer_id, self.on_behalf_of)


def signature_people(actor: str, on_behalf_of: str) -> set[str]:
    """The people one signature stands for: its actor, and the officer named on paper."""
    return {person(n) for n in (actor, on_behalf_of) if n.strip()}


def _aligned(names: tuple[str, ...], width: int) -> tuple[str, ...]:
    return tuple(names[i] if i < len(names) else "" for i in range(width))


@dataclass(frozen=True)
class Case:
    case_id: str
    employee_id: str
    clause: str
    severity: str
    title: str
    proposed: Sanction
    findings: tuple[Finding, ...]
    opened_at: datetime  # when Warden opened the case (processing time)
    occurred_at: datetime  # when the violation happened (its event's time)
    status: CaseStatus = CaseStatus.OPEN
    outcome: Outcome | None = None
    decided_by: str = ""
    decision_reason: str = ""
    raised_by: str = ENGINE
    assignee: str = ""
    claimed_at: datetime | None = None
    comments: tuple[Comment, ...] = ()
    pending: Proposal | None = None
    decision_id: str = ""
    revision: int = 0
    appeal_reason: str = ""
    # The sanction ladder's reasoning and the 4.3.2 flags of the proposal (issue 5).
    proposal_reasoning: str = ""
    dismissal_review: bool = False
    legal_referral: bool = False
    # For each name in decided_by, the officer they recorded the decision for on paper ("":
    # they decided it themselves); empty when no one recorded one on paper.
    on_behalf_of: tuple[str, ...] = ()
    # The inbox the case waits in and when it is due: opened plus the inbox's SLA
    # (domain/inboxes.py); set when the case is stored.
    inbox: str = ""
    due_at: datetime | None = None

    @property
    def signatures(self) -> tuple[tuple[str, str], ...]:
        """(actor, on behalf of) of each signature of the decision, "" for no one."""
        actors = tuple(n for n in self.decided_by.split(", ") if n)
        return tuple(zip(actors, _aligned(self.on_behalf_of, len(actors)), strict=True))

    def unclaimed_for(self, now: datetime) -> timedelta:
        """How long the case has waited for someone to claim it (zero once claimed)."""
        if self.status not in (CaseStatus.OPEN, CaseStatus.APPEALED) or self.assignee:
            return timedelta(0)
        return max(now - self.opened_at, timedelta(0))


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
    replaces: str | None = None
    revision: int = 1
    on_behalf_of: tuple[str, ...] = ()  # aligned with decided_by, as Case.on_behalf_of

    @property
    def signatures(self) -> tuple[tuple[str, str], ...]:
        width = len(self.decided_by)
        return tuple(zip(self.decided_by, _aligned(self.on_behalf_of, width), strict=True))


@dataclass(frozen=True)
class Choice:
    """What an officer decides: confirm the proposal, amend it (another sanction), or dismiss."""

    outcome: Outcome
    reason: str = ""
    sanction: Sanction | None = None


def open_case(
    finding: Finding,
    proposed: Sanction,
    opened_at: datetime,
    raised_by: str = ENGINE,
    proposal_reasoning: str = "",
    dismissal_review: bool = False,
    legal_referral: bool = False,
) -> Case:
    """One case per finding, opened at `opened_at` (now), about what happened at the finding's
    time; its id derives from the finding's, so a redelivery cannot add one. The sanction
    ladder's reasoning and 4.3.2 flags come with the proposed sanction."""
    return Case(
        case_id=stable_id(f"case|{finding.finding_id}"),
        employee_id=finding.employee_id,
        clause=finding.clause,
        severity=finding.severity,
        title=finding.title,
        proposed=proposed,
        findings=(finding,),
        opened_at=opened_at,
        occurred_at=finding.occurred_at,
        raised_by=raised_by,
        proposal_reasoning=proposal_reasoning,
        dismissal_review=dismissal_review,
        legal_referral=legal_referral,
    )
