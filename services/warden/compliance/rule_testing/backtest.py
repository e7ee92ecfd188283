"""Backtest: what a candidate set of rules would have found, compared with the active set.

The stored events of a period (every event the compliance service judged is kept in
`schema.events`, with the topic and partition it came from in `schema.inbox`) are replayed in
event time through two judges, each on its own scratch database in memory: one with the
candidate rules, one with the active rules. Every rule of both runs in shadow, so a replay only
records findings: it opens no case, proposes no sanction and sends nothing to HR. The database
the events come from is only read, in a read-only transaction.

Stateful rules look back (aggregate and correlation windows, deadlines), so the replay starts a
warm-up before the period: the longest look-back of any rule of either set. Findings made during
the warm-up only build state; the comparison counts findings that occurred in the period. At the
end every replayed stream is taken as complete up to the period's end (or now, if earlier), so
a deadline due before it that nothing met is found missed, as production finds it by a later
event or, on a quiet partition, by the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, Join, and_, func, select

from warden.compliance.domain.findings import Finding, Rule, refs_text
from warden.compliance.judging.judge import Judge
from warden.compliance.judging.unit_of_work import INTERNAL_TOPIC
from warden.compliance.rule_testing import labelled
from warden.compliance.rule_testing.examples import scratch_database
from warden.compliance.rule_testing.labelled import LabelIndex, LabelledCase
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.storage import schema, shadow_store
from warden.platform.cloudevents import CloudEvent, parse

# A deadline whose due time is a field of its starting event (the ticket's commitment) has no
# look-back in the rule file; this is the longest commitment of the default priority table
# (p4 resolution, docs/aftersales.md). A longer configured table needs a longer --warm-up-days.
DUE_FIELD_HORIZON = timedelta(days=10)

# A finding is the same finding in both runs when these agree; the rule version may differ.
Key = tuple[str, str, str, str]  # (rule_id, employee_id, source and id of the judged event)

Progress = Callable[[int, int], None]


class NoStoredEvents(LookupError):
    """The period holds no stored event: there is nothing to replay."""

    def __init__(self, start: datetime, end: datetime) -> None:
        super().__init__(f"no stored events between {start.isoformat()} and {end.isoformat()}")
        self.start = start
        self.end = end


def warm_up(rules: Iterable[Rule]) -> timedelta:
    """How far before a period the replay must start so that every rule sees the events it
    looks back on: the longest aggregate or correlation window, or deadline, of `rules`."""
    seconds = [0]
    for rule in rules:
        seconds += [a.window_s for a in rule.aggregates]
        seconds += [c.within_s for c in rule.correlations]
        if rule.deadline is not None:
            due = rule.deadline.due_after_s
            seconds.append(
                int(DUE_FIELD_HORIZON.total_seconds()) if rule.deadline.due_field else due
            )
    return timedelta(seconds=max(seconds))


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """A connection that cannot write: SQLite refuses writes (`query_only`), PostgreSQL runs the
    whole read in one READ ONLY transaction (one consistent snapshot too)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA query_only=ON")
            try:
                yield conn
            finally:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA query_only=OFF")
        else:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            try:
                yield conn
            finally:
                conn.rollback()


@dataclass(frozen=True)
class StoredEvent:
    """An event as the compliance service received it: the replay keeps its topic and partition
    so that deadline watermarks move per stream as they did in production."""

    event: CloudEvent
    topic: str
    partition: int
    offset: int


def _window(start: datetime, end: datetime) -> tuple[Join, ColumnElement[bool]]:
    joined = and_(
        schema.inbox.c.source == schema.events.c.source,
        schema.inbox.c.event_id == schema.events.c.event_id,
    )
    return (
        schema.events.join(schema.inbox, joined),
        and_(
            schema.events.c.time >= start,
            schema.events.c.time < end,
            schema.inbox.c.topic != INTERNAL_TOPIC,
        ),
    )


def count_stored(conn: Connection, start: datetime, end: datetime) -> int:
    """Stored events received from outside (not made by the engine) with start <= time < end."""
    joined, where = _window(start, end)
    return int(conn.execute(select(func.count()).select_from(joined).where(where)).scalar() or 0)


def stored_events(conn: Connection, start: datetime, end: datetime) -> Iterator[StoredEvent]:
    """Those events in event time; ties in the order they were received (topic, partition,
    offset). Missed-deadline events are left out: the replay makes them again."""
    joined, where = _window(start, end)
    query = (
        select(
            schema.events.c.payload,
            schema.inbox.c.topic,
            schema.inbox.c.partition,
            schema.inbox.c.offset,
        )
        .select_from(joined)
        .where(where)
        .order_by(
            schema.events.c.time,
            schema.inbox.c.topic,
            schema.inbox.c.partition,
            schema.inbox.c.offset,
        )
    )
    for row in conn.execution_options(yield_per=500).execute(query):
        yield StoredEvent(parse(row.payload.encode()), row.topic, row.partition, row.offset)


@dataclass(frozen=True)
class Difference:
    """One finding made by one set only, or by both but not alike."""

    rule_id: str
    employee_id: str
    source: str  # the judged event's: (source, event_id) is its identity
    event_id: str
    active: Finding | None
    candidate: Finding | None
    # The labelled cases resting on the same events (added and removed findings only).
    labels: tuple[LabelledCase, ...] = ()

    @property
    def kind(self) -> str:
        if self.active is None:
            return "added"
        return "removed" if self.candidate is None else "changed"

    @property
    def finding(self) -> Finding:
        """The candidate's finding where there is one, else the active set's."""
        found = self.candidate or self.active
        assert found is not None
        return found

    @property
    def changes(self) -> tuple[str, ...]:
        """What differs, in words (empty unless changed)."""
        if self.active is None or self.candidate is None:
            return ()
        return _changes(self.active, self.candidate)


def _changes(active: Finding, candidate: Finding) -> tuple[str, ...]:
    said = []
    for name in ("clause", "severity"):
        before, after = getattr(active, name), getattr(candidate, name)
        if before != after:
            said.append(f"{name} {before} -> {after}")
    gone = [r for r in active.reasons if r not in candidate.reasons]
    new = [r for r in candidate.reasons if r not in active.reasons]
    said += [f"reason no longer given: {r}" for r in gone]
    said += [f"reason now given: {r}" for r in new]
    if not gone and not new and active.reasons != candidate.reasons:
        said.append("reasons in another order")
    if active.evidence != candidate.evidence:
        said.append(f"evidence {refs_text(active.evidence)} -> {refs_text(candidate.evidence)}")
    return tuple(said)


@dataclass(frozen=True)
class RuleDiff:
    """One rule id's findings in the period, compared."""

    rule_id: str
    active_version: int | None
    candidate_version: int | None
    added: tuple[Difference, ...]
    removed: tuple[Difference, ...]
    changed: tuple[Difference, ...]
    unchanged: int
    # What the candidate changes in the rule itself that its findings do not show (the
    # sanction proposed for a first violation, the severity, the clause), in words.
    notes: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def labelled(self, kind: str) -> str:
        """How officers labelled the events of the findings added or removed, in words."""
        return labelled.summary(d.labels for d in getattr(self, kind))


@dataclass(frozen=True)
class Report:
    start: datetime
    end: datetime
    warm_up: timedelta
    replayed: int  # stored events judged, warm-up included
    in_period: int  # of which in [start, end)
    rules: tuple[RuleDiff, ...]

    def total(self, kind: str) -> int:
        if kind == "unchanged":
            return sum(r.unchanged for r in self.rules)
        return sum(len(getattr(r, kind)) for r in self.rules)


def _judge(rules: list[Rule]) -> Judge:
    # Every rule in shadow: the replay records findings and opens no case.
    return Judge(scratch_database(), RuleEngine(rules), shadow={r.key for r in rules})


def _findings(judge: Judge, start: datetime, end: datetime) -> dict[Key, Finding]:
    with judge.engine.connect() as conn:
        found = shadow_store.list_shadow_findings(conn, since=start, until=end, limit=None)
    return {(f.rule_id, f.employee_id, *f.evidence[0]): f for f in found}


def compare(
    active: dict[Key, Finding],
    candidate: dict[Key, Finding],
    active_rules: Iterable[Rule],
    candidate_rules: Iterable[Rule],
) -> tuple[RuleDiff, ...]:
    """Per rule id (of either set), the findings only one set made and those that differ."""
    by_id_a = {r.rule_id: r for r in active_rules}
    by_id_c = {r.rule_id: r for r in candidate_rules}
    versions_a = {i: r.version for i, r in by_id_a.items()}
    versions_c = {i: r.version for i, r in by_id_c.items()}
    rule_ids = sorted({*versions_a, *versions_c, *(k[0] for k in (*active, *candidate))})
    diffs = []
    for rule_id in rule_ids:
        keys = sorted(
            {k for k in (*active, *candidate) if k[0] == rule_id},
            key=lambda k: ((candidate.get(k) or active[k]).occurred_at, k),
        )
        added, removed, changed, unchanged = [], [], [], 0
        for key in keys:
            difference = Difference(*key, active.get(key), candidate.get(key))
            if difference.kind == "added":
                added.append(difference)
            elif difference.kind == "removed":
                removed.append(difference)
            elif difference.changes:
                changed.append(difference)
            else:
                unchanged += 1
        diffs.append(
            RuleDiff(
                rule_id,
                versions_a.get(rule_id),
                versions_c.get(rule_id),
                tuple(added),
                tuple(removed),
                tuple(changed),
                unchanged,
                _notes(by_id_a.get(rule_id), by_id_c.get(rule_id)),
            )
        )
    return tuple(diffs)


def _notes(active: Rule | None, candidate: Rule | None) -> tuple[str, ...]:
    if active is None or candidate is None:
        return ()
    said = []
    for name, what in (
        ("sanction", "first-time sanction"),
        ("severity", "severity"),
        ("clause", "clause"),
    ):
        before, after = str(getattr(active, name)), str(getattr(candidate, name))
        if before != after:
            said.append(f"{what} {before} -> {after}")
    return tuple(said)


def run(
    source: Engine,
    candidate_rules: list[Rule],
    active_rules: list[Rule],
    start: datetime,
    end: datetime,
    warm: timedelta | None = None,
    progress: Progress | None = None,
) -> Report:
    """Replay the stored events of [start, end) (from `warm` earlier: by default the rules'
    longest look-back) through both sets and compare their findings of [start, end).
    NoStoredEvents when the period holds none. `source` is only read."""
    warm = warm_up([*candidate_rules, *active_rules]) if warm is None else warm
    candidate, active = _judge(candidate_rules), _judge(active_rules)
    try:
        with read_only(source) as conn:
            in_period = count_stored(conn, start, end)
            if not in_period:
                raise NoStoredEvents(start, end)
            total = count_stored(conn, start - warm, end)
            done = 0
            streams: set[str] = set()
            for stored in stored_events(conn, start - warm, end):
                for judge in (candidate, active):
                    judge.handle(stored.event, stored.topic, stored.partition, stored.offset)
                streams.add(f"{stored.topic}:{stored.partition}")
                done += 1
                if progress is not None:
                    progress(done, total)
            # Every stream is complete up to the period's end (or now): what production judges
            # by later events or, on a quiet partition, by the clock (docs/compliance.md).
            moment = min(end, datetime.now(UTC))
            for judge in (candidate, active):
                judge.pass_time(streams, moment)
            index = LabelIndex(conn)
        rules = compare(
            _findings(active, start, end),
            _findings(candidate, start, end),
            active_rules,
            candidate_rules,
        )
    finally:
        candidate.engine.dispose()
        active.engine.dispose()
    return Report(start, end, warm, done, in_period, _with_labels(rules, index))


def _with_labels(rules: tuple[RuleDiff, ...], index: LabelIndex) -> tuple[RuleDiff, ...]:
    """The added and removed findings with the labelled cases resting on their events."""

    def with_cases(found: tuple[Difference, ...]) -> tuple[Difference, ...]:
        return tuple(replace(d, labels=index.of(d.finding)) for d in found)

    return tuple(
        replace(r, added=with_cases(r.added), removed=with_cases(r.removed)) for r in rules
    )
