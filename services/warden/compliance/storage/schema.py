"""The compliance database's tables: inbox, stored events, findings, cases, decisions,
comments, employees, audit log and anchors, signing markers, console accounts, labels, outbox,
rule snoozes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from warden.platform.db import JsonText, UtcDateTime
from warden.platform.outbox import Outbox, outbox_table

metadata = MetaData()

inbox = Table(
    "inbox",
    metadata,
    Column("source", String(200), primary_key=True),
    Column("event_id", String(200), primary_key=True),
    Column("topic", String(200), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", Integer, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index("ix_inbox_event_id", "event_id"),
    Index("ix_inbox_received_at", "received_at"),  # the retention purge reads oldest first
)

# An event's identity is (source, id): ids are unique per source only (docs/events.md). The
# key leads with the id, so the lookups by id (evidence, held events) use it.
events = Table(
    "events",
    metadata,
    Column("event_id", String(200), primary_key=True),
    Column("source", String(200), primary_key=True),
    Column("type", String(200), nullable=False, index=True),
    Column("subject", String(200), nullable=False, index=True),
    Column("time", UtcDateTime, nullable=False, index=True),
    Column("payload", Text, nullable=False),
    # Stateful rules read the events of some types within a time window.
    Index("ix_events_type_time", "type", "time"),
)

# The event fields stateful rules look events up by (stored_events.StoredEvents.keyed): each has an
# index on its text in the stored payload, so a correlation over a year reads the events of
# one customer or ticket, not the year. A rule matching on another field is judged the same,
# reading its window by the same expression without an index.
INDEXED_PATHS = ("data.customer_id", "data.ticket_id", "data.accessor_id")
for _path in INDEXED_PATHS:
    Index(f"ix_events_{_path.replace('.', '_')}", JsonText(events.c.payload, _path))

findings = Table(
    "findings",
    metadata,
    Column("finding_id", String(64), primary_key=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=True, index=True),
    Column("rule_id", String(200), nullable=False),
    Column("rule_version", Integer, nullable=False),
    Column("clause", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("employee_id", String(200), nullable=False, index=True),
    Column("event_ids", Text, nullable=False),
    # JSON: the source of each of event_ids, in order ("" unknown); NULL on rows recorded
    # before sources were kept and not resolved by compliance_0004.
    Column("event_sources", Text, nullable=True),
    Column("reasons", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    # The snooze that suppressed the finding (no case then: case_id is NULL); NULL otherwise.
    Column("snooze_id", String(64), nullable=True, index=True),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("employee_id", String(200), nullable=False, index=True),
    Column("clause", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("sanction_kind", String(16), nullable=False),
    Column("sanction_amount_minor", BigInteger, nullable=False),
    Column("sanction_currency", String(3), nullable=False),
    Column("sanction_days", Integer, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False, index=True),  # when Warden opened it
    Column("occurred_at", UtcDateTime, nullable=False),  # when the violation happened
    Column("status", String(16), nullable=False, index=True),
    Column("outcome", String(16), nullable=True),
    Column("decided_by", String(200), nullable=False, default=""),
    Column("decision_reason", Text, nullable=False, default=""),
    Column("raised_by", String(200), nullable=False, default=""),
    Column("assignee", String(200), nullable=False, default="", index=True),
    Column("claimed_at", UtcDateTime, nullable=True),
    Column("pending", Text, nullable=True),
    Column("decision_id", String(64), nullable=False, default=""),
    Column("revision", Integer, nullable=False, default=0),
    Column("appeal_reason", Text, nullable=False, default=""),
    # The sanction ladder's reasoning and the 4.3.2 flags (issue 5; nullable: added later).
    Column("proposal_reasoning", Text, nullable=True),
    Column("dismissal_review", Boolean, nullable=True),
    Column("legal_referral", Boolean, nullable=True),
    # The officers the decision's signers recorded it for on paper (JSON, aligned with
    # decided_by; NULL: no one recorded it on paper).
    Column("on_behalf_of", Text, nullable=True),
    # Its inbox and due date (compliance_0009; compliance/domain/inboxes.py).
    Column("inbox", String(64), nullable=True),
    Column("due_at", UtcDateTime, nullable=True),
    Index("ix_cases_inbox_due_at", "inbox", "due_at"),
)

# The configured inboxes (WARDEN_INBOXES_FILE, written at the service's start), in routing
# order; none: the defaults of compliance/domain/inboxes.py.
queues = Table(
    "queues",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("sla_seconds", BigInteger, nullable=False),
    Column("clauses", Text, nullable=False),  # JSON lists
    Column("departments", Text, nullable=False),
    Column("officers", Text, nullable=False),
    Column("officer_limit", Integer, nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("decision_id", String(64), nullable=False, unique=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=False),
    Column("employee_id", String(200), nullable=False, index=True),
    Column("outcome", String(16), nullable=False),
    Column("sanction_kind", String(16), nullable=True),
    Column("sanction_amount_minor", BigInteger, nullable=False),
    Column("sanction_currency", String(3), nullable=False),
    Column("sanction_days", Integer, nullable=False),
    Column("clauses", Text, nullable=False),
    Column("decided_by", Text, nullable=False),
    Column("decided_at", UtcDateTime, nullable=False, index=True),
    Column("effective_date", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("replaces", String(64), nullable=True),
    Column("revision", Integer, nullable=False, default=1),
    Column("on_behalf_of", Text, nullable=True),  # as cases.on_behalf_of
    UniqueConstraint("case_id", "decision_id"),
)

comments = Table(
    "case_comments",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# The employee directory (department per employee), kept by admins through the gRPC API.
employees = Table(
    "employees",
    metadata,
    Column("employee_id", String(200), primary_key=True),
    Column("department", String(200), nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

AUDIT_LOCK_KEY = 0x5741524445  # "WARDE": the advisory lock serialising audit appends
# Append-only and hash-chained (compliance/review/audit.py): never updated, never deleted.
audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("case_id", String(64), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("details", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False, unique=True),
)

# The audit chain's ends published to warden.audit-anchors (one row per anchored entry; the
# outbox row beside it carries it to Kafka). Never updated, never deleted.
audit_anchors = Table(
    "audit_anchors",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("anchored_at", UtcDateTime, nullable=False),
)

# Where signing began on each signed topic, once per key (compliance/review/cutover.py): the end
# offset of each partition then, and the last audit anchor recorded unsigned. Never updated.
signing_markers = Table(
    "signing_markers",
    metadata,
    Column("topic", String(200), primary_key=True),
    Column("key_id", String(16), primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("legacy_before", Text, nullable=False),
    Column("legacy_anchor_seq", Integer, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

# The web console's sessions (console/sessions.py): one row per logged-in browser, keyed by
# the SHA-256 of the cookie's random id; logging out marks it, and every session the same
# token opened, ended on every replica at once. Rows go when their token expires.
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("token_hash", String(64), nullable=False, index=True),
    Column("subject", String(200), nullable=False),
    Column("roles", Text, nullable=False),
    Column("expires_at", BigInteger, nullable=False, index=True),
    Column("ended", Boolean, nullable=False),
)

# The console's local accounts (console/accounts.py, `warden users`): the login name
# (normalised), the employee id and roles a session gets, and an Argon2id hash, never the
# password. A disabled account cannot log in; rows are never deleted.
console_accounts = Table(
    "console_accounts",
    metadata,
    Column("username", String(200), primary_key=True),
    Column("employee_id", String(200), nullable=False),
    Column("roles", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)

# Failed console logins (console/throttle.py), one row each, keyed by "account:<name>" or
# "address:<client>", so every replica counts the same failures; rows older than the
# window are deleted as new ones come.
console_login_failures = Table(
    "console_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, index=True),
    Column("at", BigInteger, nullable=False, index=True),
)

# Outcome labels of decided cases (compliance/review/labels.py): one per case, the latest officer's;
# each change is also in the audit trail. Per-rule precision is counted from these.
case_labels = Table(
    "case_labels",
    metadata,
    Column("case_id", String(64), ForeignKey("cases.case_id"), primary_key=True),
    Column("label", String(16), nullable=False),
    Column("labelled_by", String(200), nullable=False),
    Column("labelled_at", UtcDateTime, nullable=False),
)

outbox = Outbox(outbox_table(metadata))


# Findings of rules running in shadow mode: recorded and counted, never a case.
shadow_findings = Table(
    "shadow_findings",
    metadata,
    Column("finding_id", String(64), primary_key=True),
    Column("rule_id", String(200), nullable=False, index=True),
    Column("rule_version", Integer, nullable=False),
    Column("clause", String(16), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("employee_id", String(200), nullable=False),
    Column("event_ids", Text, nullable=False),
    Column("event_sources", Text, nullable=True),  # as findings.event_sources
    Column("reasons", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False, index=True),
)

# The rule catalogue (rules/catalogue.py): published versions, each rule's modes, every change.
rule_versions = Table(
    "rule_versions",
    metadata,
    Column("rule_id", String(200), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("source", String(500), nullable=False),
    Column("clause", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("published_at", UtcDateTime, nullable=False),
    Column("published_by", String(200), nullable=False),
)

rule_modes = Table(
    "rule_modes",
    metadata,
    Column("rule_id", String(200), primary_key=True),
    Column("active_version", Integer, nullable=True),
    Column("shadow_version", Integer, nullable=True),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("changed_by", String(200), nullable=False),
)

rule_activations = Table(
    "rule_activations",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", String(200), nullable=False, index=True),
    # null when the change switched the rule (or its shadow) off
    Column("version", Integer, nullable=True),
    Column("mode", String(8), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("by", String(200), nullable=False),
    Column("reason", Text, nullable=False),
)

# Rule snoozes (compliance/review/snoozes.py): an officer suppresses one rule for one employee or
# customer, from a decided case, for at most 180 days. Judging reads those not yet ended by
# ends_at; lifting sets lifted_*. Rows are never deleted.
snoozes = Table(
    "snoozes",
    metadata,
    Column("snooze_id", String(64), primary_key=True),
    Column("rule_id", String(200), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("case_id", String(64), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("employee_id", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("snoozed_by", String(200), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False, index=True),
    Column("lifted_at", UtcDateTime, nullable=True),
    Column("lifted_by", String(200), nullable=False, default=""),
    Column("lift_reason", Text, nullable=False, default=""),
)
