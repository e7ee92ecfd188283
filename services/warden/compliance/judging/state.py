"""Rule state in event time, kept in the compliance database so it survives a restart.

Aggregates and correlations are computed from the stored events (`store.events`, written for
every judged event) by their own timestamps; deadlines, the watermarks and the judgements
held for other partitions have tables here."""

from __future__ import annotations

import bisect
import functools
import json
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Index,
    Integer,
    String,
    Table,
    bindparam,
    select,
)

from warden.compliance.domain.findings import Rule, identity, lookup
from warden.compliance.domain.specs import Aggregate, Correlation, Source
from warden.compliance.rules.engine import Enrichment
from warden.compliance.storage import store
from warden.platform import jsontext
from warden.platform.cloudevents import parse_time
from warden.platform.db import JsonText, UtcDateTime

deadlines = Table(
    "rule_deadlines",
    store.metadata,
    Column("deadline_id", String(64), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("key", String(200), nullable=False, index=True),
    Column("ticket_id", String(200), nullable=False),
    Column("employee_id", String(200), nullable=False),
    Column("due", UtcDateTime, nullable=False, index=True),
    Column("started_by", String(200), nullable=False),
    Column("started_by_source", String(200), nullable=True),  # NULL: started before kept
    # The input stream (topic:partition) of the starting event: its watermark judges the deadline.
    Column("stream", String(250), nullable=False, index=True),
    # pending, met or missed
    Column("status", String(16), nullable=False, index=True),
    Column("settled_by", String(200), nullable=True),
    Column("settled_by_source", String(200), nullable=True),
    # The sweep reads one stream's pending deadlines in due order: a range scan with this index,
    # where the single-column ones made it read every pending deadline of the stream.
    Index("ix_rule_deadlines_sweep", "stream", "status", "due"),
)

watermarks = Table(
    "rule_watermarks",
    store.metadata,
    Column("name", String(250), primary_key=True),
    Column("time", UtcDateTime, nullable=False),
    Column("events", Integer, nullable=False),
)

# Events judged later by the rules that wait for other partitions (compliance/judging/holding.py).
held = Table(
    "held_judgements",
    store.metadata,
    Column("event_id", String(200), primary_key=True),  # a stored event (store.events),
    Column("source", String(200), primary_key=True),  # by its identity (source, id)
    Column("time", UtcDateTime, nullable=False, index=True),  # the event's own time
    Column("stream", String(250), nullable=False),  # where it was read (topic:partition)
    Column("offset", BigInteger, nullable=False),  # and at which offset
    Column("held_at", UtcDateTime, nullable=False),
)

# Per input stream, the time up to which the clock says it is complete: a quiet partition read
# to its end (compliance/judging/quiet.py). Apart from the watermark, which only events (and
# deadlines due) move: a replay of history onto an idle partition is still judged in its own time.
clock_marks = Table(
    "rule_clock_marks",
    store.metadata,
    Column("name", String(250), primary_key=True),
    Column("time", UtcDateTime, nullable=False),
)

_OPS = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _get(event: dict[str, Any], path: str) -> Any:
    try:
        return lookup(event, path)
    except KeyError:
        return None


# Built once: the same statement object keeps its cache key and compiled SQL across events.
_STORED_BETWEEN = (
    select(store.events.c.time, store.events.c.event_id, store.events.c.payload)
    .where(
        store.events.c.type.in_(bindparam("types", expanding=True)),
        store.events.c.time > bindparam("start"),
        store.events.c.time <= bindparam("end"),
    )
    .order_by(store.events.c.time, store.events.c.event_id)
)


def stored_between(
    conn: Connection, types: tuple[str, ...], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Stored events of `types` with start < time <= end, oldest first."""
    rows = conn.execute(_STORED_BETWEEN, {"types": list(types), "start": start, "end": end}).all()
    return [jsontext.loads(r.payload) for r in rows]


@functools.lru_cache(maxsize=64)
def _stored_keyed(path: str) -> Any:
    """Stored events of some types in a time window whose text at `path` is one of some
    values: an index lookup for the paths in store.INDEXED_PATHS. Built once per path."""
    return _STORED_BETWEEN.where(
        JsonText(store.events.c.payload, path).in_(bindparam("values", expanding=True))
    )


def _text_form(value: Any) -> str | None:
    """The text a stored value has at a path, as JsonText reads it in SQL (and as a
    correlation compares keys, with str()): a string itself, a number its digits; None for
    anything else (booleans, objects, lists, null), which no lookup by text finds."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _time(key: tuple[datetime, str]) -> datetime:
    return key[0]


_UNHASHABLE = object()  # the key of an event whose matched values cannot be hashed


def _key(payload: dict[str, Any], paths: tuple[str, ...]) -> Any:
    values = tuple(_get(payload, path) for path in paths)
    try:
        hash(values)
    except TypeError:
        return _UNHASHABLE
    return values


@dataclass
class _Span:
    """The stored events of some types with start < time <= end, in (time, id) order, and
    indexes of them by the values at some paths (`related`), built when first asked for and
    kept up to date by `insert`."""

    start: datetime
    end: datetime
    keys: list[tuple[datetime, str]] = field(default_factory=list)
    payloads: list[dict[str, Any]] = field(default_factory=list)
    _indexes: dict[tuple[str, ...], dict[Any, _Span]] = field(default_factory=dict)

    def insert(self, when: datetime, event_id: str, payload: dict[str, Any]) -> None:
        at = bisect.bisect_right(self.keys, (when, event_id))
        self.keys.insert(at, (when, event_id))
        self.payloads.insert(at, payload)
        for paths, index in self._indexes.items():
            part = index.setdefault(_key(payload, paths), _Span(self.start, self.end))
            part.insert(when, event_id, payload)

    def between(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        low = bisect.bisect_right(self.keys, start, key=_time)
        high = bisect.bisect_right(self.keys, end, key=_time)
        return self.payloads[low:high]

    def pairs(
        self, start: datetime, end: datetime
    ) -> list[tuple[tuple[datetime, str], dict[str, Any]]]:
        """((time, id), payload) of the events with start < time <= end, in that order."""
        low = bisect.bisect_right(self.keys, start, key=_time)
        high = bisect.bisect_right(self.keys, end, key=_time)
        return list(zip(self.keys[low:high], self.payloads[low:high], strict=True))

    def related(
        self, paths: tuple[str, ...], values: tuple[Any, ...], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """The events between start and end whose values at `paths` equal `values`: an index
        lookup, where filtering the window cost a comparison per event in it, per event
        judged (a busy event type's 30-day window holds thousands)."""
        index = self._indexes.get(paths)
        if index is None:
            index = self._indexes[paths] = {}
            for when_id, payload in zip(self.keys, self.payloads, strict=True):
                part = index.setdefault(_key(payload, paths), _Span(self.start, self.end))
                part.keys.append(when_id)
                part.payloads.append(payload)
        try:
            part = index.get(values)
        except TypeError:  # this event's value is a list or an object: compare one by one
            return [
                e
                for e in self.between(start, end)
                if all(_get(e, path) == value for path, value in zip(paths, values, strict=True))
            ]
        # Stored events with a list or object there are under _UNHASHABLE: none equals a
        # hashable value, as a JSON array or object equals no string, number or null.
        return part.between(start, end) if part is not None else []


@dataclass
class _Keyed:
    """Stored events of some types with start < time <= end, read by their text at one path:
    per text read so far, the events that have it."""

    start: datetime
    end: datetime
    spans: dict[str, _Span] = field(default_factory=dict)


Pair = tuple[tuple[datetime, str], dict[str, Any]]  # ((time, id), payload) of a stored event
Position = tuple[str, int, int]  # (topic, partition, offset): where an event was read


class StoredEvents:
    """The stored events one judging transaction's stateful rules read, in event time.

    The database is read once per set of event types and transaction, over the span the
    transaction needs: from the earliest event it judges, less the window, to the latest
    (`expect`). What was read is kept in (time, id) order, and each event the transaction
    stores afterwards (`add`, from store.Received) is put in its place, so a rule sees exactly
    the events a read from the database would give, at one read per batch instead of one per
    event and rule. A window outside the span read (a missed deadline's, dated before the
    batch) reads a wider span. Like any read in the transaction, it sees what other instances
    committed before it, and nothing they commit afterwards.

    `keyed` reads, over the same span, only the events with given texts at a path (a
    customer's, a ticket's): the lookups of correlations and aggregates, which would otherwise
    read their whole window (a year of ticket events, for one rule) every transaction."""

    def __init__(
        self, conn: Connection, unwritten: Callable[[], list[dict[str, Any]]] | None = None
    ) -> None:
        self.conn = conn
        # The stored-event rows the transaction has not written yet: a read adds them.
        self.unwritten = unwritten
        self.reads = 0
        self._earliest: datetime | None = None
        self._latest: datetime | None = None
        self._spans: dict[tuple[str, ...], _Span] = {}
        self._keyed: dict[tuple[tuple[str, ...], str], _Keyed] = {}
        # Texts the transaction's events will look up (`expect_lookups`), read with the first.
        self._wanted: dict[tuple[tuple[str, ...], str], set[str]] = {}
        self.rows_read = 0  # stored events read from the database

    def expect(self, times: Iterable[datetime]) -> None:
        """The event times this transaction will judge: each read covers all their windows."""
        for when in times:
            self._earliest = when if self._earliest is None else min(self._earliest, when)
            self._latest = when if self._latest is None else max(self._latest, when)

    def add(self, row: dict[str, Any], payload: dict[str, Any] | None = None) -> None:
        """A stored-event row the transaction has just written (or buffered); `payload`, its
        payload as a dict, if the caller has it (it is then shared, as every event read here
        is: nothing judging does changes an event's dict)."""
        for types, span in self._spans.items():
            if row["type"] in types and span.start < row["time"] <= span.end:
                payload = payload or jsontext.loads(row["payload"])
                span.insert(row["time"], row["event_id"], payload)
        for (types, path), keyed in self._keyed.items():
            if row["type"] in types and keyed.start < row["time"] <= keyed.end:
                payload = payload or jsontext.loads(row["payload"])
                part = keyed.spans.get(_text_form(_get(payload, path)))  # type: ignore[arg-type]
                if part is not None:
                    part.insert(row["time"], row["event_id"], payload)

    def between(
        self, types: tuple[str, ...], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Stored events of `types` with start < time <= end, oldest first."""
        return self._span(types, start, end).between(start, end)

    def related(
        self,
        types: tuple[str, ...],
        start: datetime,
        end: datetime,
        paths: tuple[str, ...],
        values: tuple[Any, ...],
    ) -> list[dict[str, Any]]:
        """Those of `between` whose values at `paths` equal `values`, oldest first."""
        return self._span(types, start, end).related(paths, values, start, end)

    def positions(self, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Position]:
        """Where each of these stored events, (source, id), was read: (topic, partition,
        offset), from the inbox."""
        inbox = store.inbox
        wanted = set(refs)
        found: dict[tuple[str, str], Position] = {}
        names = sorted({event_id for _, event_id in wanted})
        for chunk in store.in_chunks(names):
            rows = self.conn.execute(
                select(
                    inbox.c.source,
                    inbox.c.event_id,
                    inbox.c.topic,
                    inbox.c.partition,
                    inbox.c.offset,
                ).where(inbox.c.event_id.in_(chunk))
            )
            for row in rows:
                if (row.source, row.event_id) in wanted:
                    found[(row.source, row.event_id)] = (row.topic, row.partition, row.offset)
        return found

    def pairs(self, types: tuple[str, ...], start: datetime, end: datetime) -> list[Pair]:
        """((time, id), payload) of the stored events of `types` with start < time <= end."""
        return self._span(types, start, end).pairs(start, end)

    def keyed(
        self,
        types: tuple[str, ...],
        start: datetime,
        end: datetime,
        path: str,
        texts: Iterable[str],
    ) -> list[Pair]:
        """((time, id), payload) of the stored events of `types` with start < time <= end
        whose text at `path` (`_text_form`) is one of `texts`, oldest first: a superset of
        those whose value there equals a string of `texts`, which the caller checks."""
        keyed = self._keyed.get((types, path))
        if keyed is None or start < keyed.start or end > keyed.end:
            wider_start, wider_end = self._widen(start, end)
            if keyed is not None:
                wider_start, wider_end = min(wider_start, keyed.start), max(wider_end, keyed.end)
            keyed = self._keyed[(types, path)] = _Keyed(wider_start, wider_end)
        wanted = set(texts)
        ahead = self._wanted.pop((types, path), set())
        missing = sorted((wanted | ahead) - keyed.spans.keys())
        if missing:
            self._read_keyed(types, path, missing, keyed)
        found: list[Pair] = []
        for text in wanted:
            found += keyed.spans[text].pairs(start, end)
        found.sort(key=operator.itemgetter(0))
        return found

    def expect_lookups(self, types: tuple[str, ...], path: str, texts: Iterable[str]) -> None:
        """Texts at `path` the transaction's events will look up among `types`: the first
        lookup reads them all, in one query, where each would have read its own."""
        self._wanted.setdefault((types, path), set()).update(texts)

    def _widen(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """The span a read covers: [start, end], widened to every window the transaction's
        events need (`expect`)."""
        if self._earliest is not None:
            start = min(start, self._earliest - (end - start))
        if self._latest is not None:
            end = max(end, self._latest)
        return start, end

    def _read_keyed(
        self, types: tuple[str, ...], path: str, texts: list[str], keyed: _Keyed
    ) -> None:
        for text in texts:
            keyed.spans[text] = _Span(keyed.start, keyed.end)
        for chunk in store.in_chunks(texts):
            params = {
                "types": list(types),
                "start": keyed.start,
                "end": keyed.end,
                "values": chunk,
            }
            for row in self.conn.execute(_stored_keyed(path), params):
                payload = jsontext.loads(row.payload)
                part = keyed.spans.get(_text_form(_get(payload, path)))  # type: ignore[arg-type]
                if part is not None:  # rows come in (time, id) order
                    part.keys.append((row.time, row.event_id))
                    part.payloads.append(payload)
                self.rows_read += 1
            self.reads += 1
        wanted = set(texts)
        for unwritten in self.unwritten() if self.unwritten is not None else ():
            if unwritten["type"] in types and keyed.start < unwritten["time"] <= keyed.end:
                payload = jsontext.loads(unwritten["payload"])
                text = _text_form(_get(payload, path))
                if text in wanted:
                    keyed.spans[text].insert(unwritten["time"], unwritten["event_id"], payload)

    def _span(self, types: tuple[str, ...], start: datetime, end: datetime) -> _Span:
        span = self._spans.get(types)
        if span is None or start < span.start or end > span.end:
            span = self._read(types, start, end, span)
        return span

    def _read(
        self, types: tuple[str, ...], start: datetime, end: datetime, known: _Span | None
    ) -> _Span:
        start, end = self._widen(start, end)
        if known is not None:
            start, end = min(start, known.start), max(end, known.end)
        span = _Span(start, end)
        rows = self.conn.execute(
            _STORED_BETWEEN, {"types": list(types), "start": start, "end": end}
        )
        for row in rows:
            span.keys.append((row.time, row.event_id))
            span.payloads.append(jsontext.loads(row.payload))
            self.rows_read += 1
        self._spans[types] = span
        for unwritten in self.unwritten() if self.unwritten is not None else ():
            if unwritten["type"] in types and start < unwritten["time"] <= end:
                span.insert(
                    unwritten["time"], unwritten["event_id"], jsontext.loads(unwritten["payload"])
                )
        self.reads += 1
        return span


def _related(
    stored: dict[str, Any], event: dict[str, Any], pairs: tuple[tuple[str, str], ...]
) -> bool:
    return all(_get(stored, theirs) == _get(event, ours) for theirs, ours in pairs)


def _passes(stored: dict[str, Any], source: Source) -> bool:
    for path, op, value in source.where:
        found = _get(stored, path)
        try:
            if found is None or not _OPS[op](found, value):
                return False
        except TypeError:
            return False
    return True


def _lookup(match: tuple[tuple[str, str], ...], event: dict[str, Any]) -> tuple[str, str] | None:
    """(stored path, text) to look related stored events up by: a pair of `match` whose value
    in this event is a string (a stored event equal there has that text), an indexed path
    first (store.INDEXED_PATHS); None when no pair has a string, and the window is read."""
    found = [
        (theirs, value)
        for theirs, ours in match
        if isinstance(value := _get(event, ours), str) and JsonText.accepts(theirs)
    ]
    indexed = [pair for pair in found if pair[0] in store.INDEXED_PATHS]
    return (indexed or found or [None])[0]


def _key_text(value: Any) -> str | None:
    """A correlation key as the text a lookup finds (`_text_form`), when str() of the value is
    that text: a string, or an integer of 64 bits; None otherwise (the window is read)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63:
        return str(value)
    return None


def aggregate(
    stored: StoredEvents, spec: Aggregate, event: dict[str, Any], read_at: Position | None = None
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """`context.<name>` and `context.<name>_before` of one aggregate, and the events in it.

    `read_at`: where the event was read, when it is judged after every partition has passed
    its time (a held judgement, compliance/judging/holding.py). The events dated exactly its
    time are then all stored, whatever order they came in, and only those read before it in (topic,
    partition, offset) order count, the order a backtest replays them in: so of several
    expenses at one moment exactly one takes a sum over its threshold, the same one live and
    in a replay. Judged as it arrives, an event's window holds the events stored before it."""
    end = parse_time(event["time"])
    start = end - timedelta(seconds=spec.window_s)
    theirs = tuple(t for t, _ in spec.match)
    ours = tuple(_get(event, o) for _, o in spec.match)
    by = _lookup(spec.match, event)
    if by is None:
        window = stored.related(spec.types, start, end, theirs, ours)
    else:
        path, text = by
        window = [
            e
            for _, e in stored.keyed(spec.types, start, end, path, (text,))
            if all(_get(e, t) == o for t, o in zip(theirs, ours, strict=True))
        ]
    if read_at is not None:
        window = _read_before(stored, window, event, end, read_at)
    # The judged event is (source, id); the id is compared first, as it tells most apart.
    eid, source = event["id"], event.get("source", "")
    if event["type"] in spec.types and not any(
        e["id"] == eid and e.get("source", "") == source for e in window
    ):
        window.append(event)
    before = [e for e in window if e["id"] != eid or e.get("source", "") != source]
    return (
        {spec.name: _apply(spec, window), f"{spec.name}_before": _apply(spec, before)},
        tuple((e.get("source", ""), e["id"]) for e in window),
    )


def _read_before(
    stored: StoredEvents,
    window: list[dict[str, Any]],
    event: dict[str, Any],
    end: datetime,
    read_at: Position,
) -> list[dict[str, Any]]:
    """`window` less the events of the judged event's very moment read after it."""
    judged = identity(event)
    ties = [identity(e) for e in window if identity(e) != judged and parse_time(e["time"]) == end]
    if not ties:
        return window
    where = stored.positions(ties)
    return [e for e in window if identity(e) not in where or where[identity(e)] < read_at]


def _apply(spec: Aggregate, window: list[dict[str, Any]]) -> int:
    if spec.function == "count":
        return len(window)
    values = [_get(e, spec.field) for e in window]
    if spec.function == "count_distinct":
        return len({json.dumps(v, sort_keys=True) for v in values if v is not None})
    return sum(v for v in values if isinstance(v, int) and not isinstance(v, bool))


def _source_groups(spec: Correlation, event: dict[str, Any]) -> dict[Any, list[Source]]:
    """The correlation's sources grouped by the lookup that finds their events for `event`:
    ((path, (text,)), or None when the window is read)."""
    groups: dict[Any, list[Source]] = {}
    for source in spec.sources:
        by = _lookup(source.match, event)
        groups.setdefault(None if by is None else (by[0], (by[1],)), []).append(source)
    return groups


def expect_lookups(
    stored: StoredEvents, rules: Iterable[Rule], events: Iterable[dict[str, Any]]
) -> None:
    """Tell `stored` the lookups the stateful rules will make for these events (those rules
    are about), so each (types, path) is read once for the transaction: the aggregates' and
    the correlations' sources'. (Closers are looked up by the keys the sources find.)"""
    about: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.aggregates or rule.correlations:
            about.setdefault(rule.on, []).append(rule)
    for event in events:
        for rule in about.get(event["type"], ()):
            for spec in rule.aggregates:
                by = _lookup(spec.match, event)
                if by is not None:
                    stored.expect_lookups(spec.types, by[0], (by[1],))
            for link in rule.correlations:
                for group, sources in _source_groups(link, event).items():
                    if group is not None:
                        types = tuple(sorted({source.type for source in sources}))
                        stored.expect_lookups(types, group[0], group[1])


def _candidates(
    events: StoredEvents, start: datetime, end: datetime, groups: dict[Any, list[Source]]
) -> Iterable[tuple[Pair, list[Source]]]:
    """Per group of sources sharing a lookup ((path, texts), or None: read the window), the
    stored events of their types the lookup finds, each with the group's sources."""
    for by, sources in groups.items():
        types = tuple(sorted({source.type for source in sources}))
        if by is None:
            pairs = events.pairs(types, start, end)
        else:
            path, texts = by
            pairs = events.keyed(types, start, end, path, texts)
        for pair in pairs:
            yield pair, sources


def correlate(
    events: StoredEvents, spec: Correlation, event: dict[str, Any]
) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """`context.<name>` (related keys still open) and `context.<name>_days`, and their events.

    The related sources are looked up by a string this event has (a customer id), and their
    closers by the related keys (ticket ids), not read from the whole window; the events found
    are then taken in (time, id) order, as a read of the window would give them."""
    end = parse_time(event["time"])
    start = end - timedelta(seconds=spec.within_s)
    found: dict[tuple[str, str], Pair] = {}
    keys: list[Any] = []
    for pair, sources in _candidates(events, start, end, _source_groups(spec, event)):
        stored = pair[1]
        for source in sources:
            if (
                stored["type"] == source.type
                and _related(stored, event, source.match)
                and _passes(stored, source)
            ):
                found[identity(stored)] = pair
                keys.append(_get(stored, source.key))
    texts = {_key_text(key) for key in keys}
    closers: dict[Any, list[Source]] = {}
    for closer in spec.closed_by if keys else ():
        path = None if None in texts or not JsonText.accepts(closer.key) else closer.key
        closers.setdefault(None if path is None else (path, tuple(sorted(texts))), []).append(
            closer
        )
    for pair, _sources in _candidates(events, start, end, closers):
        found.setdefault(identity(pair[1]), pair)
    latest: dict[str, tuple[dict[str, Any], bool]] = {}
    judged = identity(event)
    for _, stored in sorted(found.values(), key=operator.itemgetter(0)):
        if identity(stored) == judged:
            continue
        for source in spec.sources:
            if (
                stored["type"] == source.type
                and _related(stored, event, source.match)
                and _passes(stored, source)
            ):
                latest[str(_get(stored, source.key))] = (stored, True)
        for closer in spec.closed_by:
            key = str(_get(stored, closer.key))
            if (
                stored["type"] == closer.type
                and key in latest
                and _related(stored, event, closer.match)
                and _passes(stored, closer)
            ):
                latest[key] = (stored, False)
    opened = [e for e, still_open in latest.values() if still_open]
    days = -1
    if opened:
        newest = max(parse_time(e["time"]) for e in opened)
        days = (end - newest) // timedelta(days=1)
    return {spec.name: len(opened), f"{spec.name}_days": days}, tuple(identity(e) for e in opened)


def enrich(stored: StoredEvents, read_at: Position | None = None) -> Any:
    """An enricher for RuleEngine.judge computing a stateful rule's context from `stored`;
    `read_at`: where a held event was read (`aggregate`)."""

    def compute(rule: Rule, event: dict[str, Any]) -> Enrichment:
        context: dict[str, Any] = {}
        related: list[tuple[str, str]] = []
        for spec in rule.aggregates:
            values, ids = aggregate(stored, spec, event, read_at)
            context.update(values)
            related.extend(ids)
        for link in rule.correlations:
            values, ids = correlate(stored, link, event)
            context.update(values)
            related.extend(ids)
        judged = identity(event)
        return Enrichment(context, tuple(r for r in dict.fromkeys(related) if r != judged))

    return compute
