"""The inbox and the stored events: which events were already judged, and their rows (which a
judging transaction buffers and writes: judging/unit_of_work.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from warden.compliance.storage.row_values import in_chunks
from warden.compliance.storage.schema import events, inbox
from warden.platform.cloudevents import CloudEvent
from warden.platform.db import BulkInsert

# Built once: executing the same statement object reuses its cache key and compiled SQL, where
# building one per event (`.values(...)`, `.where(...)`) cost more than the database did.
_BULK_INBOX = BulkInsert(inbox)
_BULK_EVENTS = BulkInsert(events)
# By event id (ix_inbox_event_id): the primary key (source, event_id) cannot serve an IN on
# its second column, and the whole inbox was read once per batch.
_PROCESSED = select(inbox.c.source, inbox.c.event_id).where(
    inbox.c.event_id.in_(bindparam("ids", expanding=True))
)


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


def inbox_row(
    event: CloudEvent, topic: str, partition: int, offset: int, at: datetime
) -> dict[str, Any]:
    """The inbox row of an event read from (topic, partition, offset), received `at`."""
    return {
        "source": event.source,
        "event_id": event.id,
        "topic": topic,
        "partition": partition,
        "offset": offset,
        "received_at": at,
    }


def event_row(event: CloudEvent, as_dict: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored-event row; `as_dict` is the event's to_dict() when the caller has it."""
    return {
        "event_id": event.id,
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.time,
        "payload": event.to_json() if as_dict is None else CloudEvent.json_of(as_dict),
    }


def write_inbox(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write inbox rows (`inbox_row`) in one executemany."""
    _BULK_INBOX(conn, rows)


def write_events(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write stored-event rows (`event_row`) in one executemany."""
    _BULK_EVENTS(conn, rows)


def record_received(
    conn: Connection, event: CloudEvent, topic: str, partition: int, offset: int, at: datetime
) -> None:
    """Write one event's inbox and stored-event rows now (a judging transaction buffers
    them: judging/unit_of_work.py)."""
    write_events(conn, [event_row(event)])
    write_inbox(conn, [inbox_row(event, topic, partition, offset, at)])


def stored_events(conn: Connection, refs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """The original CloudEvents (as dicts) of a finding's evidence, (source, id) each, oldest
    first. A reference whose source is not known ("") matches that id from any source."""
    wanted = set(refs)
    if not wanted:
        return []
    ids = sorted({event_id for _, event_id in wanted})
    query = select(events.c.source, events.c.event_id, events.c.time, events.c.payload)
    found = [
        row
        for chunk in in_chunks(ids)
        for row in conn.execute(query.where(events.c.event_id.in_(chunk))).all()
    ]
    kept = [r for r in found if (r.source, r.event_id) in wanted or ("", r.event_id) in wanted]
    return [json.loads(r.payload) for r in sorted(kept, key=lambda r: (r.time, r.event_id))]
