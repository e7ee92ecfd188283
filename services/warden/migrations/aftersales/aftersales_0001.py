"""Baseline: the aftersales schema as shipped before migrations

Revision ID: aftersales_0001
Revises:
Create Date: 2026-12-07 01:52:37.646084
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.migrations.adopt import create_baseline, index
from warden.platform.db import UtcDateTime

revision = "aftersales_0001"
down_revision = None
branch_labels = None
depends_on = None

# The aftersales tables as Warden created them before it had migrations, frozen here: later
# revisions change them, never this file.
baseline = sa.MetaData()


sa.Table(
    "agents",
    baseline,
    sa.Column("agent_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("role", sa.String(length=32), nullable=False),
    sa.Column("team", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("agent_id"),
)
sa.Table(
    "archive_runs",
    baseline,
    sa.Column("run_id", sa.String(length=64), nullable=False),
    sa.Column("archived_by", sa.String(length=64), nullable=False),
    sa.Column("older_than_days", sa.Integer(), nullable=False),
    sa.Column("ran_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("ticket_ids", sa.Text(), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("run_id"),
)
sa.Table(
    "customer_personal",
    baseline,
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("phone", sa.String(length=64), nullable=False),
    sa.Column("email", sa.String(length=200), nullable=False),
    sa.Column("address", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("customer_id"),
)
sa.Table(
    "customers",
    baseline,
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("segment", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("customer_id"),
)
sa.Table(
    "data_access_log",
    baseline,
    sa.Column("access_id", sa.String(length=64), nullable=False),
    sa.Column("customer_ids", sa.Text(), nullable=False),
    sa.Column("accessor_id", sa.String(length=64), nullable=False),
    sa.Column("accessor_role", sa.String(length=32), nullable=False),
    sa.Column("action", sa.String(length=16), nullable=False),
    sa.Column("fields", sa.Text(), nullable=False),
    sa.Column("recipient_kind", sa.String(length=16), nullable=False),
    sa.Column("recipient", sa.String(length=200), nullable=False),
    sa.Column("purpose", sa.Text(), nullable=False),
    sa.Column("at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("granted", sa.Boolean(), nullable=False),
    sa.Column("refusal", sa.Text(), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("access_id"),
)
index(baseline, "data_access_log", "ix_data_access_log_accessor_id", "accessor_id")
sa.Table(
    "escalations",
    baseline,
    sa.Column("escalation_id", sa.String(length=64), nullable=False),
    sa.Column("ticket_id", sa.String(length=64), nullable=False),
    sa.Column("department", sa.String(length=32), nullable=False),
    sa.Column("question", sa.Text(), nullable=False),
    sa.Column("escalated_by", sa.String(length=64), nullable=False),
    sa.Column("escalated_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("answer_summary", sa.Text(), nullable=False),
    sa.Column("answered_by", sa.String(length=200), nullable=False),
    sa.Column("answered_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("reported_by", sa.String(length=64), nullable=False),
    sa.Column("reported_at", UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("escalation_id"),
)
index(baseline, "escalations", "ix_escalations_ticket_id", "ticket_id")
sa.Table(
    "fee_schedule",
    baseline,
    sa.Column("service_code", sa.String(length=64), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("price_minor", sa.BigInteger(), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("warranty_covers", sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint("service_code"),
)
sa.Table(
    "fees",
    baseline,
    sa.Column("fee_id", sa.String(length=64), nullable=False),
    sa.Column("ticket_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("agent_id", sa.String(length=64), nullable=False),
    sa.Column("service_code", sa.String(length=64), nullable=False),
    sa.Column("amount_minor", sa.BigInteger(), nullable=False),
    sa.Column("currency", sa.String(length=3), nullable=False),
    sa.Column("warranty", sa.Boolean(), nullable=False),
    sa.Column("charged_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("schedule_price_minor", sa.BigInteger(), nullable=True),
    sa.Column("warranty_covers", sa.Boolean(), nullable=True),
    sa.Column("duplicate_of", sa.String(length=64), nullable=True),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("fee_id"),
)
index(baseline, "fees", "ix_fees_agent_id", "agent_id")
index(baseline, "fees", "ix_fees_customer_id", "customer_id")
index(baseline, "fees", "ix_fees_ticket_id", "ticket_id")
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
    "quality_reports",
    baseline,
    sa.Column("report_id", sa.String(length=64), nullable=False),
    sa.Column("period", sa.String(length=16), nullable=False),
    sa.Column("published_by", sa.String(length=64), nullable=False),
    sa.Column("published_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("report_id"),
)
sa.Table(
    "ticket_steps",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("step_id", sa.String(length=64), nullable=False),
    sa.Column("ticket_id", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=32), nullable=False),
    sa.Column("actor", sa.String(length=64), nullable=False),
    sa.Column("at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("detail", sa.Text(), nullable=False),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("seq"),
    sa.UniqueConstraint("step_id"),
)
index(baseline, "ticket_steps", "ix_ticket_steps_ticket_id", "ticket_id")
sa.Table(
    "tickets",
    baseline,
    sa.Column("ticket_id", sa.String(length=64), nullable=False),
    sa.Column("customer_id", sa.String(length=64), nullable=False),
    sa.Column("product_id", sa.String(length=64), nullable=False),
    sa.Column("channel", sa.String(length=16), nullable=False),
    sa.Column("description", sa.Text(), nullable=False),
    sa.Column("agent_id", sa.String(length=64), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("received_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("category", sa.String(length=64), nullable=False),
    sa.Column("priority", sa.String(length=8), nullable=False),
    sa.Column("first_response_due", UtcDateTime(timezone=True), nullable=True),
    sa.Column("resolution_due", UtcDateTime(timezone=True), nullable=True),
    sa.Column("first_response_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("resolved_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("resolution", sa.Text(), nullable=False),
    sa.Column("closed_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("outcome", sa.String(length=16), nullable=False),
    sa.Column("awaiting_answer", sa.Boolean(), nullable=False),
    sa.Column("reassignment_count", sa.Integer(), nullable=False),
    sa.Column("reopen_count", sa.Integer(), nullable=False),
    sa.Column("escalation_count", sa.Integer(), nullable=False),
    sa.Column("closed_without_resolution", sa.Integer(), nullable=False),
    sa.Column("survey_score", sa.Integer(), nullable=True),
    sa.Column("survey_comment", sa.Text(), nullable=False),
    sa.Column("archived_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("last_step_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("event_id", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("ticket_id"),
)
index(baseline, "tickets", "ix_tickets_agent_id", "agent_id")
index(baseline, "tickets", "ix_tickets_category", "category")
index(baseline, "tickets", "ix_tickets_customer_id", "customer_id")
index(baseline, "tickets", "ix_tickets_outcome", "outcome")
index(baseline, "tickets", "ix_tickets_product_id", "product_id")
index(baseline, "tickets", "ix_tickets_received_at", "received_at")
index(baseline, "tickets", "ix_tickets_status", "status")


def upgrade() -> None:
    create_baseline(op.get_bind(), baseline)


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
