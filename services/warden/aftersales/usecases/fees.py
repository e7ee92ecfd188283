"""Fee use cases (4.2.1): the schedule, and fees charged against it (flagged, never refused)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from warden.aftersales.domain import fees
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import Context, require_agent, require_ticket
from warden.money import Money
from warden.platform.unit_of_work import Call


@dataclass(frozen=True)
class FeeResult:
    fee: Fee
    explanation: str
    event_id: str


class Fees:
    def __init__(self, context: Context) -> None:
        self.context = context

    def set_fee(
        self, service_code: str, description: str, price: Money, warranty_covers: bool
    ) -> ScheduleEntry:
        entry = fees.schedule_entry(service_code, description, price, warranty_covers)
        with self.context.uow() as uow:
            uow.fees.put_entry(entry)
            uow.commit()
        return entry

    def fee_schedule(self) -> list[ScheduleEntry]:
        with self.context.uow() as uow:
            return uow.fees.schedule()

    def charge_fee(
        self,
        ticket_id: str,
        agent_id: str,
        service_code: str,
        amount: Money,
        warranty: bool,
        idempotency_key: str = "",
        occurred_at: datetime | None = None,
    ) -> FeeResult:
        """Record a fee; outside the schedule it is recorded and flagged, never refused."""
        request = {
            "ticket_id": ticket_id,
            "agent_id": agent_id,
            "service_code": service_code,
            "amount": [amount.amount_minor, amount.currency],
            "warranty": warranty,
            "occurred_at": occurred_at,
        }
        with self.context.uow() as uow:
            uow.tickets.lock(ticket_id)

            def act() -> tuple[FeeResult, str]:
                ticket = require_ticket(uow, ticket_id)
                require_agent(uow, agent_id, "agent_id")
                fee = fees.charge(
                    self.context.new_id(),
                    ticket.ticket_id,
                    ticket.customer_id,
                    agent_id,
                    service_code,
                    amount,
                    warranty,
                    self.context.now(occurred_at),
                    uow.fees.entry(service_code),
                    [f for f, _ in uow.fees.find(ticket_id=ticket_id)],
                )
                event = events.fee_charged(fee)
                uow.fees.add(fee, event.id)
                uow.outbox.add(event, key=ticket_id)
                return FeeResult(fee, fees.explain(fee), event.id), fee.fee_id

            def replay(fee_id: str) -> FeeResult:
                fee, event_id = uow.fees.find(fee_id=fee_id)[0]
                return FeeResult(fee, fees.explain(fee), event_id)

            return uow.once(Call("ChargeFee", idempotency_key, request), act, replay)

    def list_fees(self, ticket_id: str = "", customer_id: str = "") -> list[Fee]:
        with self.context.uow() as uow:
            found = uow.fees.find(ticket_id=ticket_id, customer_id=customer_id)
        return [f for f, _ in found]
