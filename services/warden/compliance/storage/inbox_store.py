"""The inbox and the stored events: which events were already judged, and the rows one
judging transaction writes for the events it read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
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
