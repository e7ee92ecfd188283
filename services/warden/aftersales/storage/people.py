"""Rows of agents, customers and customers' personal data."""

from __future__ import annotations

from sqlalchemy import Connection, select

from warden.aftersales.domain.tickets import Agent, Customer, PersonalData
from warden.aftersales.storage import rows
from warden.aftersales.storage.tables import agents, customer_personal, customers
from warden.aftersales.usecases import ports
from warden.platform.db import upsert


class Agents(ports.Agents):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, agent_id: str) -> Agent | None:
        row = self.conn.execute(select(agents).where(agents.c.agent_id == agent_id)).first()
        return rows.AGENT.load(row) if row else None

    def put(self, agent: Agent) -> None:
        upsert(self.conn, agents, "agent_id", rows.AGENT.values(agent))


class Customers(ports.Customers):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, customer_id: str) -> Customer | None:
        query = select(customers).where(customers.c.customer_id == customer_id)
        row = self.conn.execute(query).first()
        return rows.CUSTOMER.load(row) if row else None

    def put(self, customer: Customer, personal: PersonalData) -> None:
        upsert(self.conn, customers, "customer_id", rows.CUSTOMER.values(customer))
        upsert(self.conn, customer_personal, "customer_id", rows.PERSONAL.values(personal))

    def ids(self) -> list[str]:
        query = select(customers.c.customer_id).order_by("customer_id")
        return list(self.conn.execute(query).scalars())

    def personal(self, customer_id: str) -> PersonalData | None:
        table = customer_personal
        row = self.conn.execute(select(table).where(table.c.customer_id == customer_id)).first()
        return rows.PERSONAL.load(row) if row else None
