"""The after-sales service wired: its use cases on the database, and every verb the servicer
and the tests call, each named where it is implemented."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import Engine

from warden.aftersales.domain.commitments import CommitmentTable
from warden.aftersales.storage.unit_of_work import SqlAfterSalesUnitOfWork
from warden.aftersales.usecases.context import Clock, Context
from warden.aftersales.usecases.customer_data import CustomerData
from warden.aftersales.usecases.escalations import Escalations
from warden.aftersales.usecases.fees import Fees
from warden.aftersales.usecases.people import People
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.aftersales.usecases.quality import Quality
from warden.aftersales.usecases.records import Records
from warden.aftersales.usecases.steps import StepResult, TicketSteps
from warden.aftersales.usecases.tickets import Tickets, TicketView

__all__ = ["AfterSalesApp", "StepResult", "TicketView"]


class AfterSalesApp:
    """Agents and customers, the ticket lifecycle and escalations, fees, customer data,
    records and quality; the gRPC servicer and the tests drive this."""

    def __init__(
        self,
        engine: Engine | None,
        clock: Clock = lambda: datetime.now(UTC),
        commitments: CommitmentTable | None = None,
        unit_of_work: Callable[[], AfterSalesUnitOfWork] | None = None,
    ) -> None:
        """On `engine`, or on `unit_of_work` (a fake, in the unit tests)."""
        if unit_of_work is None:
            assert engine is not None
            unit_of_work = partial(SqlAfterSalesUnitOfWork, engine)
        self.engine = engine
        self.clock = clock
        context = Context(unit_of_work, clock, commitments or CommitmentTable())
        steps = TicketSteps(context)
        self.people = People(context)
        self.tickets = Tickets(context, steps)
        self.escalations = Escalations(context, steps)
        self.fees = Fees(context)
        self.customer_data = CustomerData(context)
        self.records = Records(context)
        self.quality = Quality(context)

        self.register_agent = self.people.register_agent
        self.register_customer = self.people.register_customer

        self.open_ticket = self.tickets.open_ticket
        self.classify = self.tickets.classify
        self.assign = self.tickets.assign
        self.respond = self.tickets.respond
        self.customer_message = self.tickets.customer_message
        self.resolve = self.tickets.resolve
        self.close = self.tickets.close
        self.reopen = self.tickets.reopen
        self.answer_survey = self.tickets.answer_survey
        self.get_ticket = self.tickets.get_ticket
        self.ticket_view = self.tickets.ticket_view
        self.overdue = self.tickets.overdue

        self.escalate = self.escalations.escalate
        self.answer_escalation = self.escalations.answer_escalation
        self.report_back = self.escalations.report_back

        self.set_fee = self.fees.set_fee
        self.fee_schedule = self.fees.fee_schedule
        self.charge_fee = self.fees.charge_fee
        self.list_fees = self.fees.list_fees

        self.access_customer_data = self.customer_data.access_customer_data
        self.access_log = self.customer_data.access_log

        self.customer_file = self.records.customer_file
        self.search_records = self.records.search_records
        self.archive = self.records.archive

        self.quality_report = self.quality.quality_report
        self.publish_quality_report = self.quality.publish_quality_report
