"""The sales unit of work on the database: one transaction, every sales repository on it."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from warden.platform.topics import SALES_EVENTS
from warden.platform.unit_of_work import SqlUnitOfWork
from warden.sales.storage.contracts import Contracts
from warden.sales.storage.pipeline import Pipeline, Targets
from warden.sales.storage.prices import PriceChanges, Products, Salespeople
from warden.sales.storage.reports import Reports
from warden.sales.storage.tables import idempotency, outbox
from warden.sales.usecases.ports import SalesUnitOfWork


class SqlSalesUnitOfWork(SqlUnitOfWork, SalesUnitOfWork):
    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, idempotency, outbox, SALES_EVENTS)

    def repositories(self, conn: Connection) -> None:
        self.salespeople = Salespeople(conn)
        self.products = Products(conn)
        self.price_changes = PriceChanges(conn)
        self.targets = Targets(conn)
        self.pipeline = Pipeline(conn)
        self.contracts = Contracts(conn)
        self.reports = Reports(conn)
