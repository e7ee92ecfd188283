"""Compliance persistence: inbox, stored events, findings, cases, decisions, audit, outbox."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    func,
    select,
    text,
)

from warden.compliance.domain.cases import (
    Case,
    CaseStatus,
    Comment,
    Decision,
    Outcome,
    Proposal,
)
from warden.compliance.domain.findings import Finding
from warden.compliance.domain.sanctions import Sanction, SanctionKind
from warden.compliance.review import audit
from warden.errors import FailedPrecondition
from warden.platform import jsontext
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import BulkInsert, JsonText, UtcDateTime
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

# The event fields stateful rules look events up by (state.StoredEvents.keyed): each has an
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


# Built once: executing the same statement object reuses its cache key and compiled SQL, where
# building one per event (`.values(...)`, `.where(...)`) cost more than the database did.
_BULK_INBOX = BulkInsert(inbox)
_BULK_EVENTS = BulkInsert(events)
# By event id (ix_inbox_event_id): the primary key (source, event_id) cannot serve an IN on
# its second column, and the whole inbox was read once per batch.
_PROCESSED = select(inbox.c.source, inbox.c.event_id).where(
    inbox.c.event_id.in_(bindparam("ids", expanding=True))
)
T = TypeVar("T")
IN_CLAUSE_LIMIT = 500  # ids per IN (...): well under every backend's bound-parameter limit


def in_chunks(items: list[T]) -> Iterator[list[T]]:
    """`items` in slices of at most IN_CLAUSE_LIMIT: one IN (...) query each."""
    for start in range(0, len(items), IN_CLAUSE_LIMIT):
        yield items[start : start + IN_CLAUSE_LIMIT]


def already_processed(conn: Connection, event: CloudEvent) -> bool:
    return (event.source, event.id) in processed_among(conn, [event])


def processed_among(conn: Connection, batch: Iterable[CloudEvent]) -> set[tuple[str, str]]:
    """The (source, id) pairs of `batch` already in the inbox: one query per 500 events."""
    wanted = {(e.source, e.id) for e in batch}
    ids = sorted({event_id for _source, event_id in wanted})
    found: set[tuple[str, str]] = set()
    for chunk in in_chunks(ids):
        rows = conn.execute(_PROCESSED, {"ids": chunk})
        found.update((r.source, r.event_id) for r in rows)
    return found & wanted


def _inbox_row(
    event: CloudEvent, topic: str, partition: int, offset: int, at: datetime
) -> dict[str, Any]:
    return {
        "source": event.source,
        "event_id": event.id,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "received_at": at,
    }


def _event_row(event: CloudEvent, as_dict: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored-event row; `as_dict` is the event's to_dict() when the caller has it."""
    return {
        "event_id": event.id,
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.time,
        "payload": event.to_json() if as_dict is None else CloudEvent.json_of(as_dict),
    }


def record_received(
    conn: Connection, event: CloudEvent, topic: str, partition: int, offset: int, at: datetime
) -> None:
    """Write one event's inbox and stored-event rows now (see Received for a batch's)."""
    received = Received(conn)
    received.add(event, topic, partition, offset, at)
    received.flush()


class Received:
    """The inbox and stored-event rows of one judging transaction, written with one
    executemany per table instead of two INSERTs per event. The input events' inbox rows are
    written first (`claim`), so a concurrent judge of the same event waits or fails there,
    before judging anything. Stored events are read back by stateful rules
    (state.StoredEvents): a read from the database adds the `unwritten_events`, and
    `on_store` hears of each row as it is buffered (to add it to what was read), with the
    event's dict when the caller gave it; everything is written by `flush` at the
    transaction's end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Told each stored-event row (and the event's dict, or None) as it is buffered: set by
        # whoever reads them back.
        self.on_store: Callable[[dict[str, Any], dict[str, Any] | None], None] | None = None
        self._inbox: list[dict[str, Any]] = []
        self._events: list[dict[str, Any]] = []

    def claim(self, deliveries: Iterable[tuple[CloudEvent, str, int, int]], at: datetime) -> None:
        """Write the inbox rows of (event, topic, partition, offset) now, in one statement."""
        rows = [_inbox_row(event, topic, p, offset, at) for event, topic, p, offset in deliveries]
        _BULK_INBOX(self.conn, rows)

    def store(self, event: CloudEvent, as_dict: dict[str, Any] | None = None) -> None:
        """Buffer the stored-event row of a claimed event (`as_dict`: its to_dict(), if made)."""
        self._buffer(_event_row(event, as_dict), as_dict)

    def add(self, event: CloudEvent, topic: str, partition: int, offset: int, at: datetime) -> None:
        """Buffer an event's inbox row and its stored-event row."""
        self._inbox.append(_inbox_row(event, topic, partition, offset, at))
        self._buffer(_event_row(event))

    def _buffer(self, row: dict[str, Any], as_dict: dict[str, Any] | None = None) -> None:
        self._events.append(row)
        if self.on_store is not None:
            self.on_store(row, as_dict)

    def unwritten_events(self) -> list[dict[str, Any]]:
        """The stored-event rows buffered and not yet written."""
        return list(self._events)

    def flush_events(self) -> None:
        if self._events:
            _BULK_EVENTS(self.conn, self._events)
            self._events = []

    def flush(self) -> None:
        self.flush_events()
        if self._inbox:
            _BULK_INBOX(self.conn, self._inbox)
            self._inbox = []


def _sanction_columns(sanction: Sanction | None) -> dict[str, Any]:
    return {
        "sanction_kind": sanction.kind.value if sanction else None,
        "sanction_amount_minor": sanction.amount_minor if sanction else 0,
        "sanction_currency": sanction.currency if sanction else "",
        "sanction_days": sanction.days if sanction else 0,
    }


def _sanction_from(row: Any) -> Sanction | None:
    if not row.sanction_kind:
        return None
    return Sanction(
        SanctionKind(row.sanction_kind),
        row.sanction_amount_minor,
        row.sanction_currency,
        row.sanction_days,
    )


# Judging opens many cases per transaction: each kind of row is written in one statement.
_BULK_CASES = BulkInsert(cases)
_BULK_FINDINGS = BulkInsert(findings)


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "employee_id": case.employee_id,
        "clause": case.clause,
        "severity": case.severity,
        "title": case.title,
        "opened_at": case.opened_at,
        "occurred_at": case.occurred_at,
        "status": case.status.value,
        "outcome": None,
        "decided_by": "",
        "decision_reason": "",
        "raised_by": case.raised_by,
        "assignee": "",
        "claimed_at": None,
        "pending": None,
        "revision": 0,
        "decision_id": "",
        "appeal_reason": "",
        "proposal_reasoning": case.proposal_reasoning,
        "dismissal_review": case.dismissal_review,
        "legal_referral": case.legal_referral,
        **_sanction_columns(case.proposed),
    }


def _finding_row(finding: Finding) -> dict[str, Any]:
    return {
        "finding_id": finding.finding_id,
        "rule_id": finding.rule_id,
        "rule_version": finding.rule_version,
        "clause": finding.clause,
        "severity": finding.severity,
        "title": finding.title,
        "employee_id": finding.employee_id,
        "event_ids": jsontext.dumps(finding.event_ids),
        "event_sources": jsontext.dumps(finding.event_sources),
        "reasons": jsontext.dumps(finding.reasons),
        "occurred_at": finding.occurred_at,
    }


class CaseWriter:
    """The cases one transaction opens, written together when it flushes (at the transaction's
    end): their rows, their findings and their `created` audit entries, each kind in one
    statement. The audit chain's end is read (and on PostgreSQL its lock taken, held until
    the commit) only then, and the entries chained in memory: replicas judging at the same
    time queue for the chain during their last statements and commit, not for the whole of
    their judging, as they did when the lock was taken at the first case. Nothing else may
    append to the audit chain in the same transaction between a flush's start and its end."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._cases: list[dict[str, Any]] = []
        self._findings: list[dict[str, Any]] = []
        self._created: list[Case] = []

    def add(self, case: Case) -> None:
        self._cases.append(_case_row(case))
        self._findings += [_finding_row(f) | {"case_id": case.case_id} for f in case.findings]
        self._created.append(case)

    def flush(self) -> None:
        _BULK_CASES(self.conn, self._cases)
        _BULK_FINDINGS(self.conn, self._findings)
        self._cases.clear()
        self._findings.clear()
        if not self._created:
            return
        seq, prev = _audit_end(self.conn)
        entries = []
        for case in self._created:
            seq += 1
            details = {
                "employee_id": case.employee_id,
                "clause": case.clause,
                "severity": case.severity,
                "proposed": str(case.proposed),
                "findings": [f.finding_id for f in case.findings],
            }
            entries.append(
                _audit_row(
                    seq, case.case_id, case.raised_by, "created", case.opened_at, details, prev
                )
            )
            prev = entries[-1]["hash"]
        _BULK_AUDIT(self.conn, entries)
        self._created.clear()


def add_case(conn: Connection, case: Case) -> None:
    """Open one case now, in the caller's transaction (see CaseWriter for many)."""
    writer = CaseWriter(conn)
    writer.add(case)
    writer.flush()


def _finding_from(row: Any) -> Finding:
    return Finding(
        finding_id=row.finding_id,
        rule_id=row.rule_id,
        rule_version=row.rule_version,
        clause=row.clause,
        severity=row.severity,
        title=row.title,
        employee_id=row.employee_id,
        event_ids=tuple(json.loads(row.event_ids)),
        reasons=tuple(json.loads(row.reasons)),
        occurred_at=row.occurred_at,
        event_sources=tuple(json.loads(row.event_sources or "[]")),
    )


def _proposal_json(pending: Proposal | None) -> str | None:
    if pending is None:
        return None
    return json.dumps(
        {
            "outcome": pending.outcome.value,
            "sanction": _sanction_columns(pending.sanction),
            "reason": pending.reason,
            "officer_id": pending.officer_id,
            "at": pending.at.isoformat(),
            # Only when named: a proposal an older Warden stored compares equal (save_case).
            **({"on_behalf_of": pending.on_behalf_of} if pending.on_behalf_of else {}),
        }
    )


def _proposal_from(text: str | None) -> Proposal | None:
    if not text:
        return None
    raw = json.loads(text)
    return Proposal(
        outcome=Outcome(raw["outcome"]),
        sanction=_sanction_from(_Row(raw["sanction"])),
        reason=raw["reason"],
        officer_id=raw["officer_id"],
        at=datetime.fromisoformat(raw["at"]),
        on_behalf_of=raw.get("on_behalf_of", ""),
    )


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _case_from(conn: Connection, row: Any) -> Case:
    found = conn.execute(
        select(findings).where(findings.c.case_id == row.case_id).order_by(findings.c.occurred_at)
    ).all()
    said = conn.execute(
        select(comments).where(comments.c.case_id == row.case_id).order_by(comments.c.seq)
    ).all()
    proposed = _sanction_from(row)
    assert proposed is not None
    return Case(
        case_id=row.case_id,
        employee_id=row.employee_id,
        clause=row.clause,
        severity=row.severity,
        title=row.title,
        proposed=proposed,
        findings=tuple(_finding_from(f) for f in found),
        opened_at=row.opened_at,
        occurred_at=row.occurred_at,
        status=CaseStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        decided_by=row.decided_by,
        decision_reason=row.decision_reason,
        raised_by=row.raised_by,
        assignee=row.assignee,
        claimed_at=row.claimed_at,
        comments=tuple(Comment(c.author, c.text, c.at) for c in said),
        pending=_proposal_from(row.pending),
        decision_id=row.decision_id,
        revision=row.revision,
        appeal_reason=row.appeal_reason,
        proposal_reasoning=row.proposal_reasoning or "",
        dismissal_review=bool(row.dismissal_review),
        legal_referral=bool(row.legal_referral),
        on_behalf_of=_names_from(row.on_behalf_of),
    )


def get_case(conn: Connection, case_id: str, for_update: bool = False) -> Case | None:
    """A case; `for_update` locks its row until the transaction ends (PostgreSQL), so two
    officers acting on one case at once are serialised."""
    query = select(cases).where(cases.c.case_id == case_id)
    row = conn.execute(query.with_for_update() if for_update else query).first()
    return _case_from(conn, row) if row else None


@dataclass(frozen=True)
class CaseFilter:
    """What the queue shows: every criterion is optional; ages are relative to `now`."""

    status: CaseStatus | None = None
    severity: str = ""
    clause: str = ""
    employee_id: str = ""
    department: str = ""
    opened_before: datetime | None = None
    assignee: str = ""
    # An officer never sees the cases about themselves (an employee id as people.person gives).
    hidden_from: str = ""


def _filtered(query: Any, where: CaseFilter) -> Any:
    if where.status is not None:
        query = query.where(cases.c.status == where.status.value)
    if where.severity:
        query = query.where(cases.c.severity == where.severity)
    if where.clause:
        query = query.where(cases.c.clause == where.clause)
    if where.employee_id:
        query = query.where(cases.c.employee_id == where.employee_id)
    if where.assignee:
        query = query.where(cases.c.assignee == where.assignee)
    if where.hidden_from:
        query = query.where(func.lower(func.trim(cases.c.employee_id)) != where.hidden_from)
    if where.opened_before is not None:
        query = query.where(cases.c.opened_at <= where.opened_before)
    if where.department:
        members = select(employees.c.employee_id).where(employees.c.department == where.department)
        query = query.where(cases.c.employee_id.in_(members))
    return query


def list_cases(
    conn: Connection, status: CaseStatus | CaseFilter | None, limit: int, offset: int
) -> list[Case]:
    where = status if isinstance(status, CaseFilter) else CaseFilter(status=status)
    query = _filtered(select(cases), where).order_by(cases.c.opened_at.desc(), cases.c.case_id)
    rows = conn.execute(query.limit(limit).offset(offset)).all()
    return [_case_from(conn, r) for r in rows]


def open_case_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """(clause, severity, count) of the cases not decided yet."""
    rows = conn.execute(
        select(cases.c.clause, cases.c.severity, func.count())
        .where(cases.c.status != CaseStatus.DECIDED.value)
        .group_by(cases.c.clause, cases.c.severity)
        .order_by(cases.c.clause, cases.c.severity)
    ).all()
    return [(r[0], r[1], int(r[2])) for r in rows]


def oldest_open(conn: Connection) -> datetime | None:
    """When the oldest case not decided yet was opened."""
    return conn.execute(
        select(func.min(cases.c.opened_at)).where(cases.c.status != CaseStatus.DECIDED.value)
    ).scalar()


def department_of(conn: Connection, employee_id: str) -> str:
    row = conn.execute(
        select(employees.c.department).where(employees.c.employee_id == employee_id)
    ).first()
    return str(row[0]) if row else ""


def set_department(conn: Connection, employee_id: str, department: str, at: datetime) -> None:
    updated = conn.execute(
        employees.update()
        .where(employees.c.employee_id == employee_id)
        .values(department=department, updated_at=at)
    )
    if not updated.rowcount:
        conn.execute(
            employees.insert().values(employee_id=employee_id, department=department, updated_at=at)
        )


def stored_events(conn: Connection, refs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """The original CloudEvents (as dicts) of a finding's evidence, (source, id) each, oldest
    first. A reference whose source is not known ("") matches that id from any source."""
    wanted = set(refs)
    if not wanted:
        return []
    ids = sorted({event_id for _, event_id in wanted})
    found = []
    for chunk in in_chunks(ids):
        query = select(events.c.source, events.c.event_id, events.c.time, events.c.payload)
        found += conn.execute(query.where(events.c.event_id.in_(chunk))).all()
    kept = [r for r in found if (r.source, r.event_id) in wanted or ("", r.event_id) in wanted]
    return [json.loads(r.payload) for r in sorted(kept, key=lambda r: (r.time, r.event_id))]


def count_findings(conn: Connection) -> int:
    return len(conn.execute(select(findings.c.finding_id)).all())


def save_case(conn: Connection, case: Case, before: Case | None = None) -> None:
    """Write a case's review state (status, assignee, pending proposal, decision). With
    `before`, only if the stored state is still `before`'s: another officer's concurrent
    change makes this FailedPrecondition instead of being overwritten."""
    query = cases.update().where(cases.c.case_id == case.case_id)
    if before is not None:
        pending = _proposal_json(before.pending)
        query = query.where(
            cases.c.status == before.status.value,
            cases.c.assignee == before.assignee,
            cases.c.revision == before.revision,
            cases.c.pending.is_(None) if pending is None else cases.c.pending == pending,
        )
    written = conn.execute(
        query.values(
            status=case.status.value,
            outcome=case.outcome.value if case.outcome else None,
            decided_by=case.decided_by,
            on_behalf_of=_names_json(case.on_behalf_of),
            decision_reason=case.decision_reason,
            assignee=case.assignee,
            claimed_at=case.claimed_at,
            pending=_proposal_json(case.pending),
            decision_id=case.decision_id,
            revision=case.revision,
            appeal_reason=case.appeal_reason,
        )
    )
    if before is not None and written.rowcount != 1:
        raise FailedPrecondition(
            f"status: case {case.case_id} was changed by someone else meanwhile; reload it"
        )


def add_comment(conn: Connection, case_id: str, comment: Comment) -> None:
    conn.execute(
        comments.insert().values(
            case_id=case_id, author=comment.author, text=comment.text, at=comment.at
        )
    )


def add_decision(conn: Connection, decision: Decision) -> None:
    conn.execute(
        decisions.insert().values(
            decision_id=decision.decision_id,
            case_id=decision.case_id,
            employee_id=decision.employee_id,
            outcome=decision.outcome.value,
            clauses=json.dumps(decision.clauses),
            decided_by=json.dumps(decision.decided_by),
            decided_at=decision.decided_at,
            effective_date=decision.effective_date,
            reason=decision.reason,
            replaces=decision.replaces,
            revision=decision.revision,
            on_behalf_of=_names_json(decision.on_behalf_of),
            **_sanction_columns(decision.sanction),
        )
    )


def _decision_from(row: Any) -> Decision:
    return Decision(
        decision_id=row.decision_id,
        case_id=row.case_id,
        employee_id=row.employee_id,
        outcome=Outcome(row.outcome),
        sanction=_sanction_from(row),
        clauses=tuple(json.loads(row.clauses)),
        decided_by=tuple(json.loads(row.decided_by)),
        decided_at=row.decided_at,
        effective_date=row.effective_date,
        reason=row.reason,
        replaces=row.replaces,
        revision=row.revision,
        on_behalf_of=_names_from(row.on_behalf_of),
    )


def _names_json(names: tuple[str, ...]) -> str | None:
    return json.dumps(list(names)) if names else None


def _names_from(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text)) if text else ()


def list_decisions(conn: Connection, since: datetime | None, limit: int) -> list[Decision]:
    query = select(decisions).order_by(decisions.c.decided_at, decisions.c.seq)
    if since is not None:
        query = query.where(decisions.c.decided_at >= since)
    return [_decision_from(r) for r in conn.execute(query.limit(limit)).all()]


def get_decision(conn: Connection, decision_id: str) -> Decision | None:
    row = conn.execute(select(decisions).where(decisions.c.decision_id == decision_id)).first()
    return _decision_from(row) if row else None


# The standing decisions that impose a sanction, of some employees, oldest first. The join
# names the case by its key as well (a decision's case_id is the case that points to it): so
# the lookup starts from the employees' decisions (their index) and finds each case by key.
# Joined on decision_id alone, SQLite's planner read every case, on each batch with a finding.
_RECORDS = (
    select(decisions)
    .join(
        cases,
        and_(
            cases.c.case_id == decisions.c.case_id,
            cases.c.decision_id == decisions.c.decision_id,
        ),
    )
    .where(
        decisions.c.employee_id.in_(bindparam("employees", expanding=True)),
        decisions.c.outcome != Outcome.DISMISSED.value,
    )
    .order_by(decisions.c.decided_at, decisions.c.seq)
)


def confirmed_violations(
    conn: Connection, employee_id: str, since: datetime | None = None
) -> list[Decision]:
    """The employee's record: each case's standing decision that imposes a sanction (confirmed
    or amended, not replaced by a later one), oldest first. The sanction ladder reads this."""
    query = _RECORDS if since is None else _RECORDS.where(decisions.c.decided_at >= since)
    return [_decision_from(r) for r in conn.execute(query, {"employees": [employee_id]})]


def records_of(conn: Connection, employee_ids: Iterable[str]) -> dict[str, list[Decision]]:
    """`confirmed_violations` of several employees, in one query per 500."""
    wanted = sorted(set(employee_ids))
    records: dict[str, list[Decision]] = {employee: [] for employee in wanted}
    for chunk in in_chunks(wanted):
        for row in conn.execute(_RECORDS, {"employees": chunk}):
            records[row.employee_id].append(_decision_from(row))
    return records


_AUDIT_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
# The chain's last entry (seq, hash); read under the chain's lock when appending (_audit_end).
AUDIT_END = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT_AUDIT = audit_log.insert()
_BULK_AUDIT = BulkInsert(audit_log)


def _audit_end(conn: Connection) -> tuple[int, str]:
    """The chain's last (seq, hash), (0, GENESIS) when empty, with the chain's lock taken:
    writers queue for the chain's end until their transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(_AUDIT_LOCK, {"key": AUDIT_LOCK_KEY})
    last = conn.execute(AUDIT_END).first()
    return (last.seq, last.hash) if last else (0, audit.GENESIS)


def _audit_row(
    seq: int,
    case_id: str,
    actor: str,
    action: str,
    at: datetime,
    details: dict[str, Any],
    prev: str,
) -> dict[str, Any]:
    """The audit_log row of entry `seq`, chained to the entry whose hash is `prev`."""
    return {
        "seq": seq,
        "case_id": case_id,
        "actor": actor,
        "action": action,
        "at": at,
        "details": jsontext.dumps(details, sort_keys=True),
        "prev_hash": prev,
        "hash": audit.digest(seq, case_id, actor, action, at, details, prev),
    }


def append_audit(
    conn: Connection,
    case_id: str,
    actor: str,
    action: str,
    at: datetime,
    details: dict[str, Any],
) -> audit.Entry:
    """Append one entry to the hash chain, in the caller's transaction. Its seq is the last
    one plus one. Writers queue for the chain's end: PostgreSQL through a transaction-scoped
    advisory lock, SQLite because the caller's transaction already holds the write lock."""
    end_seq, prev = _audit_end(conn)
    row = _audit_row(end_seq + 1, case_id, actor, action, at, details, prev)
    conn.execute(_INSERT_AUDIT, row)
    return audit.Entry(row["seq"], case_id, actor, action, at, details, prev, row["hash"])


def audit_entries(conn: Connection, case_id: str | None = None) -> list[audit.Entry]:
    query = select(audit_log).order_by(audit_log.c.seq)
    if case_id is not None:
        query = query.where(audit_log.c.case_id == case_id)
    return [
        audit.Entry(
            r.seq, r.case_id, r.actor, r.action, r.at, json.loads(r.details), r.prev_hash, r.hash
        )
        for r in conn.execute(query).all()
    ]


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


_INSERT_SHADOW_FINDING = shadow_findings.insert()


def add_shadow_finding(conn: Connection, finding: Finding) -> None:
    conn.execute(_INSERT_SHADOW_FINDING, _finding_row(finding))


def list_shadow_findings(
    conn: Connection,
    rule_id: str = "",
    since: datetime | None = None,
    limit: int | None = 1000,
    newest_first: bool = False,
    until: datetime | None = None,
) -> list[Finding]:
    """Shadow findings that occurred in [since, until) (either bound optional), oldest first
    (newest first on request), at most `limit` (None: all)."""
    order = shadow_findings.c.occurred_at
    query = select(shadow_findings).order_by(order.desc() if newest_first else order).limit(limit)
    if rule_id:
        query = query.where(shadow_findings.c.rule_id == rule_id)
    if since is not None:
        query = query.where(shadow_findings.c.occurred_at >= since)
    if until is not None:
        query = query.where(shadow_findings.c.occurred_at < until)
    return [_finding_from(row) for row in conn.execute(query)]


def finding_counts(conn: Connection) -> dict[tuple[str, int, str], int]:
    """How many findings each rule version made, by mode: {(rule_id, version, mode): n}."""
    counts: dict[tuple[str, int, str], int] = {}
    for table, mode in ((findings, "active"), (shadow_findings, "shadow")):
        query = select(table.c.rule_id, table.c.rule_version, func.count()).group_by(
            table.c.rule_id, table.c.rule_version
        )
        for rule_id, version, n in conn.execute(query):
            counts[(rule_id, version, mode)] = n
    return counts
