"""Judgements held for other partitions.

A rule whose violation is an absence can be disproved by an event of another partition: a
read of a customer's data is allowed by the reader's ticket for that customer, and the ticket
is keyed by ticket where the read is keyed by employee. When the ticket's partition is read
later than the read's (a consumer lagging on it, an instance restarting, a rebalance), judging
the read as it arrives flags it falsely. Such rules (`wait_for_other_partitions: true` in
their file) judge an event only once every input partition is complete past the event's
time: every partition's watermark (the latest event time judged from it) or its clock mark
(the time the clock says it is complete up to, once it is quiet and read to its end:
compliance/judging/quiet.py, `mark_complete`) is later than it (an event of the very same moment
may still follow one at that moment on its partition). Each partition is read in order, so
by then every event dated before it, or at its moment, has been judged and stored, wherever
it was read. Until then the event is held in the database, where any
instance of the consumer group judges it, after a restart too.

Kafka-free: the caller names the input partitions (streams: `topic:partition`)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from warden.compliance.judging.state import clock_marks, held, watermarks
from warden.compliance.storage import schema
from warden.compliance.storage.row_values import in_chunks
from warden.platform.cloudevents import CloudEvent, parse

log = logging.getLogger(__name__)

RELEASE_LIMIT = 500  # held events judged per transaction; the rest at the next release


@dataclass(frozen=True)
class Held:
    """A held event and where it was read."""

    event: CloudEvent
    topic: str
    partition: int
    offset: int


class HeldJudgementFailed(Exception):
    """Judging a released event failed: the release is rolled back, the event still held."""

    def __init__(self, held: Held, cause: Exception) -> None:
        super().__init__(f"judging held event {held.event.id} failed: {cause!r}")
        self.held = held
        self.cause = cause


# Each stream's watermark and clock mark (either may be missing).
_MARKS = union_all(
    select(watermarks.c.name, watermarks.c.time).where(
        watermarks.c.name.in_(bindparam("streams", expanding=True))
    ),
    select(clock_marks.c.name, clock_marks.c.time).where(
        clock_marks.c.name.in_(bindparam("streams", expanding=True))
    ),
)
_KNOWN_MARKS = select(clock_marks.c.name).where(
    clock_marks.c.name.in_(bindparam("streams", expanding=True))
)
_RAISE_MARK = (
    clock_marks.update()
    .where(clock_marks.c.name == bindparam("stream"), clock_marks.c.time < bindparam("moment"))
    .values(time=bindparam("moment"))
)
# Held rows and stored events are both keyed by the event's identity, (id, source). They are
# looked up by id, the key's first column, and matched by source here: a row-value IN of
# (source, id) pairs made PostgreSQL plan one index scan per pair, a sixth of judging's time.
_DUE = (
    select(held.c.source, held.c.event_id, held.c.stream, held.c.offset)
    .where(held.c.time < bindparam("upto"))
    .order_by(held.c.time, held.c.event_id, held.c.source)
    .limit(bindparam("limit"))
)
_CLAIM = (
    held.delete()
    .where(
        held.c.event_id.in_(bindparam("ids", expanding=True)),
        held.c.source.in_(bindparam("sources", expanding=True)),
    )
    .returning(*held.c)
)
_ONE = select(held.c.source, held.c.event_id, held.c.stream, held.c.offset).where(
    held.c.source == bindparam("source"), held.c.event_id == bindparam("id")
)
_PAYLOADS = select(schema.events.c.source, schema.events.c.event_id, schema.events.c.payload).where(
    schema.events.c.event_id.in_(bindparam("ids", expanding=True))
)
_COUNT = select(func.count(), func.min(held.c.time)).select_from(held)
_OLDEST = select(func.min(held.c.time))  # one end of the index on time


def complete_up_to(conn: Connection, streams: Iterable[str]) -> datetime | None:
    """The time up to which all of `streams` are complete: per stream the later of its
    watermark and its clock mark, and the least of those. None when there are no streams, or
    one of them has neither (nothing read from it, and not yet found quiet)."""
    names = sorted(set(streams))
    if not names:
        return None
    complete: dict[str, datetime] = {}
    for chunk in in_chunks(names):
        for name, time in conn.execute(_MARKS, {"streams": chunk}):
            complete[name] = max(time, complete.get(name, time))
    if len(complete) < len(names):
        return None
    return min(complete.values())


def mark_complete(conn: Connection, streams: Iterable[str], moment: datetime) -> None:
    """The clock says `streams` are complete up to `moment` (quiet partitions a consumer has
    read to their end): raise their clock marks to it, never lowering one. A stream's first
    mark is inserted unless another instance wrote it meanwhile (ON CONFLICT DO NOTHING where
    the database has it). The watermarks, which judge deadlines, are not touched."""
    names = sorted(set(streams))
    for chunk in in_chunks(names):
        rows = [{"name": name, "time": moment} for name in chunk]
        dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(conn.dialect.name)
        if dialect is not None:
            insert = dialect.insert(clock_marks).on_conflict_do_nothing(index_elements=["name"])
            conn.execute(insert, rows)
        else:
            known = set(conn.execute(_KNOWN_MARKS, {"streams": chunk}).scalars())
            if missing := [row for row in rows if row["name"] not in known]:
                conn.execute(clock_marks.insert(), missing)
        conn.execute(_RAISE_MARK, [{"stream": name, "moment": moment} for name in chunk])


def oldest(conn: Connection) -> datetime | None:
    """The time of the oldest held event; None when nothing is held."""
    return conn.execute(_OLDEST).scalar()


def hold(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Hold these judged events (event_id, source, time, stream, offset, held_at) for the
    waiting rules."""
    if rows:
        conn.execute(held.insert(), rows)


def release(conn: Connection, upto: datetime, limit: int = RELEASE_LIMIT) -> list[Held]:
    """Take out of the hold up to `limit` events dated before `upto` (what every partition is
    complete up to), oldest first, and return them. Taken with a DELETE ... RETURNING, so
    when two instances release at once each event goes to one of them (the other's delete
    finds it gone)."""
    due = conn.execute(_DUE, {"upto": upto, "limit": limit}).all()
    if not due:
        return []
    claimed = _claim(conn, {(row.source, row.event_id) for row in due})
    return _stored(conn, [row for row in due if (row.source, row.event_id) in claimed])


def take(conn: Connection, source: str, event_id: str) -> Held | None:
    """Take this event out of the hold, whatever its time (one that cannot be judged)."""
    row = conn.execute(_ONE, {"source": source, "id": event_id}).first()
    if row is None or not _claim(conn, {(source, event_id)}):
        return None
    found = _stored(conn, [row])
    return found[0] if found else None


def _claim(conn: Connection, wanted: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Delete the held rows of `wanted` (source, id) pairs; the pairs deleted, which another
    instance's release did not take first. The DELETE matches ids and sources apart, so a
    row of a wanted id from another wanted source (one id from two sources) is put back."""
    deleted = conn.execute(
        _CLAIM,
        {"ids": sorted({i for _, i in wanted}), "sources": sorted({s for s, _ in wanted})},
    ).all()
    if others := [r._asdict() for r in deleted if (r.source, r.event_id) not in wanted]:
        conn.execute(held.insert(), others)
    return {(r.source, r.event_id) for r in deleted} & wanted


def _stored(conn: Connection, rows: list[Any]) -> list[Held]:
    """The held rows' events, read from the stored events, in the rows' order."""
    if not rows:
        return []
    ids = sorted({row.event_id for row in rows})
    payloads = {(r.source, r.event_id): r.payload for r in conn.execute(_PAYLOADS, {"ids": ids})}
    found = []
    for row in rows:
        payload = payloads.get((row.source, row.event_id))
        if payload is None:  # its stored event is gone: it cannot be judged
            log.error(
                "held event %s from %s has no stored event: not judged", row.event_id, row.source
            )
            continue
        topic, _, partition = row.stream.rpartition(":")
        event = parse(payload.encode())
        found.append(Held(event, topic, int(partition), int(row.offset)))
    return found


def waiting(conn: Connection) -> tuple[int, datetime | None]:
    """How many events are held, and the time of the oldest."""
    count, oldest = conn.execute(_COUNT).one()
    return int(count), oldest
