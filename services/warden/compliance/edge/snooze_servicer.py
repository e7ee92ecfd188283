"""The snooze RPCs of ComplianceService (SnoozeRule, LiftSnooze, ListSnoozes): requests become
review/snoozes.py calls, snoozes become replies."""

from __future__ import annotations

from datetime import datetime

from warden.compliance.domain.snoozes import Scope, Snooze
from warden.compliance.review.masking import mask
from warden.compliance.review.snoozes import Snoozes
from warden.errors import InvalidArgument
from warden.platform.grpc_server import require
from warden.platform.proto_convert import timestamp_out
from warden.v1 import compliance_pb2

_SCOPE_IN = {
    compliance_pb2.SNOOZE_SCOPE_UNSPECIFIED: Scope.EMPLOYEE,
    compliance_pb2.SNOOZE_SCOPE_EMPLOYEE: Scope.EMPLOYEE,
    compliance_pb2.SNOOZE_SCOPE_CUSTOMER: Scope.CUSTOMER,
}
_SCOPE_OUT = {Scope.EMPLOYEE: compliance_pb2.SNOOZE_SCOPE_EMPLOYEE}
_SCOPE_OUT[Scope.CUSTOMER] = compliance_pb2.SNOOZE_SCOPE_CUSTOMER


def snooze_out(snooze: Snooze, now: datetime, reveal: bool) -> compliance_pb2.Snooze:
    """A snooze as the caller may see it: a customer's id masked unless `reveal`."""
    customer = snooze.scope is Scope.CUSTOMER
    return compliance_pb2.Snooze(
        snooze_id=snooze.snooze_id,
        rule_id=snooze.rule_id,
        scope=_SCOPE_OUT[snooze.scope],
        subject=str(mask(snooze.subject)) if customer and not reveal else snooze.subject,
        case_id=snooze.case_id,
        employee_id=snooze.employee_id,
        reason=snooze.reason,
        snoozed_by=snooze.snoozed_by,
        starts_at=timestamp_out(snooze.starts_at),
        ends_at=timestamp_out(snooze.ends_at),
        lifted_at=timestamp_out(snooze.lifted_at) if snooze.lifted_at else None,
        lifted_by=snooze.lifted_by,
        lift_reason=snooze.lift_reason,
        state=snooze.state(now),
    )


class SnoozeCalls:
    """What the servicer's snooze methods do, given the acting officer and whether the caller
    sees personal data (both decided by the servicer)."""

    def __init__(self, snoozes: Snoozes) -> None:
        self.snoozes = snoozes

    def snooze(
        self, request: compliance_pb2.SnoozeRuleRequest, officer: str, reveal: bool
    ) -> compliance_pb2.SnoozeRuleResponse:
        scope = _SCOPE_IN.get(request.scope)
        if scope is None:
            raise InvalidArgument("scope", f"unknown snooze scope {request.scope}")
        snooze = self.snoozes.snooze(
            require(request.case_id, "case_id"),
            officer,
            request.rule_id,
            request.days,
            request.reason,
            scope.value,
            request.customer_id,
        )
        now = self.snoozes.clock()
        return compliance_pb2.SnoozeRuleResponse(snooze=snooze_out(snooze, now, reveal))

    def lift(
        self, request: compliance_pb2.LiftSnoozeRequest, officer: str, reveal: bool
    ) -> compliance_pb2.LiftSnoozeResponse:
        snooze = self.snoozes.lift(require(request.snooze_id, "snooze_id"), officer, request.reason)
        now = self.snoozes.clock()
        return compliance_pb2.LiftSnoozeResponse(snooze=snooze_out(snooze, now, reveal))

    def listed(
        self, request: compliance_pb2.ListSnoozesRequest, reveal: bool
    ) -> compliance_pb2.ListSnoozesResponse:
        found = self.snoozes.listed(request.rule_id, request.subject, request.active_only)
        now = self.snoozes.clock()
        return compliance_pb2.ListSnoozesResponse(
            snoozes=[snooze_out(s, now, reveal) for s in found]
        )
