"""Escalation use cases (3.1.3): escalate a ticket to a department, record the department's
answer, report it back to the customer; each a step on the ticket."""

from __future__ import annotations

from datetime import datetime

from warden.aftersales.domain import escalations, tickets
from warden.aftersales.domain.tickets import Step, Ticket
from warden.aftersales.usecases.context import Context, require_agent, require_escalation
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.aftersales.usecases.steps import StepResult, TicketSteps
from warden.errors import InvalidArgument


class Escalations:
    def __init__(self, context: Context, steps: TicketSteps) -> None:
        self.context = context
        self.steps = steps

    def escalate(
        self,
        ticket_id: str,
        department: str,
        question: str,
        escalated_by: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, escalated_by, "escalated_by")
            updated, step = tickets.escalate(
                ticket, self.context.new_id(), department, question, escalated_by, at
            )
            uow.escalations.add(escalations.opened(updated, step))
            return updated, step

        request = {"department": department, "question": question, "by": escalated_by}
        return self.steps.run(
            "EscalateTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def _ticket_of(self, escalation_id: str) -> str:
        with self.context.uow() as uow:
            return require_escalation(uow, escalation_id).ticket_id

    def answer_escalation(
        self,
        escalation_id: str,
        answer_summary: str,
        answered_by: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        """The department's answer (its people need not be after-sales agents)."""

        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            if not answered_by.strip():
                raise InvalidArgument("answered_by", "is required")
            answered, step = escalations.answer(
                require_escalation(uow, escalation_id), answer_summary, answered_by.strip(), at
            )
            uow.escalations.save(answered)
            return tickets.touched(ticket, at), step

        request = {"escalation_id": escalation_id, "answer": answer_summary, "by": answered_by}
        ticket_id = self._ticket_of(escalation_id)
        return self.steps.run(
            "AnswerEscalation",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def report_back(
        self,
        escalation_id: str,
        reported_by: str,
        message: str,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
        recorded_by: str = "",
    ) -> StepResult:
        """Report the department's answer back to the customer (3.1.3)."""

        def act(uow: AfterSalesUnitOfWork, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            require_agent(uow, reported_by, "reported_by")
            reported, updated, step = escalations.report_back(
                require_escalation(uow, escalation_id), ticket, reported_by, message, at
            )
            uow.escalations.save(reported)
            return updated, step

        request = {"escalation_id": escalation_id, "by": reported_by, "message": message}
        ticket_id = self._ticket_of(escalation_id)
        return self.steps.run(
            "ReportBackEscalation",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )
