"""What the after-sales use cases need from storage: one repository per kind of record, and
the unit of work that holds them in one transaction (storage/ implements them on SQLAlchemy,
tests/unit/aftersales/fakes.py in memory)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Step, Ticket
from warden.platform.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ArchiveRun:
    """One run that moved closed records to the archive."""

    run_id: str
    ticket_ids: list[str]
    older_than_days: int
    ran_at: datetime
    event_id: str


class Agents(ABC):
    @abstractmethod
    def get(self, agent_id: str) -> Agent | None: ...

    @abstractmethod
    def put(self, agent: Agent) -> None: ...


class Customers(ABC):
    """Customers, and their personal data kept apart (only the data-access use cases read it)."""

    @abstractmethod
    def get(self, customer_id: str) -> Customer | None: ...

    @abstractmethod
    def put(self, customer: Customer, personal: PersonalData) -> None: ...

    @abstractmethod
    def ids(self) -> list[str]:
        """Every customer's id in order."""

    @abstractmethod
    def personal(self, customer_id: str) -> PersonalData | None: ...


class Tickets(ABC):
    """Tickets and the history of their steps."""

    @abstractmethod
    def add(self, ticket: Ticket, event_id: str) -> None: ...

    @abstractmethod
    def save(self, ticket: Ticket) -> None: ...

    @abstractmethod
    def lock(self, ticket_id: str) -> None:
        """Hold the ticket until the transaction ends, so two steps on it cannot interleave."""

    @abstractmethod
    def get(self, ticket_id: str) -> tuple[Ticket, str] | None:
        """The ticket and its received event's id."""

    @abstractmethod
    def find(self, include_archived: bool = True, **equal: str) -> list[Ticket]:
        """Tickets whose fields equal the given values (empty values ignored), oldest first."""

    @abstractmethod
    def received_between(self, start: datetime, end: datetime) -> list[Ticket]: ...

    @abstractmethod
    def has_open(self, customer_id: str, agent_id: str) -> bool:
        """Whether the agent holds an open ticket of the customer."""

    @abstractmethod
    def add_step(self, step_id: str, ticket_id: str, step: Step, event_id: str) -> None: ...

    @abstractmethod
    def steps(self, ticket_id: str) -> list[tuple[str, Step, str]]:
        """A ticket's history in the order it happened: (step id, step, event id)."""

    @abstractmethod
    def step_ticket_and_event(self, step_id: str) -> tuple[str, str]: ...


class Escalations(ABC):
    @abstractmethod
    def add(self, escalation: Escalation) -> None: ...

    @abstractmethod
    def save(self, escalation: Escalation) -> None: ...

    @abstractmethod
    def get(self, escalation_id: str) -> Escalation | None: ...

    @abstractmethod
    def of_ticket(self, ticket_id: str) -> list[Escalation]:
        """The ticket's escalations, oldest first."""


class Fees(ABC):
    """The fee schedule and the fees charged."""

    @abstractmethod
    def put_entry(self, entry: ScheduleEntry) -> None: ...

    @abstractmethod
    def entry(self, service_code: str) -> ScheduleEntry | None: ...

    @abstractmethod
    def schedule(self) -> list[ScheduleEntry]: ...

    @abstractmethod
    def add(self, fee: Fee, event_id: str) -> None: ...

    @abstractmethod
    def find(self, **equal: str) -> list[tuple[Fee, str]]:
        """Fees whose fields equal the given values (empty values ignored), with event ids."""


class Accesses(ABC):
    """The log of every read, export and disclosure of personal data."""

    @abstractmethod
    def add(self, access: Access, event_id: str) -> None: ...

    @abstractmethod
    def of_customer(self, customer_id: str = "") -> list[Access]:
        """The accesses naming the customer (all with ""), oldest first."""


class Records(ABC):
    """Archive runs and published quality reports."""

    @abstractmethod
    def add_archive_run(self, run: ArchiveRun, archived_by: str) -> None: ...

    @abstractmethod
    def archive_run(self, run_id: str) -> ArchiveRun: ...

    @abstractmethod
    def add_quality_report(
        self, report_id: str, period: str, by: str, at: datetime, event_id: str
    ) -> None: ...


class AfterSalesUnitOfWork(UnitOfWork):
    agents: Agents
    customers: Customers
    tickets: Tickets
    escalations: Escalations
    fees: Fees
    accesses: Accesses
    records: Records
