"""After-sales domain: customers, agents and the ticket lifecycle of policy 3.1, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from warden.errors import FailedPrecondition, InvalidArgument

CHANNELS = ("phone", "email", "web", "visit")
DEPARTMENTS = ("rnd", "production", "logistics", "quality", "finance")
ROLES = ("agent", "supervisor", "billing", "analyst")

RECEIVED, CLASSIFIED, IN_PROGRESS, RESOLVED, CLOSED = (
    "received",
    "classified",
    "in_progress",
    "resolved",
    "closed",
)
OPEN_STATUSES = (RECEIVED, CLASSIFIED, IN_PROGRESS)


@dataclass(frozen=True)
class Agent:
    agent_id: str
    name: str
    role: str
    team: str = ""


@dataclass(frozen=True)
class Customer:
    """A customer as ticket work sees it: no personal data (that lives in PersonalData)."""

    customer_id: str
    segment: str = ""


@dataclass(frozen=True)
class PersonalData:
    """Contact and personal fields, stored apart from ticket text (4.2.1)."""

    customer_id: str
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""

    def fields(self) -> dict[str, str]:
        return {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "address": self.address,
        }


PERSONAL_FIELDS = ("name", "phone", "email", "address")


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    customer_id: str
    product_id: str
    channel: str
    description: str
    agent_id: str
    status: str
    received_at: datetime
    category: str = ""
    priority: str = ""
    first_response_due: datetime | None = None
    resolution_due: datetime | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str = ""
    closed_at: datetime | None = None
    outcome: str = ""
    awaiting_answer: bool = True
    reassignment_count: int = 0
    reopen_count: int = 0
    escalation_count: int = 0
    closed_without_resolution: int = 0
    survey_score: int | None = None
    survey_comment: str = ""
    archived_at: datetime | None = None
    last_step_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime) -> list[str]:
        """The commitments this open ticket has missed at `now` and not yet met."""
        if not self.is_open or self.archived_at is not None:
            return []
        missed = []
        if (
            self.first_response_due
            and self.first_response_at is None
            and now > self.first_response_due
        ):
            missed.append("first_response")
        if self.is_open and self.resolution_due and now > self.resolution_due:
            missed.append("resolution")
        return missed


@dataclass(frozen=True)
class Step:
    """One recorded step of a ticket's history: what, who, when, and the facts it carried."""

    kind: str
    actor: str
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)


def validate_agent(agent: Agent) -> Agent:
    if agent.role not in ROLES:
        raise InvalidArgument("agent.role", f"{agent.role!r} is not one of {', '.join(ROLES)}")
    return agent


def receive(
    ticket_id: str,
    customer_id: str,
    product_id: str,
    channel: str,
    description: str,
    agent_id: str,
    at: datetime,
) -> Ticket:
    """A customer's problem as received; the agent who took it in is the first assignee."""
    if channel not in CHANNELS:
        raise InvalidArgument("channel", f"{channel!r} is not one of {', '.join(CHANNELS)}")
    if not description.strip():
        raise InvalidArgument("description", "is required")
    return Ticket(
        ticket_id,
        customer_id,
        product_id,
        channel,
        description.strip(),
        agent_id,
        RECEIVED,
        at,
        last_step_at=at,
    )


def _require_open(ticket: Ticket, action: str) -> None:
    if not ticket.is_open:
        raise FailedPrecondition(
            f"ticket {ticket.ticket_id!r} is {ticket.status}: cannot {action} it"
        )


def _require_active(ticket: Ticket) -> None:
    if ticket.archived_at is not None:
        raise FailedPrecondition(f"ticket {ticket.ticket_id!r} is archived and read-only")


def _advance(ticket: Ticket, at: datetime, **changes: Any) -> Ticket:
    if ticket.status == CLASSIFIED and "status" not in changes:
        changes["status"] = IN_PROGRESS
    return replace(ticket, last_step_at=at, **changes)


def classify(
    ticket: Ticket,
    category: str,
    priority: str,
    due: tuple[datetime, datetime],
    by: str,
    at: datetime,
) -> tuple[Ticket, Step]:
    """Category and priority; `due` is (first response, resolution) from the commitment table."""
    _require_active(ticket)
    _require_open(ticket, "classify")
    if not category.strip():
        raise InvalidArgument("category", "is required")
    status = CLASSIFIED if ticket.status == RECEIVED else ticket.status
    updated = replace(
        ticket,
        category=category.strip(),
        priority=priority,
        first_response_due=due[0],
        resolution_due=due[1],
        status=status,
        last_step_at=at,
    )
    detail = {"category": updated.category, "priority": priority}
    return updated, Step("classified", by, at, detail)


def first_assignment(ticket: Ticket) -> Step:
    """The receiving agent's assignment, recorded as reassignment number 0."""
    detail = {"from_agent": None, "to_agent": ticket.agent_id, "reason": "received"}
    return Step(
        "assigned", ticket.agent_id, ticket.received_at, {**detail, "reassignment_count": 0}
    )


def assign(
    ticket: Ticket, to_agent: str, by: str, reason: str, at: datetime
) -> tuple[Ticket, Step]:
    """Hand the ticket to another agent; every hand-over is counted (4.2.2: shirking)."""
    _require_active(ticket)
    _require_open(ticket, "assign")
    if to_agent == ticket.agent_id:
        raise FailedPrecondition(f"ticket {ticket.ticket_id!r} is already assigned to {to_agent!r}")
    if not reason.strip():
        raise InvalidArgument("reason", "is required: say why the ticket changes hands")
    count = ticket.reassignment_count + 1
    updated = _advance(ticket, at, agent_id=to_agent, reassignment_count=count)
    detail = {
        "from_agent": ticket.agent_id,
        "to_agent": to_agent,
        "reason": reason.strip(),
        "reassignment_count": count,
    }
    return updated, Step("assigned", by, at, detail)


def respond(ticket: Ticket, agent_id: str, message: str, at: datetime) -> tuple[Ticket, Step]:
    """An answer to the customer; the first one is judged against its due time."""
    _require_active(ticket)
    if ticket.status == CLOSED:
        raise FailedPrecondition(f"ticket {ticket.ticket_id!r} is closed: cannot answer it")
    if not message.strip():
        raise InvalidArgument("message", "is required")
    first = ticket.first_response_at is None
    due = ticket.first_response_due if first else None
    late = bool(first and due is not None and at > due)
    updated = _advance(
        ticket,
        at,
        awaiting_answer=False,
        first_response_at=at if first else ticket.first_response_at,
        status=IN_PROGRESS if ticket.status in (RECEIVED, CLASSIFIED) else ticket.status,
    )
    detail = {
        "message": message.strip(),
        "first_response": first,
        "first_response_due": due,
        "late": late,
    }
    return updated, Step("responded", agent_id, at, detail)


def customer_message(
    ticket: Ticket, message_id: str, text: str, at: datetime
) -> tuple[Ticket, Step]:
    """The customer wrote again: the ticket now awaits an answer."""
    _require_active(ticket)
    if not text.strip():
        raise InvalidArgument("message", "is required")
    updated = replace(ticket, awaiting_answer=True, last_step_at=at)
    detail = {"message_id": message_id, "message": text.strip()}
    return updated, Step("customer_messaged", ticket.customer_id, at, detail)


def escalate(
    ticket: Ticket, escalation_id: str, department: str, question: str, by: str, at: datetime
) -> tuple[Ticket, Step]:
    """Ask another department (3.1.3); its answer must be reported back to the customer."""
    _require_active(ticket)
    _require_open(ticket, "escalate")
    if department not in DEPARTMENTS:
        raise InvalidArgument(
            "department", f"{department!r} is not one of {', '.join(DEPARTMENTS)}"
        )
    if not question.strip():
        raise InvalidArgument("question", "is required")
    updated = _advance(ticket, at, escalation_count=ticket.escalation_count + 1)
    detail = {
        "escalation_id": escalation_id,
        "department": department,
        "question": question.strip(),
    }
    return updated, Step("escalated", by, at, detail)


def resolve(ticket: Ticket, agent_id: str, resolution: str, at: datetime) -> tuple[Ticket, Step]:
    """A written resolution, sent to the customer; judged against the resolution due time."""
    _require_active(ticket)
    _require_open(ticket, "resolve")
    if not resolution.strip():
        raise InvalidArgument("resolution", "is required")
    due = ticket.resolution_due
    late = due is not None and at > due
    updated = replace(
        ticket,
        status=RESOLVED,
        resolution=resolution.strip(),
        resolved_at=at,
        awaiting_answer=False,
        first_response_at=ticket.first_response_at or at,
        last_step_at=at,
    )
    detail = {
        "resolution": updated.resolution,
        "resolution_due": due,
        "late": late,
        "first_response": ticket.first_response_at is None,
    }
    return updated, Step("resolved", agent_id, at, detail)


def close(ticket: Ticket, agent_id: str, at: datetime) -> tuple[Ticket, Step]:
    """Close the ticket; closing without a resolution or with the customer waiting is recorded."""
    _require_active(ticket)
    if ticket.status == CLOSED:
        raise FailedPrecondition(f"ticket {ticket.ticket_id!r} is already closed")
    has_resolution = bool(ticket.resolution)
    outcome = "resolved" if has_resolution else "unresolved"
    updated = replace(
        ticket,
        status=CLOSED,
        closed_at=at,
        outcome=outcome,
        closed_without_resolution=ticket.closed_without_resolution + (not has_resolution),
        last_step_at=at,
    )
    detail = {
        "has_resolution": has_resolution,
        "customer_awaiting_answer": ticket.awaiting_answer,
        "outcome": outcome,
    }
    return updated, Step("closed", agent_id, at, detail)


def reopen(ticket: Ticket, by: str, reason: str, at: datetime) -> tuple[Ticket, Step]:
    """Undo a close: the resolution is withdrawn and the ticket is worked again."""
    _require_active(ticket)
    if ticket.status != CLOSED or ticket.closed_at is None:
        raise FailedPrecondition(
            f"ticket {ticket.ticket_id!r} is {ticket.status}: only closed tickets reopen"
        )
    if not reason.strip():
        raise InvalidArgument("reason", "is required")
    hours = int((at - ticket.closed_at).total_seconds() // 3600)
    updated = replace(
        ticket,
        status=IN_PROGRESS,
        resolution="",
        resolved_at=None,
        closed_at=None,
        outcome="",
        awaiting_answer=True,
        reopen_count=ticket.reopen_count + 1,
        last_step_at=at,
    )
    detail = {"reason": reason.strip(), "closed_at": ticket.closed_at, "hours_since_close": hours}
    return updated, Step("reopened", by, at, detail)


def answer_survey(ticket: Ticket, score: int, comment: str, at: datetime) -> tuple[Ticket, Step]:
    """The customer's satisfaction (3.1.1, 3.2.1): a score from 1 to 5 on a closed ticket."""
    _require_active(ticket)
    if not 1 <= score <= 5:
        raise InvalidArgument("score", f"must be between 1 and 5, got {score}")
    if ticket.status != CLOSED:
        raise FailedPrecondition(
            f"ticket {ticket.ticket_id!r} is {ticket.status}: survey after closing"
        )
    if ticket.survey_score is not None:
        raise FailedPrecondition(f"ticket {ticket.ticket_id!r} already has a survey answer")
    updated = replace(ticket, survey_score=score, survey_comment=comment.strip(), last_step_at=at)
    detail = {"score": score, "comment": comment.strip(), "ticket_outcome": ticket.outcome}
    return updated, Step("survey_answered", ticket.customer_id, at, detail)


def archive(ticket: Ticket, at: datetime) -> Ticket:
    return replace(ticket, archived_at=at)


def archivable(ticket: Ticket, cutoff: datetime) -> bool:
    """Closed before `cutoff` and not archived yet."""
    return (
        ticket.status == CLOSED
        and ticket.archived_at is None
        and ticket.closed_at is not None
        and ticket.closed_at < cutoff
    )


def touched(ticket: Ticket, at: datetime) -> Ticket:
    """The ticket after a step that changes nothing but its history (e.g. a department's answer)."""
    _require_active(ticket)
    return replace(ticket, last_step_at=at)
