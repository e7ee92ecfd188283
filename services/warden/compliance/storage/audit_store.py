"""The audit log: appends chained by hash under one lock, and its entries read back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text

from warden.compliance.review import audit
from warden.compliance.storage.schema import AUDIT_LOCK_KEY, audit_log
from warden.platform import jsontext
from warden.platform.db import BulkInsert

_AUDIT_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
# The chain's last entry (seq, hash); read under the chain's lock when appending (audit_end).
AUDIT_END = select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
_INSERT_AUDIT = audit_log.insert()
BULK_AUDIT = BulkInsert(audit_log)


def audit_end(conn: Connection) -> tuple[int, str]:
    """The chain's last (seq, hash), (0, GENESIS) when empty, with the chain's lock taken:
    writers queue for the chain's end until their transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(_AUDIT_LOCK, {"key": AUDIT_LOCK_KEY})
    last = conn.execute(AUDIT_END).first()
    return (last.seq, last.hash) if last else (0, audit.GENESIS)


def audit_row(
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
    end_seq, prev = audit_end(conn)
    row = audit_row(end_seq + 1, case_id, actor, action, at, details, prev)
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
