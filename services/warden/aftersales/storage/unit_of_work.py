"""The after-sales unit of work on the database: one transaction, every repository on it."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from warden.aftersales.storage.fees import Accesses, Fees, Records
from warden.aftersales.storage.people import Agents, Customers
from warden.aftersales.storage.tables import idempotency, outbox
from warden.aftersales.storage.tickets import Escalations, Tickets
from warden.aftersales.usecases.ports import AfterSalesUnitOfWork
from warden.platform.topics import AFTERSALES_EVENTS
from warden.platform.unit_of_work import SqlUnitOfWork


class SqlAfterSalesUnitOfWork(SqlUnitOfWork, AfterSalesUnitOfWork):
    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, idempotency, outbox, AFTERSALES_EVENTS)

    def repositories(self, conn: Connection) -> None:
        self.agents = Agents(conn)
        self.customers = Customers(conn)
        self.tickets = Tickets(conn)
        self.escalations = Escalations(conn)
        self.fees = Fees(conn)
        self.accesses = Accesses(conn)
        self.records = Records(conn)
