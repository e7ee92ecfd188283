"""Cases, findings and decisions in words, for the CLI and the demo."""

from __future__ import annotations

from google.protobuf.timestamp_pb2 import Timestamp

from warden.compliance.domain.findings import refs_text
from warden.people import signed_by
from warden.v1 import compliance_pb2


def event_refs(finding: compliance_pb2.Finding) -> str:
    """A finding's evidence, `id (source)` each (ids alone from a server that sends no sources)."""
    if not finding.evidence:
        return ", ".join(finding.event_ids)
    return refs_text((r.source, r.id) for r in finding.evidence)


def sanction_text(sanction: compliance_pb2.Sanction) -> str:
    kind = compliance_pb2.SanctionKind.Name(sanction.kind).removeprefix("SANCTION_KIND_").lower()
    if sanction.kind == compliance_pb2.SANCTION_KIND_FINE:
        units, cents = divmod(sanction.fine.amount_minor, 100)
        return f"fine of {units:,}.{cents:02d} {sanction.fine.currency}"
    if sanction.kind == compliance_pb2.SANCTION_KIND_SUSPENSION:
        return f"suspension of {sanction.days} day(s)"
    return kind or "none"


def case_text(case: compliance_pb2.Case) -> str:
    status = status_text(case.status)
    lines = [
        f"Case {case.case_id} [{status}]",
        f"  employee:  {case.employee_id}",
        f"  violation: {case.title}",
        f"  clause:    {case.clause} ({case.severity})",
        f"  proposed:  {sanction_text(case.proposed_sanction)} (for human review)",
        *([f"  ladder:    {case.proposal_reasoning}"] if case.proposal_reasoning else []),
        *(["  flags:     dismissal review (4.3.2)"] if case.dismissal_review else []),
        *(["  flags:     legal referral (4.3.2)"] if case.legal_referral else []),
        f"  happened:  {case.occurred_at.ToDatetime().isoformat()}Z",
        f"  opened:    {case.opened_at.ToDatetime().isoformat()}Z",
        *(
            [f"  inbox:     {case.inbox}, due {case.due_at.ToDatetime().isoformat()}Z"]
            + (["  PAST DUE"] if case.past_due else [])
            if case.inbox
            else []
        ),
        *([f"  {case.waiting_reason}"] if case.waiting_reason else []),
    ]
    for finding in case.findings:
        lines.append("  why:")
        lines.extend(f"    {line}" for line in finding.explanation.splitlines())
        lines.append(f"    evidence: event(s) {event_refs(finding)}")
    if case.assignee:
        lines.append(f"  assignee:  {case.assignee}")
    if case.raised_by:
        lines.append(f"  raised by: {case.raised_by}")
    if case.HasField("pending"):
        p = case.pending
        lines.append(
            f"  pending:   {outcome_text(p.outcome)} ({sanction_text(p.sanction)}) by "
            f"{signed_by([(p.officer_id, p.on_behalf_of)])}, awaiting a second officer"
        )
    if case.decided_by:
        lines.append(
            f"  decision:  {outcome_text(case.outcome)} by {_signers(case)}: "
            f"{case.decision_reason or '-'}"
        )
    if case.appeal_reason:
        lines.append(f"  appeal:    {case.appeal_reason}")
    for comment in case.comments:
        lines.append(f"  comment:   {comment.author}: {comment.text}")
    for entry in case.audit:
        at = entry.at.ToDatetime().strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"  audit #{entry.seq}: {at} {entry.actor} {entry.action}")
    return "\n".join(lines)


def outcome_text(outcome: int) -> str:
    return compliance_pb2.Outcome.Name(outcome).removeprefix("OUTCOME_").lower()


def status_text(status: int) -> str:
    return compliance_pb2.CaseStatus.Name(status).removeprefix("CASE_STATUS_").lower()


def case_line(case: compliance_pb2.Case) -> str:
    """One queue line: id, opened, status, clause, severity, employee, title, overdue flag."""
    opened = case.opened_at.ToDatetime().strftime("%Y-%m-%d %H:%M")
    flag = "  [UNCLAIMED, OVERDUE]" if case.overdue else ""
    flag += "  [PAST DUE]" if case.past_due else ""
    due = f"  {case.inbox}, due {_at(case.due_at)}" if case.inbox else ""
    waits = f"\n    {case.waiting_reason}" if case.waiting_reason else ""
    return (
        f"{case.case_id}  {opened}  {status_text(case.status):<9} {case.clause:<6} "
        f"{case.severity:<8} {case.employee_id:<16} {case.title}{due}{flag}{waits}"
    )


def _at(stamp: Timestamp) -> str:
    return str(stamp.ToDatetime().strftime("%Y-%m-%d %H:%M"))


def decision_text(decision: compliance_pb2.Decision) -> str:
    outcome = compliance_pb2.Outcome.Name(decision.outcome).removeprefix("OUTCOME_").lower()
    return (
        f"Decision {decision.decision_id}: {outcome}, {sanction_text(decision.sanction)} for "
        f"{decision.employee_id} (clauses {', '.join(decision.clauses)}), effective "
        f"{decision.effective_date}, decided by {_signers(decision)}"
        + (f", replaces {decision.replaces}" if decision.replaces else "")
    )


def _signers(message: compliance_pb2.Case | compliance_pb2.Decision) -> str:
    """decided_by, with the officers named on paper (a reply without signatures: as is)."""
    if not message.signatures:
        return message.decided_by
    return signed_by((s.by, s.on_behalf_of) for s in message.signatures)
