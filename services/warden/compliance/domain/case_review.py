"""What officers may do to a case, as rules: claim, comment, decide (four eyes for severe
sanctions), confirm or reject a proposal, appeal. Each step returns the case it makes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime

from warden.compliance.domain.cases import (
    Case,
    CaseStatus,
    Choice,
    Comment,
    Decision,
    Outcome,
    Proposal,
    open_case,
    signature_people,
)
from warden.compliance.domain.findings import CLAUSES, NAMESPACE, SEVERITIES, Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.people import person, same_person

FOUR_EYES = (SanctionKind.SUSPENSION, SanctionKind.DISMISSAL)
MAX_SUSPENSION_DAYS = 365


def not_concerned(case: Case, officer_id: str, act: str = "review") -> None:
    """The employee a case is about never reads, comments on, appeals or reviews it as an
    officer (names compared as people: trimmed, case-folded)."""
    if same_person(officer_id, case.employee_id):
        raise PermissionDenied(
            f"self-review: officer {officer_id!r} cannot {act} case {case.case_id} about themselves"
        )


def _not_involved(case: Case, officer_id: str) -> None:
    not_concerned(case, officer_id)
    if same_person(officer_id, case.raised_by):
        raise PermissionDenied(
            f"raised_by: officer {officer_id!r} raised case {case.case_id} and cannot review it"
        )


def _paper_officer(case: Case, name: str) -> None:
    """The officer an admin names as having decided on paper is held to the same rules."""
    if same_person(name, case.employee_id):
        raise PermissionDenied(
            f"on_behalf_of: case {case.case_id} is about {name.strip()!r}; no one decides "
            "their own case, on paper or not"
        )
    if same_person(name, case.raised_by):
        raise PermissionDenied(
            f"on_behalf_of: {name.strip()!r} raised case {case.case_id} and cannot review it"
        )
    if case.revision == 1:
        _not_under_appeal(case, name)


def _not_under_appeal(case: Case, officer_id: str) -> None:
    """On appeal, the officers who made the decision under appeal do not review it again, nor
    those they recorded it for on paper."""
    decided_by = set().union(*(signature_people(a, b) for a, b in case.signatures))
    if case.appeal_reason and person(officer_id) in decided_by:
        raise PermissionDenied(
            f"appeal: officer {officer_id!r} made the decision under appeal; "
            "a different officer must review it"
        )


def claim(case: Case, officer_id: str, at: datetime) -> Case:
    """The officer takes an open (or appealed) case into review."""
    _not_involved(case, officer_id)
    if case.status not in (CaseStatus.OPEN, CaseStatus.APPEALED):
        holder = f" by {case.assignee}" if case.assignee else ""
        raise FailedPrecondition(
            f"status: case {case.case_id} is {case.status.value}{holder}, not open to claim"
        )
    if case.status is CaseStatus.APPEALED:
        _not_under_appeal(case, officer_id)
    return replace(case, status=CaseStatus.IN_REVIEW, assignee=officer_id, claimed_at=at)


# Officers' and employees' free text (comments, decision, rejection and appeal reasons). A
# decision's reason travels to HR on Kafka, whose records are at most 1 MB.
TEXT_LIMIT = 4000


def _at_most(text: str, field: str, what: str) -> None:
    if len(text) > TEXT_LIMIT:
        raise InvalidArgument(field, f"{what} is at most {TEXT_LIMIT} characters, not {len(text)}")


def comment(case: Case, author: str, text: str, at: datetime) -> Comment:
    """A comment on a case; any officer but the employee concerned may comment at any stage."""
    not_concerned(case, author, "comment on")
    if not text.strip():
        raise InvalidArgument("text", "a comment cannot be empty")
    _at_most(text, "text", "a comment")
    return Comment(author, text.strip(), at)


def check_sanction(sanction: Sanction, field: str = "sanction") -> None:
    """A sanction an officer may impose: a positive fine in a currency, 1-365 suspension days."""
    if sanction.kind is SanctionKind.FINE:
        if sanction.amount_minor <= 0:
            raise InvalidArgument(
                f"{field}.fine.amount_minor",
                f"a fine must be a positive amount, got {sanction.amount_minor}",
            )
        if len(sanction.currency) != 3 or not sanction.currency.isupper():
            raise InvalidArgument(
                f"{field}.fine.currency", f"{sanction.currency!r} is not an ISO 4217 code"
            )
    elif sanction.amount_minor or sanction.currency:
        raise InvalidArgument(f"{field}.fine", f"a {sanction.kind.value} carries no amount")
    if sanction.kind is SanctionKind.SUSPENSION:
        if not 1 <= sanction.days <= MAX_SUSPENSION_DAYS:
            raise InvalidArgument(
                f"{field}.days",
                f"a suspension lasts 1 to {MAX_SUSPENSION_DAYS} days, got {sanction.days}",
            )
    elif sanction.days:
        raise InvalidArgument(f"{field}.days", f"a {sanction.kind.value} carries no days")


def _sanction_of(case: Case, choice: Choice) -> Sanction | None:
    _at_most(choice.reason, "reason", "a decision's reason")
    if choice.outcome is Outcome.CONFIRMED:
        if choice.sanction is not None:
            raise InvalidArgument(
                "sanction", "confirming takes the proposed sanction; amend instead"
            )
        return case.proposed
    if choice.outcome is Outcome.DISMISSED:
        if not choice.reason.strip():
            raise InvalidArgument("reason", "is required to dismiss a case")
        return None
    if not choice.reason.strip():
        raise InvalidArgument("reason", "is required to amend a sanction")
    if choice.sanction is None:
        raise InvalidArgument("sanction", "an amendment names the sanction to impose")
    check_sanction(choice.sanction)
    return choice.sanction


def decide(
    case: Case, officer_id: str, choice: Choice, at: datetime, on_behalf_of: str = ""
) -> tuple[Case, Decision | None]:
    """The assigned officer's decision. A suspension or dismissal waits for a second officer
    (four eyes): the case keeps status in_review with a pending proposal and no decision yet.
    With `on_behalf_of`, the caller (an admin) records a decision that officer took on paper:
    both are held to the rules, and the case may be in review by either."""
    _not_involved(case, officer_id)
    if on_behalf_of:
        _paper_officer(case, on_behalf_of)
    if case.status is not CaseStatus.IN_REVIEW:
        raise FailedPrecondition(
            f"status: case {case.case_id} is already {case.status.value}, not in review"
            if case.status is CaseStatus.DECIDED
            else f"status: case {case.case_id} is {case.status.value}; claim it first"
        )
    if not (same_person(case.assignee, officer_id) or same_person(case.assignee, on_behalf_of)):
        raise FailedPrecondition(
            f"assignee: case {case.case_id} is in review by {case.assignee}, not {officer_id}"
        )
    if case.pending is not None:
        raise FailedPrecondition(
            f"pending: case {case.case_id} awaits a second officer's confirmation of "
            f"{case.pending.officer_id}'s decision"
        )
    sanction = _sanction_of(case, choice)
    reason = choice.reason.strip()
    if sanction is not None and sanction.kind in FOUR_EYES:
        proposal = Proposal(choice.outcome, sanction, reason, officer_id, at, on_behalf_of)
        return replace(case, pending=proposal), None
    return _final(case, choice.outcome, sanction, reason, ((officer_id, on_behalf_of),), at)


def _signed(actor: str, on_behalf_of: str) -> str:
    return f"{actor!r} for {on_behalf_of!r}" if on_behalf_of else repr(actor)


def confirm_pending(
    case: Case, officer_id: str, at: datetime, on_behalf_of: str = ""
) -> tuple[Case, Decision]:
    """The second officer confirms a pending suspension or dismissal; it becomes the decision.
    Four eyes count people: no one who recorded the proposal, or was named on it, confirms
    it, whoever they act for."""
    _not_involved(case, officer_id)
    if on_behalf_of:
        _paper_officer(case, on_behalf_of)
    pending = case.pending
    if case.status is not CaseStatus.IN_REVIEW or pending is None:
        raise FailedPrecondition(f"pending: case {case.case_id} has no decision awaiting a second")
    if signature_people(officer_id, on_behalf_of) & pending.people:
        raise PermissionDenied(
            f"four eyes: {_signed(officer_id, on_behalf_of)} cannot confirm the decision "
            f"{_signed(pending.officer_id, pending.on_behalf_of)} recorded; a second, "
            "different officer confirms it"
        )
    if case.revision == 1:
        _not_under_appeal(case, officer_id)
    return _final(
        case,
        pending.outcome,
        pending.sanction,
        pending.reason,
        ((pending.officer_id, pending.on_behalf_of), (officer_id, on_behalf_of)),
        at,
    )


def reject_pending(case: Case, officer_id: str, reason: str) -> Case:
    """The second officer declines a pending decision; the first officer decides again."""
    _not_involved(case, officer_id)
    pending = case.pending
    if case.status is not CaseStatus.IN_REVIEW or pending is None:
        raise FailedPrecondition(f"pending: case {case.case_id} has no decision awaiting a second")
    if person(officer_id) in pending.people:
        raise PermissionDenied(f"four eyes: {officer_id!r} cannot reject their own decision")
    if not reason.strip():
        raise InvalidArgument("reason", "is required to reject a pending decision")
    _at_most(reason, "reason", "a rejection's reason")
    return replace(case, pending=None)


def _final(
    case: Case,
    outcome: Outcome,
    sanction: Sanction | None,
    reason: str,
    signatures: tuple[tuple[str, str], ...],
    at: datetime,
) -> tuple[Case, Decision]:
    revision = case.revision + 1
    officers = tuple(actor for actor, _ in signatures)
    on_paper = tuple(named for _, named in signatures) if any(n for _, n in signatures) else ()
    decision = Decision(
        # Random: whoever can write to hr.penalty-decisions cannot know the next decision's id.
        decision_id=str(uuid.uuid4()),
        case_id=case.case_id,
        employee_id=case.employee_id,
        outcome=outcome,
        sanction=sanction,
        clauses=(case.clause,),
        decided_by=officers,
        decided_at=at,
        effective_date=at.date().isoformat(),
        reason=reason,
        replaces=case.decision_id or None,
        revision=revision,
        on_behalf_of=on_paper,
    )
    decided = replace(
        case,
        status=CaseStatus.DECIDED,
        outcome=outcome,
        decided_by=", ".join(officers),
        on_behalf_of=on_paper,
        decision_reason=reason,
        pending=None,
        decision_id=decision.decision_id,
        revision=revision,
    )
    return decided, decision


def appeal(case: Case, reason: str, recorded_by: str) -> Case:
    """The employee's appeal, recorded by an officer other than the employee, reopens a decided
    case for a second review (once)."""
    not_concerned(case, recorded_by, "record an appeal on")
    if case.status is not CaseStatus.DECIDED:
        raise FailedPrecondition(
            f"status: case {case.case_id} is {case.status.value}; only a decided case is appealed"
        )
    if case.appeal_reason:
        raise FailedPrecondition(f"appeal: case {case.case_id} was already appealed once")
    if case.outcome is Outcome.DISMISSED:
        raise FailedPrecondition(f"status: case {case.case_id} was dismissed; nothing to appeal")
    if not reason.strip():
        raise InvalidArgument("reason", "an appeal states the employee's grounds")
    _at_most(reason, "reason", "an appeal")
    return replace(
        case, status=CaseStatus.APPEALED, assignee="", claimed_at=None, appeal_reason=reason.strip()
    )


def is_sanction(decision: Decision) -> bool:
    """Whether the decision imposes a sanction (confirmed or amended), i.e. counts on the record."""
    return decision.outcome is not Outcome.DISMISSED and decision.sanction is not None


def reported_case(
    officer_id: str,
    employee_id: str,
    clause: str,
    severity: str,
    title: str,
    proposed: Sanction,
    description: str,
    at: datetime,
) -> Case:
    """A case an officer raises by hand (a report), its one finding the report; checked
    field by field. The officer who raised it can never review it (`claim`)."""
    if not employee_id.strip():
        raise InvalidArgument("employee_id", "is required")
    if clause not in CLAUSES:
        raise InvalidArgument("clause", f"{clause!r} is not one of {sorted(CLAUSES)}")
    if severity not in SEVERITIES:
        raise InvalidArgument("severity", f"{severity!r} is not one of {list(SEVERITIES)}")
    if not title.strip():
        raise InvalidArgument("title", "is required")
    if not description.strip():
        raise InvalidArgument("description", "says what was reported")
    check_sanction(proposed, "proposed_sanction")
    finding = Finding(
        finding_id=str(uuid.uuid5(NAMESPACE, f"manual|{officer_id}|{at.isoformat()}")),
        rule_id="manual-report",
        rule_version=1,
        clause=clause,
        severity=severity,
        title=title.strip(),
        employee_id=employee_id.strip(),
        event_ids=(),
        reasons=(f"reported by {officer_id}: {description.strip()}",),
        occurred_at=at,
    )
    return open_case(finding, proposed, opened_at=at, raised_by=officer_id)
