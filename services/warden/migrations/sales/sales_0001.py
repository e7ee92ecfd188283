"""Baseline: the sales schema as shipped before migrations

Revision ID: sales_0001
Revises:
Create Date: 2026-12-07 01:52:37.565290
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.migrations.adopt import create_baseline, index
from warden.platform.db import UtcDateTime

revision = "sales_0001"
down_revision = None
branch_labels = None
depends_on = None

# The sales tables as Warden created them before it had migrations, frozen here: later
# revisions change them, never this file.
baseline = sa.MetaData()


sa.Table(
    "contract_amendments",
    baseline,
    sa.Column("amendment_id", sa.String(length=64), nullable=False),
    sa.Column("contract_id", sa.String(length=64), nullable=False),
    sa.Column("changed_fields_json", sa.Text(), nullable=False),
    sa.Column("old_json", sa.Text(), nullable=False),
    sa.Column("new_json", sa.Text(), nullable=False),
    sa.Column("amended_by", sa.String(length=64), nullable=False),
    sa.Column("approved_by", sa.String(length=64), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("amended_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("amendment_id"),
)
index(baseline, "contract_amendments", "ix_contract_amendments_contract_id", "contract_id")
sa.Table(
    "contracts",
    baseline,
    sa.Column("contract_id", sa.String(length=64), nullable=False),
    sa.Column("opportunity_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("total_minor", sa.BigInteger(), nullable=False),
    sa.Column("lines_json", sa.Text(), nullable=False),
    sa.Column("payment_terms_days", sa.Integer(), nullable=False),
    sa.Column("delivery_date", sa.String(length=10), nullable=False),
    sa.Column("signed_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("contract_id"),
    sa.UniqueConstraint("opportunity_id"),
)
index(baseline, "contracts", "ix_contracts_salesperson_id", "salesperson_id")
sa.Table(
    "customer_expenses",
    baseline,
    sa.Column("expense_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger(), nullable=False),
    sa.Column("incurred_on", sa.String(length=10), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("recorded_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("expense_id"),
)
index(baseline, "customer_expenses", "ix_customer_expenses_salesperson_id", "salesperson_id")
sa.Table(
    "documents",
    baseline,
    sa.Column("document_id", sa.String(length=64), nullable=False),
    sa.Column("opportunity_id", sa.String(length=64), nullable=False),
    sa.Column("stage", sa.String(length=32), nullable=False),
    sa.Column("name", sa.String(length=300), nullable=False),
    sa.Column("doc_type", sa.String(length=40), nullable=False),
    sa.Column("sha256", sa.String(length=64), nullable=False),
    sa.Column("location", sa.Text(), nullable=False),
    sa.Column("archived_by", sa.String(length=64), nullable=False),
    sa.Column("archived_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("document_id"),
)
index(baseline, "documents", "ix_documents_opportunity_id", "opportunity_id")
sa.Table(
    "idempotency_keys",
    baseline,
    sa.Column("idempotency_key", sa.String(length=200), nullable=False),
    sa.Column("operation", sa.String(length=64), nullable=False),
    sa.Column("fingerprint", sa.String(length=64), nullable=False),
    sa.Column("result_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("idempotency_key"),
)
sa.Table(
    "opportunities",
    baseline,
    sa.Column("opportunity_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("estimated_minor", sa.BigInteger(), nullable=False),
    sa.Column("stage", sa.String(length=32), nullable=False),
    sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("opportunity_id"),
)
index(baseline, "opportunities", "ix_opportunities_salesperson_id", "salesperson_id")
sa.Table(
    "outbox",
    baseline,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.Column("topic", sa.String(length=200), nullable=False),
    sa.Column("key", sa.String(length=200), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("published_at", UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("seq"),
    sa.UniqueConstraint("event_id"),
)
index(baseline, "outbox", "ix_outbox_published_at", "published_at")
sa.Table(
    "payments",
    baseline,
    sa.Column("payment_id", sa.String(length=64), nullable=False),
    sa.Column("contract_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("amount_minor", sa.BigInteger(), nullable=False),
    sa.Column("recorded_by", sa.String(length=64), nullable=False),
    sa.Column("collected_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("payment_id"),
)
index(baseline, "payments", "ix_payments_contract_id", "contract_id")
index(baseline, "payments", "ix_payments_salesperson_id", "salesperson_id")
sa.Table(
    "price_change_requests",
    baseline,
    sa.Column("request_id", sa.String(length=64), nullable=False),
    sa.Column("product_id", sa.String(length=64), nullable=False),
    sa.Column("requested_by", sa.String(length=64), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("requested_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("list_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("requested_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("decided_by", sa.String(length=64), nullable=False),
    sa.Column("decision_reason", sa.Text(), nullable=False),
    sa.Column("decided_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("price_change_id", sa.String(length=64), nullable=True),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.Column("decision_event_id", sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint("request_id"),
)
index(baseline, "price_change_requests", "ix_price_change_requests_product_id", "product_id")
sa.Table(
    "price_changes",
    baseline,
    sa.Column("price_change_id", sa.String(length=64), nullable=False),
    sa.Column("product_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("role", sa.String(length=64), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("list_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("floor_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("old_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("new_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("authority_bp", sa.Integer(), nullable=False),
    sa.Column("approved_by", sa.String(length=64), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("changed_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.Column("request_id", sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint("price_change_id"),
)
index(baseline, "price_changes", "ix_price_changes_product_id", "product_id")
index(baseline, "price_changes", "ix_price_changes_salesperson_id", "salesperson_id")
sa.Table(
    "products",
    baseline,
    sa.Column("product_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("list_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("floor_price_minor", sa.BigInteger(), nullable=False),
    sa.Column("current_price_minor", sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint("product_id"),
)
sa.Table(
    "published_reports",
    baseline,
    sa.Column("report_id", sa.String(length=64), nullable=False),
    sa.Column("scope", sa.String(length=16), nullable=False),
    sa.Column("scope_id", sa.String(length=64), nullable=False),
    sa.Column("period", sa.String(length=8), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("recipients_json", sa.Text(), nullable=False),
    sa.Column("body_json", sa.Text(), nullable=False),
    sa.Column("published_by", sa.String(length=64), nullable=False),
    sa.Column("published_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("report_id"),
)
sa.Table(
    "reported_sales",
    baseline,
    sa.Column("report_id", sa.String(length=64), nullable=False),
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("period", sa.String(length=8), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("reported_minor", sa.BigInteger(), nullable=False),
    sa.Column("proven_signed_minor", sa.BigInteger(), nullable=False),
    sa.Column("proven_collected_minor", sa.BigInteger(), nullable=False),
    sa.Column("reported_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("report_id"),
)
index(baseline, "reported_sales", "ix_reported_sales_salesperson_id", "salesperson_id")
sa.Table(
    "salespeople",
    baseline,
    sa.Column("salesperson_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("role", sa.String(length=64), nullable=False),
    sa.Column("team", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("salesperson_id"),
)
sa.Table(
    "stage_changes",
    baseline,
    sa.Column("change_id", sa.String(length=64), nullable=False),
    sa.Column("opportunity_id", sa.String(length=64), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("from_stage", sa.String(length=32), nullable=True),
    sa.Column("to_stage", sa.String(length=32), nullable=False),
    sa.Column("skipped", sa.Boolean(), nullable=False),
    sa.Column("backwards", sa.Boolean(), nullable=False),
    sa.Column("changed_by", sa.String(length=64), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("changed_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("change_id"),
    sa.UniqueConstraint("opportunity_id", "seq"),
)
index(baseline, "stage_changes", "ix_stage_changes_opportunity_id", "opportunity_id")
sa.Table(
    "target_revisions",
    baseline,
    sa.Column("revision_id", sa.String(length=64), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("team", sa.String(length=64), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("team_target_minor", sa.BigInteger(), nullable=False),
    sa.Column("quotas_json", sa.Text(), nullable=False),
    sa.Column("difference_accepted", sa.Boolean(), nullable=False),
    sa.Column("set_by", sa.String(length=64), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("set_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("revision_id"),
    sa.UniqueConstraint("year", "team", "number"),
)


def upgrade() -> None:
    create_baseline(op.get_bind(), baseline)


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
