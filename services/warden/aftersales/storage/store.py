"""After-sales persistence: tables, and rows mapped to and from the domain's plain classes."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
)

from warden.aftersales.domain.escalations import Escalation
from warden.aftersales.domain.fees import Fee, ScheduleEntry
from warden.aftersales.domain.privacy import Access
from warden.aftersales.domain.tickets import Agent, Customer, PersonalData, Step, Ticket
from warden.money import Money
from warden.platform.cloudevents import format_time
from warden.platform.db import UtcDateTime, lock_row
from warden.platform.idempotency import IdempotencyKeys
from warden.platform.outbox import Outbox, outbox_table

metadata = MetaData()

agents = Table(
    "agents",
    metadata,
    Column("agent_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("team", String(64), nullable=False),
)

customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("segment", String(64), nullable=False),
)

# Personal data lives apart from ticket text: only the data-access use cases read this table.
customer_personal = Table(
    "customer_personal",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("phone", String(64), nullable=False),
    Column("email", String(200), nullable=False),
    Column("address", Text, nullable=False),
)

tickets = Table(
    "tickets",
    metadata,
    Column("ticket_id", String(64), primary_key=True),
    Column("customer_id", String(64), nullable=False, index=True),
    Column("product_id", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("description", Text, nullable=False),
    Column("agent_id", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    Column("category", String(64), nullable=False, index=True),
    Column("priority", String(8), nullable=False),
    Column("first_response_due", UtcDateTime, nullable=True),
    Column("resolution_due", UtcDateTime, nullable=True),
    Column("first_response_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("resolution", Text, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("outcome", String(16), nullable=False, index=True),
    Column("awaiting_answer", Boolean, nullable=False),
    Column("reassignment_count", Integer, nullable=False),
    Column("reopen_count", Integer, nullable=False),
    Column("escalation_count", Integer, nullable=False),
    Column("closed_without_resolution", Integer, nullable=False),
    Column("survey_score", Integer, nullable=True),
    Column("survey_comment", Text, nullable=False),
    Column("archived_at", UtcDateTime, nullable=True),
    Column("last_step_at", UtcDateTime, nullable=True),
    Column("event_id", String(64), nullable=False),
)

ticket_steps = Table(
    "ticket_steps",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("step_id", String(64), nullable=False, unique=True),
    Column("ticket_id", String(64), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("detail", Text, nullable=False),
    Column("event_id", String(64), nullable=False),
)

escalations = Table(
    "escalations",
    metadata,
    Column("escalation_id", String(64), primary_key=True),
    Column("ticket_id", String(64), nullable=False, index=True),
    Column("department", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("escalated_by", String(64), nullable=False),
    Column("escalated_at", UtcDateTime, nullable=False),
    Column("answer_summary", Text, nullable=False),
    Column("answered_by", String(200), nullable=False),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("reported_by", String(64), nullable=False),
    Column("reported_at", UtcDateTime, nullable=True),
)

fee_schedule = Table(
    "fee_schedule",
    metadata,
    Column("service_code", String(64), primary_key=True),
    Column("description", Text, nullable=False),
    Column("price_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("warranty_covers", Boolean, nullable=False),
)

fees = Table(
    "fees",
    metadata,
    Column("fee_id", String(64), primary_key=True),
    Column("ticket_id", String(64), nullable=False, index=True),
    Column("customer_id", String(64), nullable=False, index=True),
    Column("agent_id", String(64), nullable=False, index=True),
    Column("service_code", String(64), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("warranty", Boolean, nullable=False),
    Column("charged_at", UtcDateTime, nullable=False),
    Column("schedule_price_minor", BigInteger, nullable=True),
    Column("warranty_covers", Boolean, nullable=True),
    Column("duplicate_of", String(64), nullable=True),
    Column("event_id", String(64), nullable=False),
)

data_access_log = Table(
    "data_access_log",
    metadata,
    Column("access_id", String(64), primary_key=True),
    Column("customer_ids", Text, nullable=False),
    Column("accessor_id", String(64), nullable=False, index=True),
    Column("accessor_role", String(32), nullable=False),
    Column("action", String(16), nullable=False),
    Column("fields", Text, nullable=False),
    Column("recipient_kind", String(16), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("granted", Boolean, nullable=False),
    Column("refusal", Text, nullable=False),
    Column("event_id", String(64), nullable=False),
)

archive_runs = Table(
    "archive_runs",
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("archived_by", String(64), nullable=False),
    Column("older_than_days", Integer, nullable=False),
    Column("ran_at", UtcDateTime, nullable=False),
    Column("ticket_ids", Text, nullable=False),
    Column("event_id", String(64), nullable=False),
)

quality_reports = Table(
    "quality_reports",
    metadata,
    Column("report_id", String(64), primary_key=True),
    Column("period", String(16), nullable=False),
    Column("published_by", String(64), nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("event_id", String(64), nullable=False),
)

idempotency = IdempotencyKeys(metadata)
outbox = Outbox(outbox_table(metadata))


def _upsert(conn: Connection, table: Table, key: str, values: dict[str, Any]) -> None:
    found = conn.execute(select(table.c[key]).where(table.c[key] == values[key])).first()
    if found is None:
        conn.execute(table.insert().values(**values))
    else:
        conn.execute(table.update().where(table.c[key] == values[key]).values(**values))


def put_agent(conn: Connection, agent: Agent) -> None:
    _upsert(conn, agents, "agent_id", asdict(agent))


def get_agent(conn: Connection, agent_id: str) -> Agent | None:
    row = conn.execute(select(agents).where(agents.c.agent_id == agent_id)).first()
    return Agent(**row._asdict()) if row else None


def put_customer(conn: Connection, customer: Customer, personal: PersonalData) -> None:
    _upsert(conn, customers, "customer_id", asdict(customer))
    _upsert(conn, customer_personal, "customer_id", asdict(personal))


def get_customer(conn: Connection, customer_id: str) -> Customer | None:
    row = conn.execute(select(customers).where(customers.c.customer_id == customer_id)).first()
    return Customer(**row._asdict()) if row else None


def customer_ids(conn: Connection) -> list[str]:
    return list(conn.execute(select(customers.c.customer_id).order_by("customer_id")).scalars())


def get_personal(conn: Connection, customer_id: str) -> PersonalData | None:
    table = customer_personal
    row = conn.execute(select(table).where(table.c.customer_id == customer_id)).first()
    return PersonalData(**row._asdict()) if row else None


_TICKET_FIELDS = [f.name for f in fields(Ticket)]


def add_ticket(conn: Connection, ticket: Ticket, event_id: str) -> None:
    conn.execute(tickets.insert().values(**asdict(ticket), event_id=event_id))


def save_ticket(conn: Connection, ticket: Ticket) -> None:
    conn.execute(
        tickets.update().where(tickets.c.ticket_id == ticket.ticket_id).values(**asdict(ticket))
    )


def _ticket(row: Any) -> Ticket:
    values = row._asdict()
    return Ticket(**{name: values[name] for name in _TICKET_FIELDS})


def lock_ticket(conn: Connection, ticket_id: str) -> None:
    """Hold the ticket until the transaction ends, so that two steps on it cannot interleave: a
    no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite (whose driver
    begins the transaction only at the first write, so SELECT ... FOR UPDATE would not do)."""
    lock_row(conn, tickets, "ticket_id", ticket_id)


def get_ticket(conn: Connection, ticket_id: str) -> tuple[Ticket, str] | None:
    """The ticket and its received event's id."""
    row = conn.execute(select(tickets).where(tickets.c.ticket_id == ticket_id)).first()
    return (_ticket(row), row.event_id) if row else None


def find_tickets(conn: Connection, include_archived: bool = True, **equal: str) -> list[Ticket]:
    """Tickets whose columns equal the given values (empty values are ignored), oldest first."""
    query = select(tickets).order_by(tickets.c.received_at, tickets.c.ticket_id)
    for name, value in equal.items():
        if value:
            query = query.where(tickets.c[name] == value)
    if not include_archived:
        query = query.where(tickets.c.archived_at.is_(None))
    return [_ticket(row) for row in conn.execute(query)]


def received_between(conn: Connection, start: datetime, end: datetime) -> list[Ticket]:
    query = select(tickets).where(tickets.c.received_at >= start, tickets.c.received_at < end)
    return [_ticket(row) for row in conn.execute(query.order_by(tickets.c.received_at))]


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"cannot store {type(value).__name__} in a step")


def add_step(conn: Connection, step_id: str, ticket_id: str, step: Step, event_id: str) -> None:
    conn.execute(
        ticket_steps.insert().values(
            step_id=step_id,
            ticket_id=ticket_id,
            kind=step.kind,
            actor=step.actor,
            at=step.at,
            detail=json.dumps(step.detail, default=_json_default, sort_keys=True),
            event_id=event_id,
        )
    )


def steps(conn: Connection, ticket_id: str) -> list[tuple[str, Step, str]]:
    """A ticket's history in the order it happened: (step id, step, event id)."""
    query = select(ticket_steps).where(ticket_steps.c.ticket_id == ticket_id)
    rows = conn.execute(query.order_by(ticket_steps.c.seq)).all()
    return [
        (r.step_id, Step(r.kind, r.actor, r.at, json.loads(r.detail)), r.event_id) for r in rows
    ]


def step_ticket_and_event(conn: Connection, step_id: str) -> tuple[str, str]:
    row = conn.execute(
        select(ticket_steps.c.ticket_id, ticket_steps.c.event_id).where(
            ticket_steps.c.step_id == step_id
        )
    ).one()
    return row.ticket_id, row.event_id


def add_escalation(conn: Connection, escalation: Escalation) -> None:
    conn.execute(escalations.insert().values(**asdict(escalation)))


def save_escalation(conn: Connection, escalation: Escalation) -> None:
    table = escalations
    conn.execute(
        table.update()
        .where(table.c.escalation_id == escalation.escalation_id)
        .values(**asdict(escalation))
    )


def get_escalation(conn: Connection, escalation_id: str) -> Escalation | None:
    table = escalations
    row = conn.execute(select(table).where(table.c.escalation_id == escalation_id)).first()
    return Escalation(**row._asdict()) if row else None


def ticket_escalations(conn: Connection, ticket_id: str) -> list[Escalation]:
    table = escalations
    query = select(table).where(table.c.ticket_id == ticket_id).order_by(table.c.escalated_at)
    return [Escalation(**row._asdict()) for row in conn.execute(query)]


def put_schedule_entry(conn: Connection, entry: ScheduleEntry) -> None:
    values = {
        "service_code": entry.service_code,
        "description": entry.description,
        "price_minor": entry.price.amount_minor,
        "currency": entry.price.currency,
        "warranty_covers": entry.warranty_covers,
    }
    _upsert(conn, fee_schedule, "service_code", values)


def _entry(row: Any) -> ScheduleEntry:
    return ScheduleEntry(
        row.service_code, row.description, Money(row.price_minor, row.currency), row.warranty_covers
    )


def get_schedule_entry(conn: Connection, code: str) -> ScheduleEntry | None:
    row = conn.execute(select(fee_schedule).where(fee_schedule.c.service_code == code)).first()
    return _entry(row) if row else None


def schedule(conn: Connection) -> list[ScheduleEntry]:
    return [_entry(r) for r in conn.execute(select(fee_schedule).order_by("service_code"))]


def add_fee(conn: Connection, fee: Fee, event_id: str) -> None:
    price = fee.schedule_price
    conn.execute(
        fees.insert().values(
            fee_id=fee.fee_id,
            ticket_id=fee.ticket_id,
            customer_id=fee.customer_id,
            agent_id=fee.agent_id,
            service_code=fee.service_code,
            amount_minor=fee.amount.amount_minor,
            currency=fee.amount.currency,
            warranty=fee.warranty,
            charged_at=fee.charged_at,
            schedule_price_minor=price.amount_minor if price else None,
            warranty_covers=fee.warranty_covers,
            duplicate_of=fee.duplicate_of,
            event_id=event_id,
        )
    )


def _fee(row: Any) -> Fee:
    price = row.schedule_price_minor
    return Fee(
        row.fee_id,
        row.ticket_id,
        row.customer_id,
        row.agent_id,
        row.service_code,
        Money(row.amount_minor, row.currency),
        row.warranty,
        row.charged_at,
        Money(price, row.currency) if price is not None else None,
        row.warranty_covers,
        row.duplicate_of,
    )


def find_fees(conn: Connection, **equal: str) -> list[tuple[Fee, str]]:
    query = select(fees).order_by(fees.c.charged_at, fees.c.fee_id)
    for name, value in equal.items():
        if value:
            query = query.where(fees.c[name] == value)
    return [(_fee(row), row.event_id) for row in conn.execute(query)]


def add_access(conn: Connection, access: Access, event_id: str) -> None:
    values = asdict(access)
    values["customer_ids"] = json.dumps(list(access.customer_ids))
    values["fields"] = json.dumps(list(access.fields))
    conn.execute(data_access_log.insert().values(**values, event_id=event_id))


def accesses(conn: Connection, customer_id: str = "") -> list[Access]:
    query = select(data_access_log).order_by(data_access_log.c.at)
    found = []
    for row in conn.execute(query):
        values = row._asdict()
        values.pop("event_id")
        values["customer_ids"] = tuple(json.loads(values["customer_ids"]))
        values["fields"] = tuple(json.loads(values["fields"]))
        if not customer_id or customer_id in values["customer_ids"]:
            found.append(Access(**values))
    return found


def has_open_ticket(conn: Connection, customer_id: str, agent_id: str) -> bool:
    query = select(func.count()).where(
        tickets.c.customer_id == customer_id,
        tickets.c.agent_id == agent_id,
        tickets.c.status != "closed",
    )
    return bool(conn.execute(query).scalar())


def add_archive_run(
    conn: Connection, run_id: str, by: str, days: int, at: datetime, ids: list[str], event_id: str
) -> None:
    conn.execute(
        archive_runs.insert().values(
            run_id=run_id,
            archived_by=by,
            older_than_days=days,
            ran_at=at,
            ticket_ids=json.dumps(ids),
            event_id=event_id,
        )
    )


def get_archive_run(conn: Connection, run_id: str) -> tuple[list[str], str, datetime]:
    row = conn.execute(select(archive_runs).where(archive_runs.c.run_id == run_id)).one()
    return json.loads(row.ticket_ids), row.event_id, row.ran_at


def add_quality_report(
    conn: Connection, report_id: str, period: str, by: str, at: datetime, event_id: str
) -> None:
    conn.execute(
        quality_reports.insert().values(
            report_id=report_id, period=period, published_by=by, published_at=at, event_id=event_id
        )
    )
