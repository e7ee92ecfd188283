"""Rows of tickets, their steps and their escalations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.tickets import Step, Ticket
from warden.aftersales.storage import rows
from warden.aftersales.storage.tables import escalations, ticket_steps, tickets
from warden.aftersales.usecases import ports
from warden.platform.db import lock_row


class Tickets(ports.Tickets):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, ticket: Ticket, event_id: str) -> None:
        values = rows.TICKET.values(ticket, event_id=event_id)
        self.conn.execute(tickets.insert().values(**values))

    def save(self, ticket: Ticket) -> None:
        self.conn.execute(
            tickets.update()
            .where(tickets.c.ticket_id == ticket.ticket_id)
            .values(**rows.TICKET.values(ticket))
        )

    def lock(self, ticket_id: str) -> None:
        lock_row(self.conn, tickets, "ticket_id", ticket_id)

    def get(self, ticket_id: str) -> tuple[Ticket, str] | None:
        row = self.conn.execute(select(tickets).where(tickets.c.ticket_id == ticket_id)).first()
        return (rows.TICKET.load(row), row.event_id) if row else None

    def find(self, include_archived: bool = True, **equal: str) -> list[Ticket]:
        query = select(tickets).order_by(tickets.c.received_at, tickets.c.ticket_id)
        for name, value in equal.items():
            if value:
                query = query.where(tickets.c[name] == value)
        if not include_archived:
            query = query.where(tickets.c.archived_at.is_(None))
        return [rows.TICKET.load(row) for row in self.conn.execute(query)]

    def received_between(self, start: datetime, end: datetime) -> list[Ticket]:
        received = tickets.c.received_at
        query = select(tickets).where(received >= start, received < end).order_by(received)
        return [rows.TICKET.load(row) for row in self.conn.execute(query)]

    def has_open(self, customer_id: str, agent_id: str) -> bool:
        query = select(func.count()).where(
            tickets.c.customer_id == customer_id,
            tickets.c.agent_id == agent_id,
            tickets.c.status != "closed",
        )
        return bool(self.conn.execute(query).scalar())

    def add_step(self, step_id: str, ticket_id: str, step: Step, event_id: str) -> None:
        values = rows.STEP.values(step, step_id=step_id, ticket_id=ticket_id, event_id=event_id)
        self.conn.execute(ticket_steps.insert().values(**values))

    def steps(self, ticket_id: str) -> list[tuple[str, Step, str]]:
        query = select(ticket_steps).where(ticket_steps.c.ticket_id == ticket_id)
        found = self.conn.execute(query.order_by(ticket_steps.c.seq)).all()
        return [(row.step_id, rows.STEP.load(row), row.event_id) for row in found]

    def step_ticket_and_event(self, step_id: str) -> tuple[str, str]:
        row = self.conn.execute(
            select(ticket_steps.c.ticket_id, ticket_steps.c.event_id).where(
                ticket_steps.c.step_id == step_id
            )
        ).one()
        return row.ticket_id, row.event_id


class Escalations(ports.Escalations):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, escalation: Escalation) -> None:
        self.conn.execute(escalations.insert().values(**rows.ESCALATION.values(escalation)))

    def save(self, escalation: Escalation) -> None:
        table = escalations
        self.conn.execute(
            table.update()
            .where(table.c.escalation_id == escalation.escalation_id)
            .values(**rows.ESCALATION.values(escalation))
        )

    def get(self, escalation_id: str) -> Escalation | None:
        table = escalations
        row = self.conn.execute(select(table).where(table.c.escalation_id == escalation_id))
        found = row.first()
        return rows.ESCALATION.load(found) if found else None

    def of_ticket(self, ticket_id: str) -> list[Escalation]:
        table = escalations
        query = select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.escalated_at)
        return [rows.ESCALATION.load(row) for row in self.conn.execute(query)]
