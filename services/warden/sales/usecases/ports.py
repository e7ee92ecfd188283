"""What the sales use cases need from storage: one repository per kind of record, and the
unit of work that holds them in one transaction (storage/ implements them on SQLAlchemy,
tests/unit/sales/fakes.py in memory)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime

from warden.money import Money
from warden.platform.unit_of_work import UnitOfWork
from warden.sales.domain.approvals import PriceChangeRequest
from warden.sales.domain.conduct import Expense, SalesReport
from warden.sales.domain.contracts import Amendment, Contract, Payment
from warden.sales.domain.performance import PerformanceReport
from warden.sales.domain.pipeline import Document, Opportunity, StageChange
from warden.sales.domain.prices import PriceChange, Product, Salesperson
from warden.sales.domain.targets import Target


@dataclass(frozen=True)
class StoredRequest:
    """A price-change request and the ids of the events of its asking and its decision."""

    request: PriceChangeRequest
    event_id: str
    decision_event_id: str | None


@dataclass(frozen=True)
class Publication:
    """A performance report as published: to whom, by whom, when."""

    report_id: str
    report: PerformanceReport
    recipients: tuple[str, ...]
    published_by: str
    published_at: datetime


class Salespeople(ABC):
    @abstractmethod
    def get(self, salesperson_id: str) -> Salesperson | None: ...

    @abstractmethod
    def put(self, person: Salesperson) -> None: ...

    @abstractmethod
    def teams_of(self, salesperson_ids: list[str]) -> dict[str, str]: ...

    @abstractmethod
    def team_members(self, team: str) -> list[str]:
        """The team's salespeople's ids in order."""


class Products(ABC):
    @abstractmethod
    def get(self, product_id: str, lock: bool = False) -> Product | None:
        """The product; `lock` holds it until the transaction ends."""

    @abstractmethod
    def put(self, product: Product) -> None: ...


class PriceChanges(ABC):
    """Price changes and the requests for them."""

    @abstractmethod
    def add(self, change: PriceChange, event_id: str, request_id: str | None) -> None: ...

    @abstractmethod
    def product_and_event(self, change_id: str) -> tuple[str, str]:
        """The product id and the event id of a recorded change."""

    @abstractmethod
    def approved_change_at(self, product_id: str, price: Money) -> str | None:
        """The latest approved change of the product to exactly `price`, if any."""

    @abstractmethod
    def add_request(self, request: PriceChangeRequest, event_id: str) -> None: ...

    @abstractmethod
    def decide_request(self, request: PriceChangeRequest, event_id: str) -> None: ...

    @abstractmethod
    def get_request(self, request_id: str, lock: bool = False) -> StoredRequest | None: ...


class Targets(ABC):
    @abstractmethod
    def add(self, target: Target, event_id: str) -> None: ...

    @abstractmethod
    def revisions(self, year: int, team: str) -> list[tuple[Target, str]]:
        """Every revision of the team's target for the year, oldest first, with its event id."""

    @abstractmethod
    def by_revision(self, revision_id: str) -> tuple[Target, str]: ...

    def current(self, year: int, team: str) -> Target | None:
        revisions = self.revisions(year, team)
        return revisions[-1][0] if revisions else None


class Pipeline(ABC):
    """Opportunities, their stage changes and their documents."""

    @abstractmethod
    def add(self, opp: Opportunity) -> None: ...

    @abstractmethod
    def put_stage(self, opp: Opportunity) -> None: ...

    @abstractmethod
    def get(self, opportunity_id: str, lock: bool = False) -> Opportunity | None: ...

    @abstractmethod
    def of_salespeople(self, salesperson_ids: list[str]) -> list[Opportunity]:
        """Their opportunities, oldest first."""

    @abstractmethod
    def add_change(self, change: StageChange, event_id: str) -> None: ...

    @abstractmethod
    def history(self, opportunity_ids: list[str]) -> dict[str, list[StageChange]]:
        """Each opportunity's stage changes in order."""

    @abstractmethod
    def change(self, change_id: str) -> tuple[StageChange, str]: ...

    @abstractmethod
    def add_document(self, doc: Document, event_id: str) -> None: ...

    @abstractmethod
    def documents_of(self, opportunity_id: str) -> list[Document]: ...

    @abstractmethod
    def document(self, document_id: str) -> tuple[Document, str]: ...


class Contracts(ABC):
    """Contracts, their amendments and the payments collected on them."""

    @abstractmethod
    def add(self, contract: Contract, event_id: str) -> None: ...

    @abstractmethod
    def put(self, contract: Contract) -> None: ...

    @abstractmethod
    def get(self, contract_id: str, lock: bool = False) -> tuple[Contract, str] | None:
        """The contract and its event id; `lock` holds it until the transaction ends."""

    @abstractmethod
    def of_opportunity(self, opportunity_id: str) -> Contract | None: ...

    @abstractmethod
    def of_salespeople(self, salesperson_ids: list[str]) -> list[Contract]: ...

    @abstractmethod
    def add_amendment(self, amendment: Amendment, event_id: str) -> None: ...

    @abstractmethod
    def amendments_of(self, contract_id: str) -> list[Amendment]: ...

    @abstractmethod
    def amendment(self, amendment_id: str) -> tuple[Amendment, str]: ...

    @abstractmethod
    def add_payment(self, payment: Payment, event_id: str) -> None: ...

    @abstractmethod
    def payments_of(self, contract_id: str) -> list[Payment]: ...

    @abstractmethod
    def payments_by(self, salesperson_ids: list[str]) -> list[Payment]: ...

    @abstractmethod
    def payment(self, payment_id: str) -> tuple[Payment, str]: ...

    def collected_on(self, contract_id: str) -> int:
        return sum(p.amount.amount_minor for p in self.payments_of(contract_id))


class Reports(ABC):
    """Sales figures as reported, expenses, and published performance reports."""

    @abstractmethod
    def add_sales_report(self, report: SalesReport, event_id: str) -> None: ...

    @abstractmethod
    def sales_report(self, report_id: str) -> tuple[SalesReport, str]: ...

    @abstractmethod
    def add_expense(self, expense: Expense, event_id: str) -> None: ...

    @abstractmethod
    def expense_event_id(self, expense_id: str) -> str: ...

    @abstractmethod
    def add_publication(self, publication: Publication, event_id: str) -> None: ...

    @abstractmethod
    def publication(self, report_id: str) -> tuple[Publication, str]: ...


class SalesUnitOfWork(UnitOfWork):
    salespeople: Salespeople
    products: Products
    price_changes: PriceChanges
    targets: Targets
    pipeline: Pipeline
    contracts: Contracts
    reports: Reports
