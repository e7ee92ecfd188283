"""ComplianceService over gRPC: requests become use-case calls, results become replies."""

from __future__ import annotations

from warden.compliance.domain.cases import Case, CaseStatus, Decision, Outcome
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction
from warden.compliance.review import Review
from warden.errors import InvalidArgument
from warden.platform.grpc_server import require
from warden.platform.proto_convert import timestamp_in, timestamp_out
from warden.v1 import common_pb2, compliance_pb2, compliance_pb2_grpc

SERVICE_NAME = compliance_pb2.DESCRIPTOR.services_by_name["ComplianceService"].full_name

_STATUS_IN = {
    compliance_pb2.CASE_STATUS_OPEN: CaseStatus.OPEN,
    compliance_pb2.CASE_STATUS_DECIDED: CaseStatus.DECIDED,
}
_STATUS_OUT = {v: k for k, v in _STATUS_IN.items()}
_OUTCOME_IN = {
    compliance_pb2.OUTCOME_CONFIRMED: Outcome.CONFIRMED,
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
    )


def case_out(case: Case) -> compliance_pb2.Case:
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
        outcome=_OUTCOME_OUT.get(case.outcome, 0) if case.outcome else 0,
        decided_by=case.decided_by,
        decision_reason=case.decision_reason,
    )


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
    )


class ComplianceServicer(compliance_pb2_grpc.ComplianceServiceServicer):
    def __init__(self, review: Review) -> None:
        self.review = review

    def ListCases(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        status = _STATUS_IN.get(request.status) if request.status else None
        if request.status and status is None:
            raise InvalidArgument("status", f"unknown case status {request.status}")
        cases, token = self.review.list_cases(status, request.page_size, request.page_token)
        return compliance_pb2.ListCasesResponse(
            cases=[case_out(c) for c in cases], next_page_token=token
        )

    def GetCase(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        case = self.review.get_case(require(request.case_id, "case_id"))
        return compliance_pb2.GetCaseResponse(case=case_out(case))

    def DecideCase(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        case_id = require(request.case_id, "case_id")
        officer_id = require(request.officer_id, "officer_id")
        outcome = _OUTCOME_IN.get(request.outcome)
        if outcome is None:
            raise InvalidArgument("outcome", "must be OUTCOME_CONFIRMED or OUTCOME_DISMISSED")
        decision = self.review.decide(case_id, officer_id, outcome, request.reason)
        return compliance_pb2.DecideCaseResponse(decision=decision_out(decision))

    def ListDecisions(self, request, context):  # type: ignore[no-untyped-def] # noqa: N802
        since = timestamp_in(request.since) if request.HasField("since") else None
        decisions = self.review.list_decisions(since, request.page_size)
        return compliance_pb2.ListDecisionsResponse(decisions=[decision_out(d) for d in decisions])
