"""What every after-sales use case is given, the time a step happened at, and the look-ups
that refuse a record that is missing."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from warden.aftersales.domain.commitments import CommitmentTable
from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Ticket
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.errors import InvalidArgument, NotFound

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Context:
    """A new unit of work per use case, the clock, and the priorities' commitments."""

    uow: Callable[[], AfterSalesUnitOfWork]
    clock: Clock
    commitments: CommitmentTable

    @staticmethod
    def new_id() -> str:
        return str(uuid.uuid4())

    def now(self, occurred_at: datetime | None, after: datetime | None = None) -> datetime:
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


def require_agent(uow: AfterSalesUnitOfWork, agent_id: str, field: str) -> Agent:
    found = uow.agents.get(agent_id)
    if found is None:
        raise NotFound(f"{field}: agent", agent_id)
    return found


def require_customer(uow: AfterSalesUnitOfWork, customer_id: str) -> Customer:
    found = uow.customers.get(customer_id)
    if found is None:
        raise NotFound("customer_id: customer", customer_id)
    return found


def require_personal(uow: AfterSalesUnitOfWork, customer_id: str) -> PersonalData:
    found = uow.customers.personal(customer_id)
    if found is None:
        raise NotFound("customer_id: customer", customer_id)
    return found


def require_ticket(uow: AfterSalesUnitOfWork, ticket_id: str) -> Ticket:
    found = uow.tickets.get(ticket_id)
    if found is None:
        raise NotFound("ticket_id: ticket", ticket_id)
    return found[0]


def require_escalation(uow: AfterSalesUnitOfWork, escalation_id: str) -> Escalation:
    found = uow.escalations.get(escalation_id)
    if found is None:
        raise NotFound("escalation_id: escalation", escalation_id)
    return found
