"""Rule state in event time, kept in the compliance database so it survives a restart.

Aggregates and correlations are computed from the stored events (`schema.events`, written for
every judged event) by their own timestamps; deadlines, the watermarks and the judgements
held for other partitions have tables here."""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from warden.compliance.domain.findings import Rule, identity
from warden.compliance.domain.specs import Aggregate, Correlation, Source
from warden.compliance.judging.stored_events import Pair, Position, StoredEvents, value_at
from warden.compliance.rules.engine import Enrichment
from warden.compliance.storage import schema
from warden.platform.cloudevents import parse_time
from warden.platform.db import JsonText, UtcDateTime

# The comparisons a rule's `where` may make of a stored event's value.
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}

deadlines = Table(
    "rule_deadlines",
    schema.metadata,
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
    schema.metadata,
    Column("name", String(250), primary_key=True),
    Column("time", UtcDateTime, nullable=False),
    Column("events", Integer, nullable=False),
)

# Events judged later by the rules that wait for other partitions (compliance/judging/holding.py).
held = Table(
    "held_judgements",
    schema.metadata,
    Column("event_id", String(200), primary_key=True),  # a stored event (schema.events),
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
    schema.metadata,
    Column("name", String(250), primary_key=True),
    Column("time", UtcDateTime, nullable=False),
)


def _related(
    stored: dict[str, Any], event: dict[str, Any], pairs: tuple[tuple[str, str], ...]
) -> bool:
    return all(value_at(stored, theirs) == value_at(event, ours) for theirs, ours in pairs)


def _passes(stored: dict[str, Any], source: Source) -> bool:
    for path, op, value in source.where:
        found = value_at(stored, path)
        try:
            if found is None or not _OPS[op](found, value):
                return False
        except TypeError:
            return False
    return True


def _lookup(match: tuple[tuple[str, str], ...], event: dict[str, Any]) -> tuple[str, str] | None:
    """(stored path, text) to look related stored events up by: a pair of `match` whose value
    in this event is a string (a stored event equal there has that text), an indexed path
    first (schema.INDEXED_PATHS); None when no pair has a string, and the window is read."""
    found = [
        (theirs, value)
        for theirs, ours in match
        if isinstance(value := value_at(event, ours), str) and JsonText.accepts(theirs)
    ]
    indexed = [pair for pair in found if pair[0] in schema.INDEXED_PATHS]
    chosen = indexed or found
    return chosen[0] if chosen else None


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
    ours = tuple(value_at(event, o) for _, o in spec.match)
    by = _lookup(spec.match, event)
    if by is None:
        window = stored.related(spec.types, start, end, theirs, ours)
    else:
        path, text = by
        window = [
            e
            for _, e in stored.keyed(spec.types, start, end, path, (text,))
            if all(value_at(e, t) == o for t, o in zip(theirs, ours, strict=True))
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
    values = [value_at(e, spec.field) for e in window]
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
                keys.append(value_at(stored, source.key))
    texts = {_key_text(key) for key in keys}
    closers: dict[Any, list[Source]] = {}
    for closer in spec.closed_by if keys else ():
        path = None if None in texts or not JsonText.accepts(closer.key) else closer.key
        known = tuple(sorted(t for t in texts if t is not None))
        closers.setdefault(None if path is None else (path, known), []).append(closer)
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
                latest[str(value_at(stored, source.key))] = (stored, True)
        for closer in spec.closed_by:
            key = str(value_at(stored, closer.key))
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
