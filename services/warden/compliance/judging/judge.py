"""Judging: an incoming event becomes findings and cases, effectively once per event id.

Each event, in one transaction (a consumer's poll batch shares one: the commit is the cost):
recorded (inbox + stored events), applied to the deadlines
(which may make missed-deadline events, judged right after it), judged by every rule (stateful
rules get their context from stored events, in event time), and each finding opens a case
whose proposal follows the sanction ladder (4.3) over the employee's confirmed record. The
rules that wait for other partitions judge it later, when `release` finds every input
partition complete past its time (compliance/judging/holding.py)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from warden.compliance.domain.cases import Case, Decision, open_case
from warden.compliance.domain.findings import Finding, make_finding
from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder, propose
from warden.compliance.domain.specs import Deadline
from warden.compliance.judging import holding, snoozes, state, stored_events
from warden.compliance.judging.deadlines import MAIN_TRACK, DeadlineBook, Ledger, shadow_tracked
from warden.compliance.rules import catalogue
from warden.compliance.rules.engine import Match, RuleEngine
from warden.compliance.rules.ladder_file import load_ladder
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rulebook import load_rules
from warden.compliance.storage import case_store, decision_store, inbox_store, shadow_store
from warden.contract.compliance import DEADLINE_MISSED
from warden.errors import FailedPrecondition
from warden.platform.cloudevents import CloudEvent

log = logging.getLogger(__name__)

INTERNAL_TOPIC = "warden.compliance.internal"

# One event to judge as a consumer read it: the event, its topic, partition and offset.
Delivery = tuple[CloudEvent, str, int, int]


@dataclass(frozen=True)
class Judged:
    """What handling one event did: nothing for a redelivery, else the cases it opened, and
    whether it was held for the rules that wait for other partitions."""

    duplicate: bool
    cases: tuple[Case, ...] = ()
    held: bool = False


@dataclass(frozen=True)
class Released:
    """What one release of held events did: how many it judged, the cases they opened, and
    whether it judged as many as one release may (more may be waiting)."""

    events: int = 0
    cases: tuple[Case, ...] = ()

    @property
    def full(self) -> bool:
        return self.events >= holding.RELEASE_LIMIT


def _deadline_plan(
    rules: RuleEngine, shadow: frozenset[str]
) -> tuple[DeadlineBook, frozenset[str]]:
    """The deadlines the rules declare, and the shadow rules whose deadlines are tracked
    apart. Per kind, the active versions' spec is tracked (with none active, the first shadow
    one's); a shadow version declaring another spec for that kind (another duration, say)
    gets deadlines of its own (deadlines.shadow_tracked), judged by it alone."""
    main: dict[str, Deadline] = {}
    for rule in sorted(rules.rules, key=lambda r: r.key in shadow):
        if rule.deadline is not None:
            main.setdefault(rule.deadline.kind, rule.deadline)
    apart: dict[str, Deadline] = {}  # tracked kind -> spec
    keys = set()
    for rule in rules.rules:
        spec = rule.deadline
        if spec is not None and rule.key in shadow and main[spec.kind] != spec:
            tracked = shadow_tracked(spec)
            apart.setdefault(tracked.kind, tracked)
            keys.add(rule.key)
    return DeadlineBook([*main.values(), *apart.values()]), frozenset(keys)


@dataclass(frozen=True)
class RuleSet:
    """What one event is judged with: the rules (those whose keys are in `shadow` record their
    findings without opening a case), the sanction ladder, the deadlines the rules declare,
    and the catalogue generation it came from (0: not from the catalogue)."""

    engine: RuleEngine
    ladder: Ladder = DEFAULT_LADDER
    shadow: frozenset[str] = frozenset()
    generation: int = 0

    @cached_property
    def _deadline_plan(self) -> tuple[DeadlineBook, frozenset[str]]:
        return _deadline_plan(self.engine, self.shadow)

    @property
    def deadlines(self) -> DeadlineBook:
        return self._deadline_plan[0]

    def not_judging(self, event: dict[str, Any]) -> frozenset[str]:
        """The keys of the rules that do not judge this event: a missed deadline of the main
        track is not judged by the shadow versions tracking their own, and one of theirs by
        no other rule."""
        if event["type"] != DEADLINE_MISSED:
            return frozenset()
        if event["data"].get("track", MAIN_TRACK) == MAIN_TRACK:
            return self._deadline_plan[1]
        return self._not_tracking_apart

    @cached_property
    def _not_tracking_apart(self) -> frozenset[str]:
        """The keys of the rules that do not track a deadline of their own in shadow."""
        return frozenset(r.key for r in self.engine.rules) - self._deadline_plan[1]

    @cached_property
    def waiting(self) -> frozenset[str]:
        """The keys of the rules that judge an event only once every input partition is
        complete past its time (compliance/judging/holding.py)."""
        return frozenset(r.key for r in self.engine.rules if r.waits_for_partitions)

    @cached_property
    def not_waiting(self) -> frozenset[str]:
        return frozenset(r.key for r in self.engine.rules) - self.waiting

    def waits_on(self, event_type: str) -> bool:
        """Whether a waiting rule judges events of this type."""
        return event_type in self._waiting_types

    @cached_property
    def _waiting_types(self) -> frozenset[str]:
        return frozenset(r.on for r in self.engine.rules if r.waits_for_partitions)


class Judge:
    """Judges events with a fixed rule set, or (`catalogued`) with the catalogue's active and
    shadow rules, re-read in the judging transaction whenever its generation moves."""

    def __init__(
        self,
        engine: Engine,
        rules: RuleEngine,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ladder: Ladder = DEFAULT_LADDER,
        shadow: Iterable[str] = (),
        catalogued: bool = False,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.catalogued = catalogued
        self._set = RuleSet(rules, ladder, frozenset(shadow))
        self._swap = threading.Lock()

    @property
    def rules(self) -> RuleEngine:
        return self._set.engine

    @property
    def ladder(self) -> Ladder:
        return self._set.ladder

    @property
    def deadlines(self) -> DeadlineBook:
        return self._set.deadlines

    @property
    def generation(self) -> int:
        return self._set.generation

    @classmethod
    def from_directory(cls, engine: Engine, directory: Path) -> Judge:
        """A judge with the rules and the sanction ladder of a rules directory."""
        return cls(
            engine,
            RuleEngine(load_rules(directory)),
            ladder=load_ladder(directory) or DEFAULT_LADDER,
        )

    @classmethod
    def from_catalogue(
        cls,
        engine: Engine,
        directory: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Judge:
        """A judge with the catalogue's rules and the ladder of `directory`; the directory's rule
        files are published first, and activated where the catalogue has no mode for them."""
        ladder = load_ladder(directory) or DEFAULT_LADDER
        for attempt in (1, 2):
            try:
                with engine.begin() as conn:
                    catalogue.seed(conn, directory, clock())
                break
            except IntegrityError:
                if attempt == 2:
                    raise
                log.info("another replica seeded the rule catalogue meanwhile; seeding again")
        judge = cls(engine, RuleEngine([]), clock=clock, ladder=ladder, catalogued=True)
        with engine.connect() as conn:
            judge.rule_set(conn)
        return judge

    def rule_set(self, conn: Connection) -> RuleSet:
        """The rules to judge with in this transaction: the catalogue's current generation."""
        with self._swap:
            current = self._set
        if not self.catalogued:
            return current
        if catalogue.generation(conn) == current.generation:
            return current
        book = catalogue.current(conn)
        fresh = RuleSet(
            RuleEngine(book.active + book.shadow),
            current.ladder,
            frozenset(r.key for r in book.shadow),
            book.generation,
        )
        with self._swap:
            if self._set.generation < fresh.generation:
                self._set = fresh
        log.info(
            "judging with rule catalogue generation %d: %d active, %d in shadow (%s)",
            book.generation,
            len(book.active),
            len(book.shadow),
            ", ".join(sorted(fresh.shadow)) or "none",
        )
        return fresh

    def reload(self, directory: Path) -> int:
        """Replace the rules (and ladder) with those in `directory`, all or nothing: on any bad
        file raise RuleBookInvalid (file, line, reason) and keep judging with the current ones.
        (A catalogued judge changes rules through the catalogue instead.)"""
        if self.catalogued:
            raise FailedPrecondition(
                "rules: this judge follows the rule catalogue; publish and activate instead"
            )
        try:
            rules = RuleEngine(load_rules(directory))
            ladder = load_ladder(directory) or DEFAULT_LADDER
        except RuleBookInvalid as invalid:
            for error in invalid.errors:
                log.error("rule file refused, previous rules kept: %s", error)
            raise
        with self._swap:
            self._set = RuleSet(rules, ladder)
        log.info("reloaded %d rule(s) from %s", len(rules.rules), directory)
        return len(rules.rules)

    def handle(
        self,
        event: CloudEvent,
        topic: str,
        partition: int,
        offset: int,
        inputs: frozenset[str] | None = None,
    ) -> Judged:
        """Judge one event in one transaction; a redelivered (source, id) changes nothing."""
        try:
            (judged,) = self.handle_batch([(event, topic, partition, offset)], inputs)
            return judged
        except IntegrityError:
            # Another instance judged the same event concurrently (a redelivery during a
            # rebalance): its inbox row won the primary key, so this one is a duplicate.
            with self.engine.connect() as conn:
                if inbox_store.already_processed(conn, event):
                    log.info("event %s judged concurrently elsewhere: skipped", event.id)
                    return Judged(duplicate=True)
            raise

    def handle_batch(
        self, batch: Sequence[Delivery], inputs: frozenset[str] | None = None
    ) -> list[Judged]:
        """Judge `batch` (event, topic, partition, offset) in ONE transaction, in the given
        order (a consumer passes each partition's records in offset order), so the commit and
        the per-transaction reads are paid once per batch. Each event is judged exactly as it
        would be alone: a redelivered (source, id), or one already earlier in the batch,
        changes nothing; the inbox rows are written first, so a concurrent judge of the same
        events (a rebalance) conflicts before judging anything; a stateful rule sees every
        event judged before it, those of this batch from memory (stored_events.StoredEvents); each
        stream's watermark moves event by event, in memory, and is written at the end. Any
        error rolls the whole batch back and is raised: the caller judges the events one at
        a time (`handle`) to find the one at fault.

        `inputs`: the input partitions (`topic:partition`), given by a consumer that can tell
        when they are complete: the rules that wait for other partitions then judge an event
        only when `release` finds them complete past its time (compliance/judging/holding.py).
        Without it every rule judges at once (examples, a backtest: replays in event time)."""
        if not batch:
            return []
        with self.engine.begin() as conn:
            tx = _Transaction(conn, self.rule_set(conn))
            tx.stored.expect(event.time for event, *_ in batch)
            tx.subjects.update(event.subject for event, *_ in batch)
            tx.marks.expect({f"{topic}:{partition}" for _event, topic, partition, _ in batch})
            seen = inbox_store.processed_among(conn, (event for event, *_ in batch))
            first = []  # per delivery: not judged before, nor earlier in this batch
            for event, *_ in batch:
                first.append((event.source, event.id) not in seen)
                seen.add((event.source, event.id))
            tx.received.claim((d for d, new in zip(batch, first, strict=True) if new), self.clock())
            payloads = [
                event.to_dict() if new else None
                for (event, *_), new in zip(batch, first, strict=True)
            ]
            tx.rules.deadlines.expect(tx.marks, (p for p in payloads if p is not None))
            state.expect_lookups(
                tx.stored, tx.rules.engine.rules, (p for p in payloads if p is not None)
            )
            results: list[Judged] = []
            for (event, topic, partition, offset), payload in zip(batch, payloads, strict=True):
                if payload is None:
                    log.info("event %s from %s already judged: skipped", event.id, event.source)
                    results.append(Judged(duplicate=True))
                    continue
                tx.received.store(event, payload)
                stream = f"{topic}:{partition}"
                held = inputs is not None and tx.rules.waits_on(event.type)
                if held:
                    opened = self._open(tx, event, payload, skip=tx.rules.waiting)
                    tx.hold(event, stream, offset, self.clock())
                else:
                    opened = self._open(tx, event, payload)
                deadlines = tx.rules.deadlines
                for missed in deadlines.track(conn, event, stream, tx.marks, payload):
                    tx.received.add(missed, INTERNAL_TOPIC, 0, 0, self.clock())
                    opened += self._open(tx, missed)
                results.append(Judged(duplicate=False, cases=tuple(opened), held=held))
            tx.marks.write()
            tx.received.flush()
            tx.cases.flush()
            holding.hold(conn, tx.held)
        return results

    def release(self, inputs: frozenset[str], limit: int = holding.RELEASE_LIMIT) -> Released:
        """Judge, with the rules that wait for other partitions, the held events that all of
        `inputs` (the input partitions) are now complete past, oldest first, at most `limit`
        in one transaction. Each event is judged with the stored events dated up to its time,
        as it would have been had every partition been read in step. When judging one fails,
        everything is rolled back and holding.HeldJudgementFailed names it."""
        if not inputs:
            return Released()
        opened: list[Case] = []
        with self.engine.begin() as conn:
            # Most polls find nothing held, or nothing old enough: one index lookup, then the
            # partitions' marks only when something could be released.
            first = holding.oldest(conn)
            if first is None:
                return Released()
            upto = holding.complete_up_to(conn, inputs)
            if upto is None or upto <= first:
                return Released()
            released = holding.release(conn, upto, limit)
            if not released:
                return Released()
            tx = _Transaction(conn, self.rule_set(conn))
            events = [held.event for held in released]
            payloads = [event.to_dict() for event in events]
            tx.stored.expect(event.time for event in events)
            tx.subjects.update(event.subject for event in events)
            state.expect_lookups(tx.stored, tx.rules.engine.rules, payloads)
            for held, payload in zip(released, payloads, strict=True):
                try:
                    opened += self._open(
                        tx,
                        held.event,
                        payload,
                        skip=tx.rules.not_waiting,
                        read_at=(held.topic, held.partition, held.offset),
                    )
                except OperationalError:
                    raise  # the database, not the event
                except Exception as exc:  # the event's failure: named, for the caller to set aside
                    raise holding.HeldJudgementFailed(held, exc) from exc
            tx.cases.flush()
        log.info(
            "judged %d event(s) held for other partitions (all complete up to %s): %d case(s)",
            len(events),
            upto.isoformat(),
            len(opened),
        )
        return Released(len(events), tuple(opened))

    def unhold(self, source: str, event_id: str) -> holding.Held | None:
        """Take an event out of the hold unjudged (one whose judgement keeps failing, to be
        dead-lettered by the caller); None when it is no longer held."""
        with self.engine.begin() as conn:
            return holding.take(conn, source, event_id)

    def sweep(self) -> tuple[Case, ...]:
        """Judge the deadlines the stored watermark has already passed (run at start-up)."""
        return self._judge_missed(lambda conn, book: book.sweep(conn))

    def pass_time(self, streams: Iterable[str], moment: datetime) -> tuple[Case, ...]:
        """Judge the deadlines of `streams` due before `moment`, the streams being known
        complete up to it (quiet partitions read to their end: `compliance.quiet`); the
        watermarks of those with a deadline due move to `moment`, and every one's clock mark
        (what the held judgements wait for: compliance/judging/holding.py). Without it a deadline
        waits for its stream's next event, which on a quiet partition may be hours or never."""
        names = sorted(set(streams))

        def judged_and_marked(conn: Connection, book: DeadlineBook) -> list[CloudEvent]:
            holding.mark_complete(conn, names, moment)  # for the held judgements
            return book.pass_time(conn, names, moment)

        return self._judge_missed(judged_and_marked)

    def _judge_missed(
        self, find: Callable[[Connection, DeadlineBook], list[CloudEvent]]
    ) -> tuple[Case, ...]:
        """In one transaction, judge the missed-deadline events `find` makes (and records)."""
        opened: list[Case] = []
        with self.engine.begin() as conn:
            tx = _Transaction(conn, self.rule_set(conn))
            for missed in find(conn, tx.rules.deadlines):
                tx.received.add(missed, INTERNAL_TOPIC, 0, 0, self.clock())
                opened += self._open(tx, missed)
            tx.received.flush()
            tx.cases.flush()
        return tuple(opened)

    def _open(
        self,
        tx: _Transaction,
        event: CloudEvent,
        payload: dict[str, Any] | None = None,
        skip: frozenset[str] = frozenset(),
        read_at: stored_events.Position | None = None,
    ) -> list[Case]:
        """Judge `event` with the rule set, but the rules in `skip`; open a case per finding
        (a shadow rule's finding is recorded without one). `read_at`: where a held event was
        read, judged once every partition has passed it (state.aggregate)."""
        conn, rules = tx.conn, tx.rules
        opened = []
        enrich = state.enrich(tx.stored, read_at)
        posted = event.to_dict() if payload is None else payload
        for match in rules.engine.judge(posted, enrich, rules.not_judging(posted) | skip):
            finding = make_finding(match.rule, match.event, event.time, match.related)
            if match.rule.key in rules.shadow:
                shadow_store.add_shadow_finding(conn, finding)
                log.info(
                    "shadow finding %s: %s by %s (no case: the rule runs in shadow)",
                    finding.finding_id,
                    match.rule.key,
                    finding.employee_id,
                    extra={"event_id": event.id},
                )
                continue
            if tx.snoozed.suppresses(finding, match.event, self.clock()):
                continue  # recorded and audited with its snooze, no case (judging/snoozes.py)
            case = self._case(tx, match, finding)
            tx.cases.add(case)
            opened.append(case)
            log.info(
                "finding %s: %s by %s (clause %s) -> case %s, %s",
                finding.finding_id,
                match.rule.key,
                finding.employee_id,
                match.rule.clause,
                case.case_id,
                case.proposal_reasoning,
                extra={"event_id": event.id, "case_id": case.case_id},
            )
        return opened

    def _case(self, tx: _Transaction, match: Match, finding: Finding) -> Case:
        ladder = tx.rules.ladder
        since = finding.occurred_at - timedelta(days=ladder.lookback_days)
        prior = len([d for d in tx.record_of(finding.employee_id) if d.decided_at >= since])
        proposal = propose(ladder, match.rule.severity, match.rule.sanction, prior)
        return open_case(
            finding,
            proposal.sanction,
            opened_at=self.clock(),
            proposal_reasoning=proposal.reasoning,
            dismissal_review=proposal.dismissal_review,
            legal_referral=proposal.legal_referral,
        )


@dataclass
class _Transaction:
    """What the events of one judging transaction share: the rules it judges with, the rows
    it writes in bulk (received events; cases with their findings and audit entries), the
    stored events its stateful rules read (once per transaction), the stream watermarks, and
    each employee's confirmed record (read once:
    judging adds no decision, so it cannot change within the transaction)."""

    conn: Connection
    rules: RuleSet
    received: inbox_store.Received = field(init=False)
    stored: stored_events.StoredEvents = field(init=False)
    cases: case_store.CaseWriter = field(init=False)
    marks: Ledger = field(init=False)
    snoozed: snoozes.Snoozed = field(init=False)
    records: dict[str, list[Decision]] = field(default_factory=dict)
    subjects: set[str] = field(default_factory=set)  # of the events judged
    held: list[dict[str, Any]] = field(default_factory=list)  # rows for holding.hold

    def __post_init__(self) -> None:
        self.received = inbox_store.Received(self.conn)
        self.stored = stored_events.StoredEvents(
            self.conn, unwritten=self.received.unwritten_events
        )
        self.received.on_store = self.stored.add
        self.cases = case_store.CaseWriter(self.conn)
        self.snoozed = snoozes.Snoozed(self.conn)
        self.cases.then.append(self.snoozed.flush)
        self.marks = Ledger(self.conn)

    def hold(self, event: CloudEvent, stream: str, offset: int, at: datetime) -> None:
        """Hold the event for the rules that wait for other partitions."""
        row = {"event_id": event.id, "source": event.source, "time": event.time}
        row |= {"stream": stream, "offset": offset}
        self.held.append({**row, "held_at": at})

    def record_of(self, employee_id: str) -> list[Decision]:
        """The employee's confirmed violations, oldest first
        (decision_store.confirmed_violations). At the first finding, the records of every
        subject of the batch are read with it, in one query: a finding's employee is most
        often its event's subject."""
        if employee_id not in self.records:
            wanted = {employee_id, *self.subjects} - self.records.keys()
            self.records.update(decision_store.records_of(self.conn, wanted))
        return self.records[employee_id]
