"""The stored events the stateful rules read: one judging transaction's cache of them,
read by time span or by a key's value, with the events of the transaction not yet written."""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, select

from warden.compliance.domain.findings import lookup
from warden.compliance.storage import row_values, schema
from warden.platform import jsontext
from warden.platform.db import JsonText


def value_at(event: dict[str, Any], path: str) -> Any:
    try:
        return lookup(event, path)
    except KeyError:
        return None


# Built once: the same statement object keeps its cache key and compiled SQL across events.
_STORED_BETWEEN = (
    select(schema.events.c.time, schema.events.c.event_id, schema.events.c.payload)
    .where(
        schema.events.c.type.in_(bindparam("types", expanding=True)),
        schema.events.c.time > bindparam("start"),
        schema.events.c.time <= bindparam("end"),
    )
    .order_by(schema.events.c.time, schema.events.c.event_id)
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
    values: an index lookup for the paths in schema.INDEXED_PATHS. Built once per path."""
    return _STORED_BETWEEN.where(
        JsonText(schema.events.c.payload, path).in_(bindparam("values", expanding=True))
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
    values = tuple(value_at(payload, path) for path in paths)
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
            span = index.get(values)
        except TypeError:  # this event's value is a list or an object: compare one by one
            return [
                e
                for e in self.between(start, end)
                if all(
                    value_at(e, path) == value for path, value in zip(paths, values, strict=True)
                )
            ]
        # Stored events with a list or object there are under _UNHASHABLE: none equals a
        # hashable value, as a JSON array or object equals no string, number or null.
        return span.between(start, end) if span is not None else []


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
    stores afterwards (`add`, from its unit of work) is put in its place, so a rule sees exactly
    the events a read from the database would give, at one read per batch instead of one per
    event and rule. A window outside the span read (a missed deadline's, dated before the
    batch) reads a wider span. Like any read in the transaction, it sees what other instances
    committed before it, and nothing they commit afterwards.

    `keyed` reads, over the same span, only the events with given texts at a path (a
    customer's, a ticket's): the lookups of correlations and aggregates, which would otherwise
    read their whole window (a year of ticket events, for one rule) every transaction."""

    def __init__(self, conn: Connection, unwritten: Sequence[dict[str, Any]] = ()) -> None:
        self.conn = conn
        # The stored-event rows the transaction has not written yet (its unit of work's
        # buffer, judging/unit_of_work.py): a read adds them.
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
                part = keyed.spans.get(_text_form(value_at(payload, path)))  # type: ignore[arg-type]
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
        inbox = schema.inbox
        wanted = set(refs)
        found: dict[tuple[str, str], Position] = {}
        names = sorted({event_id for _, event_id in wanted})
        for chunk in row_values.in_chunks(names):
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
        for chunk in row_values.in_chunks(texts):
            params = {
                "types": list(types),
                "start": keyed.start,
                "end": keyed.end,
                "values": chunk,
            }
            for row in self.conn.execute(_stored_keyed(path), params):
                payload = jsontext.loads(row.payload)
                part = keyed.spans.get(_text_form(value_at(payload, path)))  # type: ignore[arg-type]
                if part is not None:  # rows come in (time, id) order
                    part.keys.append((row.time, row.event_id))
                    part.payloads.append(payload)
                self.rows_read += 1
            self.reads += 1
        wanted = set(texts)
        for unwritten in self.unwritten:
            if unwritten["type"] in types and keyed.start < unwritten["time"] <= keyed.end:
                payload = jsontext.loads(unwritten["payload"])
                seen = _text_form(value_at(payload, path))
                if seen is not None and seen in wanted:
                    keyed.spans[seen].insert(unwritten["time"], unwritten["event_id"], payload)

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
        for unwritten in self.unwritten:
            if unwritten["type"] in types and start < unwritten["time"] <= end:
                span.insert(
                    unwritten["time"], unwritten["event_id"], jsontext.loads(unwritten["payload"])
                )
        self.reads += 1
        return span
