"""Ticket use cases (3.1, 4.2.2), each in one transaction with its events in the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from warden.aftersales import domain, escalations, events, store
from warden.aftersales.commitments import CommitmentTable
from warden.aftersales.domain import Agent, Customer, PersonalData, Step, Ticket
from warden.aftersales.escalations import Escalation
from warden.errors import InvalidArgument, NotFound
from warden.platform.topics import AFTERSALES_EVENTS

Clock = Callable[[], datetime]
Act = Callable[[Connection, Ticket, datetime], tuple[Ticket, Step]]
T = TypeVar("T")


@dataclass(frozen=True)
class StepResult:
    """A ticket after one step, the step, and the id of the event it emitted."""

    ticket: Ticket
    step: Step
    event_id: str


@dataclass(frozen=True)
class TicketView:
    """A ticket with its history (oldest step first) and its escalations."""

    ticket: Ticket
    history: list[Step]
    escalations: list[Escalation]


def _new_id() -> str:
    return str(uuid.uuid4())


def first_wins(attempt: Callable[[], T], replay: Callable[[], T | None]) -> T:
    """`attempt()`; when two requests with one new idempotency key ran at once and this one's
    key insert hit the other's (IntegrityError, its transaction rolled back), the first
    request's result as `replay()` reads it. Any other integrity error is raised."""
    try:
        return attempt()
    except IntegrityError:
        earlier = replay()
        if earlier is None:
            raise
        return earlier


def recorded(step: Step, recorded_by: str) -> Step:
    """The step with the desk integration that recorded it, if one did (else as it is)."""
    if not recorded_by:
        return step
    return replace(step, detail={**step.detail, "recorded_by": recorded_by})


class TicketDesk:
    """Customers, agents and the ticket lifecycle (3.1) with its commitments (4.2.2)."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock = lambda: datetime.now(UTC),
        commitments: CommitmentTable | None = None,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.commitments = commitments or CommitmentTable()

    # -- registries -------------------------------------------------------------------------

    def register_agent(self, agent: Agent) -> Agent:
        domain.validate_agent(agent)
        with self.engine.begin() as conn:
            store.put_agent(conn, agent)
        return agent

    def register_customer(self, customer: Customer, personal: PersonalData) -> Customer:
        if not personal.name.strip():
            raise InvalidArgument("personal.name", "is required")
        with self.engine.begin() as conn:
            store.put_customer(conn, customer, personal)
        return customer

    # -- helpers ----------------------------------------------------------------------------

    def _now(self, occurred_at: datetime | None, after: datetime | None = None) -> datetime:
        """The step's time: the clock's, or a back-office import's `occurred_at`, validated."""
        now = self.clock()
        if occurred_at is None:
            return now
        if occurred_at.tzinfo is None:
            raise InvalidArgument("occurred_at", "must be timezone-aware")
        if occurred_at > now:
            raise InvalidArgument("occurred_at", f"{occurred_at.isoformat()} is in the future")
        if after is not None and occurred_at < after:
            raise InvalidArgument(
                "occurred_at", f"is before the ticket's last step at {after.isoformat()}"
            )
        return occurred_at.astimezone(UTC)

    @staticmethod
    def _agent(conn: Connection, agent_id: str, field: str) -> Agent:
        agent = store.get_agent(conn, agent_id)
        if agent is None:
            raise NotFound(f"{field}: agent", agent_id)
        return agent

    @staticmethod
    def _customer(conn: Connection, customer_id: str) -> Customer:
        customer = store.get_customer(conn, customer_id)
        if customer is None:
            raise NotFound("customer_id: customer", customer_id)
        return customer

    @staticmethod
    def _ticket(conn: Connection, ticket_id: str) -> Ticket:
        found = store.get_ticket(conn, ticket_id)
        if found is None:
            raise NotFound("ticket_id: ticket", ticket_id)
        return found[0]

    @staticmethod
    def _record(conn: Connection, ticket: Ticket, step: Step) -> tuple[str, str]:
        event = events.ticket_step(ticket, step)
        step_id = _new_id()
        store.add_step(conn, step_id, ticket.ticket_id, step, event.id)
        store.outbox.add(conn, AFTERSALES_EVENTS, event, key=ticket.ticket_id)
        return step_id, event.id

    @staticmethod
    def _replay(conn: Connection, step_id: str) -> StepResult:
        ticket_id, event_id = store.step_ticket_and_event(conn, step_id)
        step = next(s for sid, s, _ in store.steps(conn, ticket_id) if sid == step_id)
        found = store.get_ticket(conn, ticket_id)
        assert found is not None
        return StepResult(found[0], step, event_id)

    def _on_ticket(
        self,
        operation: str,
        ticket_id: str,
        request: dict[str, Any],
        idempotency_key: str,
        occurred_at: datetime | None,
        act: Act,
        recorded_by: str = "",
    ) -> StepResult:
        """Run one step on a ticket: load, act, save, record the step and its event, once.
        `recorded_by`: the desk integration that recorded a step an agent took elsewhere."""
        request = {**request, "ticket_id": ticket_id, "occurred_at": occurred_at}
        if recorded_by:
            request["recorded_by"] = recorded_by
        with self.engine.begin() as conn:
            store.lock_ticket(conn, ticket_id)
            earlier = store.idempotency.seen(conn, idempotency_key, operation, request)
            if earlier is not None:
                return self._replay(conn, earlier)
            ticket = self._ticket(conn, ticket_id)
            at = self._now(occurred_at, ticket.last_step_at)
            updated, step = act(conn, ticket, at)
            step = recorded(step, recorded_by)
            step_id, event_id = self._record(conn, updated, step)
            store.save_ticket(conn, updated)
            store.idempotency.remember(conn, idempotency_key, operation, request, step_id)
        return StepResult(updated, step, event_id)

    # -- the lifecycle ----------------------------------------------------------------------

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
        return first_wins(
            lambda: self._receive(request, idempotency_key, occurred_at),
            lambda: self._opened_before(request, idempotency_key),
        )

    def _opened_before(self, request: dict[str, Any], key: str) -> tuple[Ticket, str] | None:
        with self.engine.connect() as conn:
            earlier = store.idempotency.seen(conn, key, "OpenTicket", request)
            return None if earlier is None else store.get_ticket(conn, earlier)

    def _receive(
        self, request: dict[str, Any], idempotency_key: str, occurred_at: datetime | None
    ) -> tuple[Ticket, str]:
        customer_id, agent_id = request["customer_id"], request["agent_id"]
        product_id, channel = request["product_id"], request["channel"]
        description = request["description"]
        with self.engine.begin() as conn:
            earlier = store.idempotency.seen(conn, idempotency_key, "OpenTicket", request)
            if earlier is not None:
                found = store.get_ticket(conn, earlier)
                assert found is not None
                return found
            self._customer(conn, customer_id)
            self._agent(conn, agent_id, "agent_id")
            ticket = domain.receive(
                _new_id(),
                customer_id,
                product_id,
                channel,
                description,
                agent_id,
                self._now(occurred_at),
            )
            by = request.get("recorded_by", "")
            event = events.ticket_received(ticket, by)
            store.add_ticket(conn, ticket, event.id)
            received = Step("received", agent_id, ticket.received_at, {"channel": channel})
            store.add_step(conn, _new_id(), ticket.ticket_id, recorded(received, by), event.id)
            store.outbox.add(conn, AFTERSALES_EVENTS, event, key=ticket.ticket_id)
            self._record(conn, ticket, recorded(domain.first_assignment(ticket), by))
            store.idempotency.remember(
                conn, idempotency_key, "OpenTicket", request, ticket.ticket_id
            )
        return ticket, event.id

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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, classified_by, "classified_by")
            due = self.commitments.due(priority, ticket.received_at)
            return domain.classify(ticket, category, priority, due, classified_by, at)

        request = {"category": category, "priority": priority, "by": classified_by}
        return self._on_ticket(
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, to_agent, "to_agent")
            self._agent(conn, assigned_by, "assigned_by")
            return domain.assign(ticket, to_agent, assigned_by, reason, at)

        request = {"to": to_agent, "by": assigned_by, "reason": reason}
        return self._on_ticket(
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, agent_id, "agent_id")
            return domain.respond(ticket, agent_id, message, at)

        request = {"agent_id": agent_id, "message": message}
        return self._on_ticket(
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            return domain.customer_message(ticket, _new_id(), message, at)

        request = {"message": message}
        return self._on_ticket(
            "RecordCustomerMessage", ticket_id, request, idempotency_key, occurred_at, act
        )

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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, escalated_by, "escalated_by")
            updated, step = domain.escalate(
                ticket, _new_id(), department, question, escalated_by, at
            )
            store.add_escalation(conn, escalations.opened(updated, step))
            return updated, step

        request = {"department": department, "question": question, "by": escalated_by}
        return self._on_ticket(
            "EscalateTicket",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
        )

    def _escalation(self, conn: Connection, escalation_id: str) -> Escalation:
        found = store.get_escalation(conn, escalation_id)
        if found is None:
            raise NotFound("escalation_id: escalation", escalation_id)
        return found

    def _escalation_ticket(self, escalation_id: str) -> str:
        with self.engine.connect() as conn:
            return self._escalation(conn, escalation_id).ticket_id

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

        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            if not answered_by.strip():
                raise InvalidArgument("answered_by", "is required")
            answered, step = escalations.answer(
                self._escalation(conn, escalation_id), answer_summary, answered_by.strip(), at
            )
            store.save_escalation(conn, answered)
            return domain.touched(ticket, at), step

        request = {"escalation_id": escalation_id, "answer": answer_summary, "by": answered_by}
        ticket_id = self._escalation_ticket(escalation_id)
        return self._on_ticket(
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

        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, reported_by, "reported_by")
            reported, updated, step = escalations.report_back(
                self._escalation(conn, escalation_id), ticket, reported_by, message, at
            )
            store.save_escalation(conn, reported)
            return updated, step

        request = {"escalation_id": escalation_id, "by": reported_by, "message": message}
        ticket_id = self._escalation_ticket(escalation_id)
        return self._on_ticket(
            "ReportBackEscalation",
            ticket_id,
            request,
            idempotency_key,
            occurred_at,
            act,
            recorded_by=recorded_by,
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, agent_id, "agent_id")
            return domain.resolve(ticket, agent_id, resolution, at)

        request = {"agent_id": agent_id, "resolution": resolution}
        return self._on_ticket(
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

        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, agent_id, "agent_id")
            return domain.close(ticket, agent_id, at)

        request = {"agent_id": agent_id}
        return self._on_ticket(
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            self._agent(conn, reopened_by, "reopened_by")
            return domain.reopen(ticket, reopened_by, reason, at)

        request = {"by": reopened_by, "reason": reason}
        return self._on_ticket(
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
        def act(conn: Connection, ticket: Ticket, at: datetime) -> tuple[Ticket, Step]:
            return domain.answer_survey(ticket, score, comment, at)

        request = {"score": score, "comment": comment}
        return self._on_ticket(
            "AnswerSurvey", ticket_id, request, idempotency_key, occurred_at, act
        )

    # -- reading ----------------------------------------------------------------------------

    def get_ticket(self, ticket_id: str) -> Ticket:
        with self.engine.connect() as conn:
            return self._ticket(conn, ticket_id)

    def ticket_view(self, ticket_id: str) -> TicketView:
        with self.engine.connect() as conn:
            ticket = self._ticket(conn, ticket_id)
            history = [step for _, step, _ in store.steps(conn, ticket_id)]
            return TicketView(ticket, history, store.ticket_escalations(conn, ticket_id))

    def overdue(self) -> list[tuple[Ticket, list[str]]]:
        """Every ticket past a due time it has not met, at the clock's now (4.2.2)."""
        now = self.clock()
        with self.engine.connect() as conn:
            found = store.find_tickets(conn, include_archived=False)
        return [(t, t.overdue(now)) for t in found if t.overdue(now)]
