"""Rows of contracts, their amendments and the payments collected on them."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from warden.platform.db import lock_row
from warden.sales.domain.contracts import Amendment, Contract, Payment
from warden.sales.storage import rows
from warden.sales.storage.tables import amendments, contracts, payments
from warden.sales.usecases import ports


class Contracts(ports.Contracts):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, contract: Contract, event_id: str) -> None:
        values = rows.CONTRACT.values(contract, event_id=event_id)
        self.conn.execute(contracts.insert().values(**values))

    def put(self, contract: Contract) -> None:
        terms = ("currency", "total_minor", "lines_json", "payment_terms_days", "delivery_date")
        values = rows.CONTRACT.values(contract)
        self.conn.execute(
            contracts.update()
            .where(contracts.c.contract_id == contract.contract_id)
            .values({name: values[name] for name in (*terms, "version")})
        )

    def get(self, contract_id: str, lock: bool = False) -> tuple[Contract, str] | None:
        if lock:
            lock_row(self.conn, contracts, "contract_id", contract_id)
        query = select(contracts).where(contracts.c.contract_id == contract_id)
        row = self.conn.execute(query).first()
        return (rows.CONTRACT.load(row), row.event_id) if row else None

    def of_opportunity(self, opportunity_id: str) -> Contract | None:
        query = select(contracts).where(contracts.c.opportunity_id == opportunity_id)
        row = self.conn.execute(query).first()
        return rows.CONTRACT.load(row) if row else None

    def of_salespeople(self, salesperson_ids: list[str]) -> list[Contract]:
        query = select(contracts).where(contracts.c.salesperson_id.in_(salesperson_ids))
        return [rows.CONTRACT.load(row) for row in self.conn.execute(query)]

    def add_amendment(self, amendment: Amendment, event_id: str) -> None:
        values = rows.AMENDMENT.values(amendment, event_id=event_id)
        self.conn.execute(amendments.insert().values(**values))

    def amendments_of(self, contract_id: str) -> list[Amendment]:
        found = self.conn.execute(
            select(amendments)
            .where(amendments.c.contract_id == contract_id)
            .order_by(amendments.c.amended_at)
        )
        return [rows.AMENDMENT.load(row) for row in found]

    def amendment(self, amendment_id: str) -> tuple[Amendment, str]:
        query = select(amendments).where(amendments.c.amendment_id == amendment_id)
        row = self.conn.execute(query).one()
        return rows.AMENDMENT.load(row), row.event_id

    def add_payment(self, payment: Payment, event_id: str) -> None:
        values = rows.PAYMENT.values(payment, event_id=event_id)
        self.conn.execute(payments.insert().values(**values))

    def payments_of(self, contract_id: str) -> list[Payment]:
        found = self.conn.execute(
            select(payments)
            .where(payments.c.contract_id == contract_id)
            .order_by(payments.c.collected_at)
        )
        return [rows.PAYMENT.load(row) for row in found]

    def payments_by(self, salesperson_ids: list[str]) -> list[Payment]:
        query = select(payments).where(payments.c.salesperson_id.in_(salesperson_ids))
        return [rows.PAYMENT.load(row) for row in self.conn.execute(query)]

    def payment(self, payment_id: str) -> tuple[Payment, str]:
        row = self.conn.execute(select(payments).where(payments.c.payment_id == payment_id)).one()
        return rows.PAYMENT.load(row), row.event_id

    def collected_on(self, contract_id: str) -> int:
        total = self.conn.execute(
            select(func.coalesce(func.sum(payments.c.amount_minor), 0)).where(
                payments.c.contract_id == contract_id
            )
        ).scalar_one()
        return int(total)
