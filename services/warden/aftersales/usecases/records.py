"""Customer files and service records (3.3): a customer's whole history, searching records,
and archiving closed ones (they stay readable)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from warden.aftersales.domain import tickets
from warden.aftersales.domain.fees import Fee
from warden.aftersales.domain.tickets import Customer, Ticket
from warden.aftersales.usecases import events
from warden.aftersales.usecases.context import Context, require_customer
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork, ArchiveRun
from warden.aftersales.usecases.tickets import TicketView, view
from warden.errors import InvalidArgument
from warden.platform.unit_of_work import Call, first_wins

OUTCOMES = ("resolved", "unresolved", "open")


@dataclass(frozen=True)
class CustomerFile:
    """One customer's file (3.3.1): every problem, how it was solved, the feedback, the fees."""

    customer: Customer
    tickets: list[TicketView]
    fees: list[Fee]


class Records:
    def __init__(self, context: Context) -> None:
        self.context = context

    def customer_file(self, customer_id: str) -> CustomerFile:
        with self.context.uow() as uow:
            customer = require_customer(uow, customer_id)
            views = [view(uow, t) for t in uow.tickets.find(customer_id=customer_id)]
            charged = [f for f, _ in uow.fees.find(customer_id=customer_id)]
        return CustomerFile(customer, views, charged)

    def search_records(
        self,
        category: str = "",
        product_id: str = "",
        outcome: str = "",
        include_archived: bool = True,
    ) -> list[Ticket]:
        """Service records by category, product and outcome (3.3.2)."""
        if outcome and outcome not in OUTCOMES:
            raise InvalidArgument("outcome", f"{outcome!r} is not one of {', '.join(OUTCOMES)}")
        with self.context.uow() as uow:
            found = uow.tickets.find(
                include_archived,
                category=category,
                product_id=product_id,
                outcome="" if outcome == "open" else outcome,
            )
        return [t for t in found if outcome != "open" or t.is_open]

    def archive(
        self, older_than_days: int, archived_by: str, idempotency_key: str = ""
    ) -> ArchiveRun:
        """Move closed records older than N days to the archive; they stay readable (3.3.2)."""
        if older_than_days < 0:
            raise InvalidArgument("older_than_days", f"must not be negative, got {older_than_days}")
        if not archived_by.strip():
            raise InvalidArgument("archived_by", "is required")
        request = {"older_than_days": older_than_days, "archived_by": archived_by}
        call = Call("ArchiveRecords", idempotency_key, request)
        return first_wins(self.context.uow, call, lambda: self._archive(call), _run)

    def _archive(self, call: Call) -> ArchiveRun:
        older_than_days, archived_by = call.request["older_than_days"], call.request["archived_by"]
        with self.context.uow() as uow:

            def act() -> tuple[ArchiveRun, str]:
                now = self.context.clock()
                cutoff = now - timedelta(days=older_than_days)
                moved = [
                    t
                    for t in uow.tickets.find(include_archived=False, status="closed")
                    if t.closed_at is not None and t.closed_at < cutoff
                ]
                for ticket in moved:
                    uow.tickets.save(tickets.archive(ticket, now))
                run_id = self.context.new_id()
                ids = [t.ticket_id for t in moved]
                event = events.records_archived(run_id, ids, older_than_days, archived_by, now)
                run = ArchiveRun(run_id, ids, older_than_days, now, event.id)
                uow.records.add_archive_run(run, archived_by)
                uow.outbox.add(event)
                return run, run_id

            return uow.once(call, act, lambda run_id: _run(uow, run_id))


def _run(uow: AfterSalesUnitOfWork, run_id: str) -> ArchiveRun:
    return uow.records.archive_run(run_id)
