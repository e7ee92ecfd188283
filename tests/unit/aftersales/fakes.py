"""In-memory fakes of the after-sales storage ports: the use cases run on them without a
database."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.unit.fake_unit_of_work import FakeEvents, FakeRequests
from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Step, Ticket
from warden.aftersales.usecases import ports
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork, ArchiveRun


@dataclass
class State:
    """Everything the fake database holds."""

    agents: dict[str, Agent] = field(default_factory=dict)
    customers: dict[str, tuple[Customer, PersonalData]] = field(default_factory=dict)
    tickets: dict[str, tuple[Ticket, str]] = field(default_factory=dict)
    steps: list[tuple[str, str, Step, str]] = field(default_factory=list)
    escalations: dict[str, Escalation] = field(default_factory=dict)
    schedule: dict[str, ScheduleEntry] = field(default_factory=dict)
    fees: list[tuple[Fee, str]] = field(default_factory=list)
    accesses: list[Access] = field(default_factory=list)
    runs: dict[str, tuple[ArchiveRun, str]] = field(default_factory=dict)
    quality_reports: list[tuple[str, str]] = field(default_factory=list)
    requests_seen: FakeRequests = field(default_factory=FakeRequests)
    outbox: FakeEvents = field(default_factory=FakeEvents)


def _equal(obj: object, equal: dict[str, str]) -> bool:
    return all(not value or getattr(obj, name) == value for name, value in equal.items())


class FakeAgents(ports.Agents):
    def __init__(self, state: State) -> None:
        self.state = state

    def get(self, agent_id: str) -> Agent | None:
        return self.state.agents.get(agent_id)

    def put(self, agent: Agent) -> None:
        self.state.agents[agent.agent_id] = agent


class FakeCustomers(ports.Customers):
    def __init__(self, state: State) -> None:
        self.state = state

    def get(self, customer_id: str) -> Customer | None:
        found = self.state.customers.get(customer_id)
        return found[0] if found else None

    def put(self, customer: Customer, personal: PersonalData) -> None:
        self.state.customers[customer.customer_id] = (customer, personal)

    def ids(self) -> list[str]:
        return sorted(self.state.customers)

    def personal(self, customer_id: str) -> PersonalData | None:
        found = self.state.customers.get(customer_id)
        return found[1] if found else None


class FakeTickets(ports.Tickets):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, ticket: Ticket, event_id: str) -> None:
        self.state.tickets[ticket.ticket_id] = (ticket, event_id)

    def save(self, ticket: Ticket) -> None:
        self.state.tickets[ticket.ticket_id] = (ticket, self.state.tickets[ticket.ticket_id][1])

    def lock(self, ticket_id: str) -> None:
        pass

    def get(self, ticket_id: str) -> tuple[Ticket, str] | None:
        return self.state.tickets.get(ticket_id)

    def find(self, include_archived: bool = True, **equal: str) -> list[Ticket]:
        found = [
            t
            for t, _ in self.state.tickets.values()
            if _equal(t, equal) and (include_archived or t.archived_at is None)
        ]
        return sorted(found, key=lambda t: (t.received_at, t.ticket_id))

    def received_between(self, start: datetime, end: datetime) -> list[Ticket]:
        return [t for t in self.find() if start <= t.received_at < end]

    def has_open(self, customer_id: str, agent_id: str) -> bool:
        return any(
            t.customer_id == customer_id and t.agent_id == agent_id and t.status != "closed"
            for t, _ in self.state.tickets.values()
        )

    def add_step(self, step_id: str, ticket_id: str, step: Step, event_id: str) -> None:
        self.state.steps.append((step_id, ticket_id, step, event_id))

    def steps(self, ticket_id: str) -> list[tuple[str, Step, str]]:
        return [(sid, s, e) for sid, tid, s, e in self.state.steps if tid == ticket_id]

    def step_ticket_and_event(self, step_id: str) -> tuple[str, str]:
        return next((tid, e) for sid, tid, _, e in self.state.steps if sid == step_id)


class FakeEscalations(ports.Escalations):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, escalation: Escalation) -> None:
        self.state.escalations[escalation.escalation_id] = escalation

    def save(self, escalation: Escalation) -> None:
        self.add(escalation)

    def get(self, escalation_id: str) -> Escalation | None:
        return self.state.escalations.get(escalation_id)

    def of_ticket(self, ticket_id: str) -> list[Escalation]:
        found = [e for e in self.state.escalations.values() if e.ticket_id == ticket_id]
        return sorted(found, key=lambda e: e.escalated_at)


class FakeFees(ports.Fees):
    def __init__(self, state: State) -> None:
        self.state = state

    def put_entry(self, entry: ScheduleEntry) -> None:
        self.state.schedule[entry.service_code] = entry

    def entry(self, service_code: str) -> ScheduleEntry | None:
        return self.state.schedule.get(service_code)

    def schedule(self) -> list[ScheduleEntry]:
        return [self.state.schedule[code] for code in sorted(self.state.schedule)]

    def add(self, fee: Fee, event_id: str) -> None:
        self.state.fees.append((fee, event_id))

    def find(self, **equal: str) -> list[tuple[Fee, str]]:
        found = [(f, e) for f, e in self.state.fees if _equal(f, equal)]
        return sorted(found, key=lambda pair: (pair[0].charged_at, pair[0].fee_id))


class FakeAccesses(ports.Accesses):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, access: Access, event_id: str) -> None:
        self.state.accesses.append(access)

    def of_customer(self, customer_id: str = "") -> list[Access]:
        return [a for a in self.state.accesses if not customer_id or customer_id in a.customer_ids]


class FakeRecords(ports.Records):
    def __init__(self, state: State) -> None:
        self.state = state

    def add_archive_run(self, run: ArchiveRun, archived_by: str) -> None:
        self.state.runs[run.run_id] = (run, archived_by)

    def archive_run(self, run_id: str) -> ArchiveRun:
        return self.state.runs[run_id][0]

    def add_quality_report(
        self, report_id: str, period: str, by: str, at: datetime, event_id: str
    ) -> None:
        self.state.quality_reports.append((report_id, period))


class FakeAfterSalesUnitOfWork(AfterSalesUnitOfWork):
    """One transaction on `state`: what it wrote is undone unless it committed."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.agents = FakeAgents(state)
        self.customers = FakeCustomers(state)
        self.tickets = FakeTickets(state)
        self.escalations = FakeEscalations(state)
        self.fees = FakeFees(state)
        self.accesses = FakeAccesses(state)
        self.records = FakeRecords(state)
        self.requests = state.requests_seen
        self.outbox = state.outbox
        self.backup: dict[str, Any] | None = None

    def __enter__(self) -> FakeAfterSalesUnitOfWork:
        self.backup = copy.deepcopy(self.state.__dict__)
        return self

    def commit(self) -> None:
        self.backup = None

    def rollback(self) -> None:
        if self.backup is not None:
            self.state.__dict__.update(self.backup)
            self.backup = None
