"""The compliance service's events: penalty decisions on `hr.penalty-decisions`."""

from __future__ import annotations

from warden.compliance.domain.cases import Decision
from warden.platform.cloudevents import CloudEvent, format_time

SOURCE = "/warden/compliance"
PENALTY_DECIDED = "warden.compliance.penalty.decided"


def penalty_decided(decision: Decision, case_url: str) -> CloudEvent:
    sanction = decision.sanction
    return CloudEvent(
        id=decision.decision_id,
        type=PENALTY_DECIDED,
        source=SOURCE,
        subject=decision.employee_id,
        time=decision.decided_at,
        data={
            "decision_id": decision.decision_id,
            "case_id": decision.case_id,
            "employee_id": decision.employee_id,
            "outcome": decision.outcome.value,
            "sanction": {
                "kind": sanction.kind.value,
                "amount_minor": sanction.amount_minor or None,
                "currency": sanction.currency or None,
                "days": sanction.days or None,
            }
            if sanction
            else None,
            "clauses": list(decision.clauses),
            "effective_date": decision.effective_date,
            "decided_by": list(decision.decided_by),
            "on_behalf_of": [named for _, named in decision.signatures],
            "decided_at": format_time(decision.decided_at),
            "reason": decision.reason,
            "case_url": case_url,
            "replaces": decision.replaces,
            "revision": decision.revision,
        },
    )
