"""One step on a ticket, the same for every step (3.1): lock the ticket, replay a repeated
key, act, save the ticket, record the step and its event, remember the key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from warden.aftersales.domain.tickets import Step, Ticket
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import Context, require_ticket
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.platform.unit_of_work import Call

# What a step does to the ticket: (unit of work, ticket, time) -> (ticket after, step).
Act = Callable[[AfterSalesUnitOfWork, Ticket, datetime], tuple[Ticket, Step]]


@dataclass(frozen=True)
class StepResult:
    """A ticket after one step, the step, and the id of the event it emitted."""

    ticket: Ticket
    step: Step
    event_id: str


class TicketSteps:
    def __init__(self, context: Context) -> None:
        self.context = context

    def run(
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
        with self.context.uow() as uow:
            uow.tickets.lock(ticket_id)

            def step() -> tuple[StepResult, str]:
                current = require_ticket(uow, ticket_id)
                at = self.context.now(occurred_at, current.last_step_at)
                updated, done = act(uow, current, at)
                done = recorded(done, recorded_by)
                step_id, event_id = self.record(uow, updated, done)
                uow.tickets.save(updated)
                return StepResult(updated, done, event_id), step_id

            call = Call(operation, idempotency_key, request)
            return uow.once(call, step, lambda step_id: replay(uow, step_id))

    def record(self, uow: AfterSalesUnitOfWork, updated: Ticket, step: Step) -> tuple[str, str]:
        """Record `step` of the ticket and its event; (step id, event id)."""
        event = events.ticket_step(updated, step)
        step_id = self.context.new_id()
        uow.tickets.add_step(step_id, updated.ticket_id, step, event.id)
        uow.outbox.add(event, key=updated.ticket_id)
        return step_id, event.id


def recorded(step: Step, recorded_by: str) -> Step:
    """The step with the desk integration that recorded it, if one did (else as it is)."""
    if not recorded_by:
        return step
    return replace(step, detail={**step.detail, "recorded_by": recorded_by})


def replay(uow: AfterSalesUnitOfWork, step_id: str) -> StepResult:
    """What the step `step_id` returned when it was first taken."""
    ticket_id, event_id = uow.tickets.step_ticket_and_event(step_id)
    step = next(s for sid, s, _ in uow.tickets.steps(ticket_id) if sid == step_id)
    return StepResult(require_ticket(uow, ticket_id), step, event_id)
