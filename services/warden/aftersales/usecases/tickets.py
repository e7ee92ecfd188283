"""Ticket use cases (3.1, 4.2.2): open a ticket and take it through its lifecycle, step by
step, each in one transaction with its events in the outbox; and read tickets back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warden.aftersales.domain import tickets
from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.tickets import Step, Ticket
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import (
    Context,
    require_agent,
    require_customer,
    require_ticket,
)
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.aftersales.usecases.steps import StepResult, TicketSteps, recorded

__all__ = ["StepResult", "TicketView", "Tickets"]
from warden.platform.unit_of_work import Call, first_wins


@dataclass(frozen=True)
class TicketView:
    """A ticket with its history (oldest step first) and its escalations."""

    ticket: Ticket
    history: list[Step]
    escalations: list[Escalation]


class Tickets:
    """The ticket lifecycle (3.1) with its commitments (4.2.2)."""

    def __init__(self, context: Context, steps: TicketSteps) -> None:
        self.context = context
        self.steps = steps

    def open_ticket(
        self,
        customer_id: str,
        product_id: str,
        channel: str,
        description: str,
        agent_id: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> tuple[Ticket, str]:
        """Receive a customer's problem; the receiving agent is its first assignee.

        Two identical requests with one new key at once give one ticket (no row to lock yet:
        the second's key insert fails, and it returns the first's ticket)."""
        request = {
            "customer_id": customer_id,
            "product_id": product_id,
            "channel": channel,
            "description": description,
            "agent_id": agent_id,
            "occurred_at": occurred_at,
            **({"recorded_by": recorded_by} if recorded_by else {}),
        }
        call = Call("OpenTicket", idempotency_key, request)
        return first_wins(self.context.uow, call, lambda: self._receive(call, occurred_at), _opened)

    def _receive(self, call: Call, occurred_at: datetime | None) -> tuple[Ticket, str]:
        asked = call.request
        with self.context.uow() as uow:

            def act() -> tuple[tuple[Ticket, str], str]:
                require_customer(uow, asked["customer_id"])
                require_agent(uow, asked["agent_id"], "agent_id")
                ticket = tickets.receive(
                    self.context.new_id(),
                    asked["customer_id"],
                    asked["product_id"],
                    asked["channel"],
                    asked["description"],
                    asked["agent_id"],
                    self.context.now(occurred_at),
                )
                by = asked.get("recorded_by", "")
                event = events.ticket_received(ticket, by)
                uow.tickets.add(ticket, event.id)
                channel = {"channel": asked["channel"]}
                received = Step("received", asked["agent_id"], ticket.received_at, channel)
                uow.tickets.add_step(
                    self.context.new_id(), ticket.ticket_id, recorded(received, by), event.id
                )
                uow.outbox.add(event, key=ticket.ticket_id)
                self.steps.record(uow, ticket, recorded(tickets.first_assignment(ticket), by))
                return (ticket, event.id), ticket.ticket_id

            return uow.once(call, act, lambda ticket_id: _opened(uow, ticket_id))

    def classify(
        self,
        ticket_id: str,
        category: str,
        priority: str,
        classified_by: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, classified_by, "classified_by")
            due = self.context.commitments.due(priority, ticket.received_at)
            return tickets.classify(ticket, category, priority, due, classified_by, at)

        request = {"category": category, "priority": priority, "by": classified_by}
        return self.steps.run(
            "ClassifyTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def assign(
        self,
        ticket_id: str,
        to_agent: str,
        assigned_by: str,
        reason: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, to_agent, "to_agent")
            require_agent(uow, assigned_by, "assigned_by")
            return tickets.assign(ticket, to_agent, assigned_by, reason, at)

        request = {"to": to_agent, "by": assigned_by, "reason": reason}
        return self.steps.run(
            "AssignTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def respond(
        self,
        ticket_id: str,
        agent_id: str,
        message: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, agent_id, "agent_id")
            return tickets.respond(ticket, agent_id, message, at)

        request = {"agent_id": agent_id, "message": message}
        return self.steps.run(
            "RespondToTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def customer_message(
        self,
        ticket_id: str,
        message: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            return tickets.customer_message(ticket, self.context.new_id(), message, at)

        request = {"message": message}
        return self.steps.run(
            "RecordCustomerMessage", ticket_id, request, idempotency_key, occurred_at, act
        )

    def resolve(
        self,
        ticket_id: str,
        agent_id: str,
        resolution: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, agent_id, "agent_id")
            return tickets.resolve(ticket, agent_id, resolution, at)

        request = {"agent_id": agent_id, "resolution": resolution}
        return self.steps.run(
            "ResolveTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def close(
        self,
        ticket_id: str,
        agent_id: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        """Close; without a resolution or with the customer waiting it is recorded as such."""

        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, agent_id, "agent_id")
            return tickets.close(ticket, agent_id, at)

        request = {"agent_id": agent_id}
        return self.steps.run(
            "CloseTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def reopen(
        self,
        ticket_id: str,
        reopened_by: str,
        reason: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, reopened_by, "reopened_by")
            return tickets.reopen(ticket, reopened_by, reason, at)

        request = {"by": reopened_by, "reason": reason}
        return self.steps.run(
            "ReopenTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def answer_survey(
        self,
        ticket_id: str,
        score: int,
        comment: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            return tickets.answer_survey(ticket, score, comment, at)

        request = {"score": score, "comment": comment}
        return self.steps.run("AnswerSurvey", ticket_id, request, idempotency_key, occurred_at, act)

    # -- reading ----------------------------------------------------------------------------

    def get_ticket(self, ticket_id: str) -> Ticket:
        with self.context.uow() as uow:
            return require_ticket(uow, ticket_id)

    def ticket_view(self, ticket_id: str) -> TicketView:
        with self.context.uow() as uow:
            return view(uow, require_ticket(uow, ticket_id))

    def overdue(self) -> list[tuple[Ticket, list[str]]]:
        """Every ticket past a due time it has not met, at the clock's now (4.2.2)."""
        now = self.context.clock()
        with self.context.uow() as uow:
            found = uow.tickets.find(include_archived=False)
        return [(t, t.overdue(now)) for t in found if t.overdue(now)]


def _opened(uow: AfterSalesUnitOfWork, ticket_id: str) -> tuple[Ticket, str]:
    found = uow.tickets.get(ticket_id)
    assert found is not None
    return found


def view(uow: AfterSalesUnitOfWork, ticket: Ticket) -> TicketView:
    """The ticket with its history and escalations."""
    history = [step for _, step, _ in uow.tickets.steps(ticket.ticket_id)]
    return TicketView(ticket, history, uow.escalations.of_ticket(ticket.ticket_id))
