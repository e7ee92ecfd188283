"""After-sales use cases: the ticket desk plus fees, customer data, records and quality."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from warden.aftersales.domain import fees, privacy, quality
from warden.aftersales.domain import tickets as domain
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.quality import QualityReport
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Ticket
from warden.aftersales.storage import store
from warden.aftersales.usecases import events
from warden.aftersales.usecases.tickets import StepResult, TicketDesk, TicketView, first_wins
from warden.errors import InvalidArgument, NotFound, PermissionDenied
from warden.money import Money
from warden.platform.topics import AFTERSALES_EVENTS

__all__ = ["AfterSalesApp", "StepResult", "TicketView"]

OUTCOMES = ("resolved", "unresolved", "open")


@dataclass(frozen=True)
class FeeResult:
    fee: Fee
    explanation: str
    event_id: str


@dataclass(frozen=True)
class CustomerFile:
    """One customer's file (3.3.1): every problem, how it was solved, the feedback, the fees."""

    customer: Customer
    tickets: list[TicketView]
    fees: list[Fee]


@dataclass(frozen=True)
class ArchiveRun:
    run_id: str
    ticket_ids: list[str]
    older_than_days: int
    ran_at: datetime
    event_id: str


@dataclass(frozen=True)
class PublishedReport:
    report: QualityReport
    report_id: str
    event_id: str


def _new_id() -> str:
    return str(uuid.uuid4())


UNREGISTERED = "unregistered"


def _signed_in_agent(conn: Connection, subject: str) -> Agent:
    """The signed-in caller as an agent; role `unregistered` when they are not one."""
    return store.get_agent(conn, subject) or Agent(subject, subject, UNREGISTERED, "")


class AfterSalesApp(TicketDesk):
    """Every after-sales use case; the gRPC servicer and the tests drive this."""

    # -- fees (4.2.1) -----------------------------------------------------------------------

    def set_fee(
        self, service_code: str, description: str, price: Money, warranty_covers: bool
    ) -> ScheduleEntry:
        entry = fees.schedule_entry(service_code, description, price, warranty_covers)
        with self.engine.begin() as conn:
            store.put_schedule_entry(conn, entry)
        return entry

    def fee_schedule(self) -> list[ScheduleEntry]:
        with self.engine.connect() as conn:
            return store.schedule(conn)

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
        with self.engine.begin() as conn:
            store.lock_ticket(conn, ticket_id)
            earlier = store.idempotency.seen(conn, idempotency_key, "ChargeFee", request)
            if earlier is not None:
                fee, event_id = store.find_fees(conn, fee_id=earlier)[0]
                return FeeResult(fee, fees.explain(fee), event_id)
            ticket = self._ticket(conn, ticket_id)
            self._agent(conn, agent_id, "agent_id")
            fee = fees.charge(
                _new_id(),
                ticket.ticket_id,
                ticket.customer_id,
                agent_id,
                service_code,
                amount,
                warranty,
                self._now(occurred_at),
                store.get_schedule_entry(conn, service_code),
                [f for f, _ in store.find_fees(conn, ticket_id=ticket_id)],
            )
            event = events.fee_charged(fee)
            store.add_fee(conn, fee, event.id)
            store.outbox.add(conn, AFTERSALES_EVENTS, event, key=ticket_id)
            store.idempotency.remember(conn, idempotency_key, "ChargeFee", request, fee.fee_id)
        return FeeResult(fee, fees.explain(fee), event.id)

    def list_fees(self, ticket_id: str = "", customer_id: str = "") -> list[Fee]:
        with self.engine.connect() as conn:
            return [
                f for f, _ in store.find_fees(conn, ticket_id=ticket_id, customer_id=customer_id)
            ]

    # -- customer personal data (4.2.1) -----------------------------------------------------

    def access_customer_data(
        self,
        accessor_id: str,
        action: str,
        customer_ids: Sequence[str],
        fields: Sequence[str],
        recipient: str = "",
        recipient_kind: str = "internal",
        purpose: str = "",
        signed_in: str | None = None,
    ) -> tuple[Access, dict[str, PersonalData], str]:
        """Read, export or disclose personal fields; every attempt is logged and emitted.

        `signed_in` is the caller's verified identity (None: `accessor_id` is trusted, as for an
        admin). A signed-in employee naming another accessor is logged as themselves, refused
        (granted false) and answered PERMISSION_DENIED on accessor_id; a refusal by the role
        table is logged the same way and answered PERMISSION_DENIED on fields."""
        if action not in privacy.ACTIONS:
            raise InvalidArgument(
                "action", f"{action!r} is not one of {', '.join(privacy.ACTIONS)}"
            )
        if recipient_kind not in ("internal", "external"):
            raise InvalidArgument("recipient_kind", "must be internal or external")
        if action != "read" and not recipient.strip():
            raise InvalidArgument("recipient", f"is required to {action}")
        chosen = privacy.requested_fields(fields)
        impostor = signed_in if signed_in not in (None, accessor_id) else None
        with self.engine.begin() as conn:
            if impostor:
                accessor = _signed_in_agent(conn, impostor)
            else:
                accessor = self._agent(conn, accessor_id, "accessor_id")
            ids = list(dict.fromkeys(customer_ids)) or store.customer_ids(conn)
            if action != "export" and len(ids) != 1:
                raise InvalidArgument("customer_id", f"{action} names exactly one customer")
            data = {cid: self._personal(conn, cid) for cid in ids}
            if impostor:
                refusal = f"{accessor.agent_id!r} is signed in and may not act as {accessor_id!r}"
            else:
                own = all(store.has_open_ticket(conn, cid, accessor_id) for cid in ids)
                refusal = privacy.refusal(accessor, action, chosen, own)
            access = Access(
                _new_id(),
                tuple(ids),
                accessor.agent_id,
                accessor.role,
                action,
                chosen,
                "internal" if action == "read" else recipient_kind,
                accessor.agent_id if action == "read" else recipient.strip(),
                purpose.strip(),
                self.clock(),
                not refusal,
                refusal,
            )
            event = events.customer_data_accessed(access)
            store.add_access(conn, access, event.id)
            store.outbox.add(conn, AFTERSALES_EVENTS, event)
        if impostor:
            raise PermissionDenied(f"accessor_id: {refusal}")
        privacy.check(access)
        return access, data, event.id

    @staticmethod
    def _personal(conn: Connection, customer_id: str) -> PersonalData:
        found = store.get_personal(conn, customer_id)
        if found is None:
            raise NotFound("customer_id: customer", customer_id)
        return found

    def access_log(self, customer_id: str = "") -> list[Access]:
        with self.engine.connect() as conn:
            return store.accesses(conn, customer_id)

    # -- customer files and records (3.3) ---------------------------------------------------

    def customer_file(self, customer_id: str) -> CustomerFile:
        with self.engine.connect() as conn:
            customer = self._customer(conn, customer_id)
            found = store.find_tickets(conn, customer_id=customer_id)
            views = [
                TicketView(
                    t,
                    [s for _, s, _ in store.steps(conn, t.ticket_id)],
                    store.ticket_escalations(conn, t.ticket_id),
                )
                for t in found
            ]
            charged = [f for f, _ in store.find_fees(conn, customer_id=customer_id)]
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
        with self.engine.connect() as conn:
            found = store.find_tickets(
                conn,
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
        return first_wins(
            lambda: self._archive(request, idempotency_key),
            lambda: self._archived_before(request, idempotency_key),
        )

    def _archived_before(self, request: dict[str, Any], key: str) -> ArchiveRun | None:
        with self.engine.connect() as conn:
            return self._earlier_run(conn, request, key)

    @staticmethod
    def _earlier_run(conn: Connection, request: dict[str, Any], key: str) -> ArchiveRun | None:
        earlier = store.idempotency.seen(conn, key, "ArchiveRecords", request)
        if earlier is None:
            return None
        ids, event_id, ran_at = store.get_archive_run(conn, earlier)
        return ArchiveRun(earlier, ids, request["older_than_days"], ran_at, event_id)

    def _archive(self, request: dict[str, Any], idempotency_key: str) -> ArchiveRun:
        older_than_days, archived_by = request["older_than_days"], request["archived_by"]
        with self.engine.begin() as conn:
            earlier = self._earlier_run(conn, request, idempotency_key)
            if earlier is not None:
                return earlier
            now = self.clock()
            cutoff = now - timedelta(days=older_than_days)
            moved = [
                t
                for t in store.find_tickets(conn, include_archived=False, status="closed")
                if t.closed_at is not None and t.closed_at < cutoff
            ]
            for ticket in moved:
                store.save_ticket(conn, domain.archive(ticket, now))
            run_id = _new_id()
            ids = [t.ticket_id for t in moved]
            event = events.records_archived(run_id, ids, older_than_days, archived_by, now)
            store.add_archive_run(conn, run_id, archived_by, older_than_days, now, ids, event.id)
            store.outbox.add(conn, AFTERSALES_EVENTS, event)
            store.idempotency.remember(conn, idempotency_key, "ArchiveRecords", request, run_id)
        return ArchiveRun(run_id, ids, older_than_days, now, event.id)

    # -- service quality (3.2) --------------------------------------------------------------

    def quality_report(self, period: str) -> QualityReport:
        start, end = quality.month_bounds(period)
        with self.engine.connect() as conn:
            found = store.received_between(conn, start, end)
        return quality.report(period, found, self.clock())

    def publish_quality_report(self, period: str, published_by: str) -> PublishedReport:
        """The report, recorded as published (3.2.1) with a quality_report.published event."""
        if not published_by.strip():
            raise InvalidArgument("published_by", "is required")
        report = self.quality_report(period)
        report_id = _new_id()
        event = events.quality_report_published(report_id, period, published_by, report.computed_at)
        with self.engine.begin() as conn:
            store.add_quality_report(
                conn, report_id, period, published_by, report.computed_at, event.id
            )
            store.outbox.add(conn, AFTERSALES_EVENTS, event)
        return PublishedReport(report, report_id, event.id)
