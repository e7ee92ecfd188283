"""ComplianceService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

import json
from datetime import timedelta

from warden.compliance.domain.cases import Case, CaseStatus, Choice, Comment, Decision, Outcome
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.edge.snooze_servicer import SnoozeCalls
from warden.compliance.review import audit
from warden.compliance.review.cases import Review
from warden.compliance.review.inboxes import Inboxes, InboxState, Placement
from warden.compliance.review.snoozes import Snoozes
from warden.compliance.storage.case_store import CaseFilter
from warden.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from warden.people import person
from warden.platform.auth import ADMIN, current_identity
from warden.platform.grpc_server import require
from warden.platform.proto_convert import timestamp_in, timestamp_out
from warden.platform.signing import SIGNATURE, public_pem
from warden.v1 import common_pb2, compliance_pb2, compliance_pb2_grpc

SERVICE_NAME = compliance_pb2.DESCRIPTOR.services_by_name["ComplianceService"].full_name

_STATUS_IN = {
    compliance_pb2.CASE_STATUS_OPEN: CaseStatus.OPEN,
    compliance_pb2.CASE_STATUS_IN_REVIEW: CaseStatus.IN_REVIEW,
    compliance_pb2.CASE_STATUS_DECIDED: CaseStatus.DECIDED,
    compliance_pb2.CASE_STATUS_APPEALED: CaseStatus.APPEALED,
}
_STATUS_OUT = {v: k for k, v in _STATUS_IN.items()}
_OUTCOME_IN = {
    compliance_pb2.OUTCOME_CONFIRMED: Outcome.CONFIRMED,
    compliance_pb2.OUTCOME_AMENDED: Outcome.AMENDED,
    compliance_pb2.OUTCOME_DISMISSED: Outcome.DISMISSED,
}
_OUTCOME_OUT = {v: k for k, v in _OUTCOME_IN.items()}


def sanction_out(sanction: Sanction | None) -> compliance_pb2.Sanction:
    if sanction is None:
        return compliance_pb2.Sanction()
    return compliance_pb2.Sanction(
        kind=compliance_pb2.SanctionKind.Value(f"SANCTION_KIND_{sanction.kind.name}"),
        fine=common_pb2.Money(amount_minor=sanction.amount_minor, currency=sanction.currency)
        if sanction.amount_minor
        else None,
        days=sanction.days,
    )


def sanction_in(message: compliance_pb2.Sanction, field: str = "sanction") -> Sanction:
    """A request's sanction; InvalidArgument naming the field when its kind is missing."""
    if message.kind == compliance_pb2.SANCTION_KIND_UNSPECIFIED:
        raise InvalidArgument(f"{field}.kind", "is required (warning, fine, suspension, dismissal)")
    name = compliance_pb2.SanctionKind.Name(message.kind).removeprefix("SANCTION_KIND_")
    return Sanction(
        SanctionKind[name], message.fine.amount_minor, message.fine.currency, message.days
    )


def finding_out(finding: Finding) -> compliance_pb2.Finding:
    return compliance_pb2.Finding(
        finding_id=finding.finding_id,
        rule_id=finding.rule_id,
        rule_version=finding.rule_version,
        clause=finding.clause,
        severity=finding.severity,
        employee_id=finding.employee_id,
        explanation=finding.explanation,
        event_ids=list(finding.event_ids),
        evidence=[compliance_pb2.EventRef(source=s, id=i) for s, i in finding.evidence],
    )


def comment_out(comment: Comment) -> compliance_pb2.Comment:
    return compliance_pb2.Comment(
        author=comment.author, text=comment.text, at=timestamp_out(comment.at)
    )


def audit_out(entry: audit.Entry) -> compliance_pb2.AuditEntry:
    return compliance_pb2.AuditEntry(
        seq=entry.seq,
        actor=entry.actor,
        action=entry.action,
        at=timestamp_out(entry.at),
        details_json=json.dumps(entry.details, sort_keys=True),
        hash=entry.hash,
    )


def case_out(
    case: Case, overdue: bool = False, placement: Placement | None = None
) -> compliance_pb2.Case:
    pending = case.pending
    return compliance_pb2.Case(
        case_id=case.case_id,
        status=_STATUS_OUT[case.status],
        employee_id=case.employee_id,
        clause=case.clause,
        severity=case.severity,
        title=case.title,
        proposed_sanction=sanction_out(case.proposed),
        findings=[finding_out(f) for f in case.findings],
        opened_at=timestamp_out(case.opened_at),
        occurred_at=timestamp_out(case.occurred_at),
        outcome=_OUTCOME_OUT.get(case.outcome, 0) if case.outcome else 0,
        decided_by=case.decided_by,
        decision_reason=case.decision_reason,
        assignee=case.assignee,
        raised_by=case.raised_by,
        comments=[comment_out(c) for c in case.comments],
        pending=compliance_pb2.PendingDecision(
            outcome=_OUTCOME_OUT[pending.outcome],
            sanction=sanction_out(pending.sanction),
            reason=pending.reason,
            officer_id=pending.officer_id,
            at=timestamp_out(pending.at),
            on_behalf_of=pending.on_behalf_of,
        )
        if pending
        else None,
        overdue=overdue,
        decision_id=case.decision_id,
        appeal_reason=case.appeal_reason,
        claimed_at=timestamp_out(case.claimed_at) if case.claimed_at else None,
        proposal_reasoning=case.proposal_reasoning,
        dismissal_review=case.dismissal_review,
        legal_referral=case.legal_referral,
        signatures=signatures_out(case.signatures),
        inbox=case.inbox,
        due_at=timestamp_out(case.due_at) if case.due_at else None,
        past_due=placement.past_due if placement else False,
        waiting_reason=placement.waiting if placement else "",
    )


def signatures_out(
    signatures: tuple[tuple[str, str], ...],
) -> list[compliance_pb2.DecisionSignature]:
    return [compliance_pb2.DecisionSignature(by=b, on_behalf_of=o) for b, o in signatures]


def decision_out(decision: Decision) -> compliance_pb2.Decision:
    return compliance_pb2.Decision(
        decision_id=decision.decision_id,
        case_id=decision.case_id,
        employee_id=decision.employee_id,
        outcome=_OUTCOME_OUT[decision.outcome],
        sanction=sanction_out(decision.sanction),
        clauses=list(decision.clauses),
        decided_by=", ".join(decision.decided_by),
        decided_at=timestamp_out(decision.decided_at),
        effective_date=decision.effective_date,
        reason=decision.reason,
        replaces=decision.replaces or "",
        revision=decision.revision,
        signatures=signatures_out(decision.signatures),
    )


def inbox_out(state: InboxState) -> compliance_pb2.Inbox:
    inbox = state.inbox
    return compliance_pb2.Inbox(
        name=inbox.name,
        title=inbox.title,
        sla_hours=inbox.sla_hours,
        clauses=list(inbox.clauses),
        departments=list(inbox.departments),
        officers=[
            compliance_pb2.OfficerLoad(officer_id=o, open_cases=state.loads.get(o, 0))
            for o in inbox.officers
        ],
        officer_limit=inbox.limit,
        waiting=state.waiting,
        in_review=state.in_review,
        overdue=state.overdue,
    )


def acting_officer(requested: str = "") -> str:
    """Who acts: the token's subject as an employee id (people.person), always. A request
    naming anyone else is refused, also for an admin: no one acts in another's name."""
    identity = current_identity()
    if identity is None:
        raise PermissionDenied("identity: the call carries no verified identity")
    actor = person(identity.subject)
    if requested.strip() and person(requested) != actor:
        raise PermissionDenied(
            f"officer_id: {identity.subject!r} cannot act as {requested.strip()!r}; "
            "the caller is the actor: leave officer_id empty (an admin records a decision "
            "another officer took on paper with on_behalf_of)"
        )
    return actor


def paper_officer(named: str) -> str:
    """The officer a decision taken on paper is recorded for (people.person), or "": only an
    admin records one, and never for themselves."""
    if not named.strip():
        return ""
    identity = current_identity()
    if identity is None or ADMIN not in identity.roles:
        caller = identity.subject if identity else "the caller"
        raise PermissionDenied(
            f"on_behalf_of: {caller!r} is not an admin; only an admin records a decision "
            f"{named.strip()!r} took on paper"
        )
    if len(named) > NAME_LIMIT or not named.strip().isprintable():
        raise InvalidArgument(
            "on_behalf_of", f"names an officer in at most {NAME_LIMIT} printable characters"
        )
    if person(named) == person(identity.subject):
        raise InvalidArgument("on_behalf_of", "names the caller; leave it empty to act yourself")
    return person(named)


NAME_LIMIT = 200  # an employee id, as stored


def reveals_personal_data() -> bool:
    """Only admins see customers' personal data unmasked, in evidence and explanations."""
    identity = current_identity()
    return identity is not None and ADMIN in identity.roles


class ComplianceServicer(compliance_pb2_grpc.ComplianceServiceServicer):
    def __init__(self, review: Review) -> None:
        self.review = review
        self.inboxes = Inboxes(review.engine, review.clock)
        self.snoozes = SnoozeCalls(Snoozes(review.engine, review.clock))

    def _seen(self, cases: list[Case], overdue: bool = True) -> list[compliance_pb2.Case]:
        """Cases as the caller's role may see them (explanations masked unless admin)."""
        shown = self.review.as_seen(cases, reveals_personal_data())
        placed = self.inboxes.placements(shown)
        return [
            case_out(c, overdue and self.review.is_overdue(c), placed[c.case_id]) for c in shown
        ]

    def _one(self, case: Case) -> compliance_pb2.Case:
        (message,) = self._seen([case], overdue=False)
        return message

    def _full(self, case: Case) -> compliance_pb2.Case:
        (message,) = self._seen([case])
        message.department = self.review.department_of(case.employee_id)
        reveal = reveals_personal_data()
        message.evidence_json.extend(
            json.dumps(e, sort_keys=True) for e in self.review.evidence(case, reveal)
        )
        message.audit.extend(audit_out(e) for e in self.review.audit_trail(case.case_id))
        return message

    def ListCases(self, request, context):  # type: ignore[no-untyped-def]
        status = _STATUS_IN.get(request.status) if request.status else None
        if request.status and status is None:
            raise InvalidArgument("status", f"unknown case status {request.status}")
        if request.min_age_hours < 0:
            raise InvalidArgument("min_age_hours", "cannot be negative")
        if request.inbox:
            self.inboxes.inbox(request.inbox)  # NotFound naming an inbox there is not
        where = CaseFilter(
            status=status,
            severity=request.severity,
            clause=request.clause,
            employee_id=request.employee_id,
            department=request.department,
            assignee=request.assignee,
            inbox=request.inbox,
            queue_at=self.review.clock() if request.inbox or request.queue_order else None,
            hidden_from=acting_officer(),
            opened_before=self.review.clock() - timedelta(hours=request.min_age_hours)
            if request.min_age_hours
            else None,
        )
        cases, token = self.review.list_cases(where, request.page_size, request.page_token)
        return compliance_pb2.ListCasesResponse(cases=self._seen(cases), next_page_token=token)

    def GetCase(self, request, context):  # type: ignore[no-untyped-def]
        case = self.review.get_case(require(request.case_id, "case_id"), acting_officer())
        return compliance_pb2.GetCaseResponse(case=self._full(case))

    def DecideCase(self, request, context):  # type: ignore[no-untyped-def]
        case_id = require(request.case_id, "case_id")
        officer_id = acting_officer(request.officer_id)
        outcome = _OUTCOME_IN.get(request.outcome)
        if outcome is None:
            raise InvalidArgument(
                "outcome", "must be OUTCOME_CONFIRMED, OUTCOME_AMENDED or OUTCOME_DISMISSED"
            )
        sanction = sanction_in(request.sanction) if request.HasField("sanction") else None
        case, decision = self.review.decide(
            case_id,
            officer_id,
            Choice(outcome, request.reason, sanction),
            paper_officer(request.on_behalf_of),
        )
        return compliance_pb2.DecideCaseResponse(
            decision=decision_out(decision) if decision else None, case=self._one(case)
        )

    def ClaimCase(self, request, context):  # type: ignore[no-untyped-def]
        case = self.review.claim(require(request.case_id, "case_id"), acting_officer())
        return compliance_pb2.ClaimCaseResponse(case=self._one(case))

    def CommentCase(self, request, context):  # type: ignore[no-untyped-def]
        said = self.review.comment(
            require(request.case_id, "case_id"), acting_officer(), request.text
        )
        return compliance_pb2.CommentCaseResponse(comment=comment_out(said))

    def ConfirmDecision(self, request, context):  # type: ignore[no-untyped-def]
        decision = self.review.confirm(
            require(request.case_id, "case_id"),
            acting_officer(),
            paper_officer(request.on_behalf_of),
        )
        return compliance_pb2.ConfirmDecisionResponse(decision=decision_out(decision))

    def RejectDecision(self, request, context):  # type: ignore[no-untyped-def]
        case = self.review.reject(
            require(request.case_id, "case_id"), acting_officer(), request.reason
        )
        return compliance_pb2.RejectDecisionResponse(case=self._one(case))

    def AppealCase(self, request, context):  # type: ignore[no-untyped-def]
        case = self.review.appeal(
            require(request.case_id, "case_id"), acting_officer(), request.reason
        )
        return compliance_pb2.AppealCaseResponse(case=self._one(case))

    def RaiseCase(self, request, context):  # type: ignore[no-untyped-def]
        if not request.HasField("proposed_sanction"):
            raise InvalidArgument("proposed_sanction", "is required")
        case = self.review.raise_case(
            acting_officer(),
            request.employee_id,
            request.clause,
            request.severity,
            request.title,
            sanction_in(request.proposed_sanction, "proposed_sanction"),
            request.description,
        )
        return compliance_pb2.RaiseCaseResponse(case=self._one(case))

    def GetEmployeeRecord(self, request, context):  # type: ignore[no-untyped-def]
        employee_id = require(request.employee_id, "employee_id")
        since = timestamp_in(request.since) if request.HasField("since") else None
        decisions = self.review.record(employee_id, since)
        return compliance_pb2.GetEmployeeRecordResponse(
            employee_id=employee_id,
            department=self.review.department_of(employee_id),
            decisions=[decision_out(d) for d in decisions],
        )

    def SetEmployeeDepartment(self, request, context):  # type: ignore[no-untyped-def]
        self.review.set_department(request.employee_id, request.department, acting_officer())
        return compliance_pb2.SetEmployeeDepartmentResponse()

    def ListDecisions(self, request, context):  # type: ignore[no-untyped-def]
        since = timestamp_in(request.since) if request.HasField("since") else None
        decisions = self.review.list_decisions(since, request.page_size)
        return compliance_pb2.ListDecisionsResponse(decisions=[decision_out(d) for d in decisions])

    def ListInboxes(self, request, context):  # type: ignore[no-untyped-def]
        return compliance_pb2.ListInboxesResponse(
            inboxes=[inbox_out(s) for s in self.inboxes.states()]
        )

    def NextCase(self, request, context):  # type: ignore[no-untyped-def]
        case = self.inboxes.next_case(request.inbox, acting_officer())
        return compliance_pb2.NextCaseResponse(case=self._one(case) if case else None)

    def GetSigningKey(self, request, context):  # type: ignore[no-untyped-def]
        signer = self.review.signer
        if signer is None:
            raise FailedPrecondition("signing: this service was built without a signing key")
        return compliance_pb2.GetSigningKeyResponse(
            algorithm="Ed25519",
            public_key_pem=public_pem(signer.public),
            key_id=signer.key_id,
            signature_attribute=SIGNATURE,
        )

    def SnoozeRule(self, request, context):  # type: ignore[no-untyped-def]
        return self.snoozes.snooze(request, acting_officer(), reveals_personal_data())

    def LiftSnooze(self, request, context):  # type: ignore[no-untyped-def]
        return self.snoozes.lift(request, acting_officer(), reveals_personal_data())

    def ListSnoozes(self, request, context):  # type: ignore[no-untyped-def]
        return self.snoozes.listed(request, reveals_personal_data())
