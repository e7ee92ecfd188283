"""Baseline: the compliance schema as shipped before migrations

Revision ID: compliance_0001
Revises:
Create Date: 2026-12-07 01:52:37.912044
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warden.migrations.adopt import create_baseline, index
from warden.platform.db import JsonText, UtcDateTime

revision = "compliance_0001"
down_revision = None
branch_labels = None
depends_on = None

# The compliance tables as Warden created them before it had migrations, frozen here: later
# revisions change them, never this file.
baseline = sa.MetaData()


sa.Table(
    "audit_anchors",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("hash", sa.String(length=64), nullable=False),
    sa.Column("anchored_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("seq"),
)
sa.Table(
    "audit_log",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
    sa.Column("case_id", sa.String(length=64), nullable=False),
    sa.Column("actor", sa.String(length=200), nullable=False),
    sa.Column("action", sa.String(length=32), nullable=False),
    sa.Column("at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("details", sa.Text(), nullable=False),
    sa.Column("prev_hash", sa.String(length=64), nullable=False),
    sa.Column("hash", sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint("seq"),
    sa.UniqueConstraint("hash"),
)
index(baseline, "audit_log", "ix_audit_log_case_id", "case_id")
sa.Table(
    "cases",
    baseline,
    sa.Column("case_id", sa.String(length=64), nullable=False),
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("clause", sa.String(length=16), nullable=False),
    sa.Column("severity", sa.String(length=16), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("sanction_kind", sa.String(length=16), nullable=False),
    sa.Column("sanction_amount_minor", sa.BigInteger(), nullable=False),
    sa.Column("sanction_currency", sa.String(length=3), nullable=False),
    sa.Column("sanction_days", sa.Integer(), nullable=False),
    sa.Column("opened_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("outcome", sa.String(length=16), nullable=True),
    sa.Column("decided_by", sa.String(length=200), nullable=False),
    sa.Column("decision_reason", sa.Text(), nullable=False),
    sa.Column("raised_by", sa.String(length=200), nullable=False),
    sa.Column("assignee", sa.String(length=200), nullable=False),
    sa.Column("claimed_at", UtcDateTime(timezone=True), nullable=True),
    sa.Column("pending", sa.Text(), nullable=True),
    sa.Column("decision_id", sa.String(length=64), nullable=False),
    sa.Column("revision", sa.Integer(), nullable=False),
    sa.Column("appeal_reason", sa.Text(), nullable=False),
    sa.Column("proposal_reasoning", sa.Text(), nullable=True),
    sa.Column("dismissal_review", sa.Boolean(), nullable=True),
    sa.Column("legal_referral", sa.Boolean(), nullable=True),
    sa.PrimaryKeyConstraint("case_id"),
)
index(baseline, "cases", "ix_cases_assignee", "assignee")
index(baseline, "cases", "ix_cases_employee_id", "employee_id")
index(baseline, "cases", "ix_cases_opened_at", "opened_at")
index(baseline, "cases", "ix_cases_status", "status")
sa.Table(
    "employees",
    baseline,
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("department", sa.String(length=200), nullable=False),
    sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("employee_id"),
)
index(baseline, "employees", "ix_employees_department", "department")
sa.Table(
    "events",
    baseline,
    sa.Column("event_id", sa.String(length=200), nullable=False),
    sa.Column("source", sa.String(length=200), nullable=False),
    sa.Column("type", sa.String(length=200), nullable=False),
    sa.Column("subject", sa.String(length=200), nullable=False),
    sa.Column("time", UtcDateTime(timezone=True), nullable=False),
    sa.Column("payload", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("event_id"),
)
index(baseline, "events", "ix_events_subject", "subject")
index(baseline, "events", "ix_events_time", "time")
index(baseline, "events", "ix_events_type", "type")
index(baseline, "events", "ix_events_type_time", "type", "time")
sa.Table(
    "held_judgements",
    baseline,
    sa.Column("event_id", sa.String(length=200), nullable=False),
    sa.Column("time", UtcDateTime(timezone=True), nullable=False),
    sa.Column("stream", sa.String(length=250), nullable=False),
    sa.Column("offset", sa.BigInteger(), nullable=False),
    sa.Column("held_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("event_id"),
)
index(baseline, "held_judgements", "ix_held_judgements_time", "time")
sa.Table(
    "inbox",
    baseline,
    sa.Column("source", sa.String(length=200), nullable=False),
    sa.Column("event_id", sa.String(length=200), nullable=False),
    sa.Column("topic", sa.String(length=200), nullable=False),
    sa.Column("partition", sa.Integer(), nullable=False),
    sa.Column("offset", sa.Integer(), nullable=False),
    sa.Column("received_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("source", "event_id"),
)
index(baseline, "inbox", "ix_inbox_event_id", "event_id")
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
    "rule_activations",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("rule_id", sa.String(length=200), nullable=False),
    sa.Column("version", sa.Integer(), nullable=True),
    sa.Column("mode", sa.String(length=8), nullable=False),
    sa.Column("at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("by", sa.String(length=200), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint("seq"),
)
index(baseline, "rule_activations", "ix_rule_activations_rule_id", "rule_id")
sa.Table(
    "rule_clock_marks",
    baseline,
    sa.Column("name", sa.String(length=250), nullable=False),
    sa.Column("time", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("name"),
)
sa.Table(
    "rule_deadlines",
    baseline,
    sa.Column("deadline_id", sa.String(length=64), nullable=False),
    sa.Column("kind", sa.String(length=64), nullable=False),
    sa.Column("key", sa.String(length=200), nullable=False),
    sa.Column("ticket_id", sa.String(length=200), nullable=False),
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("due", UtcDateTime(timezone=True), nullable=False),
    sa.Column("started_by", sa.String(length=200), nullable=False),
    sa.Column("stream", sa.String(length=250), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("settled_by", sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint("deadline_id"),
)
index(baseline, "rule_deadlines", "ix_rule_deadlines_due", "due")
index(baseline, "rule_deadlines", "ix_rule_deadlines_key", "key")
index(baseline, "rule_deadlines", "ix_rule_deadlines_status", "status")
index(baseline, "rule_deadlines", "ix_rule_deadlines_stream", "stream")
index(baseline, "rule_deadlines", "ix_rule_deadlines_sweep", "stream", "status", "due")
sa.Table(
    "rule_modes",
    baseline,
    sa.Column("rule_id", sa.String(length=200), nullable=False),
    sa.Column("active_version", sa.Integer(), nullable=True),
    sa.Column("shadow_version", sa.Integer(), nullable=True),
    sa.Column("changed_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("changed_by", sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint("rule_id"),
)
sa.Table(
    "rule_versions",
    baseline,
    sa.Column("rule_id", sa.String(length=200), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("digest", sa.String(length=64), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("source", sa.String(length=500), nullable=False),
    sa.Column("clause", sa.String(length=16), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("published_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("published_by", sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint("rule_id", "version"),
)
sa.Table(
    "rule_watermarks",
    baseline,
    sa.Column("name", sa.String(length=250), nullable=False),
    sa.Column("time", UtcDateTime(timezone=True), nullable=False),
    sa.Column("events", sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint("name"),
)
sa.Table(
    "shadow_findings",
    baseline,
    sa.Column("finding_id", sa.String(length=64), nullable=False),
    sa.Column("rule_id", sa.String(length=200), nullable=False),
    sa.Column("rule_version", sa.Integer(), nullable=False),
    sa.Column("clause", sa.String(length=16), nullable=False),
    sa.Column("severity", sa.String(length=16), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("event_ids", sa.Text(), nullable=False),
    sa.Column("reasons", sa.Text(), nullable=False),
    sa.Column("occurred_at", UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("finding_id"),
)
index(baseline, "shadow_findings", "ix_shadow_findings_occurred_at", "occurred_at")
index(baseline, "shadow_findings", "ix_shadow_findings_rule_id", "rule_id")
sa.Table(
    "case_comments",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("case_id", sa.String(length=64), nullable=False),
    sa.Column("author", sa.String(length=200), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("at", UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ["case_id"],
        ["cases.case_id"],
    ),
    sa.PrimaryKeyConstraint("seq"),
)
index(baseline, "case_comments", "ix_case_comments_case_id", "case_id")
sa.Table(
    "decisions",
    baseline,
    sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("decision_id", sa.String(length=64), nullable=False),
    sa.Column("case_id", sa.String(length=64), nullable=False),
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("outcome", sa.String(length=16), nullable=False),
    sa.Column("sanction_kind", sa.String(length=16), nullable=True),
    sa.Column("sanction_amount_minor", sa.BigInteger(), nullable=False),
    sa.Column("sanction_currency", sa.String(length=3), nullable=False),
    sa.Column("sanction_days", sa.Integer(), nullable=False),
    sa.Column("clauses", sa.Text(), nullable=False),
    sa.Column("decided_by", sa.Text(), nullable=False),
    sa.Column("decided_at", UtcDateTime(timezone=True), nullable=False),
    sa.Column("effective_date", sa.String(length=10), nullable=False),
    sa.Column("reason", sa.Text(), nullable=False),
    sa.Column("replaces", sa.String(length=64), nullable=True),
    sa.Column("revision", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(
        ["case_id"],
        ["cases.case_id"],
    ),
    sa.PrimaryKeyConstraint("seq"),
    sa.UniqueConstraint("case_id", "decision_id"),
    sa.UniqueConstraint("decision_id"),
)
index(baseline, "decisions", "ix_decisions_decided_at", "decided_at")
index(baseline, "decisions", "ix_decisions_employee_id", "employee_id")
sa.Table(
    "findings",
    baseline,
    sa.Column("finding_id", sa.String(length=64), nullable=False),
    sa.Column("case_id", sa.String(length=64), nullable=True),
    sa.Column("rule_id", sa.String(length=200), nullable=False),
    sa.Column("rule_version", sa.Integer(), nullable=False),
    sa.Column("clause", sa.String(length=16), nullable=False),
    sa.Column("severity", sa.String(length=16), nullable=False),
    sa.Column("title", sa.Text(), nullable=False),
    sa.Column("employee_id", sa.String(length=200), nullable=False),
    sa.Column("event_ids", sa.Text(), nullable=False),
    sa.Column("reasons", sa.Text(), nullable=False),
    sa.Column("occurred_at", UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
        ["case_id"],
        ["cases.case_id"],
    ),
    sa.PrimaryKeyConstraint("finding_id"),
)
index(baseline, "findings", "ix_findings_case_id", "case_id")
index(baseline, "findings", "ix_findings_employee_id", "employee_id")

# Stateful rules look stored events up by these payload fields: an index on each one's text.
for _path in ("data.customer_id", "data.ticket_id", "data.accessor_id"):
    _events = baseline.tables["events"]
    sa.Index(f"ix_events_{_path.replace('.', '_')}", JsonText(_events.c.payload, _path))


def upgrade() -> None:
    create_baseline(op.get_bind(), baseline)


def downgrade() -> None:
    raise NotImplementedError("Warden's migrations go forward only: restore a backup to go back")
