"""The sales database's tables (SQLAlchemy Core); money columns are integer minor units."""

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
    UniqueConstraint,
)

from warden.platform.db import UtcDateTime
from warden.platform.idempotency import IdempotencyKeys
from warden.platform.outbox import Outbox, outbox_table

metadata = MetaData()
ID = String(64)

salespeople = Table(
    "salespeople",
    metadata,
    Column("salesperson_id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(64), nullable=False),
    Column("team", String(64), nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("product_id", ID, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("list_price_minor", BigInteger, nullable=False),
    Column("floor_price_minor", BigInteger, nullable=False),
    Column("current_price_minor", BigInteger, nullable=False),
)

price_changes = Table(
    "price_changes",
    metadata,
    Column("price_change_id", ID, primary_key=True),
    Column("product_id", ID, nullable=False, index=True),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("role", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("list_price_minor", BigInteger, nullable=False),
    Column("floor_price_minor", BigInteger, nullable=False),
    Column("old_price_minor", BigInteger, nullable=False),
    Column("new_price_minor", BigInteger, nullable=False),
    Column("authority_bp", Integer, nullable=False),
    Column("approved_by", ID, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
    Column("request_id", ID, nullable=True),
)

price_change_requests = Table(
    "price_change_requests",
    metadata,
    Column("request_id", ID, primary_key=True),
    Column("product_id", ID, nullable=False, index=True),
    Column("requested_by", ID, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("requested_price_minor", BigInteger, nullable=False),
    Column("list_price_minor", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_by", ID, nullable=False),
    Column("decision_reason", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("price_change_id", ID, nullable=True),
    Column("event_id", ID, nullable=False),
    Column("decision_event_id", ID, nullable=True),
)

target_revisions = Table(
    "target_revisions",
    metadata,
    Column("revision_id", ID, primary_key=True),
    Column("year", Integer, nullable=False),
    Column("team", String(64), nullable=False),
    Column("number", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("team_target_minor", BigInteger, nullable=False),
    Column("quotas_json", Text, nullable=False),
    Column("difference_accepted", Boolean, nullable=False),
    Column("set_by", ID, nullable=False),
    Column("reason", Text, nullable=False),
    Column("set_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
    UniqueConstraint("year", "team", "number"),
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("opportunity_id", ID, primary_key=True),
    Column("customer_id", ID, nullable=False),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("estimated_minor", BigInteger, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

stage_changes = Table(
    "stage_changes",
    metadata,
    Column("change_id", ID, primary_key=True),
    Column("opportunity_id", ID, nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("from_stage", String(32), nullable=True),
    Column("to_stage", String(32), nullable=False),
    Column("skipped", Boolean, nullable=False),
    Column("backwards", Boolean, nullable=False),
    Column("changed_by", ID, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
    UniqueConstraint("opportunity_id", "seq"),
)

documents = Table(
    "documents",
    metadata,
    Column("document_id", ID, primary_key=True),
    Column("opportunity_id", ID, nullable=False, index=True),
    Column("stage", String(32), nullable=False),
    Column("name", String(300), nullable=False),
    Column("doc_type", String(40), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("location", Text, nullable=False),
    Column("archived_by", ID, nullable=False),
    Column("archived_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

contracts = Table(
    "contracts",
    metadata,
    Column("contract_id", ID, primary_key=True),
    Column("opportunity_id", ID, nullable=False, unique=True),
    Column("customer_id", ID, nullable=False),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("lines_json", Text, nullable=False),
    Column("payment_terms_days", Integer, nullable=False),
    Column("delivery_date", String(10), nullable=False),
    Column("signed_at", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("event_id", ID, nullable=False),
)

amendments = Table(
    "contract_amendments",
    metadata,
    Column("amendment_id", ID, primary_key=True),
    Column("contract_id", ID, nullable=False, index=True),
    Column("changed_fields_json", Text, nullable=False),
    Column("old_json", Text, nullable=False),
    Column("new_json", Text, nullable=False),
    Column("amended_by", ID, nullable=False),
    Column("approved_by", ID, nullable=False),
    Column("reason", Text, nullable=False),
    Column("amended_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", ID, primary_key=True),
    Column("contract_id", ID, nullable=False, index=True),
    Column("customer_id", ID, nullable=False),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("recorded_by", ID, nullable=False),
    Column("collected_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

sales_reports = Table(
    "reported_sales",
    metadata,
    Column("report_id", ID, primary_key=True),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("period", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reported_minor", BigInteger, nullable=False),
    Column("proven_signed_minor", BigInteger, nullable=False),
    Column("proven_collected_minor", BigInteger, nullable=False),
    Column("reported_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

expenses = Table(
    "customer_expenses",
    metadata,
    Column("expense_id", ID, primary_key=True),
    Column("salesperson_id", ID, nullable=False, index=True),
    Column("customer_id", ID, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("incurred_on", String(10), nullable=False),
    Column("description", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

published_reports = Table(
    "published_reports",
    metadata,
    Column("report_id", ID, primary_key=True),
    Column("scope", String(16), nullable=False),
    Column("scope_id", ID, nullable=False),
    Column("period", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("recipients_json", Text, nullable=False),
    Column("body_json", Text, nullable=False),
    Column("published_by", ID, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("event_id", ID, nullable=False),
)

idempotency = IdempotencyKeys(metadata)
outbox = Outbox(outbox_table(metadata))
