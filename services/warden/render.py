"""Cases, findings and decisions in words, for the CLI and the demo."""

from __future__ import annotations

from warden.v1 import compliance_pb2


def sanction_text(sanction: compliance_pb2.Sanction) -> str:
    kind = compliance_pb2.SanctionKind.Name(sanction.kind).removeprefix("SANCTION_KIND_").lower()
    if sanction.kind == compliance_pb2.SANCTION_KIND_FINE:
        units, cents = divmod(sanction.fine.amount_minor, 100)
        return f"fine of {units:,}.{cents:02d} {sanction.fine.currency}"
    if sanction.kind == compliance_pb2.SANCTION_KIND_SUSPENSION:
        return f"suspension of {sanction.days} day(s)"
    return kind or "none"


def case_text(case: compliance_pb2.Case) -> str:
    status = compliance_pb2.CaseStatus.Name(case.status).removeprefix("CASE_STATUS_").lower()
    lines = [
        f"Case {case.case_id} [{status}]",
        f"  employee:  {case.employee_id}",
        f"  violation: {case.title}",
        f"  clause:    {case.clause} ({case.severity})",
        f"  proposed:  {sanction_text(case.proposed_sanction)} (for human review)",
        f"  opened:    {case.opened_at.ToDatetime().isoformat()}Z",
    ]
    for finding in case.findings:
        lines.append("  why:")
        lines.extend(f"    {line}" for line in finding.explanation.splitlines())
        lines.append(f"    evidence: event(s) {', '.join(finding.event_ids)}")
    if case.status == compliance_pb2.CASE_STATUS_DECIDED:
        outcome = compliance_pb2.Outcome.Name(case.outcome).removeprefix("OUTCOME_").lower()
        lines.append(f"  decision:  {outcome} by {case.decided_by}: {case.decision_reason or '-'}")
    return "\n".join(lines)


def decision_text(decision: compliance_pb2.Decision) -> str:
    outcome = compliance_pb2.Outcome.Name(decision.outcome).removeprefix("OUTCOME_").lower()
    return (
        f"Decision {decision.decision_id}: {outcome}, {sanction_text(decision.sanction)} for "
        f"{decision.employee_id} (clauses {', '.join(decision.clauses)}), effective "
        f"{decision.effective_date}, decided by {decision.decided_by}"
    )
