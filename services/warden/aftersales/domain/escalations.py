"""Escalations to other departments (3.1.3): asked, answered, reported back to the customer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from warden.aftersales.domain.tickets import Step, Ticket
from warden.errors import FailedPrecondition, InvalidArgument


@dataclass(frozen=True)
class Escalation:
    escalation_id: str
    ticket_id: str
    department: str
    question: str
    escalated_by: str
    escalated_at: datetime
    answer_summary: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None
    reported_by: str = ""
    reported_at: datetime | None = None

    @property
    def status(self) -> str:
        if self.reported_at is not None:
            return "reported_back"
        return "answered" if self.answered_at is not None else "open"


def opened(ticket: Ticket, step: Step) -> Escalation:
    """The escalation an `escalated` step started."""
    return Escalation(
        step.detail["escalation_id"],
        ticket.ticket_id,
        step.detail["department"],
        step.detail["question"],
        step.actor,
        step.at,
    )


def answer(
    escalation: Escalation, summary: str, answered_by: str, at: datetime
) -> tuple[Escalation, Step]:
    """The department's answer, which the agent must now report back to the customer."""
    if escalation.answered_at is not None:
        raise FailedPrecondition(f"escalation {escalation.escalation_id!r} is already answered")
    if not summary.strip():
        raise InvalidArgument("answer_summary", "is required")
    updated = replace(
        escalation, answer_summary=summary.strip(), answered_by=answered_by, answered_at=at
    )
    detail = {
        "escalation_id": escalation.escalation_id,
        "department": escalation.department,
        "answer_summary": updated.answer_summary,
    }
    return updated, Step("escalation_answered", answered_by, at, detail)


def report_back(
    escalation: Escalation, ticket: Ticket, reported_by: str, message: str, at: datetime
) -> tuple[Escalation, Ticket, Step]:
    """Tell the customer what the department answered; this answers the customer too."""
    if ticket.archived_at is not None or ticket.status == "closed":
        raise FailedPrecondition(
            f"ticket {ticket.ticket_id!r} is {ticket.status}: cannot report back"
        )
    if escalation.answered_at is None:
        raise FailedPrecondition(
            f"escalation {escalation.escalation_id!r} has no answer from "
            f"{escalation.department} yet"
        )
    if escalation.reported_at is not None:
        raise FailedPrecondition(
            f"escalation {escalation.escalation_id!r} was already reported back"
        )
    if not message.strip():
        raise InvalidArgument("message", "is required")
    first = ticket.first_response_at is None
    updated_ticket = replace(
        ticket,
        awaiting_answer=False,
        first_response_at=at if first else ticket.first_response_at,
        last_step_at=at,
    )
    detail = {
        "escalation_id": escalation.escalation_id,
        "department": escalation.department,
        "message": message.strip(),
        "answered_at": escalation.answered_at,
    }
    updated = replace(escalation, reported_by=reported_by, reported_at=at)
    return updated, updated_ticket, Step("reported_back", reported_by, at, detail)
