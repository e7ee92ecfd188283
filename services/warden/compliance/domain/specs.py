"""The stateful parts a rule file may declare: facts, aggregates, correlations, deadlines."""

from __future__ import annotations

from dataclasses import dataclass

AGGREGATE_FUNCTIONS = ("sum", "count", "count_distinct")


@dataclass(frozen=True)
class Fact:
    """A value shown in a finding's explanation without being tested (e.g. the amount reported)."""

    field: str
    says: str
    unit: str = ""


@dataclass(frozen=True)
class Aggregate:
    """A sum or count over stored events that match this one, in an event-time window.

    `match` pairs (stored event field, this event field). The engine adapter gives the rule
    `context.<name>` (the window including this event) and `context.<name>_before` (without it),
    so a rule can fire once, when the aggregate crosses its threshold."""

    name: str
    function: str
    types: tuple[str, ...]
    match: tuple[tuple[str, str], ...]
    window_s: int
    field: str = ""


@dataclass(frozen=True)
class Source:
    """Stored events of one type that relate to this one: fields paired as in Aggregate.match,
    `key` naming what they are about (a ticket, an expense), `where` pre-filtering them."""

    type: str
    key: str
    match: tuple[tuple[str, str], ...] = ()
    where: tuple[tuple[str, str, object], ...] = ()


@dataclass(frozen=True)
class Correlation:
    """Related events within `within_s` before this one. `context.<name>` is the number of keys
    related (and not closed by a `closed_by` event since); `context.<name>_days` the whole days
    since the latest related event (-1 when none)."""

    name: str
    sources: tuple[Source, ...]
    within_s: int
    closed_by: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Deadline:
    """A commitment to watch in event time: started by one event type, met by others.

    The due time is a field of the starting event (`due_field`) or its time plus `due_after_s`.
    `handover` events (e.g. a reassignment) move the responsibility to `handover_to`."""

    kind: str
    starts: str
    key: str
    met_by: tuple[str, ...]
    employee: str
    due_field: str = ""
    due_after_s: int = 0
    handover: str = ""
    handover_to: str = ""
