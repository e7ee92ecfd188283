"""In-memory fakes of the sales storage ports: the use cases run on them without a database."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import Any

from tests.unit.fake_unit_of_work import FakeEvents, FakeRequests
from warden.money import Money
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.contracts import Amendment, Contract, Payment
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.domain.targets import Target
from warden.sales.usecases import ports
from warden.sales.usecases.ports import Publication, SalesUnitOfWork, StoredRequest


@dataclass
class State:
    """Everything the fake database holds."""

    people: dict[str, Salesperson] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    changes: dict[str, tuple[PriceChange, str, str | None]] = field(default_factory=dict)
    requests: dict[str, StoredRequest] = field(default_factory=dict)
    targets: list[tuple[Target, str]] = field(default_factory=list)
    opportunities: dict[str, Opportunity] = field(default_factory=dict)
    stage_changes: list[tuple[StageChange, str]] = field(default_factory=list)
    documents: list[tuple[Document, str]] = field(default_factory=list)
    contracts: dict[str, tuple[Contract, str]] = field(default_factory=dict)
    amendments: list[tuple[Amendment, str]] = field(default_factory=list)
    payments: list[tuple[Payment, str]] = field(default_factory=list)
    sales_reports: dict[str, tuple[SalesReport, str]] = field(default_factory=dict)
    expenses: dict[str, tuple[Expense, str]] = field(default_factory=dict)
    publications: dict[str, tuple[Publication, str]] = field(default_factory=dict)
    requests_seen: FakeRequests = field(default_factory=FakeRequests)
    outbox: FakeEvents = field(default_factory=FakeEvents)


class FakeSalespeople(ports.Salespeople):
    def __init__(self, state: State) -> None:
        self.state = state

    def get(self, salesperson_id: str) -> Salesperson | None:
        return self.state.people.get(salesperson_id)

    def put(self, person: Salesperson) -> None:
        self.state.people[person.salesperson_id] = person

    def teams_of(self, salesperson_ids: list[str]) -> dict[str, str]:
        people = self.state.people
        return {sid: people[sid].team for sid in salesperson_ids if sid in people}

    def team_members(self, team: str) -> list[str]:
        return sorted(p.salesperson_id for p in self.state.people.values() if p.team == team)


class FakeProducts(ports.Products):
    def __init__(self, state: State) -> None:
        self.state = state

    def get(self, product_id: str, lock: bool = False) -> Product | None:
        return self.state.products.get(product_id)

    def put(self, product: Product) -> None:
        self.state.products[product.product_id] = product


class FakePriceChanges(ports.PriceChanges):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, change: PriceChange, event_id: str, request_id: str | None) -> None:
        self.state.changes[change.price_change_id] = (change, event_id, request_id)

    def product_and_event(self, change_id: str) -> tuple[str, str]:
        change, event_id, _ = self.state.changes[change_id]
        return change.product_id, event_id

    def approved_change_at(self, product_id: str, price: Money) -> str | None:
        found = [
            c
            for c, _, _ in self.state.changes.values()
            if c.product_id == product_id and c.new_price == price and c.approved_by
        ]
        return max(found, key=lambda c: c.changed_at).price_change_id if found else None

    def add_request(self, request: PriceChangeRequest, event_id: str) -> None:
        self.state.requests[request.request_id] = StoredRequest(request, event_id, None)

    def decide_request(self, request: PriceChangeRequest, event_id: str) -> None:
        stored = self.state.requests[request.request_id]
        self.state.requests[request.request_id] = replace(
            stored, request=request, decision_event_id=event_id
        )

    def get_request(self, request_id: str, lock: bool = False) -> StoredRequest | None:
        return self.state.requests.get(request_id)


class FakeTargets(ports.Targets):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, target: Target, event_id: str) -> None:
        self.state.targets.append((target, event_id))

    def revisions(self, year: int, team: str) -> list[tuple[Target, str]]:
        return [(t, e) for t, e in self.state.targets if t.year == year and t.team == team]

    def by_revision(self, revision_id: str) -> tuple[Target, str]:
        return next((t, e) for t, e in self.state.targets if t.revision_id == revision_id)


class FakePipeline(ports.Pipeline):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, opp: Opportunity) -> None:
        self.state.opportunities[opp.opportunity_id] = opp

    def put_stage(self, opp: Opportunity) -> None:
        self.add(opp)

    def get(self, opportunity_id: str, lock: bool = False) -> Opportunity | None:
        return self.state.opportunities.get(opportunity_id)

    def of_salespeople(self, salesperson_ids: list[str]) -> list[Opportunity]:
        found = [
            o for o in self.state.opportunities.values() if o.salesperson_id in salesperson_ids
        ]
        return sorted(found, key=lambda o: o.created_at)

    def add_change(self, change: StageChange, event_id: str) -> None:
        self.state.stage_changes.append((change, event_id))

    def history(self, opportunity_ids: list[str]) -> dict[str, list[StageChange]]:
        return {
            oid: [c for c, _ in self.state.stage_changes if c.opportunity_id == oid]
            for oid in opportunity_ids
        }

    def change(self, change_id: str) -> tuple[StageChange, str]:
        return next((c, e) for c, e in self.state.stage_changes if c.change_id == change_id)

    def add_document(self, doc: Document, event_id: str) -> None:
        self.state.documents.append((doc, event_id))

    def documents_of(self, opportunity_id: str) -> list[Document]:
        return [d for d, _ in self.state.documents if d.opportunity_id == opportunity_id]

    def document(self, document_id: str) -> tuple[Document, str]:
        return next((d, e) for d, e in self.state.documents if d.document_id == document_id)


class FakeContracts(ports.Contracts):
    def __init__(self, state: State) -> None:
        self.state = state

    def add(self, contract: Contract, event_id: str) -> None:
        self.state.contracts[contract.contract_id] = (contract, event_id)

    def put(self, contract: Contract) -> None:
        _, event_id = self.state.contracts[contract.contract_id]
        self.state.contracts[contract.contract_id] = (contract, event_id)

    def get(self, contract_id: str, lock: bool = False) -> tuple[Contract, str] | None:
        return self.state.contracts.get(contract_id)

    def of_opportunity(self, opportunity_id: str) -> Contract | None:
        found = [c for c, _ in self.state.contracts.values() if c.opportunity_id == opportunity_id]
        return found[0] if found else None

    def of_salespeople(self, salesperson_ids: list[str]) -> list[Contract]:
        return [c for c, _ in self.state.contracts.values() if c.salesperson_id in salesperson_ids]

    def add_amendment(self, amendment: Amendment, event_id: str) -> None:
        self.state.amendments.append((amendment, event_id))

    def amendments_of(self, contract_id: str) -> list[Amendment]:
        return [a for a, _ in self.state.amendments if a.contract_id == contract_id]

    def amendment(self, amendment_id: str) -> tuple[Amendment, str]:
        return next((a, e) for a, e in self.state.amendments if a.amendment_id == amendment_id)

    def add_payment(self, payment: Payment, event_id: str) -> None:
        self.state.payments.append((payment, event_id))

    def payments_of(self, contract_id: str) -> list[Payment]:
        return [p for p, _ in self.state.payments if p.contract_id == contract_id]

    def payments_by(self, salesperson_ids: list[str]) -> list[Payment]:
        return [p for p, _ in self.state.payments if p.salesperson_id in salesperson_ids]

    def payment(self, payment_id: str) -> tuple[Payment, str]:
        return next((p, e) for p, e in self.state.payments if p.payment_id == payment_id)


class FakeReports(ports.Reports):
    def __init__(self, state: State) -> None:
        self.state = state

    def add_sales_report(self, report: SalesReport, event_id: str) -> None:
        self.state.sales_reports[report.report_id] = (report, event_id)

    def sales_report(self, report_id: str) -> tuple[SalesReport, str]:
        return self.state.sales_reports[report_id]

    def add_expense(self, expense: Expense, event_id: str) -> None:
        self.state.expenses[expense.expense_id] = (expense, event_id)

    def expense_event_id(self, expense_id: str) -> str:
        return self.state.expenses[expense_id][1]

    def add_publication(self, publication: Publication, event_id: str) -> None:
        self.state.publications[publication.report_id] = (publication, event_id)

    def publication(self, report_id: str) -> tuple[Publication, str]:
        return self.state.publications[report_id]


class FakeSalesUnitOfWork(SalesUnitOfWork):
    """One transaction on `state`: what it wrote is undone unless it committed."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.salespeople = FakeSalespeople(state)
        self.products = FakeProducts(state)
        self.price_changes = FakePriceChanges(state)
        self.targets = FakeTargets(state)
        self.pipeline = FakePipeline(state)
        self.contracts = FakeContracts(state)
        self.reports = FakeReports(state)
        self.requests = state.requests_seen
        self.outbox = state.outbox
        self.backup: dict[str, Any] | None = None

    def __enter__(self) -> FakeSalesUnitOfWork:
        self.backup = copy.deepcopy(self.state.__dict__)
        return self

    def commit(self) -> None:
        self.backup = None

    def rollback(self) -> None:
        if self.backup is not None:
            self.state.__dict__.update(self.backup)
            self.backup = None
