"""The after-sales database's tables (SQLAlchemy Core); money columns are integer minor units."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from warden.platform.db import UtcDateTime
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
